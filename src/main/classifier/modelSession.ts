/**
 * The shipped ONNX model under Node, through onnxruntime-web's WASM backend:
 * the same runtime and file the renderer's worker uses, so main and the
 * browser cannot disagree because of two different inference engines.
 *
 * Loading checks everything a wrong file could get wrong (missing, not ONNX,
 * other inputs/outputs, other class count) and says so in words; callers
 * keep working without predictions.
 */
import { existsSync, readFileSync } from 'node:fs'
import { basename, dirname, join, resolve } from 'node:path'
import * as ort from 'onnxruntime-web'
import { INPUT_SIZE, MODEL_CLASSES, MODEL_FINDINGS, type ModelFinding } from '../../shared/classifierPreprocess'
import { sha256Bytes } from '../media/contentHash'

export const DEFAULT_MODEL_NAME = 'lusnet'

export class ModelError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'ModelError'
  }
}

/** What the card (`<name>.card.json`) says about the model, as far as the app uses it. */
export interface ModelCard {
  name?: string
  version?: string
  sha256?: string
  classes?: string[]
  [key: string]: unknown
}

export interface LoadedModelInfo {
  name: string
  version: string
  sha256: string
  file: string
  sizeBytes: number
  classes: string[]
  inputSize: number
  camSize: [number, number]
  /** The findings of the optional `findings` output, in order; null when the model has none. */
  findings: ModelFinding[] | null
  card: ModelCard | null
  /** Set when the card is missing, unreadable or describes another file. */
  cardWarning: string | null
}

export interface ModelOutput {
  /** One probability vector per frame, in MODEL_CLASSES order. */
  probs: Float32Array[]
  /** One [classes, h, w] map per frame; empty when the run was asked not to keep them. */
  cams: Float32Array[]
  /** One vector of finding probabilities per frame (MODEL_FINDINGS order); null for a model without a findings head. */
  findings: Float32Array[] | null
}

/** What pre-labelling needs of a model, in this thread (ClassifierModel) or in a worker (WorkerModel). */
export interface ModelRunner {
  readonly info: LoadedModelInfo
  run(tensors: readonly Float32Array[], batchSize?: number): Promise<ModelOutput>
  release(): Promise<void>
}

let wasmConfigured = false

function configureWasm(): void {
  if (wasmConfigured) return
  // Threads need worker_threads plumbing that gains little for a model this small; one thread everywhere.
  ort.env.wasm.numThreads = 1
  ort.env.logLevel = 'error'
  wasmConfigured = true
}

/** Where the model is looked for: LUS_MODEL_PATH, the packaged app's resources, then the repository's resources/models. */
export function defaultModelPath(name = DEFAULT_MODEL_NAME): string {
  if (process.env.LUS_MODEL_PATH) return resolve(process.env.LUS_MODEL_PATH)
  const candidates: string[] = []
  const resourcesPath = (process as { resourcesPath?: string }).resourcesPath
  if (resourcesPath) candidates.push(join(resourcesPath, 'models', `${name}.onnx`))
  // out/main (built CLI and app), src/main/classifier (tsx, vitest).
  for (const up of ['../..', '../../..', '..']) candidates.push(resolve(__dirname, up, 'resources', 'models', `${name}.onnx`))
  return candidates.find((c) => existsSync(c)) ?? candidates[candidates.length - 2]!
}

function dimsMatch(actual: readonly (number | string)[] | undefined, expected: readonly (number | null)[]): boolean {
  if (!actual || actual.length !== expected.length) return false
  return expected.every((e, i) => e === null || actual[i] === e)
}

export class ClassifierModel implements ModelRunner {
  private constructor(
    private readonly session: ort.InferenceSession,
    readonly info: LoadedModelInfo
  ) {}

