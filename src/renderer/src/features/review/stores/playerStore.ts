/**
 * What the player plays: main's playback facts for the open clip's media
 * (which file, every frame's presentation time, or why it cannot play),
 * polled while a proxy is being made; the relink of a missing or changed
 * file; and the viewing preferences a reviewer keeps from clip to clip.
 *
 * On a reader workstation there is no catalog media: the player plays a
 * study clip by its number (`loadStudyClip`), whose facts come from the
 * study's manifest and never name the source file.
 */
import { defineStore } from 'pinia'
import { computed, ref, shallowRef, watch } from 'vue'
import type { Playback } from '../../../../../shared/contract'
import { useApi } from '../../../api'
import { mediaUrl, studyClipUrl } from '../../../api/client'
import { useCatalogStore } from '../../catalog'
import { useReviewStore } from './reviewStore'

const POLL_INTERVAL_MS = 500
export const SPEEDS = [0.1, 0.25, 0.5, 0.75, 1, 1.5, 2, 3, 4] as const
const PREFS_KEY = 'lus-review.player'

interface Prefs {
  rate: number
  loop: boolean
}

function readPrefs(): Prefs {
  try {
    const parsed: unknown = JSON.parse(window.localStorage.getItem(PREFS_KEY) ?? '{}')
    const p = typeof parsed === 'object' && parsed !== null ? (parsed as Partial<Prefs>) : {}
    return {
      rate: typeof p.rate === 'number' && (SPEEDS as readonly number[]).includes(p.rate) ? p.rate : 1,
      loop: typeof p.loop === 'boolean' ? p.loop : true
    }
  } catch {
    return { rate: 1, loop: true }
  }
}

/** What the player needs of main's playback answer; a study clip's has no catalog media id. */
export type PlaybackFacts = Omit<Playback, 'mediaId'>

export const usePlayerStore = defineStore('player', () => {
  const api = useApi()

  const mediaId = ref<number | null>(null)
  /** The reader-study clip on screen (reader workstation only); null otherwise. */
  const studyClipNo = ref<number | null>(null)
  const playback = shallowRef<PlaybackFacts | null>(null)
  const loading = ref(false)
  const error = ref<string | null>(null)
  const relinking = ref(false)
  const relinkError = ref<string | null>(null)
  let request = 0
  let pollTimer: ReturnType<typeof setTimeout> | null = null

  /** The frame on screen (0-based), as the player reports it; read by the key-frame marker. */
  const frame = ref(0)

  const prefs = readPrefs()
  const rate = ref(prefs.rate)
  const loop = ref(prefs.loop)
  watch([rate, loop], () => {
    try {
      window.localStorage.setItem(PREFS_KEY, JSON.stringify({ rate: rate.value, loop: loop.value }))
    } catch {
      // Storage may be unavailable (private mode); preferences then last for the session.
    }
  })

  const frameTimes = computed<readonly number[]>(() => playback.value?.frameTimes ?? [])
  const frameCount = computed(() => {
    const p = playback.value
    if (p === null) return 0
    return p.frameTimes.length > 0 ? p.frameTimes.length : p.frameCount
  })
  const ready = computed(() => playback.value?.state === 'ready')
  const isImage = computed(() => playback.value?.source === 'image')
  const source = computed(() => {
    if (!ready.value) return null
    if (studyClipNo.value !== null) return studyClipUrl(studyClipNo.value)
    return mediaId.value === null ? null : mediaUrl(mediaId.value, 'playback')
  })

  function stopPolling(): void {
    if (pollTimer !== null) clearTimeout(pollTimer)
    pollTimer = null
  }

  async function fetchPlayback(id: number, mine: number): Promise<void> {
    const result = await api['media/playback']({ mediaId: id })
    if (mine !== request) return
    loading.value = false
    if (!result.ok) {
      error.value = result.error.message
      playback.value = null
      return
    }
    error.value = null
    playback.value = result.value
    if (result.value.state === 'preparing') {
      pollTimer = setTimeout(() => void fetchPlayback(id, mine), POLL_INTERVAL_MS)
    }
  }

  /** Whether the clip asked for is already on screen or on its way (a forced load fetches it again). */
  const alreadyShown = (same: boolean, force: boolean): boolean => same && !force && (playback.value !== null || loading.value)

  /** Drops what was shown (and its poll) for another clip; answers the number that the new fetch must still hold to land. */
  function switchTo(id: number | null, clipNo: number | null): number {
    stopPolling()
    mediaId.value = id
    studyClipNo.value = clipNo
    playback.value = null
    error.value = null
    frame.value = 0
    return ++request
  }

  /** Shows another media file (null: none); a proxy in the making is polled until it is ready. */
  async function load(id: number | null, force = false): Promise<void> {
    if (alreadyShown(id === mediaId.value, force)) return
    const mine = switchTo(id, null)
    relinkError.value = null
    if (id === null) {
      loading.value = false
      return
    }
    loading.value = true
    await fetchPlayback(id, mine)
  }

  /** Shows a clip of the open reader study by its number (reader workstation). */
  async function loadStudyClip(clipNo: number, force = false): Promise<void> {
    if (alreadyShown(clipNo === studyClipNo.value, force)) return
    const mine = switchTo(null, clipNo)
    loading.value = true
    const result = await api['reader/playback']({ clipNo })
    if (mine !== request) return
    loading.value = false
    if (result.ok) playback.value = result.value
    else error.value = result.error.message
  }

  /** Points the open entry at another file in its dataset folder; its labels are kept. */
  async function relink(entryId: number, path: string): Promise<boolean> {
    relinking.value = true
    relinkError.value = null
    const result = await api['media/relink']({ entryId, path: path.trim() })
    relinking.value = false
    if (!result.ok) {
      relinkError.value = result.error.message
      return false
    }
    useReviewStore().applyDetail(result.value)
    useCatalogStore().applyDetail(result.value)
    await load(result.value.summary.mediaId, true)
    return true
  }

  function close(): void {
    stopPolling()
    request++
    mediaId.value = null
    studyClipNo.value = null
    playback.value = null
    loading.value = false
    error.value = null
  }

  return {
    mediaId,
    studyClipNo,
    playback,
    loading,
    error,
    relinking,
    relinkError,
    frame,
    rate,
    loop,
    frameTimes,
    frameCount,
    ready,
    isImage,
    source,
    load,
    loadStudyClip,
    relink,
    close
  }
})
