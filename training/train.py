#!/usr/bin/env python3
"""Trains, cross-validates and exports the LUS classifier.

Run through `npm run train` (training/train.ts), which imports the dataset
into a scratch catalog, splits it by patient, checks for near-duplicate
clips across folds, and writes the manifest this script reads. Everything it
writes besides the model, its card and the parity fixture goes to --work,
outside the repository.

Modes:
  full    cross-validate the recipe on the patient folds (train on k-1
          folds, test on the held-out one), train the shipped model on all
          clips, export it to ONNX, write its card and the parity fixture.
  ablate  compare recipe variants on validation folds only: for outer fold
          k the model trains on three folds and is scored on fold k+1; the
          test fold k is never looked at. Writes ablation.json for the card.

Requires Debian's python3-torch, python3-torchvision, python3-onnx, python3-numpy,
python3-pil (apt-get install python3-torch python3-torchvision python3-onnx python3-pil).
"""
import argparse
import copy
import json
import math
import os
import platform
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from data import load_clip, load_manifest, motion_input, previous_sample  # noqa: E402
from model import LusNet  # noqa: E402
from metrics import FINDINGS, NO_FINDINGS, calibration, finding_targets, findings_auc, probs_at  # noqa: E402
from preprocess import INPUT_SIZE, LUS_CLASSES, MODEL_CLASSES, NORM_MEAN, NORM_STD  # noqa: E402
from uninformative import build_pool  # noqa: E402

UNINF = MODEL_CLASSES.index('uninformative')
# The recipe. Chosen on validation folds (ablate mode, resources/models/lusnet.ablation.json),
# never on test folds: strong augmentation beat light (+0.07 video balanced
# accuracy); flip TTA, patient-balanced sampling, per-frame standardisation,
# longer training, resolution jitter, a 2-model ensemble and a 192 px input
# bought nothing measurable, so the cheapest form ships (one model, one pass, 128 px).
# Self-supervised contrastive pretraining of the trunk on the training folds'
# frames (ssl_pretrain.py, variant strong-aug-ssl) did not either: 0.675 ± 0.108
# vs 0.689 ± 0.161 for strong-aug, per-fold differences both ways and no larger
# than a same-seed rerun of strong-aug moves a fold (up to 0.10), while the
# pretraining roughly doubles the time per fold; so no 'ssl' key here
# (train_model honours one: True / {} for ssl_pretrain.DEFAULT, or a config dict).
# Issue #15 (rows recipe / findings / covid-weight / findings-covid-weight, two training seeds):
# the findings head moved validation balanced accuracy from 0.607 / 0.679 (seeds 42 / 7) to
# 0.689 / 0.695 and COVID-19 sensitivity from 0.28 / 0.40 to 0.48 / 0.48: the same direction in
# both seeds but within rerun noise; it stays because it costs nothing at inference and gives the
# app a second, explainable output (validation AUC 0.59-0.87 per finding). A COVID-19 loss weight
# of 2 did not help (0.560 alone; 0.683 with the findings head). The temperature is the mean of
# the two findings rows' fits (1.345, 1.352). Its test-fold run over seeds 42, 7, 13 (lusnet 2.0.0):
# 0.721 ± 0.007, COVID-19 sensitivity 0.533, against 1.0.0's 0.741 / 0.600 (one seed): not better; it
# ships for its findings output and calibration (docs/classifier.md says so). The motion-diff variant
# (second channel = frame difference) bought nothing on validation (0.668 / 0.695 vs 0.689 / 0.695).
RECIPE = {
    'epochs': 30,
    'per_class': 128,       # samples per class per epoch (class-balanced)
    'batch': 32,
    'lr': 2e-3,
    'weight_decay': 5e-4,
    'label_smoothing': 0.1,
    'augment': 'strong',
    'tta': False,           # average with the horizontally flipped frame
    'mixup': 0.0,
    'members': 1,           # models averaged in the shipped file
    'sampling': 'clip',     # within a class: 'clip' (uniform over clips) or 'group' (over patients, then clips)
    'inorm': False,         # per-frame standardisation as the network's first step
    'findings': 0.5,        # weight of the masked findings BCE beside the class loss (0: no findings head)
    'classWeight': None,    # e.g. {'covid': 2.0}: cross-entropy weight per class (others 1)
    'temperature': 1.35,    # logits divided by it before the softmax (fitted on validation folds; baked into the ONNX graph)
}


def log(*a):
    print(*a, flush=True)


# ---------------------------------------------------------------- augmentation

