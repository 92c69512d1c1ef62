/**
 * training/export.py with the findings head and a temperature: the exported
 * graph keeps `probs` and `cam` as the app reads them (ClassifierModel loads
 * it), adds `findings` [N, 6], and has the temperature inside (probs =
 * softmax(logit / T), the CAM in logit units). A small untrained network,
 * exported into a temp folder; needs Debian's python3-torch and python3-onnx
 * (training/requirements.txt) and is skipped where they are not installed.
 */
import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import * as ort from 'onnxruntime-web'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ClassifierModel } from '../../../src/main/classifier/modelSession'
import { INPUT_SIZE } from '../../../src/shared/classifierPreprocess'
import { REPO_ROOT, tempDir } from '../../helpers/paths'

const PYTHON = '/usr/bin/python3'
const hasTorch = spawnSync(PYTHON, ['-c', 'import torch, onnx, numpy'], { encoding: 'utf8' }).status === 0

interface Reference {
  input: number[]
  probsT1: number[]
  probs: number[]
  findings: number[]
  logits: number[]
  camMeans: number[]
  meta: Record<string, string>
}

describe.skipIf(!hasTorch)('ONNX export with findings and temperature', () => {
  let dir: ReturnType<typeof tempDir>
  let ref: Reference
  beforeAll(() => {
    dir = tempDir('lus-train-export-')
    const code = `import json, sys
sys.path.insert(0, ${JSON.stringify(join(REPO_ROOT, 'training'))})
import numpy as np, onnx, torch, torch.nn.functional as F
from export import export_model
from model import LusNet
torch.manual_seed(3)
net = LusNet(num_findings=6).eval()
x = torch.from_numpy(np.random.default_rng(1).normal(0, 1, (1, 1, ${INPUT_SIZE}, ${INPUT_SIZE})).astype(np.float32))
with torch.no_grad():
    # Heads of an untrained net give near-uniform outputs; random ones scaled to logits of order 1, where a temperature shows.
    scale = float(net.feature_map(x).mean(dim=(2, 3)).norm())
    net.fc.weight.copy_(torch.randn(4, net.fc.in_features) * 2 / scale)
    net.findings_fc.weight.copy_(torch.randn(6, net.fc.in_features) * 2 / scale)
path = export_model([net], ${JSON.stringify('DIR')}, 'tiny', tta=False, temperature=2.5)
with torch.no_grad():
    logits, finds = net.forward_all(x)
    cam = torch.einsum('kc,nchw->nkhw', net.fc.weight, net.feature_map(x))
m = onnx.load(path)
print(json.dumps({'input': x.reshape(-1).tolist(), 'logits': logits[0].tolist(), 'probs': F.softmax(logits / 2.5, 1)[0].tolist(),
                  'probsT1': F.softmax(logits, 1)[0].tolist(), 'findings': torch.sigmoid(finds)[0].tolist(),
                  'camMeans': cam.mean(dim=(2, 3))[0].tolist(), 'meta': {p.key: p.value for p in m.metadata_props}}))`.replace('DIR', dir.path)
    const r = spawnSync(PYTHON, ['-c', code], { encoding: 'utf8', env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' }, maxBuffer: 64 << 20 })
    if (r.status !== 0) throw new Error(r.stderr)
    ref = JSON.parse(r.stdout) as Reference
  }, 120_000)
  afterAll(() => dir.cleanup())

  it('the app loads it: one input, probs [N, 4] and cam [N, 4, 8, 8] as before', async () => {
    const model = await ClassifierModel.load(join(dir.path, 'tiny.onnx'))
    expect(model.info.camSize).toEqual([INPUT_SIZE / 16, INPUT_SIZE / 16])
    const out = await model.run([Float32Array.from(ref.input)])
    ref.probs.forEach((p, k) => expect(out.probs[0]![k]!).toBeCloseTo(p, 4))
  })

  it('probs are softmax(logit / T) with the temperature in the graph and in the metadata; the CAM stays in logit units', async () => {
    const s = await ort.InferenceSession.create(new Uint8Array(readFileSync(join(dir.path, 'tiny.onnx'))), { executionProviders: ['wasm'] })
    expect(s.outputNames).toEqual(['probs', 'cam', 'findings'])
    const res = await s.run({ input: new ort.Tensor('float32', Float32Array.from(ref.input), [1, 1, INPUT_SIZE, INPUT_SIZE]) })
    const probs = Array.from(res['probs']!.data as Float32Array)
    ref.probs.forEach((p, k) => expect(probs[k]!).toBeCloseTo(p, 5))
    // The temperature changed them (else this test could not tell), but not which class is on top.
    expect(Math.max(...ref.probsT1.map((p, k) => Math.abs(p - ref.probs[k]!)))).toBeGreaterThan(0.01)
    expect(probs.indexOf(Math.max(...probs))).toBe(ref.probsT1.indexOf(Math.max(...ref.probsT1)))
    expect(ref.meta).toMatchObject({ temperature: '2.5', findings: 'Effusion,Consolidations,B-lines,A-lines,Pleural line irregularities,Air bronchogram' })
    const cam = res['cam']!
    const [, k, h, w] = cam.dims as number[]
    const data = cam.data as Float32Array
    for (let c = 0; c < k!; c++) {
      let sum = 0
      for (let i = 0; i < h! * w!; i++) sum += data[c * h! * w! + i]!
      expect(sum / (h! * w!)).toBeCloseTo(ref.camMeans[c]!, 3)
    }
  })

  it('findings [N, 6] are the head’s sigmoid probabilities', async () => {
    const s = await ort.InferenceSession.create(new Uint8Array(readFileSync(join(dir.path, 'tiny.onnx'))), { executionProviders: ['wasm'] })
    const res = await s.run({ input: new ort.Tensor('float32', Float32Array.from(ref.input), [1, 1, INPUT_SIZE, INPUT_SIZE]) })
    expect(res['findings']!.dims).toEqual([1, 6])
    const f = Array.from(res['findings']!.data as Float32Array)
    ref.findings.forEach((p, k) => expect(f[k]!).toBeCloseTo(p, 4))
  })
})
