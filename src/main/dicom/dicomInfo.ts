/**
 * What `lus-review dicom-info` prints: the technical facts of a DICOM file,
 * never its patient attributes, so the output can be pasted into an issue.
 */
import { UserError } from '../errors'
import { imageInfo } from './imageInfo'
import { readDicomFile } from './readDicom'
import { sopClassName } from './sopClasses'

export interface DicomInfo {
  file: string
  transferSyntaxUid: string
  transferSyntaxName: string
  sopClassUid: string | null
  sopClassName: string | null
  modality: string | null
  frames: number | null
  rows: number | null
  columns: number | null
  photometricInterpretation: string | null
  samplesPerPixel: number | null
  bitsAllocated: number | null
  frameRate: number | null
  frameRateSource: string | null
  /** Whether `import` can decode it; when not, `problem` says why. */
  importable: boolean
  problem: string | null
}

export function dicomInfo(path: string): DicomInfo {
  const parsed = readDicomFile(path, { allowUnsupported: true })
  const ds = parsed.dataSet
  const sop = ds.string('x00080016') ?? ds.string('x00020002') ?? null
  const base: DicomInfo = {
    file: parsed.name,
    transferSyntaxUid: parsed.transferSyntax.uid,
    transferSyntaxName: parsed.transferSyntax.name,
    sopClassUid: sop,
    sopClassName: sop ? sopClassName(sop) : null,
    modality: ds.string('x00080060') ?? null,
    frames: ds.elements.x00280008 ? (ds.intString('x00280008') ?? null) : ds.elements.x7fe00010 ? 1 : null,
    rows: ds.uint16('x00280010') ?? null,
    columns: ds.uint16('x00280011') ?? null,
    photometricInterpretation: ds.string('x00280004') ?? null,
    samplesPerPixel: ds.uint16('x00280002') ?? null,
    bitsAllocated: ds.uint16('x00280100') ?? null,
    frameRate: null,
    frameRateSource: null,
    importable: false,
    problem: null
  }
  if (parsed.transferSyntax.encoding === 'unsupported')
    return { ...base, problem: `${parsed.transferSyntax.name} (${parsed.transferSyntax.uid}) cannot be decoded by this version` }
  try {
    const info = imageInfo(parsed)
    return {
      ...base,
      frames: info.frames,
      frameRate: info.fps === null ? null : Math.round(info.fps * 1000) / 1000,
      frameRateSource: info.frameRateSource,
      importable: true
    }
  } catch (e) {
    if (e instanceof UserError) return { ...base, problem: e.message }
    throw e
  }
}
