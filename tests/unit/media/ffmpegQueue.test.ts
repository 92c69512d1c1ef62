import { describe, expect, it } from 'vitest'
import { FfmpegQueue, QueueClosedError, type JobContext } from '../../../src/main/media/ffmpegQueue'

/** A job that runs until the test releases it (or it is aborted). */
function gate(): { run: (ctx: JobContext) => Promise<string>; release: (v: string) => void; started: Promise<void>; aborted: () => boolean } {
  let release!: (v: string) => void
  let markStarted!: () => void
  let wasAborted = false
  const started = new Promise<void>((r) => (markStarted = r))
  const run = (ctx: JobContext): Promise<string> =>
    new Promise<string>((resolve, reject) => {
      markStarted()
      release = resolve
      ctx.signal.addEventListener('abort', () => {
        wasAborted = true
        reject(new Error('aborted'))
      })
    })
  return { run, release: (v) => release(v), started, aborted: () => wasAborted }
}

const tick = (): Promise<void> => new Promise((r) => setImmediate(r))

describe('FfmpegQueue', () => {
  it('runs at most `concurrency` jobs at once', async () => {
    const q = new FfmpegQueue(2)
    let running = 0
    let peak = 0
    const job = async (): Promise<void> => {
      running++
      peak = Math.max(peak, running)
      await tick()
      await tick()
      running--
    }
    await Promise.all(Array.from({ length: 7 }, (_, i) => q.submit({ key: `k${i}`, kind: 'proxy', priority: 1, run: job })))
    expect(peak).toBe(2)
    expect(q.counts('proxy')).toEqual({ total: 7, done: 7, failed: 0, running: 0, pending: 0 })
  })

  it('starts lower priority numbers first, FIFO within a priority, and raises a pending job when asked again', async () => {
    const q = new FfmpegQueue(1)
    const order: string[] = []
    const blocker = gate()
    const first = q.submit({ key: 'blocker', kind: 'proxy', priority: 0, run: blocker.run })
    await blocker.started
    const record = (name: string) => async (): Promise<string> => {
      order.push(name)
      return name
    }
    const all = [
      q.submit({ key: 'thumb-a', kind: 'thumb', priority: 2, run: record('thumb-a') }),
      q.submit({ key: 'bg-1', kind: 'proxy', priority: 1, run: record('bg-1') }),
      q.submit({ key: 'bg-2', kind: 'proxy', priority: 1, run: record('bg-2') }),
      q.submit({ key: 'bg-3', kind: 'proxy', priority: 1, run: record('bg-3') })
    ]
    // The clip on screen: same key as a queued background job, asked interactively.
    const bumped = q.submit({ key: 'bg-3', kind: 'proxy', priority: 0, run: record('never-run') })
    expect(bumped).toBe(all[3])
    blocker.release('done')
    await Promise.all([first, ...all])
    expect(order).toEqual(['bg-3', 'bg-1', 'bg-2', 'thumb-a'])
  })

  it('joins an existing job by key instead of running it twice, and answers finished ones synchronously', async () => {
    const q = new FfmpegQueue(2)
    let runs = 0
    const spec = { key: 'proxy:abc', kind: 'proxy' as const, priority: 1, run: async () => ++runs }
    const [a, b] = await Promise.all([q.submit(spec), q.submit(spec)])
    expect([a, b, runs]).toEqual([1, 1, 1])
    expect(q.get<number>('proxy:abc')).toMatchObject({ state: 'done', result: 1, progress: 1 })
    await q.submit(spec)
    expect(runs).toBe(1)
  })

  it('records a failure once (no retry on every poll) until forgotten', async () => {
    const q = new FfmpegQueue(1)
    let runs = 0
    const spec = {
      key: 'bad',
      kind: 'proxy' as const,
      priority: 1,
      run: async (): Promise<never> => {
        runs++
        throw new Error('corrupt input packet in stream 0')
      }
    }
    await expect(q.submit(spec)).rejects.toThrow('corrupt input packet')
    await expect(q.submit(spec)).rejects.toThrow('corrupt input packet')
    expect(runs).toBe(1)
    expect(q.get('bad')).toMatchObject({ state: 'failed', error: 'corrupt input packet in stream 0' })
    expect(q.counts('proxy')).toMatchObject({ total: 1, failed: 1 })
    q.forget('bad')
    await expect(q.submit(spec)).rejects.toThrow()
    expect(runs).toBe(2)
  })

  it('clamps progress to 0..1', async () => {
    const q = new FfmpegQueue(1)
    const g = gate()
    let ctxSeen!: JobContext
    const p = q.submit({
      key: 'p',
      kind: 'proxy',
      priority: 1,
      run: (ctx) => {
        ctxSeen = ctx
        return g.run(ctx)
      }
    })
    await g.started
    ctxSeen.progress(0.25)
    expect(q.get('p')?.progress).toBe(0.25)
    ctxSeen.progress(1.7)
    expect(q.get('p')?.progress).toBe(1)
    ctxSeen.progress(Number.NaN)
    expect(q.get('p')?.progress).toBe(1)
    g.release('ok')
    await p
  })

  it('close() aborts running jobs, waits for them, and never starts pending ones', async () => {
    const q = new FfmpegQueue(1)
    const g = gate()
    const running = q.submit({ key: 'r', kind: 'proxy', priority: 1, run: g.run })
    let pendingRan = false
    const pending = q.submit({
      key: 'p',
      kind: 'proxy',
      priority: 1,
      run: async () => {
        pendingRan = true
      }
    })
    await g.started
    await q.close()
    expect(g.aborted()).toBe(true)
    await expect(running).rejects.toThrow()
    await expect(pending).rejects.toBeInstanceOf(QueueClosedError)
    expect(pendingRan).toBe(false)
    expect(q.counts('proxy')).toMatchObject({ running: 0, pending: 0, failed: 2 })
    await expect(q.submit({ key: 'late', kind: 'proxy', priority: 1, run: async () => 1 })).rejects.toBeInstanceOf(QueueClosedError)
  })
})
