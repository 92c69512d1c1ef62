/**
 * The motion input of the `motion-diff` ablation variant (issue #15): a second
 * channel holding each 3 Hz sample minus the previous sample of the same clip
 * (training/data.py), sampled beside the frame (training/train.py Sampler) and
 * augmented as a pair (train.augment). Runs Debian's python3 with numpy and
 * torch (training requirements); skipped where they are not installed, as on a
 * machine that does not train.
 */
import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { REPO_ROOT } from '../../helpers/paths'

const PYTHON = '/usr/bin/python3'
const hasTorch = spawnSync(PYTHON, ['-c', 'import numpy, torch'], { encoding: 'utf8' }).status === 0

function py(code: string): unknown {
  const r = spawnSync(PYTHON, ['-c', `import json, sys\nsys.path.insert(0, ${JSON.stringify(join(REPO_ROOT, 'training'))})\n${code}`], {
    encoding: 'utf8',
    env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1', OMP_NUM_THREADS: '1' }
  })
  if (r.status !== 0) throw new Error(r.stderr)
  return JSON.parse(r.stdout) as unknown
}

describe.skipIf(!hasTorch)('training motion input (difference channel)', () => {
  it('each sample minus the previous one, in clip order; zeros for the first sample and for stills', () => {
    const out = py(`import numpy as np
from data import frame_differences, motion_input, previous_sample
clip = np.stack([np.full((2, 2), v) for v in (1.0, 4.0, 2.0, 2.5)]).astype(np.float16)
d = frame_differences(clip)
still = frame_differences(clip[:1])
stack = frame_differences(clip, still=True)
m = motion_input(clip)
print(json.dumps({'prev': previous_sample(4).tolist(), 'prevStill': previous_sample(3, still=True).tolist(), 'empty': previous_sample(0).tolist(),
                  'd': d[:, 0, 0].tolist(), 'dtype': str(d.dtype), 'uniform': bool((d == d[:, :1, :1]).all()),
                  'still': still.tolist(), 'stack': stack[:, 0, 0].tolist(), 'shape': list(m.shape),
                  'ch0': m[:, 0, 0, 0].tolist(), 'ch1': m[:, 1, 0, 0].tolist()}))`) as Record<string, unknown>
    expect(out.prev).toEqual([0, 0, 1, 2])
    expect(out.prevStill).toEqual([0, 1, 2])
    expect(out.empty).toEqual([])
    expect(out.d).toEqual([0, 3, -2, 0.5])
    expect(out.dtype).toBe('float32')
    expect(out.uniform).toBe(true)
    expect(out.still).toEqual([[[0, 0], [0, 0]]])
    expect(out.stack).toEqual([0, 0, 0, 0])
    expect(out.shape).toEqual([4, 2, 2, 2])
    expect(out.ch0).toEqual([1, 4, 2, 2.5])
    expect(out.ch1).toEqual([0, 3, -2, 0.5])
  })

  it('the sampler pairs a video frame with the sample before it, stills and uninformative items with themselves, with the same draws', () => {
    const out = py(`import numpy as np
from train import Sampler
S = 4
def frames(vals): return np.stack([np.full((S, S), v) for v in vals]).astype(np.float16)
clips = [{'entryId': 1, 'group': 'a', 'label': 'covid', 'kind': 'video', 'findings': {}, 'frames': frames([10, 11, 12, 13]), 'crops': frames([-1, -2])},
         {'entryId': 2, 'group': 'b', 'label': 'pneumonia', 'kind': 'image', 'findings': {}, 'frames': frames([20]), 'crops': frames([-3])},
         {'entryId': 3, 'group': 'c', 'label': 'healthy', 'kind': 'video', 'findings': {}, 'frames': frames([30, 31, 32]), 'crops': frames([-4])}]
uninf = [np.full((S, S), -9.0, np.float16)]
x1, y1, f1 = Sampler(clips, uninf, np.random.default_rng(3)).epoch(40)
x2, y2, f2, p2, h2 = Sampler(clips, uninf, np.random.default_rng(3), motion=True).epoch(40)
x, p = x2[:, 0, 0].astype(float), p2[:, 0, 0].astype(float)
video = np.isin(x, [11, 12, 13, 31, 32])  # samples of a video clip after its first
print(json.dumps({'same': bool((x1 == x2).all() and (y1 == y2).all()), 'n': len(x),
                  'videoPrev': bool((p[video] == x[video] - 1).all() and (h2[video] == 1).all()),
                  'firstOrStill': bool((p[~video] == x[~video]).all() and (h2[~video] == 0).all()),
                  'kinds': sorted(set(int(v) for v in x[~video]))}))`) as Record<string, unknown>
    expect(out.same).toBe(true)
    expect(out.n).toBe(160)
    expect(out.videoPrev).toBe(true)
    expect(out.firstOrStill).toBe(true)
    // First samples of the videos (10, 30), the still (20), off-anatomy crops and the pool item never get a predecessor.
    expect((out.kinds as number[]).every((v) => [10, 20, 30, -1, -2, -3, -4, -9].includes(v))).toBe(true)
  })

  it('augmentation moves both frames of a pair together, and one frame draws exactly as before', () => {
    const out = py(`import torch
from train import augment
torch.manual_seed(0)
a = torch.randn(6, 1, 128, 128)
res = {}
for level in ('light', 'strong', 'xstrong'):
    one = augment(a, torch.Generator().manual_seed(5), level)
    pair = augment(torch.cat([a, a], 1), torch.Generator().manual_seed(5), level)
    res[level] = {'together': bool(torch.equal(pair[:, :1], pair[:, 1:])), 'asBefore': bool(torch.allclose(one, pair[:, :1], atol=1e-6))}
print(json.dumps(res))`) as Record<string, { together: boolean; asBefore: boolean }>
    for (const level of ['light', 'strong', 'xstrong']) expect(out[level]).toEqual({ together: true, asBefore: true })
  })
})

