/**
 * What a submission needs before it is bundled: per entry, a dataset label
 * (one with a file-name prefix), a probe, a licence from the known list,
 * provenance, a type that matches the media, and linked media. Missing
 * patient data only warns: the dataset has many rows without it.
 */
import { SYMPTOMS, type CsvColumn, type Label } from '../../shared/vocabulary'
import { KNOWN_LICENSES, type BundleValidation, type KnownLicense } from '../../shared/submissionContract'
import type { CatalogDb } from '../catalog/database'
import { EntryMediaQueries, type EntryWithMediaFile } from '../catalog/entryMediaQueries'
import { cell, normalizeRecord } from '../dataset/normalize'
import { UserError } from '../errors'
import { containedPath } from '../media/mediaResponse'
import { EditsStore } from './editsStore'
import type { MediaEdits } from './mediaEdits'

/** The dataset's file-name prefixes by label (Cov_…, Pneu_…, Vir_…, Reg_…). */
export const LABEL_PREFIX: Partial<Record<Label, string>> = {
  covid: 'Cov',
  bacterial_pneumonia: 'Pneu',
  viral_pneumonia: 'Vir',
  healthy: 'Reg'
}

export interface BundleItem {
  entryId: number
  filename: string
  cells: string[]
  label: Label
  prefix: string
  probe: 'convex' | 'linear'
  kind: 'video' | 'image'
  license: KnownLicense
  /** Absolute path of the linked media file. */
  mediaPath: string
  mediaRelPath: string
  frames: number | null
  fps: number | null
  /** Settings still to apply to the linked file. */
  edits: MediaEdits
  /** All settings, baked or not, for the bundle's crop.json. */
  recordedEdits: MediaEdits
  /** The de-identification summary when the clip came from a DICOM. */
  deidSummary: string | null
  /** Media written by this app from a DICOM (metadata-free already). */
  fromContributions: boolean
}

/** The entry and its file (catalog/entryMediaQueries.ts), with its de-identification summary when it came from a DICOM. */
type Row = EntryWithMediaFile & { summary: string | null }

const NOT_AVAILABLE = new Set(['', 'n/a', 'na', 'nd', 'n.a.', '-'])

export function assertSourceName(name: string): void {
  if (!/^[A-Za-z0-9][A-Za-z0-9-]{0,39}$/.test(name))
    throw new UserError('bad_input', `The source name "${name}" must be letters, digits or hyphens (it becomes part of every file name, e.g. Cov_${'myclinic'}_1.mp4).`)
}

export function validateBundle(db: CatalogDb, entryIds: readonly number[], sourceName: string): BundleValidation & { items: BundleItem[] } {
  assertSourceName(sourceName)
  if (entryIds.length === 0) throw new UserError('bad_input', 'Select at least one entry for the bundle.')
  const store = new EditsStore(db)
  const catalog = new EntryMediaQueries(db)
  const deidSummary = db.prepare<[number], { summary: string }>('SELECT summary FROM deid_records WHERE entry_id = ?')
  const get = (id: number): Row | undefined => {
    const entry = catalog.withMediaFile(id)
    return entry && { ...entry, summary: deidSummary.get(id)?.summary ?? null }
  }
  const errors: BundleValidation['errors'] = []
  const warnings: BundleValidation['warnings'] = []
  const items: BundleItem[] = []
  for (const id of [...new Set(entryIds)]) {
    const r = get(id)
    if (!r) {
      errors.push({ entryId: id, filename: '', field: 'entry', message: `No catalog entry with id ${id}.` })
      continue
    }
    const cells = JSON.parse(r.cells) as string[]
    const { fields } = normalizeRecord(cells)
    const err = (field: string, message: string): void => void errors.push({ entryId: id, filename: r.filename, field, message })
    const warn = (field: string, message: string): void => void warnings.push({ entryId: id, filename: r.filename, field, message })
    const prefix = LABEL_PREFIX[fields.label]
    const labelCell = cell(cells, 'Label')
    if (labelCell.trim() === '') err('Label', 'Set the label (COVID-19, Bacterial pneumonia, Viral pneumonia or regular).')
    else if (!prefix) err('Label', `The label "${labelCell}" has no dataset file prefix; use COVID-19, Bacterial pneumonia, Viral pneumonia or regular.`)
    if (!fields.probe) err('Probe', `Set the probe (convex or linear)${cell(cells, 'Probe') ? `; "${cell(cells, 'Probe')}" is neither` : ''}.`)
    const license = cell(cells, 'License').trim()
    if (!(KNOWN_LICENSES as readonly string[]).includes(license))
      err('License', license === '' ? `Choose a licence: ${KNOWN_LICENSES.join(', ')}.` : `"${license}" is not one of the licences a submission can carry (${KNOWN_LICENSES.join(', ')}).`)
    if (cell(cells, 'URL (Video Name)').trim() === '')
      err('URL (Video Name)', 'Say where the clip comes from (the "URL (Video Name)" column, e.g. "Data contributed by …" or the publication URL).')
    let mediaPath: string | null = null
    if (r.media_status !== 'linked' || !r.rel_path || !r.root || !r.kind) {
      err('media', r.media_status === 'unreadable' ? 'The media file cannot be read.' : 'The media file is missing.')
    } else {
      try {
        mediaPath = containedPath(r.root, r.rel_path)
      } catch (e) {
        if (!(e instanceof UserError)) throw e
        err('media', e.message)
      }
    }
    if (r.kind && fields.type && fields.type !== r.kind) {
      err('Type', `The Type column says ${fields.type}, but the media file is a${r.kind === 'image' ? 'n image' : ' video'}.`)
    } else if (!fields.type) err('Type', `Set the type (video or image).`)

    const missing = (c: CsvColumn): boolean => NOT_AVAILABLE.has(cell(cells, c).trim().toLowerCase())
    if (missing('Gender')) warn('Gender', 'No gender: the dataset asks for m or w where known.')
    if (missing('Age')) warn('Age', 'No age.')
    if (missing('Patient ID / Name')) warn('Patient ID / Name', 'No patient key: clips of one patient cannot be grouped.')
    if (SYMPTOMS.every((s) => fields.symptoms[s] === 'n/A')) warn('symptoms', 'No symptoms recorded (all n/A).')
    const edits = store.pending(id)
    const recorded = store.edits(id)
    if (r.summary && !recorded.crop && recorded.masks.length === 0)
      warn('burned-in text', 'This clip comes from a DICOM and has neither a crop nor masks: check its frames for burned-in names, dates or hospital text.')

    if (prefix && fields.probe && r.kind && r.rel_path && mediaPath && (KNOWN_LICENSES as readonly string[]).includes(license))
      items.push({
        entryId: id,
        filename: r.filename,
        cells,
        label: fields.label,
        prefix,
        probe: fields.probe,
        kind: r.kind,
        license: license as KnownLicense,
        mediaPath,
        mediaRelPath: r.rel_path,
        frames: r.frames,
        fps: r.fps,
        edits,
        recordedEdits: { crop: recorded.crop, trim: recorded.trim, masks: recorded.masks },
        deidSummary: r.summary,
        fromContributions: r.summary !== null
      })
  }
  return { ok: errors.length === 0, errors, warnings, items }
}
