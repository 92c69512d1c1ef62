"""What each step of the recipe buys, measured on validation folds only.

For outer fold k the model trains on the three folds other than k and k+1
and is scored on fold k+1; fold k (the test fold of the full run) takes no
part. The recipe in train.py is chosen from this table, so no test fold ever
influences it. Results go to <out>/<name>.ablation.json, which the card
includes: a full run writes it into the card, and
`python3 training/export.py --refresh-ablation` puts a newly measured row
into the shipped card without retraining (nothing else in the card changes).

Every row also carries what the issue's goal is measured by (COVID-19
sensitivity), the per-finding AUC where a findings head is trained, and the
temperature that minimises the clip-level NLL over the pooled validation
folds (with NLL / ECE before and after): the shipped recipe's temperature is
copied from its row, so calibration too is fitted on validation folds only.
"""
import json
import os

import numpy as np

from preprocess import INPUT_SIZE
from ssl_pretrain import DEFAULT as SSL_DEFAULT
from static_mask import DILATE_RADIUS, MOTION_THRESHOLD

VARIANTS = [
    # name, change, recipe overrides
    ('light-aug', 'mild geometry/intensity augmentation', {'augment': 'light', 'tta': True}),
    ('strong-aug', 'stronger geometry + intensity + noise + cut-out', {'augment': 'strong', 'tta': True}),
    ('strong-aug-group', 'strong augmentation, sampling balanced over patients', {'augment': 'strong', 'tta': True, 'sampling': 'group'}),
    ('strong-aug-inorm', 'strong augmentation, per-frame standardisation', {'augment': 'strong', 'tta': True, 'inorm': True}),
    ('strong-aug-group-inorm', 'both of the above', {'augment': 'strong', 'tta': True, 'sampling': 'group', 'inorm': True}),
    ('xstrong-aug', 'strong augmentation + resolution jitter (down- then up-sampling)', {'augment': 'xstrong', 'tta': True}),
    # Run with LUS_INPUT_SIZE=192 (the frames are preprocessed at that size).
    ('strong-aug-input192', 'strong augmentation, 192 px input (2.25x the compute)', {'augment': 'strong', 'tta': True}),
    ('strong-aug-long', 'strong augmentation, 1.6x the epochs', {'augment': 'strong', 'tta': True, 'epochs': 48}),
    ('strong-aug-mixup', 'strong augmentation + mixup (alpha 0.2)', {'augment': 'strong', 'tta': True, 'mixup': 0.2}),
    ('strong-aug-ensemble2', 'strong augmentation, 2 models averaged', {'augment': 'strong', 'tta': True, 'members': 2}),
    # Pretrained per outer fold on the frames of its three training folds only (no labels; the validation
    # and test folds' frames are never seen), then the strong-aug recipe unchanged. Cost includes pretraining.
    ('strong-aug-ssl', 'strong augmentation after self-supervised contrastive pretraining of the trunk '
     '(SimCLR loss, two frames of a clip as positives, 400 steps) on the training folds\' frames only',
     {'augment': 'strong', 'tta': True, 'ssl': dict(SSL_DEFAULT)}),
    # Frames of each video clip (not stills) reloaded with never-changing pixels blacked out
    # (static_mask.py) before the usual preprocessing, for training and validation scoring alike.
    ('strong-aug-static-mask', 'strong augmentation, static pixels of video clips (grey range over the '
     f'clip <= {MOTION_THRESHOLD}, moving region dilated by {DILATE_RADIUS} px) blacked out before preprocessing',
     {'augment': 'strong', 'tta': True, 'staticMask': True}),
    # Issue #15's levers, scored without flip TTA (the shipped recipe has none).
    ('recipe', 'lusnet 1.0.0\'s recipe (strong augmentation, no TTA, no findings head): the reference for the rows below',
     {'findings': 0.0, 'classWeight': None, 'temperature': 1.0}),  # lusnet 1.0.0's recipe, whatever RECIPE becomes
    ('findings', 'multi-task head: + the six expert findings (masked BCE where not assessed, weight 0.5)',
     {'findings': 0.5, 'classWeight': None, 'temperature': 1.0}),
    ('findings-w1', 'multi-task head, findings loss weight 1.0', {'findings': 1.0, 'classWeight': None, 'temperature': 1.0}),
    ('covid-weight', 'cross-entropy weight 2 for COVID-19 (the rarest class), on top of the class-balanced sampler',
     {'findings': 0.0, 'classWeight': {'covid': 2.0}, 'temperature': 1.0}),
    ('findings-covid-weight', 'findings head (0.5) + COVID-19 weight 2',
     {'findings': 0.5, 'classWeight': {'covid': 2.0}, 'temperature': 1.0}),
    # Issue #15's motion lever, on top of the findings row (compare with `findings` of the same seed). Training and
    # every validation figure (video, frame, findings AUC, calibration) use the same 2-channel input; stills, a
    # clip's first sample and the uninformative items have a zero difference channel. Not in the app's contract
    # ([N, 1, 128, 128], one frame at a time): shipping it would need the worker to keep the previous sample.
    ('motion-diff', 'findings head + motion input: a second channel = this 3 Hz sample minus the previous one of the same clip '
     '(zeros for the first sample and for stills; augmented as a pair)',
     {'findings': 0.5, 'classWeight': None, 'temperature': 1.0, 'motion': 'diff'}),
    # The same 2-channel trunk trained on clips (a step: 4 clips x up to 8 samples + 8 uninformative items); the clip's
    # probability and findings come from attention pooling over its frames' features instead of the mean of frame
    # probabilities (frame-level figures from the frames' own logits, trained beside the clip loss).
    ('motion-attn', 'motion-diff trunk, clip probability from learned attention pooling over its frames\' features '
     '(trained on clips: 4 clips x up to 8 samples a step, clip + frame cross-entropy)',
     {'findings': 0.5, 'classWeight': None, 'temperature': 1.0, 'motion': 'diff', 'clipPool': 'attn'}),
]


