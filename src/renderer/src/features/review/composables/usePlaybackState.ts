/**
 * What the player's stage shows for the clip it was given: loading, a
 * playable copy being prepared (with progress), an error, no media, media
 * missing or changed, or the picture itself, and the words for each alert.
 * Kept apart from Player.vue so the component is its layout and controls.
 */
import { computed, ref, type ComputedRef, type Ref } from 'vue'
import { frameCounterText } from '../frames'
import { usePlayerStore } from '../stores/playerStore'

export function usePlaybackState(options: {
  /** The catalog media shown (null: none, or a reader-study clip). */
  mediaId: () => number | null
  /** A reader-study clip's number while rating on a reader workstation, else null. */
  studyClipNo: ComputedRef<number | null>
  /** Rating blind: alerts name no file. */
  rating: () => boolean
  relPath: () => string | null
  times: ComputedRef<readonly number[]>
  video: Ref<HTMLVideoElement | null>
}) {
  const player = usePlayerStore()
  /** Why the browser could not play what main served (set by the <video>'s error event). */
  const mediaError = ref<string | null>(null)

  const state = computed(() => {
    if (options.mediaId() === null && options.studyClipNo.value === null) return 'no-media'
    if (player.error !== null) return 'error'
    const p = player.playback
    if (p === null) return 'loading'
    if (p.state === 'ready' && mediaError.value !== null) return 'failed'
    return p.state
  })
  const isVideo = computed(() => state.value === 'ready' && !player.isImage)
  const isImage = computed(() => state.value === 'ready' && player.isImage)
  const canStep = computed(() => isVideo.value && player.frameCount > 1)
  const counterText = computed(() =>
    state.value === 'ready' ? frameCounterText(player.frame, player.frameCount, options.times.value) : 'frame – / –'
  )
  /** null while main cannot tell how far along it is (probing frame times, a job still queued). */
  const progressPercent = computed(() => {
    const p = player.playback?.progress
    return p === null || p === undefined ? null : Math.round(p * 100)
  })

  const alertText = computed(() => {
    const rating = options.rating()
    const where = rating ? 'the file' : (options.relPath() ?? 'the media file')
    switch (state.value) {
      case 'no-media':
        return rating
          ? 'This clip has no media file on this machine, so it cannot be rated here.'
          : 'No media file is linked to this entry: no file in the dataset folder has its name.'
      case 'missing':
        return `The media file is missing: ${where} is no longer in the dataset folder.`
      case 'changed':
        return `The media file changed since it was imported: ${where} no longer has the content that was reviewed.`
      case 'failed':
        return `This clip cannot be played: ${mediaError.value ?? player.playback?.error ?? 'no playable form could be made.'}`
      default:
        return ''
    }
  })

  function onVideoError(): void {
    const code = options.video.value?.error?.code
    mediaError.value =
      code === MediaError.MEDIA_ERR_SRC_NOT_SUPPORTED
        ? 'the browser does not support this format.'
        : code === MediaError.MEDIA_ERR_DECODE
          ? 'the file could not be decoded.'
          : 'the file could not be loaded.'
  }

  return { mediaError, state, isVideo, isImage, canStep, counterText, progressPercent, alertText, onVideoError }
}
