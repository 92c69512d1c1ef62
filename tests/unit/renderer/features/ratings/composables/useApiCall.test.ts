/** The ratings stores' one way to call main: these pin the busy flag, the error box cleared first and a refusal shown there. */
import { describe, expect, it } from 'vitest'
import { ref } from 'vue'
import { deferred } from '../../../helpers/fakeApi'
import { useApiCall } from '../../../../../../src/renderer/src/features/ratings/composables/useApiCall'
import type { Result } from '../../../../../../src/shared/result'

describe('useApiCall', () => {
  it('raises the busy flag while main answers, clears the last error first, and answers the value', async () => {
    const error = ref<string | null>('an old refusal')
    const busy = ref(false)
    const call = useApiCall(error, busy)
    const answer = deferred<Result<number>>()
    const pending = call(() => answer.promise)
    expect(busy.value).toBe(true)
    expect(error.value).toBeNull()
    answer.resolve({ ok: true, value: 7 })
    expect(await pending).toBe(7)
    expect(busy.value).toBe(false)
  })

  it('shows main’s refusal in the error box and answers null', async () => {
    const error = ref<string | null>(null)
    const busy = ref(false)
    const call = useApiCall(error, busy)
    expect(await call(async () => ({ ok: false, error: { code: 'bad_input', message: 'No such set.' } }))).toBeNull()
    expect(error.value).toBe('No such set.')
    expect(busy.value).toBe(false)
  })
})
