"""ONNX export, the model card (JSON + Markdown) and the TS/Python parity
fixture. The card's figures are the pipeline's own output: nothing in it is
typed in by hand."""
import base64
import collections
import datetime
import hashlib
import json
import os
import subprocess
import zlib

import numpy as np
import onnx
import torch
import torch.nn as nn
import torch.nn.functional as F

from flops import count_macs, vgg16_macs
from frames import ffmpeg_bin, parse_ppm_stream
from metrics import FINDINGS
from model import LusNet
from preprocess import (BORDER_MAX_GREY, INPUT_SIZE, LUS_CLASSES, MAX_FRAMES_PER_CLIP, MIN_BOX_FRACTION, MODEL_CLASSES,
                        NORM_MEAN, NORM_STD, SAMPLE_RATE_HZ, preprocess_frame)

OPSET = 13

AUGMENTATION = {
    'none': 'none',
    'light': 'rotation ±6°, zoom 0.9–1.1, shift ±5%, horizontal flip, gain 0.85–1.15, gamma ±15%',
    'strong': 'rotation ±15°, zoom 0.8–1.25, shift ±12%, horizontal flip, gain 0.7–1.4, gamma ±40%, Gaussian noise, cut-out (a third of frames)',
    'xstrong': 'rotation ±15°, zoom 0.8–1.25, shift ±12%, horizontal flip, gain 0.7–1.4, gamma ±40%, resolution jitter (half of frames down-sampled to 33–75% and back), Gaussian noise, cut-out (a third of frames)',
}


class Shipped(nn.Module):
    """Probabilities and class activation maps in one pass, no gradients
    (and, with a findings head, per-frame probabilities of the expert findings).

    Members' outputs are averaged; with test-time augmentation each member
    also sees the horizontally mirrored frame, whose map is mirrored back
    before averaging, so the CAM stays aligned with the input.
    cam[n, k] = W_k . features[n, :, y, x] (no bias: it is the same everywhere),
    so mean(cam[n, k]) + b_k is the logit. The temperature fitted on the
    validation folds is inside the graph (probs = softmax(logit / T)), so the
    app shows calibrated probabilities without knowing about it; it changes no
    argmax, and the CAM stays in logit units.
    """

    def __init__(self, nets, tta, temperature=1.0):
        super().__init__()
        self.nets = nn.ModuleList(nets)
        self.tta = tta
        self.temperature = float(temperature)
        self.findings = all(n.findings_fc is not None for n in nets)
        self.eval()

    def one(self, net, x):
        f = net.feature_map(x)
        cam = torch.einsum('kc,nchw->nkhw', net.fc.weight, f)
        probs = F.softmax((cam.mean(dim=(2, 3)) + net.fc.bias) / self.temperature, dim=1)
        finds = torch.sigmoid(net.findings_fc(f.mean(dim=(2, 3)))) if self.findings else None
        return probs, cam, finds

    def forward(self, x):
        probs, cams, finds = [], [], []
        for net in self.nets:
            p, c, fi = self.one(net, x)
            probs.append(p)
            cams.append(c)
            finds.append(fi)
            if self.tta:
                p2, c2, f2 = self.one(net, torch.flip(x, dims=[3]))
                probs.append(p2)
                cams.append(torch.flip(c2, dims=[3]))
                finds.append(f2)
        out = (torch.stack(probs).mean(0), torch.stack(cams).mean(0))
        return out + (torch.stack(finds).mean(0),) if self.findings else out


def export_model(nets, out_dir, name, tta, temperature=1.0):
    os.makedirs(out_dir, exist_ok=True)
    path = os.path.join(out_dir, f'{name}.onnx')
    model = Shipped(nets, tta, temperature)
    dummy = torch.zeros(1, 1, INPUT_SIZE, INPUT_SIZE)
    # 'probs' and 'cam' keep their names and shapes (the app reads them); 'findings' [N, 6] is an extra output.
    outputs = ['probs', 'cam'] + (['findings'] if model.findings else [])
    torch.onnx.export(model, dummy, path, input_names=['input'], output_names=outputs, opset_version=OPSET,
                      dynamic_axes={'input': {0: 'batch'}, **{o: {0: 'batch'} for o in outputs}}, do_constant_folding=True)
    m = onnx.load(path)
    onnx.checker.check_model(m)
    # The class order (and the findings' order) travels with the file, so a reader can check it against its own.
    meta = {'classes': ','.join(MODEL_CLASSES), 'input_size': str(INPUT_SIZE), 'name': name, 'temperature': f'{temperature:.4g}'}
    if model.findings:
        meta['findings'] = ','.join(FINDINGS)
    for k, v in meta.items():
        p = m.metadata_props.add()
        p.key, p.value = k, v
    m.producer_name = 'lus-review training/train.py'
    onnx.save(m, path)
    return path


