import { resolve } from 'node:path'
import { defineConfig } from 'electron-vite'
import vue from '@vitejs/plugin-vue'

export default defineConfig({
  main: {
    build: {
      // The CLI (and serve mode) is a second entry of the main build: the same
      // services, run by plain Node without Electron. The worker threads are
      // entries too, emitted beside them as out/main/<name>.js, where
      // src/main/jobs/workerThread.ts looks for them (WORKER_ENTRIES).
      rollupOptions: {
        input: {
          index: resolve(__dirname, 'src/main/index.ts'),
          cli: resolve(__dirname, 'src/main/cli.ts'),
          importWorker: resolve(__dirname, 'src/main/dataset/importWorker.ts'),
          listWorker: resolve(__dirname, 'src/main/jobs/listWorker.ts'),
          modelWorker: resolve(__dirname, 'src/main/classifier/modelWorker.ts')
        }
      }
    }
  },
  preload: {
    build: {
      // A sandboxed preload cannot require node_modules: bundle everything.
      externalizeDeps: false,
      rollupOptions: { input: { index: resolve(__dirname, 'src/preload/index.ts') } }
    }
  },
  renderer: {
    root: resolve(__dirname, 'src/renderer'),
    base: './',
    plugins: [vue()],
    // The classifier's worker imports ONNX Runtime as an ES module.
    worker: { format: 'es' },
    // ONNX Runtime's .wasm and the model are emitted as assets of the renderer and
    // served from the app's own origin (ort.env.wasm.wasmPaths points at them).
    assetsInclude: ['**/*.onnx'],
    build: {
      rollupOptions: { input: { index: resolve(__dirname, 'src/renderer/index.html') } }
    }
  }
})
