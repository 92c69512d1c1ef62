/**
 * The classifier's input contract, shared by main (Node inference, `lus-review
 * predict`) and the renderer's worker (onnxruntime-web in the browser).
 *
 * training/preprocess.py implements the same steps in numpy and the training
 * pipeline writes a fixture of its outputs for synthetic frames;
 * tests/unit/classifier/preprocessParity.test.ts holds this module to it. Change
 * one side and the parity test fails until the other side and the model are
 * regenerated (`npm run train`).
 *
 * Pure: no Node, DOM or Electron imports, so it runs in a worker as is.
 */

/** Output classes, in the order of the model's probability vector and CAM channels. */
export const MODEL_CLASSES = ['covid', 'pneumonia', 'healthy', 'uninformative'] as const
export type ModelClass = (typeof MODEL_CLASSES)[number]
/** The classes a clip's expert label can be; `uninformative` has no expert label. */
export const LUS_CLASSES = ['covid', 'pneumonia', 'healthy'] as const
export type LusClass = (typeof LUS_CLASSES)[number]
/**
 * The expert findings a model with a findings head predicts (its optional
 * output `findings`, one sigmoid per name, in this order): the dataset's
 * pathology columns without 'Healthy', which is a class, not a finding.
 * Training writes this order into the manifest and the model card; the app
 * refuses a model whose card lists another.
 */
export const MODEL_FINDINGS = ['Effusion', 'Consolidations', 'B-lines', 'A-lines', 'Pleural line irregularities', 'Air bronchogram'] as const
export type ModelFinding = (typeof MODEL_FINDINGS)[number]

/** Side of the square model input, in pixels. */
export const INPUT_SIZE = 128
/** Frames are sampled at this rate (ffmpeg `fps=3`: the frame nearest each multiple of 1/3 s). */
export const SAMPLE_RATE_HZ = 3
/** Clips longer than this many samples are subsampled evenly (a 30 s clip keeps every sample at 3 Hz). */
export const MAX_FRAMES_PER_CLIP = 90
/** Normalisation applied to grey levels scaled to 0..1. */
export const NORM_MEAN = 0.5
export const NORM_STD = 0.25
/**
 * Edge rows/columns whose brightest grey level is at most this are black
 * borders (letterboxing) and are trimmed before resizing.
 */
export const BORDER_MAX_GREY = 10
/** A trimmed box smaller than this fraction of the frame (either side) means "no real content": keep the whole frame. */
export const MIN_BOX_FRACTION = 0.25

/** Maps a catalog label key (src/shared/vocabulary LABELS) to the class the model learns; null for labels it does not learn. */
export function lusClassForLabel(label: string): LusClass | null {
  switch (label) {
    case 'covid':
      return 'covid'
    case 'bacterial_pneumonia':
    case 'viral_pneumonia':
      return 'pneumonia'
    case 'healthy':
      return 'healthy'
    default:
      return null
  }
}

export interface Box {
  x: number
  y: number
  width: number
  height: number
}

/** A frame as decoded pixels: RGB (3 bytes per pixel, ffmpeg rgb24) or RGBA (4, canvas ImageData). */
export interface RgbFrame {
  data: Uint8Array | Uint8ClampedArray
  width: number
  height: number
  channels: 3 | 4
}

/**
 * Integer luma (BT.601 weights in 8-bit fixed point), so Python and
 * TypeScript get bit-identical grey levels: round((77 R + 150 G + 29 B) / 256).
 */
export function toGrey(frame: RgbFrame): Uint8Array {
  const { data, width, height, channels } = frame
  const n = width * height
  if (data.length < n * channels) throw new Error(`frame data holds ${data.length} bytes; ${width}×${height}×${channels} needs ${n * channels}`)
  const grey = new Uint8Array(n)
  for (let i = 0, p = 0; i < n; i++, p += channels) {
    grey[i] = (77 * data[p]! + 150 * data[p + 1]! + 29 * data[p + 2]! + 128) >> 8
  }
  return grey
}

