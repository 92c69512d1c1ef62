/**
 * Binds handlers to the shortcuts of the keymap for as long as the calling
 * component is mounted. One capture-phase listener on the window serves them
 * all, so a focused button or radio cannot swallow (or act on) a shortcut key.
 *
 * Shortcuts are ignored while the user types in a text field or select (the
 * field keeps its keys, Ctrl+Z included), and while a modal dialog is open.
 */
import { onBeforeUnmount, onMounted } from 'vue'
import { BINDINGS, eventMatches } from '../keymap'

export type ShortcutHandlers = Record<string, (event: KeyboardEvent) => void>

interface Registration {
  handlers: ShortcutHandlers
  enabled: () => boolean
}

// Newest first: a component mounted on top (an overlay) is asked before the view under it.
const registrations: Registration[] = []
let listening = false

const NON_TEXT_INPUTS = new Set(['checkbox', 'radio', 'range', 'button', 'submit', 'reset', 'color', 'file', 'image'])

/** Elements whose own keyboard action (Enter activates) comes before a shortcut marked notOnControls. */
function isControl(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && target.closest('button, a[href], summary') !== null
}

/** Whether keys pressed on this element are text being typed rather than commands. */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false
  if (target.isContentEditable) return true
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true
  return target instanceof HTMLInputElement && !NON_TEXT_INPUTS.has(target.type)
}

function onKeydown(event: KeyboardEvent): void {
  if (event.defaultPrevented || event.isComposing) return
  if (isTypingTarget(event.target)) return
  if (document.querySelector('dialog:modal') !== null) return
  for (const registration of registrations) {
    if (!registration.enabled()) continue
    for (const [id, handler] of Object.entries(registration.handlers)) {
      const binding = BINDINGS.get(id)
      if (!binding || !binding.matches.some((m) => eventMatches(event, m))) continue
      if (binding.notOnControls && isControl(event.target)) return
      event.preventDefault()
      event.stopPropagation()
      if (event.repeat && !binding.repeat) return
      handler(event)
      return
    }
  }
}

export function useKeyboardShortcuts(handlers: ShortcutHandlers, enabled: () => boolean = () => true): void {
  for (const id of Object.keys(handlers)) {
    if (!BINDINGS.has(id)) throw new Error(`Shortcut ${id} is not in the keymap`)
  }
  const registration: Registration = { handlers, enabled }
  onMounted(() => {
    registrations.unshift(registration)
    if (!listening) {
      window.addEventListener('keydown', onKeydown, { capture: true })
      listening = true
    }
  })
  onBeforeUnmount(() => {
    const i = registrations.indexOf(registration)
    if (i >= 0) registrations.splice(i, 1)
  })
}
