/**
 * Worker thread that owns the classifier model during pre-labelling: the
 * model's runs (most of a core) happen here, so the main thread keeps
 * reading ffmpeg's frames and preprocessing the next clip meanwhile, and the
 * event loop that answers the UI is never held by inference.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { ClassifierModel, ModelError } from './modelSession'
import type { ModelWorkerAnswer, ModelWorkerData, ModelWorkerRequest } from './workerModel'

const data = workerData as ModelWorkerData
const port = parentPort!
const answer = (m: ModelWorkerAnswer, transfer: ArrayBuffer[] = []): void => port.postMessage(m, transfer)

ClassifierModel.load(data.modelPath).then(
  (model) => {
    answer({ type: 'loaded', info: model.info })
    port.on('message', (m: ModelWorkerRequest) => {
      if (m.type === 'release') {
        void model.release().finally(() => port.close())
        return
      }
      model.run(m.tensors, m.batchSize, { cams: false }).then(
        (out) => {
          const findings = out.findings ?? null
          answer({ type: 'ran', id: m.id, probs: out.probs, findings }, [...out.probs, ...(findings ?? [])].map((a) => a.buffer as ArrayBuffer))
        },
        (e: unknown) => answer({ type: 'runFailed', id: m.id, message: e instanceof Error ? e.message : String(e) })
      )
    })
  },
  (e: unknown) => {
    answer({ type: 'loadFailed', modelError: e instanceof ModelError, message: e instanceof Error ? e.message : String(e) })
    port.close()
  }
)
