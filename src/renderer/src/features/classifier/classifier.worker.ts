/**
 * The classifier's worker: ONNX Runtime Web with the WebGPU execution provider
 * when the browser has a usable adapter, the WASM (CPU) provider otherwise,
 * and WASM again should the GPU device be lost mid-run (the batch that was
 * running is redone on WASM, so a clip always finishes). Frames arrive as RGBA
 * pixels; preprocessing is the shared module the model was trained with.
 */
import * as ort from 'onnxruntime-web/webgpu'
import { MODEL_CLASSES, MODEL_FINDINGS, preprocessFrame, INPUT_SIZE, type Box } from '../../../../shared/classifierPreprocess'
import type { BackendName, FrameResult, InferRequest, InferResult, InitRequest, InitResult, WorkerRequest, WorkerResponse } from './protocol'

/** The worker's global, typed narrowly (the renderer's tsconfig has the DOM lib, not the worker one). */
const scope = self as unknown as {
  onmessage: ((event: MessageEvent<WorkerRequest>) => void) | null
  postMessage: (message: WorkerResponse) => void
}

/** A model that loads but does not fit the contract: reported to the user as is, no retry on another backend. */
class ModelError extends Error {}

interface GpuDeviceLike {
  lost: Promise<{ message: string; reason?: string }>
  destroy: () => void
}

let modelBytes: Uint8Array | null = null
let session: ort.InferenceSession | null = null
let backend: BackendName = 'wasm'
let fallbackReason: string | null = null
let camSize: [number, number] = [8, 8]
let gpuDevice: GpuDeviceLike | null = null
/** Set when the WebGPU device reports it is lost; the next (or running) batch moves to WASM. */
let deviceLost: Promise<string> | null = null
let lostMessage: string | null = null

const errorText = (e: unknown): string => (e instanceof Error ? e.message : String(e))
const shorten = (text: string): string => (text.length > 240 ? `${text.slice(0, 240)}…` : text)

async function sha256Hex(bytes: Uint8Array): Promise<string> {
  if (!globalThis.crypto?.subtle) return ''
  const digest = await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>)
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('')
}

async function fetchModel(url: string): Promise<Uint8Array> {
  let response: Response
  try {
    response = await fetch(url, { credentials: 'same-origin' })
  } catch (e) {
    throw new ModelError(`The model file could not be fetched (${errorText(e)}).`)
  }
  if (!response.ok) throw new ModelError(`The model file is missing: ${url} answered HTTP ${response.status}.`)
  const bytes = new Uint8Array(await response.arrayBuffer())
  if (bytes.length === 0) throw new ModelError('The model file is empty.')
  return bytes
}

/** Why WebGPU cannot be used here, or null when an adapter is there. */
async function webgpuUnavailable(): Promise<string | null> {
  const gpu = (navigator as Navigator & { gpu?: { requestAdapter: () => Promise<unknown> } }).gpu
  if (!gpu) return 'WebGPU is not available in this browser (navigator.gpu is missing).'
  try {
    const adapter = await gpu.requestAdapter()
    if (!adapter) return 'WebGPU is present but no GPU adapter was offered (GPU blocked or disabled).'
  } catch (e) {
    return `WebGPU adapter request failed: ${errorText(e)}`
  }
  return null
}

function checkShapes(s: ort.InferenceSession): void {
  if (s.inputNames.length !== 1 || s.inputNames[0] !== 'input')
    throw new ModelError(`The model has unexpected inputs (${s.inputNames.join(', ') || 'none'}); expected one input named "input".`)
  for (const name of ['probs', 'cam'])
    if (!s.outputNames.includes(name))
      throw new ModelError(`The model has unexpected outputs (${s.outputNames.join(', ') || 'none'}); expected "probs" and "cam".`)
}

async function dryRun(s: ort.InferenceSession): Promise<[number, number]> {
  const input = new ort.Tensor('float32', new Float32Array(INPUT_SIZE * INPUT_SIZE), [1, 1, INPUT_SIZE, INPUT_SIZE])
  let out: ort.InferenceSession.ReturnType
  try {
    out = await s.run({ input })
  } catch (e) {
    throw new ModelError(`The model does not run on a ${INPUT_SIZE}×${INPUT_SIZE} grey frame: ${errorText(e)}`)
  }
  const probs = out['probs']
  const cam = out['cam']
  const classes = MODEL_CLASSES.length
  if (!probs || probs.dims.length !== 2 || probs.dims[0] !== 1 || probs.dims[1] !== classes)
    throw new ModelError(`The model's "probs" output has shape [${probs?.dims.join(', ') ?? ''}]; expected [1, ${classes}].`)
  if (!cam || cam.dims.length !== 4 || cam.dims[0] !== 1 || cam.dims[1] !== classes)
    throw new ModelError(`The model's "cam" output has shape [${cam?.dims.join(', ') ?? ''}]; expected [1, ${classes}, h, w].`)
  const findings = out['findings']
  if (findings && (findings.dims.length !== 2 || findings.dims[1] !== MODEL_FINDINGS.length))
    throw new ModelError(`The model's "findings" output has shape [${findings.dims.join(', ')}]; expected [1, ${MODEL_FINDINGS.length}].`)
  return [Number(cam.dims[2]), Number(cam.dims[3])]
}

async function createSession(bytes: Uint8Array, provider: BackendName): Promise<ort.InferenceSession> {
  try {
    return await ort.InferenceSession.create(bytes, { executionProviders: [provider], graphOptimizationLevel: 'all' })
  } catch (e) {
    if (provider === 'wasm') throw new ModelError(`The model file could not be loaded (damaged or not an ONNX model): ${errorText(e)}`)
    throw e
  }
}

