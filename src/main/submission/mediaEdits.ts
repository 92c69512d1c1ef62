/**
 * Crop, trim and masks: the dataset's crop.json form
 * `[[top, left, size], [start_frame, end_frame]]` and its meaning as the
 * dataset's own script (crop_processed_data.py) applied it: rows
 * top..top+size and columns left..left+size of each frame, frames
 * start..start+floor(end-start)-1 (end may be fractional; for images the
 * pair is ignored). Masks are rectangles blanked before the crop.
 * Applied by ffmpeg on export (renderEdited.ts), never to the originals.
 */
import { z } from 'zod'
import { UserError } from '../errors'

export interface Crop {
  top: number
  left: number
  size: number
}
export interface Trim {
  start: number
  end: number
}
export interface MaskRect {
  x: number
  y: number
  width: number
  height: number
}
export interface MediaEdits {
  crop: Crop | null
  trim: Trim | null
  masks: MaskRect[]
}

export interface MediaGeometry {
  kind: 'video' | 'image'
  width: number
  height: number
  /** Null when unknown (then trims are checked when the file is rendered). */
  frames: number | null
}

export const hasEdits = (e: MediaEdits): boolean => e.crop !== null || e.trim !== null || e.masks.length > 0

/** Frames a trim keeps, as the dataset's script counts them: `int(end - start)`. */
export const trimFrameCount = (t: Trim): number => Math.floor(t.end - t.start)

const nonNegInt = z.number().int().nonnegative()
const cropEntrySchema = z.tuple([z.tuple([nonNegInt, nonNegInt, z.number().int().positive()]), z.tuple([z.number(), z.number()])])
const cropJsonSchema = z.record(z.string().min(1), cropEntrySchema)

export interface CropJsonEntry {
  /** The key as written, e.g. `pocus_videos/convex/Reg-Youtube.mp4`. */
  key: string
  /** File name without folder and extension: how entries are matched (by their Filename cell). */
  stem: string
  crop: Crop
  /** Null when the pair selects nothing (images: `[0, 0.0]`, `[0, 1.0]`, or OpenCV's `-9.2e18`). */
  trim: Trim | null
}

export function stemOfKey(key: string): string {
  const base = key.split('/').pop()!
  const dot = base.lastIndexOf('.')
  return dot > 0 ? base.slice(0, dot) : base
}

/** The probe a key's folder names (`pocus_videos/linear/…` → linear), if any. */
export function probeOfKey(key: string): 'convex' | 'linear' | null {
  const m = /(^|\/)(convex|linear)(\/|$)/i.exec(key)
  return m ? (m[2]!.toLowerCase() as 'convex' | 'linear') : null
}

/**
 * Of several rows sharing a file name (the dataset has two "Reg-nephropocus",
 * one convex and one linear), the ones whose probe the key's folder names.
 */
export function narrowByProbe<T extends { probe: string }>(key: string, rows: T[]): T[] {
  if (rows.length < 2) return rows
  const p = probeOfKey(key)
  const same = rows.filter((r) => r.probe.trim().toLowerCase() === p)
  return same.length > 0 ? same : rows
}

const isImageKey = (key: string): boolean => /^pocus_images\//i.test(key) || /\.(png|jpe?g)$/i.test(key)

/** Parses crop.json; every problem names the key it is in. */
export function parseCropJson(text: string, fileName = 'crop.json'): CropJsonEntry[] {
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (e) {
    throw new UserError('bad_input', `${fileName} is not valid JSON: ${(e as Error).message}`)
  }
  const parsed = cropJsonSchema.safeParse(json)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!
    const key = issue.path[0]
    throw new UserError(
      'bad_input',
      `${fileName}${key !== undefined ? ` entry "${String(key)}"` : ''}: expected [[top, left, size], [start_frame, end_frame]] with whole, non-negative pixel values (${issue.message}).`
    )
  }
  return Object.entries(parsed.data).map(([key, [[top, left, size], [start, end]]]) => {
    const usableTrim = !isImageKey(key) && Number.isFinite(end) && end > start && start >= 0 && Number.isInteger(start)
    return { key, stem: stemOfKey(key), crop: { top, left, size }, trim: usableTrim ? { start, end } : null }
  })
}

/** The crop.json value for one entry; videos without a trim get their full length, images `[0, 1.0]` as in the dataset. */
export function cropJsonValue(crop: Crop, trim: Trim | null, geometry: { kind: 'video' | 'image'; frames: number | null }): [[number, number, number], [number, number]] {
  const pair: [number, number] = trim ? [trim.start, trim.end] : geometry.kind === 'image' ? [0, 1.0] : [0, geometry.frames ?? 0]
  return [[crop.top, crop.left, crop.size], pair]
}

