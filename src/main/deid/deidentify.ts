/**
 * De-identification of one parsed DICOM by the Basic Application Level
 * Confidentiality Profile (PS3.15 Annex E) with the Retain Patient
 * Characteristics Option for age and sex (the dataset's Age and Gender
 * columns). The media are re-encoded from pixels, so nothing of the DICOM
 * travels but this result: a report of what happened to every attribute
 * (tags and actions, never values), a DICOM-free summary, a pseudonymous
 * patient key, and keyed digests of the identifying values for the PHI scan.
 */
import type { DataSet, Element } from 'dicom-parser'
import type { ImageInfo } from '../dicom/imageInfo'
import type { ParsedDicom } from '../dicom/readDicom'
import { sopClassName } from '../dicom/sopClasses'
import { formatTag, profileAction, type ProfileAction } from './basicProfile'
import { hmacHex, patientKey, replaceUid, type DeidKeys } from './keys'
import { phiDigests, type PhiDigest, type PhiKind } from './phiTokens'

export type DeidAction = 'removed' | 'uid-replaced' | 'kept' | 'retained' | 'not-carried'

export interface DeidReportItem {
  /** `(0010,0010)`, or a path into sequences: `(0008,2112)[1](0008,1155)`. */
  tag: string
  name: string
  /** The profile's action for the attribute; null when the profile does not list it. */
  profileAction: ProfileAction | null
  action: DeidAction
}

export interface DeidSummary {
  format: 'lus-review/deid-summary@1'
  patientKey: string
  studyUid: string | null
  seriesUid: string | null
  instanceUid: string | null
  modality: string | null
  sopClass: { uid: string; name: string } | null
  transferSyntax: { uid: string; name: string }
  manufacturer: string | null
  image: {
    rows: number
    columns: number
    frames: number
    photometricInterpretation: string
    samplesPerPixel: number
    bitsAllocated: number
    frameRate: number | null
    frameRateSource: string | null
  }
  patient: { sex: 'M' | 'F' | 'O' | null; ageYears: number | null }
  burnedInAnnotation: 'YES' | 'NO' | null
  deidentification: {
    profile: string
    options: string[]
    /** CID 7050 codes, as a DICOM De-identification Method Code Sequence would carry them. */
    methodCodes: { code: string; meaning: string }[]
    counts: Record<DeidAction, number>
  }
  report: DeidReportItem[]
}

export interface DeidResult {
  summary: DeidSummary
  patientKey: string
  /** Keyed digest of the SOP Instance UID: the same instance imported twice is recognised without storing its UID. */
  instanceKey: string
  phi: PhiDigest[]
  warnings: string[]
}

/** Attributes whose values identify someone, registered for the PHI scan (wherever they occur). */
const PHI_SOURCES: Record<string, PhiKind> = {
  '00100010': 'patient name',
  '00101001': 'patient name',
  '00101005': 'patient name',
  '00101060': 'patient name',
  '00100020': 'patient ID',
  '00101000': 'patient ID',
  '00101090': 'patient ID',
  '00380010': 'patient ID',
  '00380060': 'patient ID',
  '00100030': 'birth date',
  '00101040': 'address',
  '00401102': 'address',
  '00080092': 'address',
  '00080081': 'address',
  '00102154': 'telephone',
  '00401103': 'telephone',
  '00080094': 'telephone',
  '00080080': 'institution',
  '00081040': 'institution',
  '00081010': 'institution',
  '00080090': 'staff name',
  '00081050': 'staff name',
  '00081070': 'staff name',
  '00081060': 'staff name',
  '00081048': 'staff name',
  '00321032': 'staff name',
  '00400006': 'staff name',
  '0040A123': 'staff name',
  '0040A075': 'staff name',
  '00404037': 'staff name',
  '00700084': 'staff name',
  '300E0008': 'staff name',
  '00080050': 'accession number',
  '00402016': 'other identifier',
  '00402017': 'other identifier',
  '00200010': 'other identifier'
}

/**
 * Attributes the import uses (to decode pixels, or in the summary): reported
 * as kept. Everything else the profile does not list is simply not carried.
 */
