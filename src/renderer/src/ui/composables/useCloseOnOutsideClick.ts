import { onBeforeUnmount, onMounted, type Ref } from 'vue'

/**
 * Closes a <details> popup when the user clicks or tabs away from it, the way
 * a native menu behaves; <details> alone stays open until toggled again.
 */
export function useCloseOnOutsideClick(details: Ref<HTMLDetailsElement | null>): void {
  const closeIfOutside = (event: Event): void => {
    const el = details.value
    if (el?.open && event.target instanceof Node && !el.contains(event.target)) el.open = false
  }
  const closeOnEscape = (event: KeyboardEvent): void => {
    const el = details.value
    if (event.key !== 'Escape' || !el?.open) return
    el.open = false
    el.querySelector('summary')?.focus()
  }
  onMounted(() => {
    document.addEventListener('pointerdown', closeIfOutside)
    document.addEventListener('focusin', closeIfOutside)
    document.addEventListener('keydown', closeOnEscape)
  })
  onBeforeUnmount(() => {
    document.removeEventListener('pointerdown', closeIfOutside)
    document.removeEventListener('focusin', closeIfOutside)
    document.removeEventListener('keydown', closeOnEscape)
  })
}
