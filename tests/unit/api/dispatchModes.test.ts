/**
 * dispatch's host options: the operations a host answers (a reader
 * workstation refuses all others), and the result checks that keep what a
 * rater must not see from leaving main. Also the catalog app's answers to
 * the reader-mode operations.
 */
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { ALWAYS_CHECKED_RESULTS, dispatch } from '../../../src/main/api/dispatch'
import { createServices, type Services } from '../../../src/main/app/services'
import type { Handlers } from '../../../src/main/api/handlers'
import { openCatalog, type CatalogDb } from '../../../src/main/catalog/database'
import { NO_STUDY_OPEN_MESSAGE, READER_DISPATCH, READER_WORKSTATION_REFUSAL } from '../../../src/main/reader/readerHandlers'
import { OPERATION_NAMES } from '../../../src/shared/operations'
import { RATER_MODE_OPERATIONS } from '../../../src/shared/ratingsContract'
import { READER_MODE_OPERATIONS } from '../../../src/shared/operations'
import { tempDir } from '../../helpers/paths'

const SET = '11111111-2222-4333-8444-555555555555'
const RATER = '0a000000-0000-4000-8000-00000000000a'
const SECRET = 'REFERENCE-LABEL-bacterial_pneumonia'

/** Every operation answering `{}`, counting calls. */
function stubHandlers(): { handlers: Handlers; calls: string[] } {
  const calls: string[] = []
  const h = {} as Record<string, unknown>
  for (const op of OPERATION_NAMES)
    h[op] = () => {
      calls.push(op)
      return {}
    }
  return { handlers: h as Handlers, calls }
}

const validSets = { sets: [{ id: SET, name: 'Set', blinded: true, fields: ['label'], total: 3, rated: 1 }] }

describe('dispatch: the operations a host answers', () => {
  it('refuses every operation outside `allowed` with forbidden and the host’s message, without running it', async () => {
    const { handlers, calls } = stubHandlers()
    for (const op of OPERATION_NAMES.filter((o) => !(READER_MODE_OPERATIONS as readonly string[]).includes(o))) {
      // Whatever the arguments: the refusal comes before they are read.
      for (const args of [{}, { id: 1 }, 'junk'])
        expect(await dispatch(handlers, op, args, READER_DISPATCH), op).toEqual({ ok: false, error: { code: 'forbidden', message: READER_WORKSTATION_REFUSAL } })
    }
    expect(calls).toEqual([])
  })

  it('still answers unknown operations as invalid, and validates the allowed ones’ arguments', async () => {
    const { handlers, calls } = stubHandlers()
    expect(await dispatch(handlers, 'catalog/drop', {}, READER_DISPATCH)).toMatchObject({ ok: false, error: { code: 'invalid_request' } })
    expect(await dispatch(handlers, 'reader/open', { raterId: 'x' }, READER_DISPATCH)).toMatchObject({ ok: false, error: { code: 'invalid_request' } })
    expect(await dispatch(handlers, 'app/mode', { extra: 1 }, READER_DISPATCH)).toMatchObject({ ok: false, error: { code: 'invalid_request' } })
    expect(calls).toEqual([])
  })

  it('answers an allowed operation whose handler the host lacks as forbidden', async () => {
    expect(await dispatch({}, 'app/mode', {}, READER_DISPATCH)).toEqual({ ok: false, error: { code: 'forbidden', message: READER_WORKSTATION_REFUSAL } })
    expect(await dispatch({}, 'catalog/stats', {})).toMatchObject({ ok: false, error: { code: 'forbidden' } })
  })

  it('answers every operation when no allow-list is given', async () => {
    const { handlers } = stubHandlers()
    // The stub's `{}` is no real result: only the answering is checked here.
    expect(await dispatch(handlers, 'catalog/stats', {}, { checkResults: 'rater-only' })).toEqual({ ok: true, value: {} })
  })
})

