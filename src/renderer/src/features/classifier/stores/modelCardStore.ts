/** The model card (classifier/modelCard), fetched once per session: it changes only with the model file. */
import { defineStore } from 'pinia'
import { ref, shallowRef } from 'vue'
import type { ModelCard } from '../../../../../shared/classifierContract'
import { callClassifier } from '../api'

export const useModelCardStore = defineStore('modelCard', () => {
  const card = shallowRef<ModelCard | null>(null)
  const warning = ref<string | null>(null)
  const error = ref<string | null>(null)
  const loading = ref(false)
  let loaded = false

  async function load(force = false): Promise<void> {
    if ((loaded && !force) || loading.value) return
    loading.value = true
    const r = await callClassifier('classifier/modelCard', {})
    loading.value = false
    if (!r.ok) {
      error.value = r.error.message
      return
    }
    loaded = true
    error.value = null
    card.value = r.value.card
    warning.value = r.value.warning
  }

  return { card, warning, error, loading, load }
})