/** Loads the model on `provider`, checks that it fits the contract, and makes it the session in use. */
async function openSession(bytes: Uint8Array, provider: BackendName, reason: string | null): Promise<void> {
  const s = await createSession(bytes, provider)
  checkShapes(s)
  camSize = await dryRun(s)
  session = s
  backend = provider
  fallbackReason = reason
}

async function watchDevice(): Promise<void> {
  gpuDevice = null
  deviceLost = null
  lostMessage = null
  try {
    const device = (await ort.env.webgpu.device) as unknown as GpuDeviceLike
    gpuDevice = device
    deviceLost = device.lost.then((info) => {
      lostMessage = `The WebGPU device was lost (${info.message || info.reason || 'no reason given'}); finished on WASM.`
      return lostMessage
    })
  } catch {
    // No device to watch: a failing run still falls back.
  }
}

async function useWasm(reason: string | null): Promise<void> {
  const old = session
  session = null
  if (old) void old.release().catch(() => undefined)
  if (!modelBytes) throw new ModelError('No model is loaded.')
  await openSession(modelBytes, 'wasm', reason)
  deviceLost = null
  gpuDevice = null
}

async function init(req: InitRequest): Promise<InitResult> {
  const started = performance.now()
  ort.env.wasm.wasmPaths = { wasm: req.wasmUrl }
  ort.env.wasm.numThreads = 1
  ort.env.wasm.proxy = false
  ort.env.logLevel = 'error'
  if (session) {
    await session.release().catch(() => undefined)
    session = null
  }
  modelBytes = await fetchModel(req.modelUrl)
  const sha256 = await sha256Hex(modelBytes)
  const shaWarning =
    req.expectedSha256 && sha256 && req.expectedSha256 !== sha256
      ? 'This model file differs from the one the backend has loaded: live predictions may differ from the stored ones.'
      : null

  let reason: string | null = null
  if (req.prefer !== 'wasm') {
    reason = await webgpuUnavailable()
    if (reason === null) {
      try {
        await openSession(modelBytes, 'webgpu', null)
        await watchDevice()
      } catch (e) {
        if (e instanceof ModelError) throw e
        reason = `WebGPU could not run the model: ${shorten(errorText(e))}`
      }
    }
  }
  if (!session) await useWasm(req.prefer === 'wasm' ? null : reason)
  return { backend, fallbackReason, camSize, classes: MODEL_CLASSES.length, sha256, shaWarning, loadMs: performance.now() - started }
}

async function runBatch(input: ort.Tensor): Promise<ort.InferenceSession.ReturnType> {
  const s = session
  if (!s) throw new Error('The classifier is not ready.')
  if (backend !== 'webgpu') return s.run({ input })
  if (lostMessage !== null) {
    await useWasm(lostMessage)
    return runBatch(input)
  }
  try {
    const lost = deviceLost
    const out = await (lost ? Promise.race([s.run({ input }), lost.then((m) => Promise.reject(new Error(m)))]) : s.run({ input }))
    return out
  } catch (e) {
    // A destroyed device fails the run before its `lost` promise settles: give it a moment to say why.
    if (deviceLost && lostMessage === null) await Promise.race([deviceLost, new Promise((ok) => setTimeout(ok, 250))])
    await useWasm(lostMessage ?? `WebGPU failed during inference (${shorten(errorText(e))}); finished on WASM.`)
    return runBatch(input)
  }
}

async function infer(req: InferRequest): Promise<InferResult> {
  const size = INPUT_SIZE * INPUT_SIZE
  const boxes: Box[] = []
  const data = new Float32Array(req.frames.length * size)
  req.frames.forEach((f, i) => {
    const p = preprocessFrame({ data: f.data, width: f.width, height: f.height, channels: 4 })
    data.set(p.tensor, i * size)
    boxes.push(p.box)
  })
  const started = performance.now()
  const out = await runBatch(new ort.Tensor('float32', data, [req.frames.length, 1, INPUT_SIZE, INPUT_SIZE]))
  const inferMs = performance.now() - started
  const probs = out['probs']!.data as Float32Array
  const cam = out['cam']!.data as Float32Array
  const findings = (out['findings']?.data as Float32Array | undefined) ?? null
  const classes = MODEL_CLASSES.length
  const nf = MODEL_FINDINGS.length
  const camCells = classes * camSize[0] * camSize[1]
  const frames: FrameResult[] = boxes.map((box, n) => ({
    probs: Array.from(probs.subarray(n * classes, (n + 1) * classes)),
    cam: cam.slice(n * camCells, (n + 1) * camCells),
    box,
    findings: findings ? Array.from(findings.subarray(n * nf, (n + 1) * nf)) : null
  }))
  return { frames, backend, fallbackReason, inferMs }
}

scope.onmessage = (event: MessageEvent<WorkerRequest>) => {
  const req = event.data
  const answer = async (): Promise<unknown> => {
    switch (req.type) {
      case 'init':
        return init(req)
      case 'infer':
        return infer(req)
      case 'loseDevice':
        if (gpuDevice) gpuDevice.destroy()
        return gpuDevice !== null
    }
  }
  answer().then(
    (value) => scope.postMessage({ id: req.id, ok: true, value } satisfies WorkerResponse),
    (e: unknown) => scope.postMessage({ id: req.id, ok: false, error: errorText(e) } satisfies WorkerResponse)
  )
}