describe('dispatch: results a rater sees are checked before they leave main', () => {
  it('always checks the rater- and reader-mode operations', () => {
    for (const op of [...RATER_MODE_OPERATIONS, ...READER_MODE_OPERATIONS]) expect(ALWAYS_CHECKED_RESULTS.has(op), op).toBe(true)
  })

  it('withholds a rater-mode result with a key beyond the allow-list, logging why', async () => {
    const spy = vi.spyOn(console, 'error').mockImplementation(() => {})
    try {
      const { handlers } = stubHandlers()
      const leaky = { ...handlers, 'rater/sets': () => ({ sets: validSets.sets.map((s) => ({ ...s, reference: SECRET })) }) } as unknown as Handlers
      const r = await dispatch(leaky, 'rater/sets', { raterId: RATER })
      expect(r).toMatchObject({ ok: false, error: { code: 'internal' } })
      expect(JSON.stringify(r)).not.toContain(SECRET)
      expect(JSON.stringify(r)).toContain('rater/sets')
      expect(spy).toHaveBeenCalledTimes(1)
      expect(String(spy.mock.calls[0]![0])).toMatch(/rater\/sets returned a result that does not match its schema/)
    } finally {
      spy.mockRestore()
    }
  })

  it('withholds a reader-mode result of the wrong shape, in any host', async () => {
    const spy = vi.spyOn(console, 'error').mockImplementation(() => {})
    try {
      const { handlers } = stubHandlers()
      const wrong = { ...handlers, 'app/mode': () => ({ mode: 'reader', catalogPath: `/data/${SECRET}.db` }) } as unknown as Handlers
      for (const options of [READER_DISPATCH, {}]) {
        const r = await dispatch(wrong, 'app/mode', {}, options)
        expect(r).toMatchObject({ ok: false, error: { code: 'internal' } })
        expect(JSON.stringify(r)).not.toContain(SECRET)
      }
    } finally {
      spy.mockRestore()
    }
  })

  it('passes a result that matches its schema', async () => {
    const { handlers } = stubHandlers()
    const good = { ...handlers, 'rater/sets': () => validSets } as unknown as Handlers
    expect(await dispatch(good, 'rater/sets', { raterId: RATER })).toEqual({ ok: true, value: validSets })
  })

  it('checks every other operation in tests and development, returning the value as it was', async () => {
    const spy = vi.spyOn(console, 'error').mockImplementation(() => {})
    try {
      const { handlers } = stubHandlers()
      const odd = { ...handlers, 'settings/get': () => ({ userName: 5 }) } as unknown as Handlers
      const r = await dispatch(odd, 'settings/get', {})
      expect(r).toMatchObject({ ok: false, error: { code: 'internal' } })
      expect(JSON.stringify(r)).toContain('settings/get')
      expect(JSON.stringify(r)).not.toContain('5')
      expect(await dispatch(odd, 'settings/get', {}, { checkResults: ['settings/get'] })).toMatchObject({ ok: false, error: { code: 'internal' } })
      // A loose (non-strict) schema is only checked, not applied: the answer is the handler's, as in production.
      const extra = { ...handlers, 'settings/get': () => ({ userName: 'Dr A', more: 1 }) } as unknown as Handlers
      expect(await dispatch(extra, 'settings/get', {})).toEqual({ ok: true, value: { userName: 'Dr A', more: 1 } })
    } finally {
      spy.mockRestore()
    }
  })

  it('in production checks only the rater- and reader-mode operations', async () => {
    const spy = vi.spyOn(console, 'error').mockImplementation(() => {})
    const before = process.env.NODE_ENV
    process.env.NODE_ENV = 'production'
    try {
      const { handlers } = stubHandlers()
      const odd = {
        ...handlers,
        'settings/get': () => ({ userName: 5 }),
        'rater/sets': () => ({ sets: validSets.sets.map((s) => ({ ...s, reference: SECRET })) })
      } as unknown as Handlers
      expect(await dispatch(odd, 'settings/get', {})).toEqual({ ok: true, value: { userName: 5 } })
      expect(await dispatch(odd, 'settings/get', {}, { checkResults: 'all' })).toMatchObject({ ok: false, error: { code: 'internal' } })
      const r = await dispatch(odd, 'rater/sets', { raterId: RATER })
      expect(r).toMatchObject({ ok: false, error: { code: 'internal' } })
      expect(JSON.stringify(r)).not.toContain(SECRET)
      expect(await dispatch(odd, 'rater/sets', { raterId: RATER }, { checkResults: 'rater-only' })).toMatchObject({ ok: false })
    } finally {
      process.env.NODE_ENV = before
      spy.mockRestore()
    }
  })
})

describe('the catalog app and the reader-mode operations', () => {
  let tmp: ReturnType<typeof tempDir>
  let db: CatalogDb
  let services: Services
  beforeAll(() => {
    tmp = tempDir('lus-dispatch-modes-')
    db = openCatalog(join(tmp.path, 'catalog.db'))
    services = createServices({ db, catalogPath: join(tmp.path, 'catalog.db'), transport: 'http', version: 'test', cacheDir: join(tmp.path, 'cache') })
  })
  afterAll(async () => {
    await services.close()
    db.close()
    tmp.cleanup()
  })

  it('says it is the catalog', async () => {
    expect(await dispatch(services.handlers, 'app/mode', {})).toEqual({ ok: true, value: { mode: 'catalog' } })
  })

  it('refuses every reader operation, saying how to open a study', async () => {
    const args: Record<string, unknown> = {
      'reader/study': {},
      'reader/open': { raterId: RATER },
      'reader/submit': { raterId: RATER, clipNo: 1, values: {}, confidence: 3 },
      'reader/playback': { clipNo: 1 },
      'reader/keyFrames/set': { raterId: RATER, clipNo: 1, frame: 0, note: '' },
      'reader/keyFrames/remove': { raterId: RATER, clipNo: 1, frame: 0 },
      'reader/exportRatings': { raterId: RATER }
    }
    for (const op of READER_MODE_OPERATIONS.filter((o) => o !== 'app/mode')) {
      expect(await dispatch(services.handlers, op, args[op]), op).toEqual({ ok: false, error: { code: 'forbidden', message: NO_STUDY_OPEN_MESSAGE } })
    }
    expect(NO_STUDY_OPEN_MESSAGE).toContain('lus-review serve --study FILE.zip')
  })
})