def summary(per_fold, key):
    vals = [key(f) for f in per_fold]
    vals = [v for v in vals if v is not None]
    return {'mean': float(np.mean(vals)), 'sd': float(np.std(vals, ddof=1))} if vals else None


def static_masked_clips(args, clips, log):
    """The same clips with static_mask.py applied (own cache entries); logs the masked fractions."""
    import time
    from data import load_clip
    t = time.time()
    out = []
    for c in clips:
        d = load_clip(c, os.path.join(args.work, 'frames-cache'), args.seed, static_mask=True)
        out.append({**c, **d})
    fr = [c['maskedFraction'] for c in out if c.get('kind') == 'video']
    log(f'static mask: {len(fr)} video clips, masked fraction (visible pixels blacked out) '
        f'0 in {sum(f == 0 for f in fr)}, >0.01 in {sum(f > 0.01 for f in fr)}, max {max(fr):.3f} ({time.time() - t:.0f} s)')
    for c in out:
        if c.get('maskedFraction', 0) > 0:
            log(f'  masked {c["maskedFraction"]:.3f} {c["filename"]} ({c["label"]}, fold {c["fold"]})')
    return out


def calibration_row(per_fold):
    """Temperature fitted on the pooled validation clips, with clip-level NLL / ECE at T = 1 and at the fitted T."""
    from metrics import calibration, fit_temperature
    logits = [z for f in per_fold for z in f['_clipLogits']]
    labels = [y for f in per_fold for y in f['_labels']]
    t = fit_temperature(logits, labels)
    return {'temperature': round(t, 3), 'atT1': calibration(logits, labels, 1.0), 'atFittedT': calibration(logits, labels, t),
            'clips': len(labels)}


def findings_row(per_fold):
    from metrics import FINDINGS, findings_auc
    if not per_fold[0].get('findingsAuc'):
        return None
    pooled = findings_auc([r for f in per_fold for r in f['_findingRows']])
    return {name: {'perFold': summary(per_fold, lambda f, n=name: f['findingsAuc'][n]['auc']),
                   'pooled': pooled[name]['auc'], 'present': pooled[name]['present'], 'absent': pooled[name]['absent']}
            for name in FINDINGS}


