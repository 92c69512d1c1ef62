"""Examples of the `uninformative` class: frames that are not lung ultrasound.

Three kinds, none from the dataset's media (whose licences we do not
extend), all made on this machine:
  * pictures installed by Debian packages (icons, diagrams, logos, photos in
    documentation), found under /usr/share;
  * ffmpeg's synthetic video sources (test patterns, fractals, cellular
    automata, colour charts), the random ones seeded (ffmpeg 5.1's
    `gradients` ignores its seed, so gradients come from numpy instead);
  * generated frames: blank, noise, speckle, gradients, stripes, shapes.
A fourth kind, heavily off-anatomy crops of LUS frames (corners outside the
fan, extreme zoom), is made from each training clip in data.py and shares its
clip's fold.

Each item gets a fold from a hash of its name, so every test fold also
scores the model on uninformative frames it never saw.
"""
import glob
import hashlib
import os
import subprocess

import numpy as np

from frames import ffmpeg_bin, parse_ppm_stream
from preprocess import preprocess_frame

SEARCH_ROOTS = ['/usr/share']
MAX_SYSTEM_IMAGES = 240

LAVFI_SOURCES = [
    'testsrc=size=320x240:rate=1', 'testsrc2=size=320x240:rate=1', 'smptebars=size=320x240:rate=1',
    'smptehdbars=size=320x240:rate=1', 'rgbtestsrc=size=320x240:rate=1', 'yuvtestsrc=size=320x240:rate=1',
    'pal75bars=size=320x240:rate=1', 'colorchart=rate=1', 'colorspectrum=size=320x240:rate=1',
    'mandelbrot=size=320x240:rate=4', 'life=size=320x240:rate=4:mold=10:ratio=0.3:seed=11:death_color=#202020:life_color=#e0e0e0',
    'cellauto=size=320x240:rate=4:rule=110:seed=12', 'sierpinski=size=320x240:rate=4:seed=13',
]
FRAMES_PER_SOURCE = 8


def fold_of(name: str, folds: int) -> int:
    return int(hashlib.sha1(name.encode()).hexdigest(), 16) % folds


def _system_image_paths():
    paths = []
    for root in SEARCH_ROOTS:
        for ext in ('png', 'jpg', 'jpeg', 'PNG', 'JPG'):
            paths += glob.glob(os.path.join(root, '**', f'*.{ext}'), recursive=True)
    return sorted(set(paths))


def system_images(rng: np.random.Generator):
    """(name, rgb uint8) of up to MAX_SYSTEM_IMAGES distinct pictures at least 48 px on each side."""
    from PIL import Image
    seen = set()
    candidates = []
    for p in _system_image_paths():
        try:
            if os.path.getsize(p) < 1500:
                continue
            with Image.open(p) as im:
                if min(im.size) < 48:
                    continue
            digest = hashlib.sha1(open(p, 'rb').read()).hexdigest()
        except (OSError, ValueError):
            continue
        if digest in seen:
            continue
        seen.add(digest)
        candidates.append(p)
    rng.shuffle(candidates)
    out = []
    for p in candidates[:MAX_SYSTEM_IMAGES]:
        try:
            with Image.open(p) as im:
                im = im.convert('RGBA')
                # Icons are transparent: put them on a plain background, dark or light.
                bg = Image.new('RGBA', im.size, tuple([int(rng.integers(0, 256))] * 3) + (255,))
                rgb = np.asarray(Image.alpha_composite(bg, im).convert('RGB'))
        except (OSError, ValueError):
            continue
        out.append((f'system:{p}', rgb))
    return out


def lavfi_frames():
    out = []
    for src in LAVFI_SOURCES:
        cmd = [ffmpeg_bin(), '-v', 'error', '-nostdin', '-f', 'lavfi', '-i', src, '-frames:v', str(FRAMES_PER_SOURCE),
               '-pix_fmt', 'rgb24', '-f', 'image2pipe', '-vcodec', 'ppm', '-']
        res = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, check=False)
        for i, f in enumerate(parse_ppm_stream(res.stdout)):
            out.append((f'lavfi:{src.split("=")[0]}:{i}', f))
    return out