def sha256_of(path):
    h = hashlib.sha256()
    with open(path, 'rb') as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b''):
            h.update(chunk)
    return h.hexdigest()


# ---------------------------------------------------------------- parity fixture

# Synthetic frames only (never dataset media): ffmpeg test patterns (random ones seeded), one with
# black borders (exercises the border trim), one small (upscaling), one odd-sized.
PARITY_SOURCES = [
    ('testsrc2-letterboxed', 'testsrc2=size=176x144:rate=1,pad=220:180:30:18:black'),
    ('mandelbrot', 'mandelbrot=size=150x200:rate=1'),
    ('smptebars-small', 'smptebars=size=40x30:rate=1'),
    ('life-odd', 'life=size=333x97:rate=1:mold=10:ratio=0.4:seed=7'),
]


def parity_frames():
    out = []
    for name, src in PARITY_SOURCES:
        cmd = [ffmpeg_bin(), '-v', 'error', '-nostdin', '-f', 'lavfi', '-i', src, '-frames:v', '1',
               '-pix_fmt', 'rgb24', '-f', 'image2pipe', '-vcodec', 'ppm', '-']
        res = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, check=True)
        out.append((name, parse_ppm_stream(res.stdout)[0]))
    return out


def write_parity_fixture(nets, model_path, fixture_dir, tta, temperature=1.0):
    os.makedirs(fixture_dir, exist_ok=True)
    model = Shipped(nets, tta, temperature)
    rng = np.random.default_rng(0)
    frames = []
    for name, rgb in parity_frames():
        tensor, box = preprocess_frame(rgb)
        with torch.no_grad():
            out = model(torch.from_numpy(tensor)[None, None])
        probs, cam = out[0], out[1]
        flat = tensor.reshape(-1)
        idx = np.sort(rng.choice(flat.size, 256, replace=False))
        cam_flat = cam[0].numpy().reshape(-1)
        cidx = np.sort(rng.choice(cam_flat.size, 32, replace=False))
        frames.append({
            'name': name,
            'width': int(rgb.shape[1]), 'height': int(rgb.shape[0]),
            'rgbDeflateBase64': base64.b64encode(zlib.compress(np.ascontiguousarray(rgb).tobytes(), 9)).decode(),
            'box': {'x': box[0], 'y': box[1], 'width': box[2], 'height': box[3]},
            'tensorSum': float(tensor.astype(np.float64).sum()),
            'tensorSamples': {'indices': idx.tolist(), 'values': [float(v) for v in flat[idx]]},
            'probs': [float(v) for v in probs[0]],
            'camShape': list(cam.shape[1:]),
            'camSamples': {'indices': cidx.tolist(), 'values': [float(v) for v in cam_flat[cidx]]},
            **({'findings': [float(v) for v in out[2][0]]} if len(out) > 2 else {}),
        })
    fixture = {
        'generatedBy': 'training/export.py (npm run train)',
        'model': {'file': os.path.basename(model_path), 'sha256': sha256_of(model_path)},
        'inputSize': INPUT_SIZE,
        **({'findings': FINDINGS} if model.findings else {}),
        'frames': frames,
    }
    with open(os.path.join(fixture_dir, 'preprocess-parity.json'), 'w') as fh:
        json.dump(fixture, fh, indent=1)
        fh.write('\n')


# ---------------------------------------------------------------- model card

def r(v, n=3):
    return None if v is None else round(float(v), n)


def fmt(s):
    return '–' if s is None else f'{s["mean"]:.3f} ± {s["sd"]:.3f}'


def fmt_auc(pooled):
    return '–' if not pooled or pooled.get('auc') is None else f'{pooled["auc"]:.3f}'


