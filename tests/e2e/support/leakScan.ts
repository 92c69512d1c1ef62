/**
 * What a blinded rater could see: every text and attribute of the page and
 * every API answer, collected while a test acts, then searched for the
 * names, labels, sources and URLs of the clips being rated.
 *
 * Two things are left out on purpose, and only these: the label question's
 * answer options (the same five names on every clip: a rater must be able to
 * choose "COVID-19") and the keyboard-shortcut overlay (static text naming
 * the label keys); and, in API answers, the rater's own rating, which holds
 * the answers the rater gave.
 */
import type { Page, Response } from '@playwright/test'

/** Every key a reader-mode answer may hold (the strict schemas of src/shared/readerContract.ts), plus rating field names. */
export const READER_ANSWER_KEYS = new Set([
  'ok',
  'value',
  'error',
  'code',
  'message',
  'mode',
  'studyId',
  'name',
  'fields',
  'raters',
  'id',
  'total',
  'createdAt',
  'rated',
  'finalizedAt',
  'queue',
  'clipNo',
  'clip',
  'handle',
  'kind',
  'myRating',
  // The rater's own rating (ratingSchema)
  'values',
  'confidence',
  'comment',
  'submittedAt',
  'updatedAt',
  'keyFrames',
  'frame',
  'note',
  'canEdit',
  'state',
  'source',
  'frameTimes',
  'frameCount',
  'fps',
  'width',
  'height',
  'durationS',
  'progress',
  'path',
  'bytes',
  'ratings'
])

export interface LeakRecorder {
  /** Snapshots the page as it is now (call after each action). */
  snapshot(): Promise<void>
  texts(): string[]
  answers(): { op: string; body: unknown }[]
  /** Paths of every request the page made. */
  requests(): string[]
}

export function recordLeaks(page: Page): LeakRecorder {
  const texts: string[] = []
  const answers: { op: string; body: unknown }[] = []
  const requests: string[] = []
  const pending: Promise<void>[] = []
  page.on('request', (r) => requests.push(new URL(r.url()).pathname))
  page.on('response', (response: Response) => {
    const url = new URL(response.url())
    if (!url.pathname.startsWith('/api/')) return
    pending.push(
      response
        .json()
        .then((body: unknown) => void answers.push({ op: decodeURIComponent(url.pathname.slice(5)), body }))
        .catch(() => undefined)
    )
  })
  return {
    async snapshot() {
      texts.push(
        await page.evaluate(() => {
          const clone = document.body.cloneNode(true) as HTMLElement
          for (const el of clone.querySelectorAll('[data-testid="rating-field-label"], [data-testid="shortcut-help"]')) el.remove()
          const parts = [document.title, clone.textContent ?? '']
          for (const el of clone.querySelectorAll('*')) for (const a of Array.from(el.attributes)) parts.push(`${a.name}=${a.value}`)
          return parts.join('\n')
        })
      )
      await Promise.all(pending)
    },
    texts: () => texts,
    answers: () => answers,
    requests: () => requests
  }
}

/** The answer with every `myRating` (the rater's own answers) removed. */
export function withoutOwnRatings(body: unknown): unknown {
  if (Array.isArray(body)) return body.map(withoutOwnRatings)
  if (typeof body !== 'object' || body === null) return body
  return Object.fromEntries(Object.entries(body).filter(([k]) => k !== 'myRating').map(([k, v]) => [k, withoutOwnRatings(v)]))
}

/** Every object key in a JSON value, at any depth, except inside rating values (whose keys are field names). */
export function keysOf(body: unknown, into = new Set<string>(), inValues = false): Set<string> {
  if (Array.isArray(body)) for (const v of body) keysOf(v, into, inValues)
  else if (typeof body === 'object' && body !== null)
    for (const [k, v] of Object.entries(body)) {
      if (!inValues) into.add(k)
      keysOf(v, into, k === 'values')
    }
  return into
}

/** The tokens found in `text`, compared case-insensitively. */
export function leakedTokens(text: string, tokens: readonly string[]): string[] {
  const lower = text.toLowerCase()
  return tokens.filter((t) => lower.includes(t.toLowerCase()))
}
