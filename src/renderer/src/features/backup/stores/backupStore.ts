/**
 * Catalog backups: list them, make one now, and restore one in place. Main
 * keeps the catalog being replaced as a `before-restore` backup, so a restore
 * can itself be undone from this list. After a restore every store's state
 * is stale, so the app reloads.
 */
import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { BackupSummary } from '../../../../../shared/contract'
import { useApi } from '../../../api'

/** How long the "restored" message shows before the app reloads. */
const RELOAD_DELAY_MS = 1200

export const useBackupStore = defineStore('backups', () => {
  const api = useApi()

  const dialogOpen = ref(false)
  const backups = ref<BackupSummary[]>([])
  /** Where the backups live, for display only. */
  const folder = ref<string | null>(null)
  const loading = ref(false)
  const creating = ref(false)
  /** The backup the user asked to restore, awaiting confirmation. */
  const confirming = ref<BackupSummary | null>(null)
  const restoring = ref(false)
  const error = ref<string | null>(null)
  const notice = ref<string | null>(null)

  async function load(): Promise<void> {
    loading.value = true
    const result = await api['backup/list']({})
    loading.value = false
    if (!result.ok) {
      error.value = result.error.message
      return
    }
    backups.value = result.value.backups
    folder.value = result.value.folder
  }

  function open(): void {
    dialogOpen.value = true
    error.value = null
    notice.value = null
    confirming.value = null
    void load()
  }

  function close(): void {
    if (restoring.value) return
    dialogOpen.value = false
    confirming.value = null
  }

  async function create(): Promise<void> {
    if (creating.value || restoring.value) return
    creating.value = true
    error.value = null
    notice.value = null
    const result = await api['backup/create']({})
    creating.value = false
    if (!result.ok) {
      error.value = `The backup failed: ${result.error.message}`
      return
    }
    notice.value = `Backed up the catalog (${result.value.name}).`
    await load()
  }

  function askRestore(backup: BackupSummary): void {
    if (restoring.value) return
    error.value = null
    notice.value = null
    confirming.value = backup
  }

  function cancelRestore(): void {
    if (!restoring.value) confirming.value = null
  }

  async function restore(): Promise<void> {
    const backup = confirming.value
    if (!backup || restoring.value) return
    restoring.value = true
    error.value = null
    const result = await api['backup/restore']({ name: backup.name })
    if (!result.ok) {
      restoring.value = false
      confirming.value = null
      error.value = `The backup was not restored: ${result.error.message}`
      await load()
      return
    }
    confirming.value = null
    const kept = result.value.safetyCopy ? ` The catalog it replaced is kept as ${result.value.safetyCopy}.` : ''
    notice.value = `Restored ${result.value.restored}.${kept} Reloading…`
    // Every store holds the replaced catalog's state: start over.
    setTimeout(() => window.location.reload(), RELOAD_DELAY_MS)
  }

  return { dialogOpen, backups, folder, loading, creating, confirming, restoring, error, notice, open, close, load, create, askRestore, cancelRestore, restore }
})