/** Throws a message naming the offending value when the edits do not fit the media. */
export function validateEdits(e: MediaEdits, g: MediaGeometry, what: string): void {
  if (e.crop) {
    const { top, left, size } = e.crop
    if (!Number.isInteger(top) || !Number.isInteger(left) || !Number.isInteger(size) || top < 0 || left < 0 || size < 1)
      throw new UserError('bad_input', `${what}: the crop [${top}, ${left}, ${size}] must be whole pixels, top and left ≥ 0, size ≥ 1.`)
    if (top + size > g.height || left + size > g.width)
      throw new UserError(
        'bad_input',
        `${what}: the crop [top ${top}, left ${left}, size ${size}] reaches outside the ${g.width}×${g.height} frame ` +
          `(it needs rows ${top}–${top + size - 1} and columns ${left}–${left + size - 1}; the frame has rows 0–${g.height - 1} and columns 0–${g.width - 1}).`
      )
  }
  if (e.trim) {
    if (g.kind === 'image') throw new UserError('bad_input', `${what}: an image has no frames to trim.`)
    const { start, end } = e.trim
    if (!Number.isInteger(start) || start < 0 || !(end > start) || trimFrameCount(e.trim) < 1)
      throw new UserError('bad_input', `${what}: the trim [${start}, ${end}] must start at a whole frame ≥ 0 and keep at least one frame.`)
    if (g.frames !== null && start + trimFrameCount(e.trim) > g.frames)
      throw new UserError('bad_input', `${what}: the trim [${start}, ${end}] needs frames ${start}–${start + trimFrameCount(e.trim) - 1}, but the clip has ${g.frames} frames (0–${g.frames - 1}).`)
  }
  e.masks.forEach((m, i) => {
    if (![m.x, m.y, m.width, m.height].every(Number.isInteger) || m.x < 0 || m.y < 0 || m.width < 1 || m.height < 1)
      throw new UserError('bad_input', `${what}: mask ${i + 1} must be whole pixels with x, y ≥ 0 and a size of at least 1×1.`)
    if (m.x + m.width > g.width || m.y + m.height > g.height)
      throw new UserError('bad_input', `${what}: mask ${i + 1} (${m.width}×${m.height} at ${m.x},${m.y}) reaches outside the ${g.width}×${g.height} frame.`)
  })
}

/** The ffmpeg filter chain: trim (exact frames), masks, crop, then even sides for 4:2:0. */
export function editFilters(e: MediaEdits, kind: 'video' | 'image'): string[] {
  const f: string[] = []
  if (e.trim && kind === 'video') f.push(`trim=start_frame=${e.trim.start}:end_frame=${e.trim.start + trimFrameCount(e.trim)}`, 'setpts=PTS-STARTPTS')
  if (e.masks.length > 0) {
    // drawbox needs a planar/packed format (GIFs decode to a palette).
    f.push('format=yuv444p')
    for (const m of e.masks) f.push(`drawbox=x=${m.x}:y=${m.y}:w=${m.width}:h=${m.height}:color=black:t=fill`)
  }
  if (e.crop) f.push(`crop=${e.crop.size}:${e.crop.size}:${e.crop.left}:${e.crop.top}`)
  return f
}

/**
 * The "ChangesMade" cell in the dataset's words ("Cropping", "Cropping,
 * frame subselection", "Cropping, Artifact removal, frame subselection"):
 * an empty or "N.A." cell is replaced, anything else gets the missing parts appended.
 */
export function changesMade(existing: string, e: MediaEdits): string {
  const parts: string[] = []
  if (e.crop) parts.push('Cropping')
  if (e.masks.length > 0) parts.push('Artifact removal')
  if (e.trim) parts.push('frame subselection')
  const cur = existing.trim()
  if (parts.length === 0) return existing
  if (cur === '' || /^n\.?\s*a\.?$/i.test(cur)) return parts.join(', ')
  const lower = cur.toLowerCase()
  const missing = parts.filter((p) => {
    if (p === 'Cropping') return !lower.includes('crop')
    if (p === 'frame subselection') return !lower.includes('frame subselection') && !lower.includes('trim')
    return !lower.includes('artifact removal')
  })
  return missing.length === 0 ? existing : `${cur}, ${missing.join(', ')}`
}