/**
 * The frame without its black borders: edge rows and columns whose brightest
 * pixel is at most BORDER_MAX_GREY are dropped. Integer comparisons only, so
 * both implementations agree exactly. A box smaller than MIN_BOX_FRACTION of
 * the frame (a blank or nearly blank frame) gives the whole frame.
 */
export function contentBox(grey: Uint8Array, width: number, height: number): Box {
  const rowMax = new Uint8Array(height)
  const colMax = new Uint8Array(width)
  for (let y = 0; y < height; y++) {
    const row = y * width
    let rm = 0
    for (let x = 0; x < width; x++) {
      const v = grey[row + x]!
      if (v > rm) rm = v
      if (v > colMax[x]!) colMax[x] = v
    }
    rowMax[y] = rm
  }
  let top = 0
  while (top < height && rowMax[top]! <= BORDER_MAX_GREY) top++
  let bottom = height - 1
  while (bottom >= top && rowMax[bottom]! <= BORDER_MAX_GREY) bottom--
  let left = 0
  while (left < width && colMax[left]! <= BORDER_MAX_GREY) left++
  let right = width - 1
  while (right >= left && colMax[right]! <= BORDER_MAX_GREY) right--
  const box = { x: left, y: top, width: right - left + 1, height: bottom - top + 1 }
  if (box.width < width * MIN_BOX_FRACTION || box.height < height * MIN_BOX_FRACTION) return { x: 0, y: 0, width, height }
  return box
}

/**
 * Area-averaging weights from `inLen` source pixels to `outLen` target pixels:
 * target pixel j is the mean of the source interval [j·s, (j+1)·s), s = inLen/outLen,
 * each source pixel weighted by its overlap. Exact box filtering (what
 * OpenCV calls INTER_AREA when shrinking), with no library behind it whose
 * rounding could differ between Python and the browser.
 */
export function areaWeights(inLen: number, outLen: number): { start: Int32Array; weights: Float64Array[] } {
  const scale = inLen / outLen
  const start = new Int32Array(outLen)
  const weights: Float64Array[] = []
  for (let j = 0; j < outLen; j++) {
    const a = j * scale
    const b = (j + 1) * scale
    const first = Math.floor(a)
    const last = Math.min(inLen - 1, Math.ceil(b) - 1)
    const w = new Float64Array(last - first + 1)
    for (let i = first; i <= last; i++) w[i - first] = (Math.min(b, i + 1) - Math.max(a, i)) / scale
    start[j] = first
    weights.push(w)
  }
  return { start, weights }
}

/** Resizes the box of a grey image to size×size by area averaging (rows, then columns), in float64. */
export function resizeArea(grey: Uint8Array, width: number, box: Box, size: number): Float64Array {
  const wx = areaWeights(box.width, size)
  const wy = areaWeights(box.height, size)
  // Horizontal pass over the box's rows: box.height × size.
  const tmp = new Float64Array(box.height * size)
  for (let y = 0; y < box.height; y++) {
    const row = (box.y + y) * width + box.x
    for (let j = 0; j < size; j++) {
      const w = wx.weights[j]!
      const s = wx.start[j]!
      let acc = 0
      for (let k = 0; k < w.length; k++) acc += w[k]! * grey[row + s + k]!
      tmp[y * size + j] = acc
    }
  }
  const out = new Float64Array(size * size)
  for (let i = 0; i < size; i++) {
    const w = wy.weights[i]!
    const s = wy.start[i]!
    for (let j = 0; j < size; j++) {
      let acc = 0
      for (let k = 0; k < w.length; k++) acc += w[k]! * tmp[(s + k) * size + j]!
      out[i * size + j] = acc
    }
  }
  return out
}

export interface PreprocessedFrame {
  /** INPUT_SIZE² floats, row-major: one channel of the model's [N, 1, S, S] input. */
  tensor: Float32Array
  /** The part of the frame the model saw (frame pixels); a CAM cell maps into this box. */
  box: Box
}

/**
 * One decoded frame → the model's input: integer grey, black borders
 * trimmed, area-resized to INPUT_SIZE² (aspect ratio not kept), scaled to 0..1,
 * normalised with NORM_MEAN/NORM_STD.
 */
