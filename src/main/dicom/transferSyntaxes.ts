/**
 * Transfer syntaxes by UID: what each is called, and whether the import can
 * decode it. Unsupported ones are named in the refusal, so a user knows what
 * to ask the modality (or a converter such as dcmtk's dcmdjpeg) for.
 */

export type PixelEncoding = 'native' | 'rle' | 'jpeg-baseline' | 'unsupported'

export interface TransferSyntax {
  uid: string
  name: string
  /** How pixel data is stored; 'unsupported' is refused with the name and UID. */
  encoding: PixelEncoding
  /** Explicit VR little endian dataset encoding (dicom-parser reads both, but VRs differ in implicit). */
  explicitVr: boolean
}

const TS: readonly TransferSyntax[] = [
  { uid: '1.2.840.10008.1.2', name: 'Implicit VR Little Endian', encoding: 'native', explicitVr: false },
  { uid: '1.2.840.10008.1.2.1', name: 'Explicit VR Little Endian', encoding: 'native', explicitVr: true },
  { uid: '1.2.840.10008.1.2.5', name: 'RLE Lossless', encoding: 'rle', explicitVr: true },
  { uid: '1.2.840.10008.1.2.4.50', name: 'JPEG Baseline (Process 1)', encoding: 'jpeg-baseline', explicitVr: true },
  // Refused: each needs a codec this build does not carry (or, for big endian and deflate, a retired or rare encoding).
  { uid: '1.2.840.10008.1.2.1.99', name: 'Deflated Explicit VR Little Endian', encoding: 'unsupported', explicitVr: true },
  { uid: '1.2.840.10008.1.2.2', name: 'Explicit VR Big Endian (retired)', encoding: 'unsupported', explicitVr: true },
  { uid: '1.2.840.10008.1.2.4.51', name: 'JPEG Extended (Process 2 & 4)', encoding: 'unsupported', explicitVr: true },
  { uid: '1.2.840.10008.1.2.4.57', name: 'JPEG Lossless, Non-Hierarchical (Process 14)', encoding: 'unsupported', explicitVr: true },
  { uid: '1.2.840.10008.1.2.4.70', name: 'JPEG Lossless, First-Order Prediction (Process 14, SV1)', encoding: 'unsupported', explicitVr: true },
  { uid: '1.2.840.10008.1.2.4.80', name: 'JPEG-LS Lossless', encoding: 'unsupported', explicitVr: true },
  { uid: '1.2.840.10008.1.2.4.81', name: 'JPEG-LS Lossy (Near-Lossless)', encoding: 'unsupported', explicitVr: true },
  { uid: '1.2.840.10008.1.2.4.90', name: 'JPEG 2000 Lossless', encoding: 'unsupported', explicitVr: true },
  { uid: '1.2.840.10008.1.2.4.91', name: 'JPEG 2000', encoding: 'unsupported', explicitVr: true },
  { uid: '1.2.840.10008.1.2.4.92', name: 'JPEG 2000 Part 2 Multi-component Lossless', encoding: 'unsupported', explicitVr: true },
  { uid: '1.2.840.10008.1.2.4.93', name: 'JPEG 2000 Part 2 Multi-component', encoding: 'unsupported', explicitVr: true },
  { uid: '1.2.840.10008.1.2.4.100', name: 'MPEG2 Main Profile @ Main Level', encoding: 'unsupported', explicitVr: true },
  { uid: '1.2.840.10008.1.2.4.101', name: 'MPEG2 Main Profile @ High Level', encoding: 'unsupported', explicitVr: true },
  { uid: '1.2.840.10008.1.2.4.102', name: 'MPEG-4 AVC/H.264 High Profile / Level 4.1', encoding: 'unsupported', explicitVr: true },
  { uid: '1.2.840.10008.1.2.4.103', name: 'MPEG-4 AVC/H.264 BD-compatible High Profile / Level 4.1', encoding: 'unsupported', explicitVr: true },
  { uid: '1.2.840.10008.1.2.4.104', name: 'MPEG-4 AVC/H.264 High Profile / Level 4.2 For 2D Video', encoding: 'unsupported', explicitVr: true },
  { uid: '1.2.840.10008.1.2.4.105', name: 'MPEG-4 AVC/H.264 High Profile / Level 4.2 For 3D Video', encoding: 'unsupported', explicitVr: true },
  { uid: '1.2.840.10008.1.2.4.106', name: 'MPEG-4 AVC/H.264 Stereo High Profile / Level 4.2', encoding: 'unsupported', explicitVr: true },
  { uid: '1.2.840.10008.1.2.4.107', name: 'HEVC/H.265 Main Profile / Level 5.1', encoding: 'unsupported', explicitVr: true },
  { uid: '1.2.840.10008.1.2.4.108', name: 'HEVC/H.265 Main 10 Profile / Level 5.1', encoding: 'unsupported', explicitVr: true },
  { uid: '1.2.840.10008.1.2.4.201', name: 'High-Throughput JPEG 2000 Lossless', encoding: 'unsupported', explicitVr: true },
  { uid: '1.2.840.10008.1.2.4.203', name: 'High-Throughput JPEG 2000', encoding: 'unsupported', explicitVr: true }
]

const BY_UID = new Map(TS.map((t) => [t.uid, t]))

export function transferSyntax(uid: string): TransferSyntax {
  return BY_UID.get(uid) ?? { uid, name: 'unknown transfer syntax', encoding: 'unsupported', explicitVr: true }
}

export function transferSyntaxName(uid: string): string {
  return transferSyntax(uid).name
}

/** The syntaxes the import decodes, for messages and docs. */
export const SUPPORTED_TRANSFER_SYNTAXES = TS.filter((t) => t.encoding !== 'unsupported')
