/**
 * Frame-accurate control of a <video>: which frame is on screen, and moving
 * to an exact frame.
 *
 * The frame on screen is looked up in the played file's frame times, from the
 * presentation time of each frame the browser actually composites
 * (requestVideoFrameCallback's `mediaTime`; `currentTime` where that API is
 * missing). Seeking to frame k sets currentTime to the middle of k's display
 * interval, so the decoder lands on k whatever its rounding; while paused,
 * the frame last sought is the one shown.
 */
import { computed, onBeforeUnmount, ref, watch, type Ref } from 'vue'
import { clampFrame, frameAtTime, seekTimeForFrame, timeTolerance } from '../frames'

interface VideoFrameMetadataLike {
  mediaTime: number
}
type FrameCallback = (now: number, metadata: VideoFrameMetadataLike) => void
type VideoWithFrameCallback = HTMLVideoElement & {
  requestVideoFrameCallback?: (callback: FrameCallback) => number
  cancelVideoFrameCallback?: (handle: number) => void
}

export interface FrameClockOptions {
  video: Ref<HTMLVideoElement | null>
  /** Presentation time (s) of every frame of the played file, ascending. */
  times: Ref<readonly number[]>
  fps: Ref<number | null>
  /** Where the current frame (0-based) is written and read. */
  frame: Ref<number>
  rate: Ref<number>
  loop: Ref<boolean>
}

export function useFrameClock(options: FrameClockOptions) {
  const { video, times, fps, frame, rate, loop } = options
  const playing = ref(false)
  /** mediaTime of the last frame the browser presented (for display and tests); null before the first. */
  const presentedTime = ref<number | null>(null)
  const count = computed(() => times.value.length)
  const tolerance = computed(() => timeTolerance(times.value))

  let frameHandle: number | null = null
  let rafHandle: number | null = null
  let bound: VideoWithFrameCallback | null = null
  let settleOnPause = true

  const supportsFrameCallback = (v: VideoWithFrameCallback): boolean => typeof v.requestVideoFrameCallback === 'function'

  function onPresented(_now: number, metadata: VideoFrameMetadataLike): void {
    const v = bound
    if (v === null) return
    presentedTime.value = metadata.mediaTime
    // Paused: the frame last sought is authoritative; a late callback of an earlier seek must not undo it.
    if (!v.paused) frame.value = frameAtTime(times.value, metadata.mediaTime, tolerance.value)
    frameHandle = v.requestVideoFrameCallback?.(onPresented) ?? null
  }

  /** Fallback without requestVideoFrameCallback: sample currentTime once per animation frame while playing. */
  function sample(): void {
    const v = bound
    if (v === null) return
    if (!v.paused) {
      presentedTime.value = v.currentTime
      frame.value = frameAtTime(times.value, v.currentTime, tolerance.value)
      rafHandle = requestAnimationFrame(sample)
    } else rafHandle = null
  }

  function onPlay(): void {
    playing.value = true
    const v = bound
    if (v !== null && !supportsFrameCallback(v) && rafHandle === null) rafHandle = requestAnimationFrame(sample)
  }

  function onPause(): void {
    playing.value = false
    const v = bound
    const settle = settleOnPause
    settleOnPause = true
    if (v === null || !settle) return
    if (v.ended) {
      frame.value = Math.max(0, count.value - 1)
      return
    }
    // Settle on the frame that was on screen, at the middle of its interval, so stepping continues from it.
    const shown = frameAtTime(times.value, presentedTime.value ?? v.currentTime, tolerance.value)
    seekToFrame(shown)
  }

  function onLoaded(): void {
    const v = bound
    if (v === null) return
    v.defaultPlaybackRate = rate.value
    v.playbackRate = rate.value
    v.loop = loop.value
    presentedTime.value = null
    frame.value = 0
  }

  function bind(v: HTMLVideoElement | null): void {
    unbind()
    if (v === null) return
    bound = v
    v.addEventListener('play', onPlay)
    v.addEventListener('pause', onPause)
    v.addEventListener('loadedmetadata', onLoaded)
    if (supportsFrameCallback(v)) frameHandle = bound.requestVideoFrameCallback?.(onPresented) ?? null
  }

  function unbind(): void {
    const v = bound
    if (v === null) return
    if (frameHandle !== null) v.cancelVideoFrameCallback?.(frameHandle)
    if (rafHandle !== null) cancelAnimationFrame(rafHandle)
    frameHandle = null
    rafHandle = null
    v.removeEventListener('play', onPlay)
    v.removeEventListener('pause', onPause)
    v.removeEventListener('loadedmetadata', onLoaded)
    bound = null
    playing.value = false
  }

  watch(video, bind, { immediate: true })
  watch(rate, (r) => {
    if (bound) {
      bound.defaultPlaybackRate = r
      bound.playbackRate = r
    }
  })
  watch(loop, (l) => {
    if (bound) bound.loop = l
  })
  onBeforeUnmount(unbind)

  /** Shows exactly frame k (clamped to the clip), pausing playback first. */
  function seekToFrame(k: number): void {
    const v = bound
    const target = clampFrame(k, count.value)
    frame.value = target
    if (v === null || count.value === 0) return
    if (!v.paused) {
      // The pause event (queued) would settle on the frame on screen; the target wins.
      settleOnPause = false
      v.pause()
      playing.value = false
    }
    const time = seekTimeForFrame(times.value, target, fps.value)
    // Already there: Chromium takes a second seek to the same point of the last frame as reaching
    // the end, which with loop on shows frame 1 while the counter says the last.
    if (!v.seeking && Math.abs(v.currentTime - time) < 1e-6) return
    v.currentTime = time
  }

  const step = (delta: number): void => seekToFrame(frame.value + delta)

  function play(): void {
    const v = bound
    if (v === null || count.value <= 1) return
    // At the end without looping, playing starts over, as physicians expect from a clip viewer.
    if (frame.value >= count.value - 1 && !loop.value) v.currentTime = seekTimeForFrame(times.value, 0, fps.value)
    void v.play().catch(() => {
      playing.value = false
    })
  }

  function pause(): void {
    bound?.pause()
  }

  function toggle(): void {
    if (bound === null) return
    if (bound.paused) play()
    else pause()
  }

  return { playing, presentedTime, count, seekToFrame, step, play, pause, toggle }
}
