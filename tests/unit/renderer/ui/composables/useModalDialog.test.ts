import { describe, expect, it } from 'vitest'
import { nextTick, ref } from 'vue'
import { useModalDialog } from '../../../../../src/renderer/src/ui/composables/useModalDialog'

/** Just what the composable touches of a <dialog>: whether it is open, and how it opens and closes. */
function fakeDialog() {
  const calls: string[] = []
  const el = {
    open: false,
    showModal() {
      calls.push('showModal')
      el.open = true
    },
    close() {
      calls.push('close')
      el.open = false
    }
  }
  return { el, calls, asDialog: el as unknown as HTMLDialogElement }
}

describe('useModalDialog', () => {
  it('shows the dialog as a modal when the state opens it and closes it when the state closes it', async () => {
    const state = ref(false)
    const { el, calls, asDialog } = fakeDialog()
    const dialog = useModalDialog(() => state.value)
    dialog.value = asDialog

    state.value = true
    await nextTick()
    expect(el.open).toBe(true)

    state.value = false
    await nextTick()
    expect(el.open).toBe(false)
    expect(calls).toEqual(['showModal', 'close'])
  })

  it('runs onShow with the dialog once it is up, and not on closing', async () => {
    const state = ref(false)
    const { asDialog } = fakeDialog()
    const shown: boolean[] = []
    const dialog = useModalDialog(
      () => state.value,
      (el) => shown.push(el.open)
    )
    dialog.value = asDialog

    state.value = true
    await nextTick()
    state.value = false
    await nextTick()
    expect(shown).toEqual([true])
  })

  it('leaves a dialog already closed by Escape alone, and does nothing before the dialog is mounted', async () => {
    const state = ref(true)
    const { el, calls, asDialog } = fakeDialog()
    const dialog = useModalDialog(() => state.value)

    state.value = false
    await nextTick()
    dialog.value = asDialog
    state.value = true
    await nextTick()
    el.close() // Escape: the browser closes it; the dialog's @close tells the state
    calls.length = 0
    state.value = false
    await nextTick()
    expect(calls).toEqual([])
  })
})
