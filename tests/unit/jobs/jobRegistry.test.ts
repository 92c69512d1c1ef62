/**
 * The one job registry: every long job reports progress, settles as done,
 * failed or cancelled, answers "is anything running" in one question, and
 * the domain views keep their contract shapes apart (an import's id is not a
 * classifier job).
 */
import { describe, expect, it } from 'vitest'
import { ClassifierJobs } from '../../../src/main/classifier/classifierJobs'
import { UserError } from '../../../src/main/errors'
import { JobRegistry } from '../../../src/main/jobs/jobRegistry'
import { SubmissionJobs } from '../../../src/main/submission/jobs'

/** A run that waits until `release()` is called, watching its signal. */
function gate(): { run: (ctl: { signal: AbortSignal }) => Promise<string>; release: (v?: string) => void } {
  let release: (v?: string) => void = () => {}
  const run = (ctl: { signal: AbortSignal }): Promise<string> =>
    new Promise((resolve, reject) => {
      release = (v = 'ok') => resolve(v)
      ctl.signal.addEventListener('abort', () => reject(new Error('aborted')))
    })
  return { run, release: (v) => release(v) }
}

describe('JobRegistry', () => {
  it('reports progress and the result of a job that finishes', async () => {
    const jobs = new JobRegistry()
    const id = jobs.start('import', async (ctl) => {
      ctl.update(1, 2, 'Half way')
      return 42
    })
    expect(jobs.get(id)).toMatchObject({ kind: 'import', state: 'running', done: 1, total: 2, message: 'Half way' })
    expect(await jobs.settled(id)).toMatchObject({ state: 'done', result: 42, message: 'Finished', error: null })
    expect(jobs.get(id).finishedAt).not.toBeNull()
  })

  it('starts a nextTurn job after the caller has its id', async () => {
    const jobs = new JobRegistry()
    let ran = false
    const id = jobs.start('import', async () => (ran = true), { nextTurn: true })
    expect(ran).toBe(false)
    await jobs.settled(id)
    expect(ran).toBe(true)
  })

  it('tells a UserError in its words and anything else as unexpected', async () => {
    const jobs = new JobRegistry()
    const a = jobs.start('bundle', () => Promise.reject(new UserError('bad_input', 'No clips chosen.')))
    const b = jobs.start('bundle', () => Promise.reject(new Error('disk on fire')))
    expect(await jobs.settled(a)).toMatchObject({ state: 'failed', error: 'No clips chosen.', message: 'Failed' })
    expect(await jobs.settled(b)).toMatchObject({ state: 'failed', error: 'Unexpected error: disk on fire' })
  })

  it('cancels a job through its signal; it settles as cancelled', async () => {
    const jobs = new JobRegistry()
    const g = gate()
    const id = jobs.start('prelabel', g.run)
    expect(jobs.cancel(id)).toMatchObject({ state: 'running', message: 'Cancelling' })
    expect(await jobs.settled(id)).toMatchObject({ state: 'cancelled', message: 'Cancelled', error: null })
    expect(jobs.cancel('nope')).toBeUndefined()
  })

  it('answers whether anything runs in one question, naming the job', async () => {
    const jobs = new JobRegistry()
    expect(jobs.runningJob()).toBeNull()
    const g = gate()
    const id = jobs.start('pacs-pull', g.run)
    expect(jobs.busy()).toBe(true)
    expect(jobs.busy('import')).toBe(false)
    expect(jobs.runningJob()).toBe('A PACS retrieval')
    const h = gate()
    const imp = jobs.start('import', h.run)
    expect(jobs.runningJob()).toBe('An import')
    g.release()
    h.release()
    await Promise.all([jobs.settled(id), jobs.settled(imp)])
    expect(jobs.runningJob()).toBeNull()
  })

  it('cancelAll stops only the kinds named', async () => {
    const jobs = new JobRegistry()
    const p = gate()
    const i = gate()
    const pre = jobs.start('prelabel', p.run)
    const imp = jobs.start('import', i.run)
    await jobs.cancelAll('prelabel', 'leakage')
    expect(jobs.get(pre).state).toBe('cancelled')
    expect(jobs.get(imp).state).toBe('running')
    i.release()
    await jobs.settled(imp)
  })

  it('keeps the last 50 finished jobs of each kind', async () => {
    const jobs = new JobRegistry()
    const kept = jobs.start('leakage', async () => 'x')
    await jobs.settled(kept)
    const ids: string[] = []
    for (let n = 0; n < 51; n++) ids.push(jobs.start('bundle', async () => n))
    await Promise.all(ids.map((id) => jobs.settled(id).catch(() => null)))
    expect(jobs.find(ids[0]!)).toBeUndefined()
    expect(jobs.find(ids[50]!)).toBeDefined()
    expect(jobs.find(kept)).toBeDefined()
  })
})

describe('the domain views over one registry', () => {
  it('keep their jobs apart and their refusals as they were', async () => {
    const registry = new JobRegistry()
    const submission = new SubmissionJobs(registry)
    const classifier = new ClassifierJobs<string>(registry)
    const g = gate()
    const sub = submission.start('dicom-import', async () => ({ imports: [] }))
    const cls = classifier.start('leakage', g.run)
    expect(() => classifier.start('leakage', g.run)).toThrow(/A leakage check is already running/)
    expect(() => classifier.get(sub)).toThrow(/No classifier job/)
    expect(() => submission.get(cls)).toThrow(/No job/)
    expect(await submission.wait(sub)).toMatchObject({ kind: 'dicom-import', state: 'done', imports: [], failures: [], rebuild: null, bundle: null })
    const busy = gate()
    submission.start('bundle', busy.run as never)
    expect(() => submission.start('pacs-pull', async () => ({}))).toThrow(/Another import or export is running/)
    expect(submission.running()).toBe('bundle')
    busy.release()
    expect(classifier.cancel(cls)).toMatchObject({ kind: 'leakage', message: 'Cancelling' })
    expect(await classifier.settled(cls)).toMatchObject({ state: 'cancelled' })
  })
})