def run_ablation(args, clips, pool, folds, base, cross_validate, summary_table, log):
    masked = None
    wanted = [v for v in args.variants.split(',') if v]
    path = os.path.join(args.out, f'{args.name}.ablation.json')
    results = {}
    suffix = getattr(args, 'row_suffix', '') or ''
    for name, change, over in VARIANTS:
        if wanted and name not in wanted:
            continue
        variant, name = name, name + suffix
        # Rows compare against lusnet 1.0.0's recipe: issue #15's levers are off unless the row turns them on.
        recipe = {**base, 'findings': 0.0, 'classWeight': None, 'temperature': 1.0, **over, 'inputSize': INPUT_SIZE}
        if variant.endswith('input192') != (INPUT_SIZE == 192):
            log(f'skipping {name}: it needs LUS_INPUT_SIZE={192 if variant.endswith("input192") else 128}')
            continue
        log(f'== variant {name}: {change}')
        if recipe.get('staticMask'):
            masked = masked or static_masked_clips(args, clips, log)
        per_fold = cross_validate(masked if recipe.get('staticMask') else clips, pool, folds, recipe, args.seed, val_offset=1)
        secs = float(np.mean([f['trainSeconds'] for f in per_fold]))
        results[name] = {
            'name': name, 'change': change + (' (flip TTA)' if recipe.get('tta') else '') + (f', training seed {args.seed}' if suffix else ''),
            'recipe': recipe,
            'video': summary(per_fold, lambda f: f['video']['balancedAccuracy']),
            'frame': summary(per_fold, lambda f: f['frame']['balancedAccuracy']),
            'perFoldVideo': [round(f['video']['balancedAccuracy'], 3) for f in per_fold],
            'covidSensitivity': summary(per_fold, lambda f: f['video']['perClass']['covid']['sensitivity']),
            'perClass': {c: {m: summary(per_fold, lambda f, c=c, m=m: f['video']['perClass'][c][m]) for m in ('sensitivity', 'specificity')}
                         for c in ('covid', 'pneumonia', 'healthy')},
            'calibration': calibration_row(per_fold),
            'findingsAuc': findings_row(per_fold),
            'secondsPerFold': secs,
        }
        if 'withoutTta' in per_fold[0]:
            results[name + ' (no TTA)'] = {
                'name': name + ' (no TTA)', 'change': change + ', no test-time flip', 'recipe': {**recipe, 'tta': False},
                'video': summary(per_fold, lambda f: f['withoutTta']['video']['balancedAccuracy']),
                'frame': None,
                'perFoldVideo': [round(f['withoutTta']['video']['balancedAccuracy'], 3) for f in per_fold],
                'secondsPerFold': secs,
            }
        log(f'   {name}: val video bal.acc {results[name]["video"]["mean"]:.3f} ± {results[name]["video"]["sd"]:.3f}, '
            f'covid sens {results[name]["covidSensitivity"]["mean"]:.3f} ± {results[name]["covidSensitivity"]["sd"]:.3f}, '
            f'T {results[name]["calibration"]["temperature"]}')
        os.makedirs(args.out, exist_ok=True)
        # Read again just before writing: variants may run in parallel processes.
        prior = json.load(open(path)) if os.path.exists(path) else {}
        prior_seed = prior.get('seed')  # the rows' own seed is in their change text when it differs (--row-suffix)
        merged = {v['name']: v for v in prior.get('variants', [])}
        merged.update(results)
        known = [n for name, _, _ in VARIANTS for n in (name, name + ' (no TTA)', name + suffix) if n in merged]
        known = list(dict.fromkeys(known))
        # Rows this process does not know (written by a newer one) are kept, after the known ones.
        order = known + [n for n in merged if n not in known]
        tmp = f'{path}.{os.getpid()}.tmp'
        with open(tmp, 'w') as fh:
            json.dump({'protocol': 'Outer fold k: train on the three folds other than k and k+1, score on fold k+1 (validation); '
                                   'test folds are never used. Mean ± sd over the 5 validation folds.',
                       'seed': prior_seed if prior_seed is not None else args.seed, 'variants': [merged[n] for n in order]}, fh, indent=1)
            fh.write('\n')
        os.replace(tmp, path)
