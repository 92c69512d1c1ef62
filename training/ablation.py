"""What each step of the recipe buys, measured on validation folds only.

For outer fold k the model trains on the three folds other than k and k+1
and is scored on fold k+1; fold k (the test fold of the full run) takes no
part. The recipe in train.py is chosen from this table, so no test fold ever
influences it. Results go to <out>/<name>.ablation.json, which the card
includes: a full run writes it into the card, and
`python3 training/export.py --refresh-ablation` puts a newly measured row
into the shipped card without retraining (nothing else in the card changes).
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


def run_ablation(args, clips, pool, folds, base, cross_validate, summary_table, log):
    masked = None
    wanted = [v for v in args.variants.split(',') if v]
    path = os.path.join(args.out, f'{args.name}.ablation.json')
    results = {}
    for name, change, over in VARIANTS:
        if wanted and name not in wanted:
            continue
        recipe = {**base, **over, 'inputSize': INPUT_SIZE}
        if name.endswith('input192') != (INPUT_SIZE == 192):
            log(f'skipping {name}: it needs LUS_INPUT_SIZE={192 if name.endswith("input192") else 128}')
            continue
        log(f'== variant {name}: {change}')
        if recipe.get('staticMask'):
            masked = masked or static_masked_clips(args, clips, log)
        per_fold = cross_validate(masked if recipe.get('staticMask') else clips, pool, folds, recipe, args.seed, val_offset=1)
        secs = float(np.mean([f['trainSeconds'] for f in per_fold]))
        results[name] = {
            'name': name, 'change': change + ' (flip TTA)', 'recipe': recipe,
            'video': summary(per_fold, lambda f: f['video']['balancedAccuracy']),
            'frame': summary(per_fold, lambda f: f['frame']['balancedAccuracy']),
            'perFoldVideo': [round(f['video']['balancedAccuracy'], 3) for f in per_fold],
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
        log(f'   {name}: val video bal.acc {results[name]["video"]["mean"]:.3f} ± {results[name]["video"]["sd"]:.3f}')
        os.makedirs(args.out, exist_ok=True)
        # Read again just before writing: variants may run in parallel processes.
        merged = {v['name']: v for v in (json.load(open(path))['variants'] if os.path.exists(path) else [])}
        merged.update(results)
        known = [n for name, _, _ in VARIANTS for n in (name, name + ' (no TTA)') if n in merged]
        # Rows this process does not know (written by a newer one) are kept, after the known ones.
        order = known + [n for n in merged if n not in known]
        with open(path + '.tmp', 'w') as fh:
            json.dump({'protocol': 'Outer fold k: train on the three folds other than k and k+1, score on fold k+1 (validation); '
                                   'test folds are never used. Mean ± sd over the 5 validation folds.',
                       'seed': args.seed, 'variants': [merged[n] for n in order]}, fh, indent=1)
            fh.write('\n')
        os.replace(path + '.tmp', path)
