/**
 * Geometry of the crop editor, in source pixels of the linked file: squares
 * (the dataset's crop.json form) kept inside the frame, and mask rectangles.
 */
export interface Crop {
  top: number
  left: number
  size: number
}
export interface Rect {
  x: number
  y: number
  width: number
  height: number
}
export interface Point {
  x: number
  y: number
}

const clamp = (v: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, v))

/** The square dragged from `a` to `b`: its side is the longer drag, cut to what fits the frame from `a` that way. */
export function squareFromDrag(a: Point, b: Point, width: number, height: number): Crop | null {
  const dx = b.x - a.x
  const dy = b.y - a.y
  const room = Math.min(dx >= 0 ? width - a.x : a.x, dy >= 0 ? height - a.y : a.y)
  const size = Math.round(Math.min(Math.max(Math.abs(dx), Math.abs(dy)), room))
  if (size < 2) return null
  const left = Math.round(dx >= 0 ? a.x : a.x - size)
  const top = Math.round(dy >= 0 ? a.y : a.y - size)
  return fitCrop({ top, left, size }, width, height)
}

/** A rectangle dragged from `a` to `b`, inside the frame; null when too small to mean anything. */
export function rectFromDrag(a: Point, b: Point, width: number, height: number): Rect | null {
  const x0 = clamp(Math.min(a.x, b.x), 0, width)
  const y0 = clamp(Math.min(a.y, b.y), 0, height)
  const x1 = clamp(Math.max(a.x, b.x), 0, width)
  const y1 = clamp(Math.max(a.y, b.y), 0, height)
  const r = { x: Math.round(x0), y: Math.round(y0), width: Math.round(x1 - x0), height: Math.round(y1 - y0) }
  return r.width < 2 || r.height < 2 ? null : r
}

/** Moves a square inside the frame (the size shrinks only if the frame is smaller). */
export function fitCrop(crop: Crop, width: number, height: number): Crop {
  const size = clamp(Math.round(crop.size), 1, Math.max(1, Math.min(width, height)))
  return {
    size,
    top: clamp(Math.round(crop.top), 0, Math.max(0, height - size)),
    left: clamp(Math.round(crop.left), 0, Math.max(0, width - size))
  }
}

/** Keyboard nudging: move by (dx, dy) or grow by `grow` (centre kept), staying in the frame. */
export function nudgeCrop(crop: Crop, dx: number, dy: number, grow: number, width: number, height: number): Crop {
  const half = Math.trunc(grow / 2)
  return fitCrop({ top: crop.top + dy - half, left: crop.left + dx - half, size: crop.size + grow }, width, height)
}

/** The largest centred square of a frame: the starting crop. */
export function defaultCrop(width: number, height: number): Crop {
  const size = Math.min(width, height)
  return { top: Math.floor((height - size) / 2), left: Math.floor((width - size) / 2), size }
}

/** Where a `contain`-fitted picture of `mw × mh` sits inside a `vw × vh` box, and its scale. */
export function containRect(vw: number, vh: number, mw: number, mh: number): { x: number; y: number; scale: number } {
  if (mw <= 0 || mh <= 0 || vw <= 0 || vh <= 0) return { x: 0, y: 0, scale: 1 }
  const scale = Math.min(vw / mw, vh / mh)
  return { x: (vw - mw * scale) / 2, y: (vh - mh * scale) / 2, scale }
}
