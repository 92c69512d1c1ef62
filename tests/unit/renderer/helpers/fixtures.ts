/** Entries as main answers them, small enough to read in a test, complete enough to satisfy the contract's types. */
import type { EntryDetail, EntrySummary, HistoryStatus, HistoryTarget, Playback } from '../../../../src/shared/contract'
import { CSV_COLUMNS } from '../../../../src/shared/vocabulary'

export function summary(id: number, over: Partial<EntrySummary> = {}): EntrySummary {
  return {
    id,
    sourceId: 1,
    row: id,
    filename: `clip-${id}.mp4`,
    label: 'covid',
    labelRaw: 'COVID-19',
    probe: 'convex',
    type: 'video',
    license: 'CC BY 4.0',
    source: 'Butterfly',
    location: '',
    title: '',
    mediaStatus: 'linked',
    mediaId: id * 10,
    rebuildFrom: null,
    warningCount: 0,
    searchText: `clip-${id}.mp4`,
    ...over
  }
}

/** A full entry; `cells` names the CSV cells that differ from empty. */
export function detail(id: number, cells: Partial<Record<(typeof CSV_COLUMNS)[number], string>> = {}, over: Partial<EntrySummary> = {}): EntryDetail {
  return {
    summary: summary(id, over),
    cells: CSV_COLUMNS.map((c) => cells[c] ?? ''),
    normalized: {
      label: over.label ?? 'covid',
      type: 'video',
      probe: 'convex',
      dateAdded: null,
      framerate: null,
      lengthFrames: null,
      age: null,
      gender: null,
      pathologies: {},
      symptoms: {}
    },
    warnings: [],
    media: null,
    edited: false
  }
}

export function target(actionId: number, entryId: number, change = 'Label (COVID-19 → Healthy)'): HistoryTarget {
  return { actionId, entryId, filename: `clip-${entryId}.mp4`, change }
}

export function historyStatus(undo: HistoryTarget | null, redo: HistoryTarget | null = null): HistoryStatus {
  return { canUndo: undo !== null, canRedo: redo !== null, undo, redo }
}

export function playback(mediaId: number, over: Partial<Playback> = {}): Playback {
  return {
    mediaId,
    state: 'ready',
    source: 'original',
    frameTimes: [0, 0.04, 0.08],
    frameCount: 3,
    fps: 25,
    width: 640,
    height: 480,
    durationS: 0.12,
    progress: null,
    error: null,
    ...over
  }
}
