/**
 * A `<dialog>` shown as a modal while a store says it is open: the store is
 * the one truth, and Escape or a close button only ask it to close (each
 * dialog's own `@close`/`@cancel`). `onShow` runs as the dialog comes up, for
 * what it shows first and where the focus goes.
 */
import { ref, watch, type Ref } from 'vue'

export function useModalDialog(isOpen: () => boolean, onShow?: (dialog: HTMLDialogElement) => unknown): Ref<HTMLDialogElement | null> {
  const dialog = ref<HTMLDialogElement | null>(null)
  watch(isOpen, (open) => {
    const el = dialog.value
    if (!el) return
    if (open && !el.open) {
      el.showModal()
      void onShow?.(el)
    } else if (!open && el.open) el.close()
  })
  return dialog
}
