/**
 * Frames for the classifier from the clip's playback URL: a hidden <video>
 * is seeked to each sample time and drawn at its natural size (no scaling),
 * as docs/classifier.md prescribes; main's ffmpeg does the same at 3 Hz.
 */
import { MAX_FRAMES_PER_CLIP, SAMPLE_RATE_HZ, sampleIndices, sampleTime } from '../../../../shared/classifierPreprocess'
import type { FramePixels } from './protocol'

export type SampleMode = '3hz' | 'every'

/** The times to sample: 3 Hz (sampleTime(k), thinned to MAX_FRAMES_PER_CLIP) or every frame of the clip. */
export function sampleTimes(mode: SampleMode, duration: number, frameTimes: readonly number[], limit?: number): number[] {
  let times: number[]
  if (mode === 'every' && frameTimes.length > 0) times = [...frameTimes]
  else {
    // Sample k is the frame shown at k / 3 s, for every such time inside the clip (at least one).
    const count = Math.max(1, Math.ceil(duration * SAMPLE_RATE_HZ - 1e-9))
    const all = Array.from({ length: count }, (_, k) => sampleTime(k))
    times = sampleIndices(all.length, MAX_FRAMES_PER_CLIP).map((i) => all[i]!)
  }
  return limit !== undefined ? times.slice(0, limit) : times
}

export class FrameSampler {
  private readonly video: HTMLVideoElement
  private readonly canvas: HTMLCanvasElement
  private readonly ctx: CanvasRenderingContext2D

  constructor(private readonly url: string) {
    this.video = document.createElement('video')
    this.video.muted = true
    this.video.preload = 'auto'
    this.video.playsInline = true
    this.video.crossOrigin = 'anonymous'
    this.canvas = document.createElement('canvas')
    const ctx = this.canvas.getContext('2d', { willReadFrequently: true })
    if (!ctx) throw new Error('No 2D canvas is available to read frames.')
    this.ctx = ctx
  }

  /** Loads the clip; resolves with its duration (s). */
  open(): Promise<number> {
    return new Promise((resolve, reject) => {
      const v = this.video
      v.onloadeddata = () => resolve(Number.isFinite(v.duration) ? v.duration : 0)
      v.onerror = () => reject(new Error(`The clip could not be decoded for the classifier (media error ${v.error?.code ?? '?'}).`))
      v.src = this.url
      v.load()
    })
  }

  /** The frame shown at `time`, as RGBA pixels at the video's natural size. */
  async grab(time: number): Promise<FramePixels> {
    const v = this.video
    await new Promise<void>((resolve, reject) => {
      const done = (): void => {
        v.removeEventListener('seeked', done)
        v.removeEventListener('error', fail)
        resolve()
      }
      const fail = (): void => {
        v.removeEventListener('seeked', done)
        v.removeEventListener('error', fail)
        reject(new Error('Seeking the clip failed.'))
      }
      v.addEventListener('seeked', done)
      v.addEventListener('error', fail)
      v.currentTime = time
    })
    const w = v.videoWidth
    const h = v.videoHeight
    if (w === 0 || h === 0) throw new Error('The clip has no picture to classify.')
    if (this.canvas.width !== w || this.canvas.height !== h) {
      this.canvas.width = w
      this.canvas.height = h
    }
    this.ctx.drawImage(v, 0, 0, w, h)
    const image = this.ctx.getImageData(0, 0, w, h)
    return { data: image.data, width: w, height: h }
  }

  close(): void {
    this.video.removeAttribute('src')
    this.video.load()
  }
}

/** A still image (the player's `image` source) is one sample. */
export async function grabImage(url: string): Promise<FramePixels> {
  const img = new Image()
  img.crossOrigin = 'anonymous'
  img.src = url
  await img.decode()
  const canvas = document.createElement('canvas')
  canvas.width = img.naturalWidth
  canvas.height = img.naturalHeight
  const ctx = canvas.getContext('2d', { willReadFrequently: true })
  if (!ctx) throw new Error('No 2D canvas is available to read frames.')
  ctx.drawImage(img, 0, 0)
  const image = ctx.getImageData(0, 0, canvas.width, canvas.height)
  return { data: image.data, width: canvas.width, height: canvas.height }
}