def write_card(c, model_path, args):
    manifest, clips, pool, recipe = c['manifest'], c['clips'], c['pool'], c['recipe']
    per_tta = 2 if recipe['tta'] else 1
    has_findings = bool(recipe.get('findings'))
    one = LusNet(inorm=recipe.get('inorm', False), num_findings=len(FINDINGS) if has_findings else 0)
    macs128 = count_macs(one, (1, INPUT_SIZE, INPUT_SIZE)) * recipe['members'] * per_tta
    macs224 = count_macs(one, (1, 224, 224)) * recipe['members'] * per_tta
    vgg224 = vgg16_macs(224)
    vgg128 = vgg16_macs(INPUT_SIZE)

    by_class = collections.OrderedDict((k, {'clips': 0, 'videos': 0, 'images': 0, 'frames': 0, 'patients': set()}) for k in LUS_CLASSES)
    for cl in clips:
        b = by_class[cl['label']]
        b['clips'] += 1
        b['videos' if cl.get('kind') == 'video' else 'images'] += 1
        b['frames'] += int(len(cl['frames']))
        b['patients'].add(cl['group'])
    for b in by_class.values():
        b['groups'] = len(b.pop('patients'))
    kinds = collections.Counter(name.split(':')[0] for name, _, _ in pool)
    crops = int(sum(len(cl['crops']) for cl in clips))

    folds = []
    for pf in c['perFold']:
        folds.append({
            'fold': pf['fold'], 'testClips': pf['testClips'], 'trainClips': pf['trainClips'], 'trainSeconds': pf['trainSeconds'],
            'video': pf['video'], 'frame': pf['frame'], 'uninformative': pf.get('uninformative'),
            'videoWithoutTta': (pf.get('withoutTta') or {}).get('video'),
            'clips': pf['clips'],
        })
    size = os.path.getsize(model_path)
    card = {
        'name': args.name,
        'version': args.version,
        'createdAt': datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0).isoformat(),
        'file': os.path.basename(model_path),
        'sha256': sha256_of(model_path),
        'sizeBytes': size,
        'format': {'onnxOpset': OPSET, 'producer': 'PyTorch ' + torch.__version__},
        'classes': MODEL_CLASSES,
        'input': {
            'name': 'input', 'shape': ['N', 1, INPUT_SIZE, INPUT_SIZE], 'dtype': 'float32',
            'preprocessing': {
                'module': 'src/shared/classifierPreprocess.ts (training/preprocess.py is its twin)',
                'sampling': f'ffmpeg fps={SAMPLE_RATE_HZ}:eof_action=pass, rgb24; at most {MAX_FRAMES_PER_CLIP} frames per clip, evenly thinned',
                'grey': 'round((77 R + 150 G + 29 B) / 256), integer',
                'crop': f'trim edge rows/columns whose max grey <= {BORDER_MAX_GREY}; keep the whole frame if the box is under {MIN_BOX_FRACTION} of it',
                'resize': f'area averaging (exact box filter) to {INPUT_SIZE}x{INPUT_SIZE}, aspect ratio not kept',
                'normalise': f'(grey / 255 - {NORM_MEAN}) / {NORM_STD}',
            },
        },
        'outputs': [
            {'name': 'probs', 'shape': ['N', len(MODEL_CLASSES)], 'meaning': 'class probabilities (softmax), order of classes'},
            {'name': 'cam', 'shape': ['N', len(MODEL_CLASSES), INPUT_SIZE // 16, INPUT_SIZE // 16],
             'meaning': 'class activation maps (last feature map x classifier weights, bias left out); cell (i, j) covers rows i*S/8..(i+1)*S/8 of the model input, i.e. of the trimmed box of the frame'},
        ] + ([{'name': 'findings', 'shape': ['N', len(FINDINGS)], 'names': FINDINGS,
               'meaning': 'per-frame probability (sigmoid) that the experts would mark each finding on this clip, in the order of names; clip = mean over frames. Trained on clip-level marks (weak labels); see crossValidation.summary.findingsAuc for how far to trust each'}]
             if has_findings else []),
        'temperature': recipe.get('temperature', 1.0),
        'temperatureNote': 'probs = softmax(logit / temperature), inside the graph; the temperature minimised the clip-level NLL on the validation folds (ablation row of the recipe), never on test folds',
        'clipAggregation': 'mean of frame probabilities; LUS class = argmax over covid/pneumonia/healthy; uninformative reported beside it',
        'pretrainedWeights': False,
        'pretrainedNote': 'Trained from scratch: the build machine cannot download pretrained weights.',
        'data': {
            # The dataset's name (title of its README) and the CSV's hash identify it; a build machine's path would not.
            'dataset': os.path.basename(manifest['dataset']) if os.path.isabs(manifest.get('dataset') or '') else manifest.get('dataset'),
            'csvSha256': manifest.get('csvSha256'),
            'lusClips': {k: v for k, v in by_class.items()},
            'lusClipsTotal': len(clips),
            'labelMapping': 'COVID-19 -> covid; Bacterial pneumonia + Viral pneumonia -> pneumonia; regular -> healthy; Other not used',
            'excluded': manifest.get('excluded', []),
            'uninformative': {**dict(kinds), 'offAnatomyCropsOfTrainingClips': crops,
                              'note': 'Debian package pictures, ffmpeg synthetic sources and generated frames (hash-assigned to folds), plus corner and extreme-zoom crops of each training clip'},
        },
        'split': {
            'method': manifest.get('splitMethod'),
            'folds': manifest['folds'], 'seed': manifest['seed'],
            'groups': manifest.get('groups'),
            'groupedBySourceStem': manifest.get('groupedBySourceStem', []),
            'nearDuplicates': manifest.get('nearDuplicates', []),
            'nearDuplicateMaxDistance': manifest.get('nearDuplicateMaxDistance'),
            'perFold': manifest.get('perFold'),
        },
        'training': {
            'command': c['command'], 'seed': c['seed'], 'recipe': recipe,
            'optimizer': 'AdamW, 1 epoch linear warm-up then cosine decay; cross-entropy with label smoothing'
                         + (f', class weights {recipe["classWeight"]} (others 1)' if recipe.get('classWeight') else '')
                         + (f'; plus {recipe["findings"]} x binary cross-entropy of the six expert findings (each frame takes its clip\'s marks; '
                            'findings the experts did not assess are masked)' if has_findings else ''),
            'augmentation': AUGMENTATION[recipe['augment']],
            'balancing': 'each epoch draws the same number of frames per class; within a class a clip first, then a frame, so long clips do not dominate',
            'timing': c['timing'],
            'environment': c.get('environment'),
        },
        'flops': {
            'countedAs': 'multiply-accumulates of convolutions and linear layers (the convention behind "VGG16 = 15.5 GFLOPs")',
            'model': {'input128': macs128, 'input224': macs224, 'members': recipe['members'], 'ttaPasses': per_tta},
            'vgg16': {'input128': vgg128, 'input224': vgg224},
            'ratioToVgg16At224': r(macs224 / vgg224, 4),
            'ratioToVgg16At128': r(macs128 / vgg128, 4),
        },
        'crossValidation': {
            'protocol': 'patient-grouped folds; each fold model trains on the other folds and is tested once on its own; nothing is tuned on test folds (recipe chosen on validation folds, see ablation)',
            'perFold': folds,
            'summary': c['summary'],
            'videoWithoutTta': c['withoutTta'],
        },
        'ablation': c['ablation'],
        'seeds': c.get('seeds'),
        'intendedUse': 'Pre-labelling and triage of lung ultrasound clips for expert review in LUS Review. Not a diagnostic device; expert labels are never overwritten.',
        'limitations': [
            f'{len(clips)} clips from a public teaching/literature dataset; few patients per class (see groups), so fold-to-fold variation is large.',
            'Sources differ by class (machines, overlays, crops): the model may partly learn the source rather than the disease.',
            'Viral pneumonia (5 clips) is folded into pneumonia.',
        ],
    }
    json_path = os.path.join(os.path.dirname(model_path), f'{args.name}.card.json')
    with open(json_path, 'w') as fh:
        json.dump(card, fh, indent=1, default=lambda o: o.item() if hasattr(o, 'item') else str(o))
        fh.write('\n')
    with open(os.path.join(os.path.dirname(model_path), f'{args.name}.card.md'), 'w') as fh:
        fh.write(card_markdown(card))
    update_docs_summary(card, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'docs', 'classifier.md'))


