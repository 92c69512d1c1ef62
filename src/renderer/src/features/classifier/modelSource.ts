/**
 * Where the renderer's classifier gets its files, in one place. Everything is
 * served from the app's own origin (never a CDN): the ONNX Runtime WebAssembly
 * binary is a build asset of the renderer, and so — until the backend serves
 * the loaded model itself — is the model file.
 *
 * MODEL_URL: the bundled copy of resources/models/lusnet.onnx. When main
 * exposes the model it has loaded (e.g. GET /models/<file> in serve mode and
 * the same path on the app:// scheme), change only this line; the worker
 * checks the bytes' SHA-256 against classifier/modelInfo either way.
 */
import bundledModelUrl from '../../../../../resources/models/lusnet.onnx?url'
// The WebGPU build of ONNX Runtime (also runs the WASM CPU provider) needs this one binary.
import ortWasmUrl from '../../../../../node_modules/onnxruntime-web/dist/ort-wasm-simd-threaded.asyncify.wasm?url'

export const MODEL_URL: string = bundledModelUrl

/** Absolute URL of the .wasm asset, for ort.env.wasm.wasmPaths (a worker resolves relative URLs against its own script). */
export function wasmUrl(): string {
  return new URL(ortWasmUrl, window.location.href).href
}

export function modelUrl(): string {
  return new URL(MODEL_URL, window.location.href).href
}