def augment(x: torch.Tensor, g: torch.Generator, level: str) -> torch.Tensor:
    """Random geometry and intensity on a batch of normalised frames [B,C,S,S]. Every parameter is drawn
    once per sample and applied to all its channels alike (with C = 2: a frame and the sample before it, so
    both move together; the noise field too is shared, and the draws are the same as for C = 1)."""
    if level == 'none':
        return x
    b = x.shape[0]
    strong = level in ('strong', 'xstrong')
    u = lambda lo, hi: lo + (hi - lo) * torch.rand(b, generator=g)  # noqa: E731
    ang = u(-0.26, 0.26) if strong else u(-0.1, 0.1)
    scale = u(0.8, 1.25) if strong else u(0.9, 1.1)
    tx, ty = (u(-0.12, 0.12), u(-0.12, 0.12)) if strong else (u(-0.05, 0.05), u(-0.05, 0.05))
    flip = torch.where(torch.rand(b, generator=g) < 0.5, -1.0, 1.0)
    cos, sin = torch.cos(ang) / scale, torch.sin(ang) / scale
    theta = torch.stack([torch.stack([cos * flip, -sin, tx], 1), torch.stack([sin * flip, cos, ty], 1)], 1)
    grid = F.affine_grid(theta, list(x.shape), align_corners=False)
    v = x * NORM_STD + NORM_MEAN                     # back to 0..1 grey
    v = F.grid_sample(v, grid, padding_mode='zeros', align_corners=False)
    if level == 'xstrong':
        # Resolution jitter: sources differ in sharpness and pixel size, which must not decide the class.
        s = INPUT_SIZE
        for i in range(b):
            if torch.rand(1, generator=g).item() < 0.5:
                k = int(torch.randint(s // 3, (s * 3) // 4, (1,), generator=g))
                v[i:i + 1] = F.interpolate(F.interpolate(v[i:i + 1], size=(k, k), mode='area'), size=(s, s), mode='bilinear', align_corners=False)
    gain = u(0.7, 1.4) if strong else u(0.85, 1.15)
    gamma = torch.exp(u(-0.4, 0.4)) if strong else torch.exp(u(-0.15, 0.15))
    v = v.clamp(0, 1) ** gamma.view(b, 1, 1, 1) * gain.view(b, 1, 1, 1)
    if strong:
        v = v + torch.randn((b, 1) + tuple(v.shape[2:]), generator=g) * u(0, 0.04).view(b, 1, 1, 1)
        # Cut-out: hide a random box in a third of the batch, so no single region decides.
        s = INPUT_SIZE
        for i in range(b):
            if torch.rand(1, generator=g).item() < 0.33:
                h = int(torch.randint(s // 8, s // 3, (1,), generator=g))
                w = int(torch.randint(s // 8, s // 3, (1,), generator=g))
                y0 = int(torch.randint(0, s - h, (1,), generator=g))
                x0 = int(torch.randint(0, s - w, (1,), generator=g))
                v[i, :, y0:y0 + h, x0:x0 + w] = 0
    return (v.clamp(0, 1.5) - NORM_MEAN) / NORM_STD


# ---------------------------------------------------------------- sampling

class Sampler:
    """Class-balanced: each class gets per_class samples an epoch. Within a
    class a group is drawn uniformly (a clip, or with by='group' a patient),
    then a clip of it, then a frame, so a long clip counts no more than a
    still image (and with by='group' a patient with twelve clips no more than
    one with one). Each frame carries its clip's findings (weak labels: the
    experts marked the clip, not the frame); uninformative ones carry none.
    With motion, epoch() also returns each frame's previous 3 Hz sample of
    the same video clip and whether it has one (0 for a clip's first sample,
    stills and uninformative items, whose difference channel is then 0); the
    random draws are the same either way."""

    def __init__(self, clips, uninf, rng, by='clip', motion=False):
        self.rng = rng
        self.motion = motion
        # class -> list of groups -> list of (frame array, findings, frames are a clip's consecutive samples) (one per clip)
        self.by_class = {c: {} for c in range(len(MODEL_CLASSES))}
        for clip in clips:
            key = clip['group'] if by == 'group' else clip['entryId']
            self.by_class[LUS_CLASSES.index(clip['label'])].setdefault(key, []).append(
                (clip['frames'], finding_targets(clip), clip.get('kind') != 'image'))
        # Uninformative: pool items one by one, plus each training clip's off-anatomy crops.
        for i, u in enumerate(uninf):
            self.by_class[UNINF][f'u{i}'] = [(u[None], NO_FINDINGS, False)]
        for clip in clips:
            if len(clip['crops']):
                self.by_class[UNINF][f'c{clip["entryId"]}'] = [(clip['crops'], NO_FINDINGS, False)]  # unrelated crops, not a sequence
        self.by_class = {c: list(g.values()) for c, g in self.by_class.items()}

    def epoch(self, per_class):
        xs, ys, fs, ps, hs = [], [], [], [], []
        for c, groups in self.by_class.items():
            for _ in range(per_class):
                group = groups[self.rng.integers(len(groups))]
                arr, fi, seq = group[self.rng.integers(len(group))]
                j = self.rng.integers(len(arr))
                xs.append(arr[j])
                ys.append(c)
                fs.append(fi)
                if self.motion:
                    jp = previous_sample(len(arr), still=not seq)[j]
                    ps.append(arr[jp])
                    hs.append(float(jp != j))
        order = self.rng.permutation(len(xs))
        if self.motion:
            return np.stack(xs)[order], np.array(ys)[order], np.stack(fs)[order], np.stack(ps)[order], np.array(hs, np.float32)[order]
        return np.stack(xs)[order], np.array(ys)[order], np.stack(fs)[order]


class ClipSampler:
    """For attention pooling over a clip's frames (recipe 'clipPool': 'attn'): a step is `clips` clips, each of a
    LUS class drawn uniformly and a clip of it drawn uniformly (so classes are balanced in expectation), with up to
    `frames` of its samples (all of them, or a random subset kept in clip order), plus `uninf` uninformative items
    for the frame-level head. With motion, each sample's previous one and whether it has one, as in Sampler."""

    def __init__(self, clips, uninf, rng, motion=False, clips_per_step=4, frames=8, uninf_per_step=8):
        self.rng, self.motion, self.c, self.t, self.u = rng, motion, clips_per_step, frames, uninf_per_step
        self.by_class = [[(clip['frames'], finding_targets(clip), clip.get('kind') != 'image')
                          for clip in clips if LUS_CLASSES.index(clip['label']) == c] for c in range(len(LUS_CLASSES))]
        self.uninf = [u[None] for u in uninf] + [clip['crops'] for clip in clips if len(clip['crops'])]

    def step(self):
        xs, ps, hs, lengths, y_frames, y_clips, f_clips = [], [], [], [], [], [], []
        for _ in range(self.c):
            c = int(self.rng.integers(len(LUS_CLASSES)))
            arr, fi, seq = self.by_class[c][self.rng.integers(len(self.by_class[c]))]
            n = len(arr)
            idx = np.arange(n) if n <= self.t else np.sort(self.rng.choice(n, self.t, replace=False))
            prev = previous_sample(n, still=not seq)[idx]
            xs += list(arr[idx])
            ps += list(arr[prev])
            hs += list((prev != idx).astype(np.float32))
            lengths.append(len(idx))
            y_frames += [c] * len(idx)
            y_clips.append(c)
            f_clips.append(fi)
        for _ in range(self.u):
            arr = self.uninf[self.rng.integers(len(self.uninf))]
            j = self.rng.integers(len(arr))
            xs.append(arr[j])
            ps.append(arr[j])
            hs.append(np.float32(0))
            y_frames.append(UNINF)
        return (np.stack(xs), np.stack(ps), np.array(hs, np.float32), lengths, np.array(y_frames), np.array(y_clips),
                np.stack(f_clips))


# ---------------------------------------------------------------- training

def library_versions():
    """What trained the model, for the card: a rerun with other versions may not give the same weights."""
    import onnx
    import torchvision
    return {'python': platform.python_version(), 'torch': torch.__version__, 'torchvision': torchvision.__version__,
            'onnx': onnx.__version__, 'numpy': np.__version__, 'deterministic': True}


def train_model(clips, uninf, recipe, seed, label=''):
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    g = torch.Generator().manual_seed(seed)
    findings_w = float(recipe.get('findings') or 0.0)
    motion = recipe.get('motion') == 'diff'  # 2-channel input: frame + difference to the previous 3 Hz sample
    attn = recipe.get('clipPool') == 'attn'  # clip probability from attention pooling over its frames' features
    net = LusNet(in_ch=2 if motion else 1, inorm=recipe.get('inorm', False), num_findings=len(FINDINGS) if findings_w > 0 else 0,
                 clip_attn=attn)
    cw = recipe.get('classWeight') or {}
    class_weight = torch.tensor([float(cw.get(c, 1.0)) for c in MODEL_CLASSES]) if cw else None
    if recipe.get('ssl') not in (None, False):
        assert not motion, 'ssl pretraining is for the one-channel trunk'
        # Self-supervised trunk, pretrained on these (training) clips' frames only, then the ordinary recipe.
        from ssl_pretrain import pretrain_trunk
        cfg = recipe['ssl'] if isinstance(recipe['ssl'], dict) else {}
        net.load_state_dict(pretrain_trunk(clips, seed + 5003, cfg, recipe.get('inorm', False), log, label), strict=False)
    opt = torch.optim.AdamW(net.parameters(), lr=recipe['lr'], weight_decay=recipe['weight_decay'])
    sampler = Sampler(clips, uninf, rng, recipe.get('sampling', 'clip'), motion=motion)
    steps_per_epoch = math.ceil(recipe['per_class'] * len(MODEL_CLASSES) / recipe['batch'])
    total = steps_per_epoch * recipe['epochs']
    warm = steps_per_epoch
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: (s + 1) / warm if s < warm else 0.5 * (1 + math.cos(math.pi * (s - warm) / max(1, total - warm))))
    t0 = time.time()
    if attn:
        train_clip_attn(net, clips, uninf, recipe, rng, g, opt, sched, steps_per_epoch, motion, findings_w, class_weight, label, t0)
        net.eval()
        return net
    for ep in range(recipe['epochs']):
        net.train()
        x_all, y_all, f_all, *prev = sampler.epoch(recipe['per_class'])
        run = 0.0
        for i in range(0, len(y_all), recipe['batch']):
            x = torch.from_numpy(x_all[i:i + recipe['batch']].astype(np.float32)).unsqueeze(1)
            y = torch.from_numpy(y_all[i:i + recipe['batch']]).long()
            if motion:
                p_all, h_all = prev
                x = motion_pair(x, torch.from_numpy(p_all[i:i + recipe['batch']].astype(np.float32)).unsqueeze(1),
                                torch.from_numpy(h_all[i:i + recipe['batch']]), g, recipe['augment'])
            else:
                x = augment(x, g, recipe['augment'])
            if recipe['mixup'] > 0:  # (findings loss not combined with mixup)
                lam = float(np.random.default_rng(seed * 1000 + ep * 97 + i).beta(recipe['mixup'], recipe['mixup']))
                perm = torch.randperm(x.shape[0], generator=g)
                out = net(lam * x + (1 - lam) * x[perm])
                loss = lam * F.cross_entropy(out, y, weight=class_weight, label_smoothing=recipe['label_smoothing']) + \
                    (1 - lam) * F.cross_entropy(out, y[perm], weight=class_weight, label_smoothing=recipe['label_smoothing'])
            else:
                out, fout = net.forward_all(x)
                loss = F.cross_entropy(out, y, weight=class_weight, label_smoothing=recipe['label_smoothing'])
                if fout is not None:
                    loss = loss + findings_w * masked_bce(fout, torch.from_numpy(f_all[i:i + recipe['batch']]))
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            run += loss.item() * len(y)
        if ep % 5 == 4 or ep == recipe['epochs'] - 1:
            log(f'  {label} epoch {ep + 1}/{recipe["epochs"]} loss {run / len(y_all):.3f} ({time.time() - t0:.0f} s)')
    net.eval()
    return net


def motion_pair(x, xp, has, g, level):
    """Two-channel input from a batch of frames, their previous samples and whether they have one ([B] 0/1)."""
    # The frame and its previous sample go through augment() as two channels of one image: the same geometry,
    # and the same intensity changes (gain, gamma, noise, cut-out) applied to both frames before differencing;
    # the difference is then taken on the augmented pair.
    x = augment(torch.cat([x, xp], 1), g, level)
    return torch.cat([x[:, :1], (x[:, :1] - x[:, 1:]) * has.view(-1, 1, 1, 1)], 1)


def train_clip_attn(net, clips, uninf, recipe, rng, g, opt, sched, steps_per_epoch, motion, findings_w, class_weight, label, t0):
    """Training on clips (recipe 'clipPool': 'attn'): per step a few clips x up to 8 of their samples plus some
    uninformative items (ClipSampler). Loss: cross-entropy of each clip's attention-pooled logits + cross-entropy of
    every frame's own logits (its clip's class; keeps the frame head, the frame metrics and the uninformative class)
    + the findings BCE on the pooled features (findings are clip labels)."""
    cs = ClipSampler(clips, uninf, rng, motion=motion)
    ls = recipe['label_smoothing']
    for ep in range(recipe['epochs']):
        net.train()
        run, n = 0.0, 0
        for _ in range(steps_per_epoch):
            x, xp, has, lengths, y_frames, y_clips, f_clips = cs.step()
            x = torch.from_numpy(x.astype(np.float32)).unsqueeze(1)
            if motion:
                x = motion_pair(x, torch.from_numpy(xp.astype(np.float32)).unsqueeze(1), torch.from_numpy(has), g, recipe['augment'])
            else:
                x = augment(x, g, recipe['augment'])
            h = net.feature_map(x).mean(dim=(2, 3))
            zf, _ = net.heads(h)
            zc, fc = net.heads(net.attn_pool(h[:sum(lengths)], lengths)[0])
            yc = torch.from_numpy(y_clips).long()
            loss = F.cross_entropy(zc, yc, weight=class_weight, label_smoothing=ls) + \
                F.cross_entropy(zf, torch.from_numpy(y_frames).long(), weight=class_weight, label_smoothing=ls)
            if fc is not None:
                loss = loss + findings_w * masked_bce(fc, torch.from_numpy(f_clips))
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            run += loss.item() * len(y_clips)
            n += len(y_clips)
        if ep % 5 == 4 or ep == recipe['epochs'] - 1:
            log(f'  {label} epoch {ep + 1}/{recipe["epochs"]} loss {run / n:.3f} ({time.time() - t0:.0f} s)')


def masked_bce(logits, targets):
    """Mean binary cross-entropy over the known (non-NaN) finding targets; 0 when a batch has none."""
    known = ~torch.isnan(targets)
    if not known.any():
        return logits.sum() * 0.0
    return F.binary_cross_entropy_with_logits(logits[known], targets[known])


@torch.no_grad()
def infer(nets, frames: np.ndarray, tta: bool):
    """Raw frame logits [passes, n, classes] (one pass per model and flip) and finding probabilities [n, findings]
    (mean over passes; None without a findings head). Raw logits, so a temperature can be fitted afterwards.
    frames: [n, S, S] (one channel) or [n, C, S, S] (e.g. data.motion_input)."""
    logits, finds = [], []
    for net in nets:
        net.eval()
        views = [lambda x: x] + ([lambda x: torch.flip(x, dims=[3])] if tta else [])
        for view in views:
            zs, fs = [], []
            for i in range(0, len(frames), 128):
                x = torch.from_numpy(frames[i:i + 128].astype(np.float32))
                z, f = net.forward_all(view(x.unsqueeze(1) if x.dim() == 3 else x))
                zs.append(z.numpy())
                if f is not None:
                    fs.append(torch.sigmoid(f).numpy())
            logits.append(np.concatenate(zs))
            if fs:
                finds.append(np.concatenate(fs))
    return np.stack(logits).astype(np.float64), (np.mean(finds, 0) if finds else None)


@torch.no_grad()
def infer_clip(nets, frames: np.ndarray, tta: bool):
    """For networks with attention pooling: raw frame logits [passes, n, classes], the clip's finding probabilities
    [1, findings] (None without a findings head) and its raw logits [passes, 1, classes], both from the pooled features."""
    logits, clip_logits, finds = [], [], []
    for net in nets:
        net.eval()
        views = [lambda x: x] + ([lambda x: torch.flip(x, dims=[3])] if tta else [])
        for view in views:
            hs = []
            for i in range(0, len(frames), 128):
                x = torch.from_numpy(frames[i:i + 128].astype(np.float32))
                hs.append(net.feature_map(view(x.unsqueeze(1) if x.dim() == 3 else x)).mean(dim=(2, 3)))
            h = torch.cat(hs)
            logits.append(net.heads(h)[0].numpy())
            zc, fc = net.heads(net.attn_pool(h, [len(h)])[0])
            clip_logits.append(zc.numpy())
            if fc is not None:
                finds.append(torch.sigmoid(fc).numpy())
    return (np.stack(logits).astype(np.float64), (np.mean(finds, 0) if finds else None),
            np.stack(clip_logits).astype(np.float64))


def predict(nets, frames: np.ndarray, tta: bool, temperature=1.0) -> np.ndarray:
    """Frame probabilities [n, classes], averaged over the given models (and flips)."""
    return probs_at(infer(nets, frames, tta)[0], temperature)


# ---------------------------------------------------------------- metrics

def class_metrics(y_true, y_pred, k=len(LUS_CLASSES)):
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    per = {}
    recalls = []
    for c in range(k):
        tp = int(((y_true == c) & (y_pred == c)).sum())
        fn = int(((y_true == c) & (y_pred != c)).sum())
        fp = int(((y_true != c) & (y_pred == c)).sum())
        tn = int(((y_true != c) & (y_pred != c)).sum())
        sens = tp / (tp + fn) if tp + fn else None
        spec = tn / (tn + fp) if tn + fp else None
        per[LUS_CLASSES[c]] = {'sensitivity': sens, 'specificity': spec, 'n': tp + fn}
        if sens is not None:
            recalls.append(sens)
    return {
        'n': int(len(y_true)),
        'accuracy': float((y_true == y_pred).mean()) if len(y_true) else None,
        'balancedAccuracy': float(np.mean(recalls)) if recalls else None,
        'perClass': per,
    }


def model_inputs(frames, still, motion):
    """What the network sees for these frames: themselves, or with motion 'diff' frame + difference channel."""
    return motion_input(frames, still) if motion == 'diff' else frames


def evaluate(nets, test_clips, test_uninf, tta, temperature=1.0, motion=None):
    """Video-level (mean of frame probabilities per clip, argmax over the three LUS classes) and frame-level figures,
    per-finding AUC (clip = mean of frame finding probabilities) and calibration. '_clipLogits' / '_findingRows' are
    kept in memory for fitting a temperature and pooling the AUC; they are dropped before anything is written."""
    vt, vp, ft, fp = [], [], [], []
    lus_as_uninf = 0
    n_frames = 0
    clip_rows, clip_logits, finding_rows = [], [], []
    for clip in test_clips:
        inp = model_inputs(clip['frames'], clip.get('kind') == 'image', motion)
        if nets[0].attn is not None:
            # Attention pooling: the clip's probabilities and findings from its pooled features (z_clip [passes, 1, classes]).
            z, fprob, z_clip = infer_clip(nets, inp, tta)
        else:
            z, fprob = infer(nets, inp, tta)
            z_clip = z
        p = probs_at(z, temperature)
        y = LUS_CLASSES.index(clip['label'])
        mean = p.mean(0) if z_clip is z else probs_at(z_clip, temperature).mean(0)
        vt.append(y)
        vp.append(int(np.argmax(mean[:3])))
        ft += [y] * len(p)
        fp += list(np.argmax(p[:, :3], 1))
        lus_as_uninf += int((np.argmax(p, 1) == UNINF).sum())
        n_frames += len(p)
        clip_logits.append(z_clip)
        row = {'filename': clip['filename'], 'label': clip['label'], 'probs': [round(float(v), 4) for v in mean]}
        if fprob is not None:
            row['findings'] = [round(float(v), 4) for v in fprob.mean(0)]
            finding_rows.append((fprob.mean(0), finding_targets(clip)))
        clip_rows.append(row)
    res = {'video': class_metrics(vt, vp), 'frame': class_metrics(ft, fp), 'clips': clip_rows,
           'calibration': calibration(clip_logits, vt, temperature), 'calibrationAtT1': calibration(clip_logits, vt, 1.0),
           'temperature': temperature,
           'findingsAuc': findings_auc(finding_rows), '_clipLogits': clip_logits, '_labels': vt, '_findingRows': finding_rows}
    if len(test_uninf):
        pu = predict(nets, model_inputs(np.stack(test_uninf), True, motion), tta, temperature)
        res['uninformative'] = {
            'n': len(test_uninf),
            'sensitivity': float((np.argmax(pu, 1) == UNINF).mean()),
            'lusFramesCalledUninformative': lus_as_uninf / max(1, n_frames),
        }
    return res


def summarise(per_fold, path):
    vals = [f for f in (get(pf, path) for pf in per_fold) if f is not None]
    if not vals:
        return None
    return {'mean': float(np.mean(vals)), 'sd': float(np.std(vals, ddof=1)) if len(vals) > 1 else 0.0}


def get(d, path):
    for p in path:
        if d is None:
            return None
        d = d.get(p)
    return d


def summary_table(per_fold):
    out = {}
    for level in ('video', 'frame'):
        out[level] = {'accuracy': summarise(per_fold, [level, 'accuracy']),
                      'balancedAccuracy': summarise(per_fold, [level, 'balancedAccuracy']),
                      'perClass': {c: {m: summarise(per_fold, [level, 'perClass', c, m]) for m in ('sensitivity', 'specificity')}
                                   for c in LUS_CLASSES}}
    out['uninformative'] = {'sensitivity': summarise(per_fold, ['uninformative', 'sensitivity']),
                            'lusFramesCalledUninformative': summarise(per_fold, ['uninformative', 'lusFramesCalledUninformative'])}
    out['calibration'] = {m: summarise(per_fold, ['calibration', m]) for m in ('nll', 'ece')}
    out['calibrationAtT1'] = {m: summarise(per_fold, ['calibrationAtT1', m]) for m in ('nll', 'ece')}
    if per_fold and per_fold[0].get('findingsAuc'):
        # Per fold (mean ± sd over the folds where both present and absent clips exist) and pooled over all test clips.
        pooled = findings_auc([r for pf in per_fold for r in pf['_findingRows']]) if '_findingRows' in per_fold[0] else None
        out['findingsAuc'] = {name: {'perFold': summarise(per_fold, ['findingsAuc', name, 'auc']),
                                     'foldsWithAuc': sum(get(pf, ['findingsAuc', name, 'auc']) is not None for pf in per_fold),
                                     'pooled': pooled[name] if pooled else None}
                              for name in FINDINGS}
    return out


def strip_private(per_fold):
    """The per-fold results without the in-memory arrays (keys starting with '_')."""
    return [{k: v for k, v in pf.items() if not k.startswith('_')} for pf in per_fold]


def seeds_block(runs):
    """Per training seed the mean over test folds of the headline figures, and over seeds their mean and sd."""
    paths = {'videoBalancedAccuracy': ['video', 'balancedAccuracy'], 'videoAccuracy': ['video', 'accuracy'],
             'frameBalancedAccuracy': ['frame', 'balancedAccuracy'],
             **{f'{c}{m.capitalize()}': ['video', 'perClass', c, m] for c in LUS_CLASSES for m in ('sensitivity', 'specificity')}}
    per_seed = [{'seed': r['seed'], **{k: (get(r['summary'], p) or {}).get('mean') for k, p in paths.items()}} for r in runs]
    across = {}
    for k in paths:
        vals = [ps[k] for ps in per_seed if ps[k] is not None]
        across[k] = {'mean': float(np.mean(vals)), 'sd': float(np.std(vals, ddof=1)) if len(vals) > 1 else 0.0} if vals else None
    return {'perSeed': per_seed, 'acrossSeeds': across,
            'note': 'mean over test folds per training seed (same folds); across seeds: mean and sd of those means'}


# ---------------------------------------------------------------- driver

def load_everything(args, manifest):
    t = time.time()
    clips = []
    for c in manifest['clips']:
        d = load_clip(c, os.path.join(args.work, 'frames-cache'), args.seed)
        if len(d['frames']) == 0:
            log(f'  no decodable frames: {c["filename"]} (left out)')
            continue
        clips.append({**c, **d})
    log(f'frames: {sum(len(c["frames"]) for c in clips)} from {len(clips)} clips ({time.time() - t:.0f} s)')
    t = time.time()
    pool_file = os.path.join(args.work, f'uninformative-{args.seed}-{manifest["folds"]}-{INPUT_SIZE}.npz')
    if os.path.exists(pool_file):
        z = np.load(pool_file, allow_pickle=False)
        pool = list(zip(z['names'].tolist(), z['folds'].tolist(), z['tensors']))
    else:
        pool = build_pool(args.seed, manifest['folds'])
        np.savez(pool_file, names=np.array([p[0] for p in pool]), folds=np.array([p[1] for p in pool]),
                 tensors=np.stack([p[2] for p in pool]).astype(np.float16))
    log(f'uninformative pool: {len(pool)} ({time.time() - t:.0f} s)')
    return clips, pool


def cross_validate(clips, pool, folds, recipe, seed, val_offset=None, tta=None):
    """Per-fold results. With val_offset, fold k's model is scored on fold k+offset and trained without both."""
    tta = recipe['tta'] if tta is None else tta
    per_fold = []
    for k in range(folds):
        score_fold = k if val_offset is None else (k + val_offset) % folds
        excluded = {k, score_fold}
        train = [c for c in clips if c['fold'] not in excluded]
        test = [c for c in clips if c['fold'] == score_fold]
        tr_u = [p[2] for p in pool if p[1] not in excluded]
        te_u = [p[2] for p in pool if p[1] == score_fold]
        t = time.time()
        nets = [train_model(train, tr_u, recipe, seed + 101 * k + 7 * m, f'fold {k}' + (f'.{m}' if recipe['members'] > 1 else ''))
                for m in range(recipe['members'])]
        secs = time.time() - t
        res = evaluate(nets, test, te_u, tta, recipe.get('temperature', 1.0), recipe.get('motion'))
        res.update({'fold': score_fold, 'trainedWithoutFolds': sorted(excluded), 'trainClips': len(train),
                    'testClips': len(test), 'trainSeconds': round(secs, 1)})
        if recipe['tta'] and tta:
            res['withoutTta'] = {'video': evaluate(nets, test, te_u, False, recipe.get('temperature', 1.0), recipe.get('motion'))['video']}
        log(f'fold {score_fold}: video bal.acc {res["video"]["balancedAccuracy"]:.3f} acc {res["video"]["accuracy"]:.3f} '
            f'covid sens {res["video"]["perClass"]["covid"]["sensitivity"]} '
            f'| frame bal.acc {res["frame"]["balancedAccuracy"]:.3f} ({secs:.0f} s)')
        per_fold.append(res)
    return per_fold


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--manifest', required=True)
    ap.add_argument('--work', required=True)
    ap.add_argument('--out', required=True, help='where the model and its card go (resources/models)')
    ap.add_argument('--fixture-dir', required=True)
    ap.add_argument('--name', default='lusnet')
    ap.add_argument('--version', default='2.0.0')
    ap.add_argument('--seed', type=int, default=42)
    ap.add_argument('--mode', choices=['full', 'ablate'], default='full')
    ap.add_argument('--threads', type=int, default=int(os.environ.get('LUS_TRAIN_THREADS', '2')))
    ap.add_argument('--command', default='npm run train')
    ap.add_argument('--variants', default='', help='ablate mode: comma-separated variant names (default: all)')
    ap.add_argument('--row-suffix', default='',
                    help='ablate mode: appended to each row name (e.g. " @seed7" for a rerun with another training seed)')
    ap.add_argument('--extra-seeds', default='',
                    help='full mode: comma-separated further training seeds; each cross-validates the recipe again on the same folds, '
                         'and the card reports the mean and spread over all seeds')
    args = ap.parse_args()

    if os.environ.get('LUS_TRAIN_EPOCHS'):  # smoke tests of the pipeline only; the card records the recipe used
        RECIPE['epochs'] = int(os.environ['LUS_TRAIN_EPOCHS'])
        RECIPE['per_class'] = min(RECIPE['per_class'], 32)
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    np.random.seed(args.seed)
    # Deterministic mode: the same seed, data and thread count give the same weights. Ops without a
    # deterministic kernel warn instead of failing, and the card records which library versions ran.
    torch.use_deterministic_algorithms(True, warn_only=True)
    os.makedirs(args.work, exist_ok=True)
    import ssl_pretrain
    ssl_pretrain.CACHE_DIR = os.path.join(args.work, 'ssl-cache')
    started = time.time()
    manifest = load_manifest(args.manifest)
    clips, pool = load_everything(args, manifest)
    folds = manifest['folds']

    if args.mode == 'ablate':
        from ablation import run_ablation
        run_ablation(args, clips, pool, folds, RECIPE, cross_validate, summary_table, log)
        return

    if RECIPE.get('motion'):
        sys.exit('train.py: a motion input is an ablation variant only; the app feeds the model one frame at a time')
    t_cv = time.time()
    per_fold = cross_validate(clips, pool, folds, RECIPE, args.seed)
    cv_seconds = time.time() - t_cv
    summary = summary_table(per_fold)
    seed_runs = [{'seed': args.seed, 'summary': summary}]
    for extra in [int(v) for v in args.extra_seeds.split(',') if v.strip()]:
        log(f'cross-validation with training seed {extra} (same folds)')
        seed_runs.append({'seed': extra, 'summary': summary_table(cross_validate(clips, pool, folds, RECIPE, extra))})
    cv_seconds = time.time() - t_cv
    no_tta = {'video': {'balancedAccuracy': summarise(per_fold, ['withoutTta', 'video', 'balancedAccuracy']),
                        'accuracy': summarise(per_fold, ['withoutTta', 'video', 'accuracy'])}} if RECIPE['tta'] else None
    log(f'cross-validation: video balanced accuracy {summary["video"]["balancedAccuracy"]["mean"]:.3f} '
        f'± {summary["video"]["balancedAccuracy"]["sd"]:.3f} ({cv_seconds / 60:.1f} min)')

    t_final = time.time()
    all_u = [p[2] for p in pool]
    final = [train_model(clips, all_u, RECIPE, args.seed + 9999 + 7 * m, 'final' + (f'.{m}' if RECIPE['members'] > 1 else ''))
             for m in range(RECIPE['members'])]
    final_seconds = time.time() - t_final

    from export import export_model, write_card, write_parity_fixture
    model_path = export_model(final, args.out, args.name, tta=RECIPE['tta'], temperature=RECIPE['temperature'])
    write_parity_fixture(final, model_path, args.fixture_dir, tta=RECIPE['tta'], temperature=RECIPE['temperature'])
    ablation_file = os.path.join(args.out, f'{args.name}.ablation.json')
    card = {
        'perFold': strip_private(per_fold), 'summary': summary, 'withoutTta': no_tta, 'recipe': RECIPE,
        'manifest': manifest, 'clips': clips, 'pool': pool, 'seed': args.seed, 'command': args.command,
        'timing': {'crossValidationSeconds': round(cv_seconds, 1), 'finalModelSeconds': round(final_seconds, 1),
                   'totalSeconds': round(time.time() - started, 1), 'threads': args.threads,
                   'machine': f'{platform.machine()} {os.cpu_count()} logical CPUs, torch {torch.__version__}'},
        'environment': library_versions(),
        'ablation': json.load(open(ablation_file)) if os.path.exists(ablation_file) else None,
        'seeds': seeds_block(seed_runs),
    }
    started_env = os.environ.get('LUS_TRAIN_PIPELINE_STARTED')  # set by training/train.ts: the whole run, import included
    if started_env:
        card['timing']['pipelineSeconds'] = round(time.time() - float(started_env), 1)
    write_card(card, model_path, args)
    log(f'done in {(time.time() - started) / 60:.1f} min: {model_path}')


if __name__ == '__main__':
    main()