START, END = '<!-- CARD-SUMMARY:START -->', '<!-- CARD-SUMMARY:END -->'


def update_docs_summary(card, docs_path):
    """Rewrites the summary between the markers of docs/classifier.md, so the figures there are always this run's."""
    if not os.path.exists(docs_path):
        return
    text = open(docs_path, encoding='utf8').read()
    if START not in text or END not in text:
        return
    s = card['crossValidation']['summary']
    fl = card['flops']
    tm = card['training']['timing']
    lines = [START, '', '## Model card summary', '',
             f'_Written by `{card["training"]["command"]}` on {card["createdAt"]} (training/export.py); the full card is '
             f'`resources/models/{card["name"]}.card.md`._', '',
             f'- **{card["name"]} {card["version"]}**, `{card["file"]}`, {card["sizeBytes"] / 1e6:.2f} MB, SHA-256 `{card["sha256"]}`',
             f'- Data: {card["data"]["lusClipsTotal"]} clips of the shared dataset ('
             + ', '.join(f'{k} {v["clips"]}' for k, v in card['data']['lusClips'].items())
             + f'), plus {sum(v for k, v in card["data"]["uninformative"].items() if k not in ("note", "offAnatomyCropsOfTrainingClips"))} '
             f'non-LUS pictures and frames and {card["data"]["uninformative"]["offAnatomyCropsOfTrainingClips"]} off-anatomy crops as uninformative; '
             'trained from scratch (no pretrained weights).',
             f'- Split: {card["split"]["folds"]} patient-grouped, label-stratified folds (seed {card["split"]["seed"]}); '
             f'{len(card["split"]["nearDuplicates"])} near-duplicate pairs found by the leakage check, each pair\'s groups merged before splitting.',
             f'- **Video-level balanced accuracy {fmt(s["video"]["balancedAccuracy"])}** (mean ± sd over test folds; accuracy '
             f'{fmt(s["video"]["accuracy"])}); frame-level balanced accuracy {fmt(s["frame"]["balancedAccuracy"])}.',
             *([f'- Over {len(card["seeds"]["perSeed"])} training seeds ({", ".join(str(p["seed"]) for p in card["seeds"]["perSeed"])}; same folds): '
                f'video balanced accuracy {fmt(card["seeds"]["acrossSeeds"]["videoBalancedAccuracy"])}, COVID-19 sensitivity '
                f'{fmt(card["seeds"]["acrossSeeds"]["covidSensitivity"])} (mean ± sd of the per-seed means).']
               if card.get('seeds') and len(card['seeds']['perSeed']) > 1 else []),
             '- Per-fold video balanced accuracy: ' + ', '.join(f'{f["video"]["balancedAccuracy"]:.3f}' for f in card['crossValidation']['perFold']) + '.',
             '- Sensitivity / specificity (video): ' + '; '.join(
                 f'{c} {fmt(s["video"]["perClass"][c]["sensitivity"])} / {fmt(s["video"]["perClass"][c]["specificity"])}' for c in LUS_CLASSES) + '.',
             f'- Uninformative examples recognised: {fmt(s["uninformative"]["sensitivity"])}; LUS frames called uninformative: '
             f'{fmt(s["uninformative"]["lusFramesCalledUninformative"])}.',
             *([f'- Calibration: temperature {card.get("temperature", 1.0):.3g} (fitted on validation folds, inside the graph); '
                f'test-fold clip NLL {fmt(s["calibration"]["nll"])}, ECE {fmt(s["calibration"]["ece"])} '
                f'(at T = 1: {fmt(s["calibrationAtT1"]["nll"])}, {fmt(s["calibrationAtT1"]["ece"])}).'] if s.get('calibration') else []),
             *(['- Expert findings (output `findings`), clip-level AUC on test folds, per fold (pooled): ' + '; '.join(
                 f'{n} {fmt(v["perFold"])} ({fmt_auc(v.get("pooled"))})'
                 for n, v in s['findingsAuc'].items()) + '.'] if s.get('findingsAuc') else []),
             f'- Cost: {fl["model"]["input224"] / 1e6:.0f} M multiply-accumulates per frame at 224² = 1/{1 / fl["ratioToVgg16At224"]:.0f} of VGG16 '
             f'({fl["vgg16"]["input224"] / 1e9:.2f} G); {fl["model"]["input128"] / 1e6:.0f} M at the shipped 128².',
             f'- Training: {tm["totalSeconds"] / 60:.1f} min for `train.py` ({tm["crossValidationSeconds"] / 60:.1f} cross-validation, '
             f'{tm["finalModelSeconds"] / 60:.1f} shipped model)'
             + (f', {tm["pipelineSeconds"] / 60:.1f} min for the whole `npm run train` (import, hashing, frame extraction included)' if tm.get('pipelineSeconds') else '')
             + f' on {tm["machine"]}, {tm["threads"]} threads.',
             '', END]
    i, j = text.index(START), text.index(END) + len(END)
    with open(docs_path, 'w', encoding='utf8') as fh:
        fh.write(text[:i] + '\n'.join(lines) + text[j:])