  static async load(path: string = defaultModelPath()): Promise<ClassifierModel> {
    if (!existsSync(path)) throw new ModelError(`The classifier model ${basename(path)} was not found (looked at ${path}). Predictions are off; run \`npm run train\` or set LUS_MODEL_PATH.`)
    let bytes: Buffer
    try {
      bytes = readFileSync(path)
    } catch (e) {
      throw new ModelError(`Cannot read the classifier model ${basename(path)}: ${(e as Error).message}`)
    }
    configureWasm()
    let session: ort.InferenceSession
    try {
      session = await ort.InferenceSession.create(new Uint8Array(bytes), { executionProviders: ['wasm'], graphOptimizationLevel: 'all' })
    } catch (e) {
      throw new ModelError(`${basename(path)} is not a usable ONNX model (damaged or not a model file): ${firstLine((e as Error).message)}`)
    }
    const inputs = session.inputNames
    const outputs = session.outputNames
    if (inputs.length !== 1 || inputs[0] !== 'input' || !outputs.includes('probs') || !outputs.includes('cam'))
      throw new ModelError(
        `${basename(path)} has inputs [${inputs.join(', ')}] and outputs [${outputs.join(', ')}]; the app needs one input "input" and outputs "probs" and "cam".`
      )
    const inMeta = session.inputMetadata[0]
    if (inMeta && inMeta.isTensor && !dimsMatch(inMeta.shape, [null, 1, INPUT_SIZE, INPUT_SIZE]))
      throw new ModelError(`${basename(path)} takes input of shape [${inMeta.shape.join(', ')}]; the app prepares [N, 1, ${INPUT_SIZE}, ${INPUT_SIZE}].`)

    // A dry run settles what metadata may leave symbolic: the class count and the CAM size.
    let probe: ort.InferenceSession.OnnxValueMapType
    try {
      probe = await session.run({ input: new ort.Tensor('float32', new Float32Array(INPUT_SIZE * INPUT_SIZE), [1, 1, INPUT_SIZE, INPUT_SIZE]) })
    } catch (e) {
      throw new ModelError(`${basename(path)} failed on a test frame: ${firstLine((e as Error).message)}`)
    }
    const probs = probe['probs'] as ort.Tensor
    const cam = probe['cam'] as ort.Tensor
    if (!dimsMatch(probs.dims, [1, MODEL_CLASSES.length]))
      throw new ModelError(`${basename(path)} gives probabilities of shape [${probs.dims.join(', ')}]; the app expects [N, ${MODEL_CLASSES.length}] (${MODEL_CLASSES.join(', ')}).`)
    if (cam.dims.length !== 4 || cam.dims[1] !== MODEL_CLASSES.length)
      throw new ModelError(`${basename(path)} gives activation maps of shape [${cam.dims.join(', ')}]; the app expects [N, ${MODEL_CLASSES.length}, h, w].`)

    const hasFindings = outputs.includes('findings')
    if (hasFindings) {
      const findings = probe['findings'] as ort.Tensor
      if (!dimsMatch(findings.dims, [1, MODEL_FINDINGS.length]))
        throw new ModelError(
          `${basename(path)} gives findings of shape [${findings.dims.join(', ')}]; the app expects [N, ${MODEL_FINDINGS.length}] (${MODEL_FINDINGS.join(', ')}).`
        )
    }

    const sha256 = sha256Bytes(bytes)
    const { card, warning } = readCard(path, sha256)
    if (card?.classes && card.classes.join(',') !== MODEL_CLASSES.join(','))
      throw new ModelError(`${basename(path)}'s card lists classes ${card.classes.join(', ')}; the app knows ${MODEL_CLASSES.join(', ')}.`)
    // Six sigmoids in another order would put each probability under the wrong name: the card's order must be the app's.
    const cardFindings = findingNamesOfCard(card)
    if (hasFindings && cardFindings && cardFindings.join(',') !== MODEL_FINDINGS.join(','))
      throw new ModelError(`${basename(path)}'s card lists findings ${cardFindings.join(', ')}; the app shows ${MODEL_FINDINGS.join(', ')} in that order.`)
    const name = basename(path).replace(/\.onnx$/i, '')
    return new ClassifierModel(session, {
      name: card?.name ?? name,
      version: card?.version ?? 'unknown',
      sha256,
      file: path,
      sizeBytes: bytes.length,
      classes: [...MODEL_CLASSES],
      inputSize: INPUT_SIZE,
      camSize: [cam.dims[2]!, cam.dims[3]!],
      findings: hasFindings ? [...MODEL_FINDINGS] : null,
      card,
      cardWarning: warning
    })
  }

  /** Runs preprocessed frames (each INPUT_SIZE² floats) in batches; `cams: false` leaves the activation maps out. */
  async run(tensors: readonly Float32Array[], batchSize = 16, options: { cams?: boolean } = {}): Promise<ModelOutput> {
    const withCams = options.cams !== false
    const per = INPUT_SIZE * INPUT_SIZE
    const [h, w] = this.info.camSize
    const k = MODEL_CLASSES.length
    const nf = MODEL_FINDINGS.length
    const out: ModelOutput = { probs: [], cams: [], findings: this.info.findings ? [] : null }
    for (let i = 0; i < tensors.length; i += batchSize) {
      const batch = tensors.slice(i, i + batchSize)
      const data = new Float32Array(batch.length * per)
      batch.forEach((t, j) => {
        if (t.length !== per) throw new Error(`frame tensor holds ${t.length} values, not ${per}`)
        data.set(t, j * per)
      })
      const res = await this.session.run({ input: new ort.Tensor('float32', data, [batch.length, 1, INPUT_SIZE, INPUT_SIZE]) })
      const p = (res['probs'] as ort.Tensor).data as Float32Array
      const c = (res['cam'] as ort.Tensor).data as Float32Array
      const f = out.findings ? ((res['findings'] as ort.Tensor).data as Float32Array) : null
      for (let j = 0; j < batch.length; j++) {
        out.probs.push(p.slice(j * k, (j + 1) * k))
        if (withCams) out.cams.push(c.slice(j * k * h * w, (j + 1) * k * h * w))
        if (f) out.findings!.push(f.slice(j * nf, (j + 1) * nf))
      }
    }
    return out
  }

  async release(): Promise<void> {
    await this.session.release()
  }
}

function readCard(modelPath: string, sha256: string): { card: ModelCard | null; warning: string | null } {
  const cardPath = join(dirname(modelPath), basename(modelPath).replace(/\.onnx$/i, '') + '.card.json')
  if (!existsSync(cardPath)) return { card: null, warning: `no model card beside ${basename(modelPath)}` }
  try {
    const card = JSON.parse(readFileSync(cardPath, 'utf8')) as ModelCard
    if (card.sha256 && card.sha256 !== sha256) return { card, warning: `the card describes another file (SHA-256 ${card.sha256.slice(0, 12)}…, the model is ${sha256.slice(0, 12)}…)` }
    return { card, warning: null }
  } catch (e) {
    return { card: null, warning: `the model card is unreadable: ${(e as Error).message}` }
  }
}

/** The names the card gives the `findings` output (training/export.py writes them under outputs[].names). */
function findingNamesOfCard(card: ModelCard | null): string[] | null {
  const outputs = card?.['outputs']
  if (!Array.isArray(outputs)) return null
  const entry = outputs.find((o): o is { name: string; names?: unknown } => typeof o === 'object' && o !== null && (o as { name?: unknown }).name === 'findings')
  return entry && Array.isArray(entry.names) && entry.names.every((n) => typeof n === 'string') ? (entry.names as string[]) : null
}

function firstLine(s: string): string {
  return s.split('\n')[0]!.slice(0, 300)
}
