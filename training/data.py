"""Clip frames for training: sampled and preprocessed once, cached outside the
repository (the work folder), keyed by the media file's path, size and
modification time (and, for masked frames, the static-mask parameters, so
masked and unmasked frames never share a file)."""
import hashlib
import json
import os

import numpy as np

from frames import sample_frames
from preprocess import INPUT_SIZE, LUS_CLASSES, preprocess_frame
from static_mask import DILATE_RADIUS, MIN_FRAMES, MOTION_THRESHOLD, apply_static_mask
from uninformative import off_anatomy_crops


def _cache_key(path: str, static_mask: bool = False) -> str:
    st = os.stat(path)
    extra = f'|smask{MOTION_THRESHOLD}-{DILATE_RADIUS}-{MIN_FRAMES}' if static_mask else ''
    return hashlib.sha1(f'{path}|{st.st_size}|{int(st.st_mtime)}|v1|{INPUT_SIZE}{extra}'.encode()).hexdigest()[:20]


def load_clip(clip: dict, cache_dir: str, seed: int, static_mask: bool = False):
    """{'frames': float16 [n, S, S], 'crops': float16 [m, S, S]} for one manifest clip. With
    static_mask, a video's never-changing pixels are blacked out first (static_mask.py; the
    off-anatomy crops come from the masked frames too) and 'maskedFraction' is added."""
    os.makedirs(cache_dir, exist_ok=True)
    f = os.path.join(cache_dir, _cache_key(clip['path'], static_mask) + '.npz')
    if os.path.exists(f):
        z = np.load(f)
        out = {'frames': z['frames'], 'crops': z['crops']}
        if static_mask:
            out['maskedFraction'] = float(z['masked_fraction'])
        return out
    raw = sample_frames(clip['path'])
    if not raw:
        return {'frames': np.zeros((0, 1, 1), np.float16), 'crops': np.zeros((0, 1, 1), np.float16)}
    frac = 0.0
    if static_mask:
        raw, frac = apply_static_mask(raw)
    frames = np.stack([preprocess_frame(r)[0] for r in raw]).astype(np.float16)
    rng = np.random.default_rng(seed + clip['entryId'])
    crops = []
    for r in (raw[0], raw[len(raw) // 2]):
        crops += [preprocess_frame(np.ascontiguousarray(c))[0] for c in off_anatomy_crops(r, rng)]
    crops = np.stack(crops).astype(np.float16)
    if static_mask:
        np.savez(f, frames=frames, crops=crops, masked_fraction=np.float64(frac))
        return {'frames': frames, 'crops': crops, 'maskedFraction': frac}
    np.savez(f, frames=frames, crops=crops)
    return {'frames': frames, 'crops': crops}


def previous_sample(n: int, still: bool = False) -> np.ndarray:
    """Per 3 Hz sample of a clip, the index of the sample before it (in clip order); itself for the first
    sample and for every frame of a still image (or any stack of unrelated images), so its difference is 0."""
    if still or n == 0:
        return np.arange(n)
    return np.concatenate([[0], np.arange(n - 1)])


def frame_differences(frames: np.ndarray, still: bool = False) -> np.ndarray:
    """Motion channel (issue #15): float32 [n, S, S], each preprocessed sample (as cached: normalised) minus
    the previous 3 Hz sample of the same clip; zeros for the first sample and for stills. Clips longer than
    MAX_FRAMES_PER_CLIP / 3 Hz were thinned evenly, so there the step is longer than 1/3 s."""
    f = np.asarray(frames, dtype=np.float32)
    return f - f[previous_sample(len(f), still)]


def motion_input(frames: np.ndarray, still: bool = False) -> np.ndarray:
    """Two-channel network input float32 [n, 2, S, S]: the frame, and its difference to the previous sample."""
    f = np.asarray(frames, dtype=np.float32)
    return np.stack([f, frame_differences(f, still)], 1)


def load_manifest(path: str):
    with open(path, encoding='utf8') as fh:
        m = json.load(fh)
    m['clips'] = [c for c in m['clips'] if c['label'] in LUS_CLASSES]
    return m