def card_markdown(card):
    s = card['crossValidation']['summary']
    L = []
    L.append(f'# Model card: {card["name"]} {card["version"]}\n')
    L.append(f'Generated by `{card["training"]["command"]}` on {card["createdAt"]}; every figure below is the pipeline\'s own output.\n')
    L.append(f'- File: `resources/models/{card["file"]}` ({card["sizeBytes"] / 1e6:.2f} MB), ONNX opset {card["format"]["onnxOpset"]}')
    L.append(f'- SHA-256: `{card["sha256"]}`')
    L.append(f'- Classes: {", ".join(card["classes"])}')
    L.append(f'- Pretrained weights: none. {card["pretrainedNote"]}')
    L.append(f'- Intended use: {card["intendedUse"]}\n')
    L.append('## Results (patient-level cross-validation)\n')
    L.append(f'{card["crossValidation"]["protocol"]}.\n')
    L.append('| fold | test clips | video acc | video bal. acc | frame acc | frame bal. acc | uninformative sens. |')
    L.append('|---|---|---|---|---|---|---|')
    for f in card['crossValidation']['perFold']:
        u = f.get('uninformative') or {}
        L.append(f'| {f["fold"]} | {f["testClips"]} | {f["video"]["accuracy"]:.3f} | {f["video"]["balancedAccuracy"]:.3f} | '
                 f'{f["frame"]["accuracy"]:.3f} | {f["frame"]["balancedAccuracy"]:.3f} | {u.get("sensitivity", float("nan")):.3f} |')
    L.append(f'| **mean ± sd** | | {fmt(s["video"]["accuracy"])} | **{fmt(s["video"]["balancedAccuracy"])}** | '
             f'{fmt(s["frame"]["accuracy"])} | {fmt(s["frame"]["balancedAccuracy"])} | {fmt(s["uninformative"]["sensitivity"])} |\n')
    L.append('| class | video sensitivity | video specificity | frame sensitivity | frame specificity |')
    L.append('|---|---|---|---|---|')
    for c in LUS_CLASSES:
        v, fr = s['video']['perClass'][c], s['frame']['perClass'][c]
        L.append(f'| {c} | {fmt(v["sensitivity"])} | {fmt(v["specificity"])} | {fmt(fr["sensitivity"])} | {fmt(fr["specificity"])} |')
    L.append('')
    L.append(f'LUS frames called uninformative: {fmt(s["uninformative"]["lusFramesCalledUninformative"])} (fraction per fold).')
    if s.get('calibration'):
        L.append(f'Calibration (clip probabilities, test folds, temperature {card.get("temperature", 1.0):.3g} from the validation folds): '
                 f'NLL {fmt(s["calibration"]["nll"])}, ECE {fmt(s["calibration"]["ece"])} '
                 f'(at T = 1: NLL {fmt(s["calibrationAtT1"]["nll"])}, ECE {fmt(s["calibrationAtT1"]["ece"])}).')
    if s.get('findingsAuc'):
        L.append('\n### Expert findings (output `findings`)\n')
        L.append('Clip score = mean of the frame probabilities; AUC against the experts\' marks on the test folds, over the clips '
                 'where the finding was assessed. Per fold: mean ± sd over the folds that hold both present and absent clips.\n')
        L.append('| finding | AUC per fold | folds | AUC pooled | present / absent clips |')
        L.append('|---|---|---|---|---|')
        for name, v in s['findingsAuc'].items():
            pooled = v.get('pooled') or {}
            L.append(f'| {name} | {fmt(v["perFold"])} | {v["foldsWithAuc"]} | '
                     f'{fmt_auc(pooled)} | {pooled.get("present", 0)} / {pooled.get("absent", 0)} |')
    wt = card['crossValidation'].get('videoWithoutTta')
    if wt:
        L.append(f'Without test-time flip averaging the video balanced accuracy is {fmt(wt["video"]["balancedAccuracy"])}.')
    L.append('')
    sd = card.get('seeds')
    if sd and len(sd['perSeed']) > 1:
        L.append('### Over training seeds (same folds)\n')
        L.append(f'{sd["note"]}.\n')
        L.append('| seed | video bal. acc | covid sens. | covid spec. | pneumonia sens. | healthy sens. |')
        L.append('|---|---|---|---|---|---|')
        num = lambda v: '–' if v is None else f'{v:.3f}'  # noqa: E731
        for ps in sd['perSeed']:
            L.append(f'| {ps["seed"]} | {num(ps["videoBalancedAccuracy"])} | {num(ps["covidSensitivity"])} | {num(ps["covidSpecificity"])} | '
                     f'{num(ps["pneumoniaSensitivity"])} | {num(ps["healthySensitivity"])} |')
        a = sd['acrossSeeds']
        L.append(f'| **mean ± sd** | **{fmt(a["videoBalancedAccuracy"])}** | **{fmt(a["covidSensitivity"])}** | {fmt(a["covidSpecificity"])} | '
                 f'{fmt(a["pneumoniaSensitivity"])} | {fmt(a["healthySensitivity"])} |\n')
    if card.get('ablation'):
        L.append('## What each step buys (validation folds only)\n')
        L.append(card['ablation'].get('protocol', '') + '\n')
        L.append('| variant | change | val. video bal. acc | val. COVID-19 sens. | val. frame bal. acc | T (val. NLL before → after) | train s/fold |')
        L.append('|---|---|---|---|---|---|---|')
        for v in card['ablation']['variants']:
            cal = v.get('calibration')
            t = f'{cal["temperature"]:.2f} ({cal["atT1"]["nll"]:.3f} → {cal["atFittedT"]["nll"]:.3f})' if cal else '–'
            L.append(f'| {v["name"]} | {v["change"]} | {fmt(v["video"])} | {fmt(v.get("covidSensitivity"))} | {fmt(v["frame"])} | {t} | '
                     f'{v["secondsPerFold"]:.0f} |')
        L.append('')
    d = card['data']
    L.append('## Data\n')
    L.append(f'Dataset: `{d["dataset"]}` (CSV SHA-256 `{d["csvSha256"]}`). {d["labelMapping"]}.\n')
    L.append('| class | clips | videos | images | frames (3 Hz) | patient groups |')
    L.append('|---|---|---|---|---|---|')
    for k, v in d['lusClips'].items():
        L.append(f'| {k} | {v["clips"]} | {v["videos"]} | {v["images"]} | {v["frames"]} | {v["groups"]} |')
    u = d['uninformative']
    L.append(f'\nUninformative examples: {", ".join(f"{k} {v}" for k, v in u.items() if k != "note")}. {u["note"]}.\n')
    if d['excluded']:
        L.append(f'Excluded: {", ".join(d["excluded"])}.\n')
    sp = card['split']
    L.append('## Split\n')
    L.append(f'{sp["method"]}; {sp["folds"]} folds, seed {sp["seed"]}.')
    if sp['groupedBySourceStem']:
        L.append(f' Entries without a Patient ID, grouped by source and file-name stem: {", ".join(sp["groupedBySourceStem"])}.')
    nd = sp['nearDuplicates']
    if nd:
        L.append('\nNear-duplicate clips found by the leakage check (dHash, median nearest-frame distance ≤ '
                 f'{card["split"].get("nearDuplicateMaxDistance", 4)} of 64 bits), whose groups were merged before splitting. '
                 'Some are look-alikes from different sources (at 9×8 pixels the fan shape dominates); merging those costs a '
                 'little balance, never leakage.\n')
        for p in nd:
            L.append(f'- {p["a"]} ~ {p["b"]} (distance {p["distance"]})')
    L.append('')
    L.append('## Input and output\n')
    pp = card['input']['preprocessing']
    L.append(f'Input `input` float32 [N, 1, {INPUT_SIZE}, {INPUT_SIZE}]:')
    for k in ('sampling', 'grey', 'crop', 'resize', 'normalise'):
        L.append(f'- {k}: {pp[k]}')
    for o in card['outputs']:
        L.append(f'- output `{o["name"]}` {o["shape"]}: {o["meaning"]}')
    L.append(f'- clip: {card["clipAggregation"]}\n')
    fl = card['flops']
    L.append('## Cost\n')
    L.append(f'{fl["model"]["input224"] / 1e6:.0f} M multiply-accumulates per frame at 224×224 '
             f'({fl["model"]["members"]} member(s) × {fl["model"]["ttaPasses"]} pass(es)) vs VGG16 {fl["vgg16"]["input224"] / 1e9:.2f} G: '
             f'**1/{1 / fl["ratioToVgg16At224"]:.0f}** of VGG16. At the shipped {INPUT_SIZE}×{INPUT_SIZE}: {fl["model"]["input128"] / 1e6:.0f} M '
             f'(1/{1 / fl["ratioToVgg16At128"]:.0f} of VGG16 at that size).\n')
    t = card['training']
    L.append('## Training\n')
    L.append(f'`{t["command"]}`, seed {t["seed"]}. {t["optimizer"]}. Augmentation: {t["augmentation"]}. Balancing: {t["balancing"]}.')
    L.append(f'Recipe: `{json.dumps(t["recipe"])}`.')
    tm = t['timing']
    L.append(f'Time: cross-validation {tm["crossValidationSeconds"] / 60:.1f} min, shipped model {tm["finalModelSeconds"] / 60:.1f} min, '
             f'train.py {tm["totalSeconds"] / 60:.1f} min'
             + (f', whole `npm run train` {tm["pipelineSeconds"] / 60:.1f} min' if tm.get('pipelineSeconds') else '')
             + f' on {tm["machine"]}, {tm["threads"]} threads.\n')
    L.append('## Limitations\n')
    for x in card['limitations']:
        L.append(f'- {x}')
    L.append('')
    return '\n'.join(L)


