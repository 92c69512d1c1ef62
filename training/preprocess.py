"""Frame preprocessing: the numpy twin of src/shared/classifierPreprocess.ts.

Both sides must give the same tensor for the same decoded frame; the
pipeline writes tests/unit/classifier/fixtures/preprocess-parity.json from
synthetic frames and the TypeScript test compares. Keep the constants and the
order of operations in step with the TypeScript module.
"""
import os

import numpy as np

MODEL_CLASSES = ['covid', 'pneumonia', 'healthy', 'uninformative']
LUS_CLASSES = MODEL_CLASSES[:3]
# 128 ships (src/shared/classifierPreprocess.ts); LUS_INPUT_SIZE lets the ablation try another size.
INPUT_SIZE = int(os.environ.get('LUS_INPUT_SIZE', '128'))
SAMPLE_RATE_HZ = 3
MAX_FRAMES_PER_CLIP = 90
NORM_MEAN = 0.5
NORM_STD = 0.25
BORDER_MAX_GREY = 10
MIN_BOX_FRACTION = 0.25


def to_grey(rgb: np.ndarray) -> np.ndarray:
    """uint8 HxWx3 (or x4) -> uint8 HxW: round((77 R + 150 G + 29 B) / 256), integer arithmetic."""
    c = rgb[..., :3].astype(np.int32)
    return ((77 * c[..., 0] + 150 * c[..., 1] + 29 * c[..., 2] + 128) >> 8).astype(np.uint8)


def content_box(grey: np.ndarray):
    """(x, y, width, height) without black edge rows/columns; the whole frame when the box is tiny."""
    h, w = grey.shape
    row_max = grey.max(axis=1)
    col_max = grey.max(axis=0)
    rows = np.nonzero(row_max > BORDER_MAX_GREY)[0]
    cols = np.nonzero(col_max > BORDER_MAX_GREY)[0]
    if len(rows) == 0 or len(cols) == 0:
        return 0, 0, w, h
    x, y = int(cols[0]), int(rows[0])
    bw, bh = int(cols[-1]) - x + 1, int(rows[-1]) - y + 1
    if bw < w * MIN_BOX_FRACTION or bh < h * MIN_BOX_FRACTION:
        return 0, 0, w, h
    return x, y, bw, bh


def area_resize_axis(arr: np.ndarray, out_len: int) -> np.ndarray:
    """Area-averages the last axis to out_len: output j is the mean of the
    source interval [j*s, (j+1)*s), s = in_len/out_len, each source pixel
    weighted by its overlap (the TypeScript's areaWeights). Computed through
    the running integral of the signal, which is exact for a piecewise
    constant signal and O(n) (Debian's reference BLAS makes the matrix form slow)."""
    in_len = arr.shape[-1]
    scale = in_len / out_len
    edges = np.arange(out_len + 1, dtype=np.float64) * scale
    csum = np.concatenate([np.zeros(arr.shape[:-1] + (1,)), np.cumsum(arr, axis=-1)], axis=-1)
    fl = np.minimum(np.floor(edges).astype(np.int64), in_len - 1)
    integral = csum[..., fl] + (edges - fl) * arr[..., fl]
    return (integral[..., 1:] - integral[..., :-1]) / scale


def preprocess_frame(rgb: np.ndarray, size: int = INPUT_SIZE):
    """uint8 HxWx3 frame -> (float32 size x size tensor, box)."""
    grey = to_grey(rgb)
    x, y, bw, bh = content_box(grey)
    region = grey[y:y + bh, x:x + bw].astype(np.float64)
    # Rows first (horizontal pass), then columns, as the TypeScript does.
    tmp = area_resize_axis(region, size)
    out = area_resize_axis(tmp.T, size).T
    tensor = ((out / 255.0 - NORM_MEAN) / NORM_STD).astype(np.float32)
    return tensor, (x, y, bw, bh)


def sample_indices(count: int, max_frames: int = MAX_FRAMES_PER_CLIP):
    if count <= max_frames:
        return list(range(count))
    return [int(np.floor((i + 0.5) * count / max_frames)) for i in range(max_frames)]
