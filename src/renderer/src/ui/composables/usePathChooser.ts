/**
 * Choosing a path the way the host can: the system dialog in the app
 * (files/choose*), the folder browser in serve mode (main answers `browse`
 * there, and FolderBrowser.vue asks files/list). One chooser per PathPicker,
 * so each field shows its own browser and gets its own answer.
 */
import { ref } from 'vue'
import type { FileFilter } from '../../../../shared/filesContract'
import { useApi } from '../../api'

export type PathKind = 'folder' | 'file' | 'save'

export interface ChooseRequest {
  kind: PathKind
  title: string
  filters?: FileFilter[] | undefined
  /** Where to start: the field's current value (a folder, or a file whose folder is used). */
  defaultPath?: string | undefined
  /** For `save`: the file name to suggest. */
  suggestedName?: string | undefined
}

const OPERATION = { folder: 'files/chooseFolder', file: 'files/chooseFile', save: 'files/chooseSave' } as const

/** The folder part of a path, whichever separator it uses; null for a bare name. */
export function folderOf(path: string): string | null {
  const cut = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'))
  if (cut < 0) return null
  return cut === 0 ? path.slice(0, 1) : path.slice(0, cut)
}

/** `name` inside `folder`, with the separator the folder already uses. */
export function joinPath(folder: string, name: string): string {
  const sep = folder.includes('\\') && !folder.includes('/') ? '\\' : '/'
  return folder.endsWith(sep) ? `${folder}${name}` : `${folder}${sep}${name}`
}

export function usePathChooser() {
  const api = useApi()
  /** The request the folder browser is showing; null when it is closed. */
  const browsing = ref<ChooseRequest | null>(null)
  const error = ref<string | null>(null)
  let settle: ((path: string | null) => void) | null = null

  /** The path chosen, or null when the user cancelled (or the chooser failed: see `error`). */
  async function choose(request: ChooseRequest): Promise<string | null> {
    error.value = null
    const defaultPath =
      request.kind === 'save' && request.suggestedName
        ? request.defaultPath
          ? joinPath(folderOf(request.defaultPath) ?? request.defaultPath, request.suggestedName)
          : request.suggestedName
        : request.defaultPath
    const result = await api[OPERATION[request.kind]]({
      title: request.title,
      ...(defaultPath ? { defaultPath } : {}),
      ...(request.filters?.length ? { filters: request.filters } : {})
    })
    if (!result.ok) {
      error.value = result.error.message
      return null
    }
    const answer = result.value
    if (answer.outcome === 'chosen') return answer.path
    if (answer.outcome === 'canceled') return null
    settle?.(null)
    browsing.value = request
    return new Promise((resolve) => (settle = resolve))
  }

  /** Called by the folder browser: the path chosen, or null when it was closed. */
  function finish(path: string | null): void {
    browsing.value = null
    const done = settle
    settle = null
    done?.(path)
  }

  return { choose, browsing, error, finish }
}
