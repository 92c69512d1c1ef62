/**
 * How the ratings stores call main: the error box is cleared first and shows
 * main's refusal, the busy flag is up meanwhile, and the caller gets the value
 * or null. One place, so the stores and their composables agree on it.
 */
import type { Ref } from 'vue'
import type { Result } from '../../../../../shared/result'

export type ApiCall = <T>(op: () => Promise<Result<T>>) => Promise<T | null>

export function useApiCall(error: Ref<string | null>, busy: Ref<boolean>): ApiCall {
  return async (op) => {
    busy.value = true
    error.value = null
    const result = await op()
    busy.value = false
    if (result.ok) return result.value
    error.value = result.error.message
    return null
  }
}
