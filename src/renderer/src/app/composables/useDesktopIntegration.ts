/**
 * The app's menu and drops, in the catalog window: menu commands arrive
 * from main through the preload (window.lusDesktop) and run the same
 * actions as the page's buttons and keys; a reader study (.zip) dropped on
 * the window is opened after a confirmation (main relaunches the app
 * holding it). Nothing happens in serve mode, where there is no menu and a
 * dropped file has no path.
 */
import { onBeforeUnmount, onMounted, ref } from 'vue'
import type { MenuCommand } from '../../../../shared/desktopBridge'

/** Whether a text field has the focus: Edit → Undo then undoes the typing, as Ctrl+Z in the field would. */
export function textEditingFocused(active: Element | null = document.activeElement): boolean {
  if (!active) return false
  if (active instanceof HTMLTextAreaElement) return !active.readOnly && !active.disabled
  if (active instanceof HTMLInputElement) return !active.readOnly && !active.disabled && !['checkbox', 'radio', 'button', 'submit', 'range', 'color', 'file'].includes(active.type)
  return (active as HTMLElement).isContentEditable === true
}

export function useDesktopIntegration(actions: Record<MenuCommand, () => void>) {
  const desktop = window.lusDesktop
  /** Why a dropped reader study was not opened, for the page to show. */
  const dropError = ref<string | null>(null)
  if (!desktop) return { dropError }

  let stopMenu: (() => void) | null = null
  const onDragOver = (event: DragEvent): void => {
    if (event.dataTransfer?.types.includes('Files')) event.preventDefault()
  }
  const onDrop = (event: DragEvent): void => {
    const file = event.dataTransfer?.files[0]
    if (!file) return
    event.preventDefault()
    if (!file.name.toLowerCase().endsWith('.zip')) {
      dropError.value = `${file.name} is not a reader study (.zip). Drop dataset folders and files on the field they are for.`
      return
    }
    if (!window.confirm(`Open the reader study ${file.name}? LUS Review restarts as a reader workstation holding it; the catalog closes.`)) return
    void desktop.openReaderStudy(desktop.pathForFile(file)).then((answer) => {
      dropError.value = answer.ok ? null : answer.message
    })
  }
  onMounted(() => {
    stopMenu = desktop.onMenuCommand((command) => actions[command]())
    window.addEventListener('dragover', onDragOver)
    window.addEventListener('drop', onDrop)
  })
  onBeforeUnmount(() => {
    stopMenu?.()
    window.removeEventListener('dragover', onDragOver)
    window.removeEventListener('drop', onDrop)
  })
  return { dropError }
}
