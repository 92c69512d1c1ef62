"""Self-supervised pretraining of LusNet's convolutional trunk (no labels).

Contrastive, SimCLR's NT-Xent loss with clip-level positives (as in USCL,
Chen et al. 2021, "USCL: pretraining deep ultrasound image diagnosis model
through video contrastive representation learning"): a batch holds distinct
clips, each seen as two frames of that clip (the same frame twice for a
still image), each frame independently cropped and distorted; the two views
of a clip must find each other among the other clips' views. Labels are
never read.

Only the clips given are used: train_model passes its own training clips,
so in the ablation fold k's trunk is pretrained on the folds other than k
and k+1 (the validation fold's frames are never seen), and in the full run
each cross-validation model on its own training folds. The pretrained trunk
then goes through the ordinary supervised recipe.

Views are random-resized crops of the 128 px frame (a half to nine tenths of
its side) resampled to 80 px, so pixels keep roughly their size while a step
costs about 40% of one at 128 px: on this CPU that is what makes pretraining
affordable. The network is fully convolutional with global pooling, so the
trunk is the same at any input size.

Pretrained trunks are cached in the work folder (keyed by the clips, seed
and configuration), so rerunning a variant does not pretrain again.
"""
import hashlib
import json
import math
import os
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

from model import LusNet
from preprocess import INPUT_SIZE, NORM_MEAN, NORM_STD

DEFAULT = {
    'steps': 400,          # optimiser steps (about 3 min a fold on 2 shared cores)
    'clips_per_batch': 64, # distinct clips per batch (two views each)
    'view_size': 80,       # px of each view
    'crop': [0.5, 0.9],    # side of the crop as a fraction of the frame's
    'lr': 2e-3,
    'weight_decay': 1e-4,
    'temperature': 0.2,
    'proj_dim': 64,
}

CACHE_DIR = None  # set by train.py to <work>/ssl-cache


