/** Messages between the classifier store (main thread) and classifier.worker.ts. */
import type { Box } from '../../../../shared/classifierPreprocess'

export type BackendName = 'webgpu' | 'wasm'
export type BackendPreference = 'auto' | 'webgpu' | 'wasm'

export interface InitRequest {
  type: 'init'
  id: number
  modelUrl: string
  wasmUrl: string
  prefer: BackendPreference
  /** SHA-256 the backend reports for its loaded model; a mismatch is a warning, not an error. */
  expectedSha256: string | null
}

/** RGBA pixels of one frame at its natural size (the buffer is transferred). */
export interface FramePixels {
  data: Uint8ClampedArray
  width: number
  height: number
}

export interface InferRequest {
  type: 'infer'
  id: number
  frames: FramePixels[]
}

/** Test hook: destroys the WebGPU device, as a driver reset or a lost GPU would. */
export interface LoseDeviceRequest {
  type: 'loseDevice'
  id: number
}

export type WorkerRequest = InitRequest | InferRequest | LoseDeviceRequest

export interface InitResult {
  backend: BackendName
  /** Why WebGPU is not in use (null when it is, or when WASM was asked for). */
  fallbackReason: string | null
  camSize: [number, number]
  classes: number
  sha256: string
  shaWarning: string | null
  loadMs: number
}

export interface FrameResult {
  probs: number[]
  /** [classes, h, w] row-major. */
  cam: Float32Array
  box: Box
  /** Finding probabilities in MODEL_FINDINGS order; null for a model without a findings head. */
  findings: number[] | null
}

export interface InferResult {
  frames: FrameResult[]
  /** The backend that produced these frames (may have changed from WebGPU to WASM during this call). */
  backend: BackendName
  fallbackReason: string | null
  inferMs: number
}

export type WorkerResponse =
  | { id: number; ok: true; value: unknown }
  | { id: number; ok: false; error: string }
