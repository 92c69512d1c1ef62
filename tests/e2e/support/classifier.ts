import type { Page } from '@playwright/test'
import { parse } from 'csv-parse/sync'
import { copyFile, mkdir, readdir, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'

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

/**
 * Clips of the shared dataset for the pre-labelling spec, in CSV order. The
 * three longer clips come first (about 170 frames at 3 Hz between them), so a
 * run is still busy with them when the spec cancels it; the rest are short
 * clips and stills. Reg_liftl_pneucase3_clip1 is a healthy clip the shipped
 * model calls COVID-19 (the disagreement the filters look for; the spec also
 * makes one of its own through the label panel).
 */
export const PRELABEL_CLIPS = [
  'Reg_Image_181206_crop',
  'Reg_pat4Image_140024',
  'Reg_Image_181602_trimmed_crop',
  'Reg_liftl_pneucase3_clip1',
  'Pneu_liftl_pneu_case3_clip3',
  'Cov_Oliviera_2020_Fig4A',
  'Reg_Avi_Image011',
  'Pneu_Avi_hyperechoic-effusion'
] as const

const MEDIA_FOLDERS = ['pocus_videos/convex', 'pocus_videos/linear', 'pocus_images/convex', 'pocus_images/linear']

/**
 * Copies some records of the dataset's CSV (each exactly as written there,
 * quoted line breaks and all) and their media files into `target`, a dataset
 * folder of its own. Returns the CSV it wrote.
 */
export async function makeClipDataset(source: string, target: string, filenames: readonly string[]): Promise<string> {
  const text = await readFile(path.join(source, 'dataset_metadata.csv'), 'utf8')
  const records = parse(text, { raw: true, bom: true, relax_column_count: true }) as unknown as { record: string[]; raw: string }[]
  const [header, ...rows] = records
  if (!header) throw new Error('the dataset CSV is empty')
  const filenameColumn = header.record.indexOf('Filename')
  const eol = /\r\n$/.test(header.raw) ? '\r\n' : '\n'
  const withEol = (raw: string): string => (/\r?\n$/.test(raw) ? raw : raw + eol)
  let csv = withEol(header.raw)
  for (const filename of filenames) {
    const row = rows.find((r) => r.record[filenameColumn] === filename)
    if (!row) throw new Error(`${filename} is not in the dataset CSV`)
    csv += withEol(row.raw)
    let copied = false
    for (const folder of MEDIA_FOLDERS) {
      const names = await readdir(path.join(source, folder)).catch(() => [] as string[])
      for (const name of names.filter((n) => path.parse(n).name === filename)) {
        await mkdir(path.join(target, folder), { recursive: true })
        await copyFile(path.join(source, folder, name), path.join(target, folder, name))
        copied = true
      }
    }
    if (!copied) throw new Error(`${filename} has no media file in ${source}`)
  }
  await writeFile(path.join(target, 'dataset_metadata.csv'), csv)
  return csv
}