def ssl_augment(x: torch.Tensor, g: torch.Generator, cfg) -> torch.Tensor:
    """Random-resized crop + flip + small rotation, then gain, gamma, blur, noise and cut-out. [B,1,S,S] -> [B,1,v,v]."""
    b = x.shape[0]
    v = cfg['view_size']
    u = lambda lo, hi: lo + (hi - lo) * torch.rand(b, generator=g)  # noqa: E731
    side = u(*cfg['crop'])                        # fraction of the frame's side
    aspect = torch.exp(u(-0.25, 0.25))
    sx, sy = side * aspect.sqrt(), side / aspect.sqrt()
    sx, sy = sx.clamp(max=1.0), sy.clamp(max=1.0)
    cx, cy = (1 - sx) * u(-1, 1), (1 - sy) * u(-1, 1)  # crop centre, crop stays inside the frame
    ang = u(-0.26, 0.26)
    flip = torch.where(torch.rand(b, generator=g) < 0.5, -1.0, 1.0)
    cos, sin = torch.cos(ang), torch.sin(ang)
    theta = torch.stack([torch.stack([cos * sx * flip, -sin * sy, cx], 1), torch.stack([sin * sx * flip, cos * sy, cy], 1)], 1)
    grid = F.affine_grid(theta, [b, 1, v, v], align_corners=False)
    img = x * NORM_STD + NORM_MEAN
    img = F.grid_sample(img, grid, padding_mode='zeros', align_corners=False)
    gain = u(0.6, 1.5)
    gamma = torch.exp(u(-0.5, 0.5))
    img = img.clamp(0, 1) ** gamma.view(b, 1, 1, 1) * gain.view(b, 1, 1, 1)
    # Blur half of the views (3x3 box), so sharpness cannot identify a clip.
    blur = (torch.rand(b, generator=g) < 0.5).view(b, 1, 1, 1)
    img = torch.where(blur, F.avg_pool2d(img, 3, 1, 1, count_include_pad=False), img)
    img = img + torch.randn(img.shape, generator=g) * u(0, 0.05).view(b, 1, 1, 1)
    for i in range(b):
        if torch.rand(1, generator=g).item() < 0.5:
            h = int(torch.randint(v // 8, v // 2, (1,), generator=g))
            w = int(torch.randint(v // 8, v // 2, (1,), generator=g))
            y0 = int(torch.randint(0, v - h, (1,), generator=g))
            x0 = int(torch.randint(0, v - w, (1,), generator=g))
            img[i, :, y0:y0 + h, x0:x0 + w] = 0
    return (img.clamp(0, 1.5) - NORM_MEAN) / NORM_STD


def nt_xent(z: torch.Tensor, t: float) -> torch.Tensor:
    """z: [2B, d], rows i and i+B are the two views of one clip."""
    z = F.normalize(z, dim=1)
    n = z.shape[0] // 2
    sim = z @ z.t() / t
    sim.fill_diagonal_(-1e9)
    target = torch.cat([torch.arange(n, 2 * n), torch.arange(0, n)])
    return F.cross_entropy(sim, target)


def _key(clips, seed, cfg, inorm):
    ids = sorted(int(c['entryId']) for c in clips)
    s = json.dumps({'ids': ids, 'seed': seed, 'cfg': cfg, 'inorm': inorm, 'size': INPUT_SIZE, 'v': 1}, sort_keys=True)
    return hashlib.sha1(s.encode()).hexdigest()[:20]


def pretrain_trunk(clips, seed, cfg=None, inorm=False, log=print, label=''):
    """State dict of LusNet's trunk (`features.*`), pretrained without labels on the given clips' frames."""
    cfg = {**DEFAULT, **(cfg or {})}
    path = None
    if CACHE_DIR:
        os.makedirs(CACHE_DIR, exist_ok=True)
        path = os.path.join(CACHE_DIR, _key(clips, seed, cfg, inorm) + '.pt')
        if os.path.exists(path):
            log(f'  {label} ssl: cached trunk {os.path.basename(path)}')
            return torch.load(path)
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    g = torch.Generator().manual_seed(seed)
    net = LusNet(inorm=inorm)
    width = net.fc.in_features
    proj = nn.Sequential(nn.Linear(width, width), nn.BatchNorm1d(width), nn.ReLU(inplace=True), nn.Linear(width, cfg['proj_dim']))
    params = list(net.features.parameters()) + list(proj.parameters())
    opt = torch.optim.AdamW(params, lr=cfg['lr'], weight_decay=cfg['weight_decay'])
    total, warm = cfg['steps'], max(1, cfg['steps'] // 20)
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: (s + 1) / warm if s < warm else 0.5 * (1 + math.cos(math.pi * (s - warm) / max(1, total - warm))))
    frames = [c['frames'] for c in clips]
    n = min(cfg['clips_per_batch'], len(frames))
    t0 = time.time()
    net.train()
    proj.train()
    run = 0.0
    for step in range(total):
        pick = rng.choice(len(frames), n, replace=False)
        a, b = [], []
        for i in pick:
            arr = frames[i]
            a.append(arr[rng.integers(len(arr))])
            b.append(arr[rng.integers(len(arr))])
        x = torch.from_numpy(np.stack(a + b).astype(np.float32)).unsqueeze(1)
        x = ssl_augment(x, g, cfg)
        z = proj(net.feature_map(x).mean(dim=(2, 3)))
        loss = nt_xent(z, cfg['temperature'])
        opt.zero_grad()
        loss.backward()
        opt.step()
        sched.step()
        run += loss.item()
        if step % 100 == 99 or step == total - 1:
            log(f'  {label} ssl step {step + 1}/{total} loss {run / (step % 100 + 1):.3f} ({time.time() - t0:.0f} s)')
            run = 0.0
    state = {k: v for k, v in net.state_dict().items() if k.startswith('features.')}
    if path:
        torch.save(state, path + '.tmp')
        os.replace(path + '.tmp', path)
    return state
