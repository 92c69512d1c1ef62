import type { LusApi } from '../../../shared/contract'
import { createApi } from './client'

let current: LusApi | null = null

/** The API the stores talk to, created on first use so tests can swap it in first. */
export function useApi(): LusApi {
  current ??= createApi()
  return current
}

/** Replaces the API, e.g. with a fake in component tests. */
export function provideApi(api: LusApi): void {
  current = api
}