def refresh_ablation(out_dir, name, manifest_path=None):
    """Puts the current <name>.ablation.json into the existing card (JSON and Markdown) without retraining:
    a variant measured after the shipped model was trained shows up in the card's ablation table. Every other
    figure of the card (model, hash, cross-validation, timing, date) is left as the full run wrote it.
    With a manifest (written by `npm run train` into its work folder) the card's dataset is renamed to the
    manifest's dataset name, provided the CSV hash is the card's own (the same data, so nothing else changes)."""
    json_path = os.path.join(out_dir, f'{name}.card.json')
    card = json.load(open(json_path, encoding='utf8'))
    card['ablation'] = json.load(open(os.path.join(out_dir, f'{name}.ablation.json'), encoding='utf8'))
    if manifest_path:
        manifest = json.load(open(manifest_path, encoding='utf8'))
        if manifest.get('csvSha256') != card['data'].get('csvSha256'):
            raise SystemExit(f'{manifest_path} is for CSV {manifest.get("csvSha256")}, the card for {card["data"].get("csvSha256")}: not the same dataset')
        if os.path.isabs(manifest.get('dataset') or ''):
            raise SystemExit(f'{manifest_path} names the dataset by a path: run `npm run train` again to write a current manifest')
        card['data']['dataset'] = manifest['dataset']
    with open(json_path, 'w') as fh:
        json.dump(card, fh, indent=1)
        fh.write('\n')
    with open(os.path.join(out_dir, f'{name}.card.md'), 'w') as fh:
        fh.write(card_markdown(card))


if __name__ == '__main__':
    import argparse
    ap = argparse.ArgumentParser(description='Refresh the ablation table of the shipped card (no training).')
    ap.add_argument('--refresh-ablation', action='store_true', required=True)
    ap.add_argument('--out', default=os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'resources', 'models'))
    ap.add_argument('--name', default='lusnet')
    ap.add_argument('--manifest', help="a current manifest.json of `npm run train`: also name the card's dataset as it does")
    a = ap.parse_args()
    refresh_ablation(a.out, a.name, a.manifest)
