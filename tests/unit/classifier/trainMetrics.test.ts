/**
 * training/metrics.py, the figures the card and the ablation report for the
 * findings head and the calibration: AUC with unassessed findings masked, and
 * the temperature fitted on validation folds. Runs Debian's python3 with
 * numpy (a training requirement, training/requirements.txt); skipped where
 * numpy is not installed, as on a machine that does not train.
 */
import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { REPO_ROOT } from '../../helpers/paths'

const PYTHON = '/usr/bin/python3'
const hasNumpy = spawnSync(PYTHON, ['-c', 'import numpy'], { encoding: 'utf8' }).status === 0

function py(code: string): unknown {
  const r = spawnSync(PYTHON, ['-c', `import json, sys\nsys.path.insert(0, ${JSON.stringify(join(REPO_ROOT, 'training'))})\n${code}`], {
    encoding: 'utf8',
    env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' }
  })
  if (r.status !== 0) throw new Error(r.stderr)
  return JSON.parse(r.stdout) as unknown
}

describe.skipIf(!hasNumpy)('training/metrics.py', () => {
  it('AUC is the share of present/absent pairs ranked right (ties half), None without both', () => {
    const out = py(`from metrics import auc
print(json.dumps([auc([0.9, 0.8, 0.3, 0.1], [1, 0, 1, 0]), auc([0.5, 0.5], [1, 0]), auc([0.2, 0.3], [1, 1]), auc([0.1, 0.9], [0, 1])]))`)
    // pairs (pos, neg): (0.9, 0.8) (0.9, 0.1) (0.3, 0.8) (0.3, 0.1): 3 of 4 right.
    expect(out).toEqual([0.75, 0.5, null, 1])
  })

  it('findings AUC leaves out clips whose finding was not assessed, and reads the manifest states', () => {
    const out = py(`import numpy as np
from metrics import FINDINGS, finding_targets, findings_auc
t = [finding_targets({'findings': {'B-lines': s}}) for s in ('present', 'absent', 'unknown', 'present')]
scores = [np.full(len(FINDINGS), v) for v in (0.9, 0.2, 0.99, 0.1)]
r = findings_auc(list(zip(scores, t)))
print(json.dumps({'targets': [None if np.isnan(x[2]) else float(x[2]) for x in t], 'blines': r['B-lines'], 'effusion': r['Effusion']}))`) as {
      targets: (number | null)[]
      blines: { auc: number; present: number; absent: number }
      effusion: { auc: number | null; present: number; absent: number }
    }
    expect(out.targets).toEqual([1, 0, null, 1])
    // Without masking, the unassessed clip's 0.99 would count; with it: pos {0.9, 0.1} vs neg {0.2} = 1 of 2.
    expect(out.blines).toEqual({ auc: 0.5, present: 2, absent: 1 })
    expect(out.effusion).toEqual({ auc: null, present: 0, absent: 0 })
  })

  it('the fitted temperature undoes over-confident logits and lowers the NLL; T = 1 leaves them as they are', () => {
    const out = py(`import numpy as np
from metrics import calibration, fit_temperature, probs_at
rng = np.random.default_rng(0)
labels, logits = [], []
for i in range(400):
    z = rng.normal(0, 1.5, 4)
    p = np.exp(z) / np.exp(z).sum()
    labels.append(int(rng.choice(4, p=p)))
    logits.append((z * 3)[None, None, :])  # [passes, frames, classes], three times too sharp
t = fit_temperature(logits, labels)
z = np.array([[[1.0, 2.0, 0.0, -1.0]]])
print(json.dumps({'t': t, 'nll1': calibration(logits, labels, 1.0)['nll'], 'nllT': calibration(logits, labels, t)['nll'],
                  'p1': probs_at(z, 1.0).tolist(), 'p2': probs_at(z, 2.0).tolist()}))`) as { t: number; nll1: number; nllT: number; p1: number[][]; p2: number[][] }
    expect(out.t).toBeGreaterThan(2.4)
    expect(out.t).toBeLessThan(3.6)
    expect(out.nllT).toBeLessThan(out.nll1)
    const soft = (z: number[]): number[] => z.map((v) => Math.exp(v) / z.reduce((s, w) => s + Math.exp(w), 0))
    out.p1[0]!.forEach((p, k) => expect(p).toBeCloseTo(soft([1, 2, 0, -1])[k]!, 10))
    out.p2[0]!.forEach((p, k) => expect(p).toBeCloseTo(soft([0.5, 1, 0, -0.5])[k]!, 10))
  })
})