def generated_frames(rng: np.random.Generator, n: int = 160):
    out = []
    for i in range(n):
        h, w = int(rng.integers(120, 480)), int(rng.integers(120, 640))
        kind = i % 8
        yy, xx = np.mgrid[0:h, 0:w].astype(np.float64)
        if kind == 0:  # blank, any grey level (black included)
            img = np.full((h, w), rng.integers(0, 256), np.float64)
        elif kind == 1:  # uniform noise
            img = rng.uniform(0, 255, (h, w))
        elif kind == 2:  # speckle without anatomy (Rayleigh), dim like ultrasound
            img = np.clip(rng.rayleigh(rng.uniform(10, 60), (h, w)), 0, 255)
        elif kind == 3:  # linear gradient
            a = rng.uniform(0, 2 * np.pi)
            g = np.cos(a) * xx / w + np.sin(a) * yy / h
            img = 255 * (g - g.min()) / max(1e-9, np.ptp(g))
        elif kind == 4:  # radial gradient
            cy, cx = rng.uniform(0, h), rng.uniform(0, w)
            r = np.hypot(yy - cy, xx - cx)
            img = 255 * (1 - r / r.max())
        elif kind == 5:  # stripes / checkerboard
            p = rng.integers(4, 40)
            img = 255.0 * (((xx // p) + (yy // p * (i % 2))) % 2)
        elif kind == 6:  # random rectangles and discs
            img = np.full((h, w), rng.integers(0, 80), np.float64)
            for _ in range(int(rng.integers(3, 12))):
                y0, x0 = rng.integers(0, h), rng.integers(0, w)
                if rng.random() < 0.5:
                    img[y0:y0 + rng.integers(5, h // 2), x0:x0 + rng.integers(5, w // 2)] = rng.integers(0, 256)
                else:
                    img[np.hypot(yy - y0, xx - x0) < rng.integers(5, min(h, w) // 3)] = rng.integers(0, 256)
        else:  # smooth blobs (low-pass noise)
            small = rng.uniform(0, 255, (int(rng.integers(3, 10)), int(rng.integers(3, 10))))
            img = np.kron(small, np.ones((h // small.shape[0] + 1, w // small.shape[1] + 1)))[:h, :w]
        grey = np.clip(img, 0, 255).astype(np.uint8)
        rgb = np.stack([grey] * 3, axis=-1)
        if i % 3 == 0:  # some colour
            rgb = np.clip(rgb * rng.uniform(0.3, 1.0, 3), 0, 255).astype(np.uint8)
        out.append((f'generated:{i}:{kind}', rgb))
    return out


def off_anatomy_crops(frame: np.ndarray, rng: np.random.Generator):
    """Two crops of a LUS frame that show no lung: a top corner (outside a convex fan), and an extreme zoom."""
    h, w = frame.shape[:2]
    ch, cw = max(8, h // 5), max(8, w // 5)
    corner = frame[:ch, :cw] if rng.random() < 0.5 else frame[:ch, w - cw:]
    zh, zw = max(8, h // 12), max(8, w // 12)
    y0, x0 = int(rng.integers(0, h - zh + 1)), int(rng.integers(0, w - zw + 1))
    return [corner, frame[y0:y0 + zh, x0:x0 + zw]]


def build_pool(seed: int, folds: int):
    """[(name, fold, tensor)] of every non-LUS example, preprocessed like any frame."""
    rng = np.random.default_rng(seed)
    items = system_images(rng) + lavfi_frames() + generated_frames(rng)
    return [(name, fold_of(name, folds), preprocess_frame(rgb)[0]) for name, rgb in items]