const USED: Record<string, string> = {
  '00020000': 'File Meta Information Group Length',
  '00020001': 'File Meta Information Version',
  '00020002': 'Media Storage SOP Class UID',
  '00020010': 'Transfer Syntax UID',
  '00080005': 'Specific Character Set',
  '00080016': 'SOP Class UID',
  '00080060': 'Modality',
  '00080070': 'Manufacturer',
  '00180040': 'Cine Rate',
  '00181063': 'Frame Time',
  '00181065': 'Frame Time Vector',
  '00082144': 'Recommended Display Frame Rate',
  '00280002': 'Samples per Pixel',
  '00280004': 'Photometric Interpretation',
  '00280006': 'Planar Configuration',
  '00280008': 'Number of Frames',
  '00280010': 'Rows',
  '00280011': 'Columns',
  '00280100': 'Bits Allocated',
  '00280101': 'Bits Stored',
  '00280102': 'High Bit',
  '00280103': 'Pixel Representation',
  '00280301': 'Burned In Annotation',
  '00281050': 'Window Center',
  '00281051': 'Window Width',
  '00281052': 'Rescale Intercept',
  '00281053': 'Rescale Slope',
  '00281101': 'Red Palette Color Lookup Table Descriptor',
  '00281102': 'Green Palette Color Lookup Table Descriptor',
  '00281103': 'Blue Palette Color Lookup Table Descriptor',
  '00281201': 'Red Palette Color Lookup Table Data',
  '00281202': 'Green Palette Color Lookup Table Data',
  '00281203': 'Blue Palette Color Lookup Table Data',
  '7FE00010': 'Pixel Data'
}

/** The Retain Patient Characteristics Option keeps these (their profile action is X or Z otherwise). */
const RETAINED: Record<string, string> = { '00100040': "Patient's Sex", '00101010': "Patient's Age" }

/** UIDs whose replacements the summary carries, so clips of one study/series stay grouped. */
const UID_SUMMARY = { study: '0020000D', series: '0020000E', instance: '00080018' } as const

/** Decodes a string value in the file's character set (UTF-8 or Latin-1; others read as Latin-1). */
function text(ds: DataSet, el: Element, utf8: boolean): string {
  const bytes = ds.byteArray.subarray(el.dataOffset, el.dataOffset + el.length)
  return new TextDecoder(utf8 ? 'utf-8' : 'latin1').decode(bytes).replace(/[\0 ]+$/, '').trim()
}

export function parseAge(value: string): number | null {
  const m = /^(\d{3})([DWMY])$/.exec(value.trim().toUpperCase())
  if (!m) return null
  const n = Number(m[1])
  const perYear = { D: 365, W: 52, M: 12, Y: 1 }[m[2] as 'D' | 'W' | 'M' | 'Y']
  return Math.floor(n / perYear)
}

interface Walk {
  report: DeidReportItem[]
  phi: PhiDigest[]
  utf8: boolean
}

function walk(ds: DataSet, prefix: string, w: Walk, keys: DeidKeys): void {
  for (const [key, el] of Object.entries(ds.elements)) {
    const tag = key.slice(1).toUpperCase()
    const path = `${prefix}${formatTag(tag)}`
    const entry = profileAction(tag)
    // Register identifying values before anything is dropped: the scan must know what to look for.
    const kind = PHI_SOURCES[tag] ?? (el.vr === 'PN' ? 'staff name' : undefined)
    if (kind && !el.items && el.length > 0) {
      for (const v of text(ds, el, w.utf8).split('\\')) w.phi.push(...phiDigests(keys, kind, v))
    }
    if (RETAINED[tag]) {
      w.report.push({ tag: path, name: RETAINED[tag]!, profileAction: entry?.action ?? null, action: 'retained' })
      continue
    }
    if (entry) {
      const action: DeidAction = entry.action === 'U' ? 'uid-replaced' : entry.action === 'K' ? 'kept' : 'removed'
      w.report.push({ tag: path, name: entry.name, profileAction: entry.action, action })
      // Removed sequences are still searched for identifying values (above, and in their items).
      if (el.items && action === 'removed') collectPhi(el, w, keys)
      continue
    }
    if (el.items) {
      w.report.push({ tag: path, name: 'Sequence', profileAction: null, action: 'not-carried' })
      el.items.forEach((item, i) => {
        if (item.dataSet) walk(item.dataSet, `${path}[${i + 1}]`, w, keys)
      })
      continue
    }
    const used = prefix === '' ? USED[tag] : undefined
    w.report.push({ tag: path, name: used ?? 'Attribute not listed by the profile', profileAction: null, action: used ? 'kept' : 'not-carried' })
  }
}

