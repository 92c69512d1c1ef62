import type { LusApi } from '../../../shared/contract'
import { createApi } from './client'

let current: LusApi | null = null

/** The API the stores talk to, created on first use so tests can swap it in first. */
export function useApi(): LusApi {
  current ??= createApi()
  return current
}

/** Replaces the API with a fake: how the renderer's unit tests (tests/unit/renderer/**) give stores their answers. */
export function provideApi(api: LusApi): void {
  current = api
}