export function preprocessFrame(frame: RgbFrame, size: number = INPUT_SIZE): PreprocessedFrame {
  if (frame.width < 1 || frame.height < 1) throw new Error(`empty frame (${frame.width}×${frame.height})`)
  const grey = toGrey(frame)
  const box = contentBox(grey, frame.width, frame.height)
  const resized = resizeArea(grey, frame.width, box, size)
  const tensor = new Float32Array(size * size)
  for (let i = 0; i < tensor.length; i++) tensor[i] = (resized[i]! / 255 - NORM_MEAN) / NORM_STD
  return { tensor, box }
}

/** Which of `count` samples to keep so that at most `max` remain, evenly spread (all of them when count ≤ max). */
export function sampleIndices(count: number, max: number = MAX_FRAMES_PER_CLIP): number[] {
  if (count <= max) return Array.from({ length: count }, (_, i) => i)
  return Array.from({ length: max }, (_, i) => Math.floor(((i + 0.5) * count) / max))
}

/** Time (s) of sample k at SAMPLE_RATE_HZ, for a worker that seeks a <video> instead of running ffmpeg. */
export function sampleTime(k: number): number {
  return k / SAMPLE_RATE_HZ
}

/** A clip's probabilities: the mean of its frames' probability vectors. */
export function clipProbabilities(frameProbs: readonly (readonly number[] | Float32Array)[]): number[] {
  if (frameProbs.length === 0) throw new Error('no frames')
  const k = frameProbs[0]!.length
  const mean = new Array<number>(k).fill(0)
  for (const p of frameProbs) for (let c = 0; c < k; c++) mean[c]! += p[c]! / frameProbs.length
  return mean
}

/** A clip's finding probabilities (mean over its frames), named, in MODEL_FINDINGS order. */
export function clipFindings(frameFindings: readonly (readonly number[] | Float32Array)[]): { name: ModelFinding; probability: number }[] {
  const mean = clipProbabilities(frameFindings)
  if (mean.length !== MODEL_FINDINGS.length) throw new Error(`expected ${MODEL_FINDINGS.length} findings per frame, got ${mean.length}`)
  return MODEL_FINDINGS.map((name, i) => ({ name, probability: mean[i]! }))
}

export function argmax(values: readonly number[]): number {
  let best = 0
  for (let i = 1; i < values.length; i++) if (values[i]! > values[best]!) best = i
  return best
}

/** Shannon entropy in bits; 2 bits is the maximum for four classes (the model knows nothing). */
export function entropyBits(probs: readonly number[]): number {
  let h = 0
  for (const p of probs) if (p > 0) h -= p * Math.log2(p)
  return h
}

/**
 * The predicted LUS class (covid / pneumonia / healthy), ignoring
 * `uninformative`: how the card's video-level accuracy is computed.
 */
export function predictedLusClass(probs: readonly number[]): LusClass {
  return LUS_CLASSES[argmax(probs.slice(0, LUS_CLASSES.length))]!
}

/** The overall predicted class, uninformative included. */
export function predictedClass(probs: readonly number[]): ModelClass {
  return MODEL_CLASSES[argmax(probs)]!
}

/**
 * One class's activation map as 0..1 weights for an overlay: cam is the
 * model's `cam` output for one frame ([classes, h, w], row-major). Values are
 * min-max scaled within the map; a flat map gives zeros. Cell (i, j) covers
 * the frame region box.x + j·box.width/w … (j+1)·box.width/w (same for rows).
 */
export function camOverlay(cam: Float32Array, classIndex: number, h: number, w: number): Float32Array {
  const cells = h * w
  const start = classIndex * cells
  if (cam.length < start + cells) throw new Error(`cam holds ${cam.length} values; class ${classIndex} of ${h}×${w} needs ${start + cells}`)
  const out = new Float32Array(cells)
  let lo = Infinity
  let hi = -Infinity
  for (let i = 0; i < cells; i++) {
    const v = cam[start + i]!
    if (v < lo) lo = v
    if (v > hi) hi = v
  }
  if (!(hi > lo)) return out
  for (let i = 0; i < cells; i++) out[i] = (cam[start + i]! - lo) / (hi - lo)
  return out
}
