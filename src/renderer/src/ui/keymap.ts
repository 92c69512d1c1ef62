/**
 * Every keyboard shortcut of the app, in one table: the help overlay (`?`)
 * lists it whole, and components bind handlers to its ids through
 * useKeyboardShortcuts, so a key cannot be bound without being documented
 * nor documented twice with different meanings.
 */
import { LABELS, PATHOLOGIES, SYMPTOMS, type Label, type Pathology, type Symptom } from '../../../shared/vocabulary'

export interface KeyMatch {
  /** KeyboardEvent.key, compared case-insensitively for letters. */
  key: string
  /** true/false: Shift must be / must not be held; 'any': either (symbols whose key already implies it). */
  shift?: boolean | 'any'
  /** Ctrl, or ⌘ on macOS. */
  ctrl?: boolean
  /** KeyboardEvent.code instead of key: Shift+1 types '!' on one layout and '+' on another. */
  code?: string
}

export interface KeyBinding {
  id: string
  /** How the keys read in the overlay; alternatives are listed side by side. */
  keys: string[]
  description: string
  matches: KeyMatch[]
  /** Fire again while the key is held (frame stepping); edits fire once per press. */
  repeat?: boolean
  /** Documented only: handled by the focused element itself (the catalog table). */
  local?: boolean
  /** Left to a focused button, link or checkbox (Enter activates what has focus). */
  notOnControls?: boolean
}

export interface KeyGroup {
  title: string
  bindings: KeyBinding[]
}

const k = (key: string, extra: Omit<KeyMatch, 'key'> = {}): KeyMatch => ({ key, ...extra })

/** Number keys 1–5 choose the label, in the vocabulary's order. */
export const LABEL_KEYS: Record<Label, string> = Object.fromEntries(LABELS.map((l, i) => [l, String(i + 1)])) as Record<
  Label,
  string
>

/** One letter per finding; pressing it cycles not assessed → present → absent. */
export const PATHOLOGY_KEYS: Record<Pathology, string> = {
  Effusion: 'e',
  Consolidations: 'c',
  'B-lines': 'b',
  'A-lines': 'a',
  'Pleural line irregularities': 'i',
  'Air bronchogram': 'r',
  Healthy: 'h'
}

/** Shift + a letter per symptom; pressing it cycles n/A → yes → no. */
export const SYMPTOM_KEYS: Record<Symptom, string> = {
  Fever: 'f',
  Cough: 'c',
  'Respiratory problems': 'r',
  Headache: 'h',
  'Loss of smell/taste': 'l',
  Fatigue: 't',
  'Sore throat': 's',
  Asymptomatic: 'a'
}