/** Identifying values inside a sequence the profile removes whole. */
function collectPhi(el: Element, w: Walk, keys: DeidKeys): void {
  for (const item of el.items ?? []) {
    const ds = item.dataSet
    if (!ds) continue
    for (const [key, inner] of Object.entries(ds.elements)) {
      const tag = key.slice(1).toUpperCase()
      const kind = PHI_SOURCES[tag] ?? (inner.vr === 'PN' ? 'staff name' : undefined)
      if (inner.items) collectPhi(inner, w, keys)
      else if (kind && inner.length > 0) for (const v of text(ds, inner, w.utf8).split('\\')) w.phi.push(...phiDigests(keys, kind, v))
    }
  }
}

export function deidentify(parsed: ParsedDicom, info: ImageInfo, keys: DeidKeys): DeidResult {
  const ds = parsed.dataSet
  const utf8 = (ds.string('x00080005') ?? '').includes('ISO_IR 192')
  const w: Walk = { report: [], phi: [], utf8 }
  walk(ds, '', w, keys)

  const str = (tag: string): string => {
    const el = ds.elements[`x${tag.toLowerCase()}`]
    return el && !el.items && el.length > 0 ? text(ds, el, utf8) : ''
  }
  const warnings: string[] = []
  const patientId = str('00100020')
  let key: string
  if (patientId) key = patientKey(keys, str('00100021'), patientId)
  else if (str('00100010') || str('00100030')) {
    key = patientKey(keys, 'name+birthdate', `${str('00100010')}\u0000${str('00100030')}`)
    warnings.push('The file has no Patient ID; clips were grouped by patient name and birth date instead.')
  } else {
    key = patientKey(keys, 'study', str(UID_SUMMARY.study) || parsed.name)
    warnings.push('The file names no patient (no Patient ID, name or birth date); its study is treated as its own patient.')
  }
  const uid = (tag: string): string | null => (str(tag) ? replaceUid(keys, str(tag)) : null)
  const instanceSource = str(UID_SUMMARY.instance) || str('00020003')
  const sex = str('00100040').toUpperCase()
  const burned = str('00280301').toUpperCase()
  if (burned === 'YES') warnings.push('The file says it carries burned-in annotation (0028,0301 = YES): crop to the image sector or mask the text before submitting.')
  else if (burned !== 'NO')
    warnings.push('Ultrasound and angiography images often carry burned-in text (names, dates, hospital) in the pixels, which no tag removal reaches: check the frames; crop or mask it.')

  const counts: Record<DeidAction, number> = { removed: 0, 'uid-replaced': 0, kept: 0, retained: 0, 'not-carried': 0 }
  for (const r of w.report) counts[r.action]++
  const sop = str('00080016') || str('00020002')
  const summary: DeidSummary = {
    format: 'lus-review/deid-summary@1',
    patientKey: key,
    studyUid: uid(UID_SUMMARY.study),
    seriesUid: uid(UID_SUMMARY.series),
    instanceUid: instanceSource ? replaceUid(keys, instanceSource) : null,
    modality: str('00080060') || null,
    sopClass: sop ? { uid: sop, name: sopClassName(sop) } : null,
    transferSyntax: { uid: parsed.transferSyntax.uid, name: parsed.transferSyntax.name },
    manufacturer: str('00080070') || null,
    image: {
      rows: info.rows,
      columns: info.columns,
      frames: info.frames,
      photometricInterpretation: info.photometric,
      samplesPerPixel: info.samplesPerPixel,
      bitsAllocated: info.bitsAllocated,
      frameRate: info.fps === null ? null : Math.round(info.fps * 1000) / 1000,
      frameRateSource: info.frameRateSource
    },
    patient: { sex: sex === 'M' || sex === 'F' || sex === 'O' ? sex : null, ageYears: parseAge(str('00101010')) },
    burnedInAnnotation: burned === 'YES' || burned === 'NO' ? burned : null,
    deidentification: {
      profile: 'DICOM PS3.15 Annex E Basic Application Level Confidentiality Profile',
      options: ['Retain Patient Characteristics Option (patient sex and age only)'],
      methodCodes: [
        { code: '113100', meaning: 'Basic Application Confidentiality Profile' },
        { code: '113108', meaning: 'Retain Patient Characteristics Option' }
      ],
      counts
    },
    report: w.report
  }
  const unique = new Map(w.phi.map((d) => [d.digest, d]))
  return {
    summary,
    patientKey: key,
    instanceKey: hmacHex(keys, 'instance', instanceSource || `${parsed.name}\u0000${parsed.sizeBytes}`).slice(0, 32),
    phi: [...unique.values()],
    warnings
  }
}
