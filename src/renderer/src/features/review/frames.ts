/**
 * Frame arithmetic for the player, pure so it can be reasoned about (and
 * tested) apart from the <video> element.
 *
 * `times` is the played file's frameTimes: the presentation time (s) of every
 * frame, ascending; frame k is shown from times[k] until times[k + 1].
 */

/**
 * How far past a frame's presentation time a reported media time may fall
 * short and still count as that frame: the browser reports mediaTime in
 * microseconds, the backend's times come from the container's time base.
 */
export function timeTolerance(times: readonly number[]): number {
  let smallest = Number.POSITIVE_INFINITY
  for (let i = 1; i < times.length; i++) {
    const gap = (times[i] ?? 0) - (times[i - 1] ?? 0)
    if (gap > 0 && gap < smallest) smallest = gap
  }
  return Number.isFinite(smallest) ? Math.min(0.002, smallest / 4) : 0.002
}

/** The frame on screen at media time `t`: the last one whose presentation time is at or before it. */
export function frameAtTime(times: readonly number[], t: number, tolerance = timeTolerance(times)): number {
  if (times.length === 0) return 0
  let lo = 0
  let hi = times.length - 1
  let found = 0
  while (lo <= hi) {
    const mid = (lo + hi) >> 1
    if ((times[mid] ?? 0) <= t + tolerance) {
      found = mid
      lo = mid + 1
    } else hi = mid - 1
  }
  return found
}

/** Clamps a frame index into the clip. */
export const clampFrame = (frame: number, count: number): number =>
  count <= 0 ? 0 : Math.min(count - 1, Math.max(0, Math.round(frame)))

/**
 * Where to set currentTime to show frame k: the middle of its display
 * interval, so rounding in the decoder or the time base cannot land on a
 * neighbour. The last frame has no successor: half a frame past it.
 */
export function seekTimeForFrame(times: readonly number[], frame: number, fps: number | null): number {
  if (times.length === 0) return 0
  const k = clampFrame(frame, times.length)
  const start = times[k] ?? 0
  const next = times[k + 1]
  if (next !== undefined) return (start + next) / 2
  const previous = times[k - 1]
  const halfFrame = fps !== null && fps > 0 ? 0.5 / fps : previous !== undefined ? (start - previous) / 2 : 0
  return start + halfFrame
}

/** `frame 37 / 120 · 1.23 s`: 1-based frame number, the frame's presentation time. */
export function frameCounterText(frame: number, count: number, times: readonly number[]): string {
  const n = Math.max(count, 0)
  const k = clampFrame(frame, n)
  const t = times[k] ?? 0
  return `frame ${n === 0 ? 0 : k + 1} / ${n} · ${t.toFixed(2)} s`
}
