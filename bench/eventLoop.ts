import { monitorEventLoopDelay } from 'node:perf_hooks'

/**
 * The longest the event loop was stopped while watched, in ms (bench and the
 * liveness tests). perf_hooks' monitorEventLoopDelay was seen to record
 * nothing (inside vitest's fork workers) or to miss a stop of seconds (tsx),
 * so a 5 ms interval timer measures late ticks too; the larger figure counts.
 */
export function watchEventLoop(): { maxMs: () => number; stop: () => void } {
  const histogram = monitorEventLoopDelay({ resolution: 5 })
  histogram.enable()
  const period = 5
  let last = performance.now()
  let worst = 0
  const timer = setInterval(() => {
    const now = performance.now()
    worst = Math.max(worst, now - last - period)
    last = now
  }, period)
  return {
    maxMs: () => Math.max(worst, performance.now() - last - period, histogram.count > 0 ? histogram.max / 1e6 : 0),
    stop: () => {
      clearInterval(timer)
      histogram.disable()
    }
  }
}
