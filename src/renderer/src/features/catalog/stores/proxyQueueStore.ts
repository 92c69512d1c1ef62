/**
 * Progress of the background proxy jobs (transcoded copies of clips Chromium
 * cannot play as they are), for the status bar. Polled quickly while jobs
 * run and slowly when idle, since an import can queue new ones at any time.
 */
import { defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import type { ProxyQueue } from '../../../../../shared/contract'
import { useApi } from '../../../api'

const ACTIVE_POLL_MS = 1_000
const IDLE_POLL_MS = 5_000

export const useProxyQueueStore = defineStore('proxyQueue', () => {
  const api = useApi()
  const queue = shallowRef<ProxyQueue | null>(null)
  const unavailable = ref(false)
  let timer: ReturnType<typeof setTimeout> | null = null
  let started = false
  let inFlight = false

  const active = computed(() => {
    const q = queue.value
    return q !== null && q.pending + q.running > 0
  })
  /** Jobs finished (done or failed) of this batch, 0..1. */
  const fraction = computed(() => {
    const q = queue.value
    if (q === null || q.total === 0) return 0
    return Math.min(1, (q.done + q.failed) / q.total)
  })

  async function poll(): Promise<void> {
    if (inFlight) return
    inFlight = true
    if (timer !== null) clearTimeout(timer)
    timer = null
    const result = await api['media/proxyQueue']({})
    inFlight = false
    if (result.ok) {
      queue.value = result.value
      unavailable.value = false
    } else unavailable.value = true
    timer = setTimeout(() => void poll(), active.value ? ACTIVE_POLL_MS : IDLE_POLL_MS)
  }

  function start(): void {
    if (started) return
    started = true
    void poll()
  }

  /** Polls again now (an import just finished and may have queued jobs). */
  function nudge(): void {
    if (!started) return start()
    void poll()
  }

  return { queue, active, fraction, unavailable, start, nudge }
})