describe.skipIf(!hasTorch)('training clip attention (motion-attn)', () => {
  it('a clip step keeps its samples in clip order with their predecessors; attention weights of a clip sum to 1', () => {
    const out = py(`import numpy as np, torch
from model import LusNet
from train import ClipSampler
S = 4
def frames(vals): return np.stack([np.full((S, S), v) for v in vals]).astype(np.float16)
clips = [{'entryId': 1, 'label': 'covid', 'kind': 'video', 'findings': {}, 'frames': frames(range(100, 120)), 'crops': frames([-1])},
         {'entryId': 2, 'label': 'pneumonia', 'kind': 'image', 'findings': {}, 'frames': frames([200]), 'crops': frames([-2])},
         {'entryId': 3, 'label': 'healthy', 'kind': 'video', 'findings': {}, 'frames': frames([300, 301, 302]), 'crops': frames([-3])}]
cs = ClipSampler(clips, [np.full((S, S), -9.0, np.float16)], np.random.default_rng(1), motion=True)
ok = True
for _ in range(20):
    x, p, h, lengths, yf, yc, fc = cs.step()
    x, p = x[:, 0, 0].astype(float), p[:, 0, 0].astype(float)
    start = 0
    for n, c in zip(lengths, yc):
        xs, ps, hs = x[start:start + n], p[start:start + n], h[start:start + n]
        ok &= bool(n <= 8 and (np.diff(xs) > 0).all() and (yf[start:start + n] == c).all())
        ok &= bool(((ps == xs - 1) == (hs == 1)).all() and ((hs == 0) == (ps == xs)).all())
        ok &= bool(c != 2 or n == 3) and bool(c != 1 or (n == 1 and hs[0] == 0))
        start += n
    ok &= bool(len(x) == start + 8 and (yf[start:] == 3).all() and (h[start:] == 0).all())
net = LusNet(in_ch=2, num_findings=6, clip_attn=True).eval()
hf = torch.randn(7, 128)
pooled, w = net.attn_pool(hf, [4, 1, 2])
print(json.dumps({'ok': ok, 'sums': [round(float(v.sum()), 6) for v in w], 'single': bool(torch.allclose(pooled[1], hf[4]))}))`) as {
      ok: boolean
      sums: number[]
      single: boolean
    }
    expect(out.ok).toBe(true)
    expect(out.sums).toEqual([1, 1, 1])
    expect(out.single).toBe(true)
  })
})
