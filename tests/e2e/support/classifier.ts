import type { Page } from '@playwright/test'

/** A clip of the shared dataset the classifier specs run on (an .avi: played through a proxy). */
export const CLASSIFIER_CLIP = 'Pneu_northumbria_0409_set1_vid1'

export interface ClassifierPrefs {
  prefer: 'auto' | 'webgpu' | 'wasm'
  mode: '3hz' | 'every'
  limit: number | null
  opacity: number
}

/** Sets the classifier's stored preferences before the app starts (the store reads them once). */
export async function presetClassifier(page: Page, prefs: ClassifierPrefs): Promise<void> {
  await page.addInitScript(`window.localStorage.setItem('lus-review.classifier', ${JSON.stringify(JSON.stringify(prefs))})`)
}

/** Turns on the page's test hook (window.lusClassifierDebug) before the app starts. */
export async function enableClassifierDebug(page: Page): Promise<void> {
  await page.addInitScript(`window.localStorage.setItem('lus-review.classifier.debug', '1')`)
}

/** Destroys the worker's WebGPU device (through the test hook); false when there is none. */
export async function loseWebGpuDevice(page: Page): Promise<boolean> {
  return page.evaluate('window.lusClassifierDebug.loseDevice()') as Promise<boolean>
}
