/**
 * Zoom (wheel, around the pointer) and pan (drag) of the picture in a
 * viewport, as a CSS transform; the picture keeps its pixels, nothing is
 * resampled beyond what the browser does for display.
 */
import { computed, ref } from 'vue'

const MIN_ZOOM = 1
const MAX_ZOOM = 8
const BUTTON_FACTOR = 1.25

export function usePanZoom() {
  const zoom = ref(1)
  const panX = ref(0)
  const panY = ref(0)
  const dragging = ref(false)
  let drag: { pointerId: number; x: number; y: number; panX: number; panY: number } | null = null

  const transform = computed(() => `translate(${panX.value}px, ${panY.value}px) scale(${zoom.value})`)
  const percent = computed(() => Math.round(zoom.value * 100))

  /** Zooms by `factor` keeping the point (cx, cy), relative to the viewport's centre, in place. */
  function zoomAt(factor: number, cx = 0, cy = 0): void {
    const next = Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, zoom.value * factor))
    const ratio = next / zoom.value
    zoom.value = next
    if (next === MIN_ZOOM) {
      panX.value = 0
      panY.value = 0
      return
    }
    panX.value = cx - (cx - panX.value) * ratio
    panY.value = cy - (cy - panY.value) * ratio
  }

  function onWheel(event: WheelEvent): void {
    event.preventDefault()
    const target = event.currentTarget
    if (!(target instanceof HTMLElement)) return
    const rect = target.getBoundingClientRect()
    const cx = event.clientX - rect.left - rect.width / 2
    const cy = event.clientY - rect.top - rect.height / 2
    zoomAt(Math.exp(-event.deltaY * 0.0015), cx, cy)
  }

  function onPointerDown(event: PointerEvent): void {
    if (event.button !== 0 || zoom.value === MIN_ZOOM) return
    const target = event.currentTarget
    if (!(target instanceof HTMLElement)) return
    target.setPointerCapture(event.pointerId)
    drag = { pointerId: event.pointerId, x: event.clientX, y: event.clientY, panX: panX.value, panY: panY.value }
    dragging.value = true
  }

  function onPointerMove(event: PointerEvent): void {
    if (drag === null || event.pointerId !== drag.pointerId) return
    panX.value = drag.panX + event.clientX - drag.x
    panY.value = drag.panY + event.clientY - drag.y
  }

  function onPointerUp(event: PointerEvent): void {
    if (drag === null || event.pointerId !== drag.pointerId) return
    drag = null
    dragging.value = false
  }

  const zoomIn = (): void => zoomAt(BUTTON_FACTOR)
  const zoomOut = (): void => zoomAt(1 / BUTTON_FACTOR)

  function reset(): void {
    zoom.value = 1
    panX.value = 0
    panY.value = 0
  }

  return { zoom, percent, transform, dragging, onWheel, onPointerDown, onPointerMove, onPointerUp, zoomIn, zoomOut, reset }
}