export const KEYMAP: KeyGroup[] = [
  {
    title: 'General',
    bindings: [
      { id: 'help', keys: ['?'], description: 'Show or hide this list of shortcuts', matches: [k('?', { shift: 'any' })] },
      { id: 'undo', keys: ['Ctrl+Z'], description: 'Undo the last change; if it was on another clip, that clip is shown first and a second press undoes it', matches: [k('z', { ctrl: true })] },
      {
        id: 'redo',
        keys: ['Ctrl+Shift+Z', 'Ctrl+Y'],
        description: 'Redo what was undone',
        matches: [k('z', { ctrl: true, shift: true }), k('y', { ctrl: true })]
      },
      { id: 'close', keys: ['Esc'], description: 'Close this list; in the review: back to the catalog', matches: [k('Escape')] }
    ]
  },
  {
    title: 'Catalog table',
    bindings: [
      { id: 'catalog.move', keys: ['↑', '↓'], description: 'Previous / next row', matches: [], local: true },
      { id: 'catalog.page', keys: ['PgUp', 'PgDn', 'Home', 'End'], description: 'Page up / down, first / last row', matches: [], local: true },
      { id: 'catalog.open', keys: ['Enter', 'Double-click'], description: 'Open the selected clip for review', matches: [], local: true }
    ]
  },
  {
    title: 'Review',
    bindings: [
      {
        id: 'review.next',
        keys: ['N', 'PgDn'],
        description: 'Next clip in the current filter and order',
        matches: [k('n'), k('PageDown')],
        repeat: true
      },
      {
        id: 'review.previous',
        keys: ['P', 'PgUp'],
        description: 'Previous clip in the current filter and order',
        matches: [k('p'), k('PageUp')],
        repeat: true
      }
    ]
  },
  {
    title: 'Player',
    bindings: [
      { id: 'player.toggle', keys: ['Space'], description: 'Play / pause', matches: [k(' ')] },
      { id: 'player.back1', keys: ['←'], description: 'One frame back', matches: [k('ArrowLeft')], repeat: true },
      { id: 'player.forward1', keys: ['→'], description: 'One frame forward', matches: [k('ArrowRight')], repeat: true },
      { id: 'player.back10', keys: ['Shift+←'], description: '10 frames back', matches: [k('ArrowLeft', { shift: true })], repeat: true },
      {
        id: 'player.forward10',
        keys: ['Shift+→'],
        description: '10 frames forward',
        matches: [k('ArrowRight', { shift: true })],
        repeat: true
      },
      { id: 'player.first', keys: ['Home'], description: 'First frame', matches: [k('Home')] },
      { id: 'player.last', keys: ['End'], description: 'Last frame', matches: [k('End')] },
      {
        id: 'player.reverse',
        keys: ['J'],
        description: 'Pause and step one frame back (hold for slow reverse)',
        matches: [k('j')],
        repeat: true
      },
      { id: 'player.pause', keys: ['K'], description: 'Pause', matches: [k('k')] },
      { id: 'player.play', keys: ['L'], description: 'Play; press again while playing to go faster (1× → 2× → 4×)', matches: [k('l')] },
      { id: 'player.slower', keys: ['['], description: 'Slower (down to 0.1×)', matches: [k('[', { shift: 'any' })], repeat: true },
      { id: 'player.faster', keys: [']'], description: 'Faster (up to 4×)', matches: [k(']', { shift: 'any' })], repeat: true },
      { id: 'player.loop', keys: ['O'], description: 'Loop on / off', matches: [k('o')] },
      {
        id: 'player.zoomIn',
        keys: ['+'],
        description: 'Zoom in (or the mouse wheel; drag to pan)',
        matches: [k('+', { shift: 'any' }), k('=', { shift: 'any' })],
        repeat: true
      },
      { id: 'player.zoomOut', keys: ['−'], description: 'Zoom out', matches: [k('-', { shift: 'any' })], repeat: true },
      { id: 'player.resetView', keys: ['0'], description: 'Fit: reset zoom, pan, brightness and contrast', matches: [k('0')] },
      { id: 'player.mark', keys: ['M'], description: 'Mark the current frame as key frame, with a note', matches: [k('m')] }
    ]
  },
  {
    title: 'Rating (rater mode and reader studies)',
    bindings: [
      ...[1, 2, 3, 4, 5].map((n) => ({
        id: `rating.confidence${n}`,
        keys: [`Shift+${n}`],
        description: `Confidence ${n} (1 unsure … 5 certain)`,
        matches: [{ key: '', code: `Digit${n}`, shift: true }]
      })),
      {
        id: 'rating.submit',
        keys: ['Enter'],
        description: 'Submit the rating of the clip on screen, then go to the next unrated clip',
        matches: [k('Enter')],
        notOnControls: true
      }
    ]
  },
  {
    title: 'Label',
    bindings: LABELS.map((label) => ({
      id: `label.${label}`,
      keys: [LABEL_KEYS[label]],
      description: labelDescription(label),
      matches: [k(LABEL_KEYS[label])]
    }))
  },
  {
    title: 'Findings (cycle: not assessed → present → absent)',
    bindings: PATHOLOGIES.map((p) => ({
      id: `pathology.${p}`,
      keys: [PATHOLOGY_KEYS[p].toUpperCase()],
      description: p,
      matches: [k(PATHOLOGY_KEYS[p])]
    }))
  },
  {
    title: 'Symptoms (cycle: n/A → yes → no)',
    bindings: SYMPTOMS.map((s) => ({
      id: `symptom.${s}`,
      keys: [`Shift+${SYMPTOM_KEYS[s].toUpperCase()}`],
      description: s,
      matches: [k(SYMPTOM_KEYS[s], { shift: true })]
    }))
  }
]

function labelDescription(label: Label): string {
  const names: Record<Label, string> = {
    covid: 'Label COVID-19',
    bacterial_pneumonia: 'Label Bacterial pneumonia',
    viral_pneumonia: 'Label Viral pneumonia',
    healthy: 'Label Healthy',
    other: 'Label Other'
  }
  return names[label]
}

export const BINDINGS: ReadonlyMap<string, KeyBinding> = new Map(
  KEYMAP.flatMap((group) => group.bindings.map((binding) => [binding.id, binding] as const))
)

export function eventMatches(event: KeyboardEvent, match: KeyMatch): boolean {
  const ctrl = event.ctrlKey || event.metaKey
  if (ctrl !== (match.ctrl ?? false) || event.altKey) return false
  const shift = match.shift ?? false
  if (shift !== 'any' && event.shiftKey !== shift) return false
  if (match.code !== undefined) return event.code === match.code
  return event.key.length === 1 ? event.key.toLowerCase() === match.key.toLowerCase() : event.key === match.key
}
