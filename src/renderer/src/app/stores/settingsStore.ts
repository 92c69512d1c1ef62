/**
 * Local settings kept by main: the reviewer's name, recorded with every
 * change in the audit trail. Edits are refused until a name is set, so the
 * name dialog opens on first use of the review workspace and whenever an
 * edit is attempted without one.
 */
import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { useApi } from '../../api'

export const useSettingsStore = defineStore('settings', () => {
  const api = useApi()

  const userName = ref<string | null>(null)
  const loaded = ref(false)
  const error = ref<string | null>(null)
  const nameDialogOpen = ref(false)
  /** Why the dialog is up: first start, or a refused edit. */
  const nameDialogReason = ref<'first-start' | 'edit' | 'change'>('first-start')
  const saving = ref(false)
  /** The edit that was held back for want of a name; made once the name is set. */
  let afterName: (() => void) | null = null

  const hasName = computed(() => userName.value !== null && userName.value.trim() !== '')

  async function load(): Promise<void> {
    const result = await api['settings/get']({})
    if (result.ok) {
      userName.value = result.value.userName
      loaded.value = true
      error.value = null
    } else error.value = result.error.message
  }

  /**
   * Asks for a name unless one is known; returns whether one is. `retry`
   * (the edit that needed it) runs once the name has been saved.
   */
  function ensureName(reason: 'first-start' | 'edit' = 'edit', retry?: () => void): boolean {
    if (hasName.value) return true
    if (!loaded.value && reason === 'first-start') return false
    afterName = retry ?? null
    nameDialogReason.value = reason
    nameDialogOpen.value = true
    return false
  }

  function changeName(): void {
    nameDialogReason.value = userName.value === null ? 'first-start' : 'change'
    nameDialogOpen.value = true
  }

  async function setUserName(name: string): Promise<boolean> {
    saving.value = true
    const result = await api['settings/setUserName']({ name: name.trim() })
    saving.value = false
    if (!result.ok) {
      error.value = result.error.message
      return false
    }
    userName.value = result.value.userName
    error.value = null
    nameDialogOpen.value = false
    const retry = afterName
    afterName = null
    retry?.()
    return true
  }

  function closeNameDialog(): void {
    afterName = null
    nameDialogOpen.value = false
    error.value = null
  }

  return {
    userName,
    hasName,
    loaded,
    error,
    saving,
    nameDialogOpen,
    nameDialogReason,
    load,
    ensureName,
    changeName,
    setUserName,
    closeNameDialog
  }
})
