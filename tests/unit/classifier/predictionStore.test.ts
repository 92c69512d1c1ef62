import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { migrate } from '../../../src/main/catalog/database'
import { migration001 } from '../../../src/main/catalog/migrations/001-initial-schema'
import { migration002 } from '../../../src/main/catalog/migrations/002-review-audit'
import { migration003 } from '../../../src/main/catalog/migrations/003-ratings'
import { migration004 } from '../../../src/main/catalog/migrations/004-predictions'
import { migration008 } from '../../../src/main/catalog/migrations/008-prediction-frames'
import { migration009 } from '../../../src/main/catalog/migrations/009-prediction-findings'
import { PredictionStore } from '../../../src/main/classifier/predictionStore'
import { MIGRATIONS } from '../../../src/main/catalog/migrations'
import { MODEL_FINDINGS } from '../../../src/shared/classifierPreprocess'

function catalogWithEntries(labels: string[]): Database.Database {
  const db = new Database(':memory:')
  db.pragma('foreign_keys = ON')
  // 008 and 009 add the per-frame and findings columns; the store writes them.
  migrate(db, [migration001, migration002, migration003, migration004])
  migration008.up(db)
  migration009.up(db)
  db.prepare(
    `INSERT INTO sources (root, csv_name, csv_sha256, header_raw, record_delimiter, final_newline, bom, imported_at)
     VALUES ('/d', 'dataset_metadata.csv', 'x', 'h', char(10), 0, 0, 'now')`
  ).run()
  labels.forEach((label, i) =>
    db
      .prepare(
        `INSERT INTO entries (source_id, row_no, sort_key, cells, filename, label, label_raw, probe, type, license, source_ref,
          location, title, search_text, normalized, warnings, media_status, updated_at)
         VALUES (1, ?, ?, '[]', ?, ?, '', '', '', '', '', '', '', '', '{}', '[]', 'missing', 'now')`
      )
      .run(i + 1, i + 1, `clip${i + 1}`, label)
  )
  return db
}

const model = { name: 'lusnet', version: '1.0.0', sha256: 'a'.repeat(64) }
const probs = (c: number, p: number, h: number, u: number) => ({ covid: c, pneumonia: p, healthy: h, uninformative: u })

describe('prediction store (migration 004)', () => {
  it('keeps one row per entry and model, replaced on re-run; summaries say where model and expert disagree', () => {
    const db = catalogWithEntries(['covid', 'healthy', 'other', 'healthy'])
    const store = new PredictionStore(db)
    store.save(model, { entryId: 1, mediaSha256: null, ok: true, probabilities: probs(0.1, 0.8, 0.05, 0.05), predicted: 'pneumonia', entropy: 1, framesUsed: 9 })
    store.save(model, { entryId: 1, mediaSha256: 'm', ok: true, probabilities: probs(0.7, 0.1, 0.1, 0.1), predicted: 'covid', entropy: 1.35678, framesUsed: 12 })
    store.save(model, { entryId: 2, mediaSha256: null, ok: true, probabilities: probs(0.1, 0.1, 0.2, 0.6), predicted: 'uninformative', entropy: 1.5, framesUsed: 3 })
    store.save(model, { entryId: 3, mediaSha256: null, ok: true, probabilities: probs(0.1, 0.1, 0.7, 0.1), predicted: 'healthy', entropy: 1.3, framesUsed: 3 })
    store.save(model, { entryId: 4, mediaSha256: null, ok: false, reason: 'no decodable frames: moov atom not found' })

    const list = store.list(model.sha256)
    expect(list).toHaveLength(4)
    expect(list[0]).toMatchObject({ entryId: 1, predicted: 'covid', lusPredicted: 'covid', framesUsed: 12, mediaSha256: 'm', entropy: 1.35678 })
    expect(list[1]!.lusPredicted).toBe('healthy')
    expect(list[3]).toMatchObject({ status: 'failed', probabilities: null, reason: 'no decodable frames: moov atom not found', framesUsed: 0 })

    const s = new Map(store.summaries(model.sha256).map((x) => [x.entryId, x]))
    expect(s.get(1)).toMatchObject({ expertClass: 'covid', predicted: 'covid', disagrees: false, confidence: 0.7 })
    expect(s.get(2)).toMatchObject({ expertClass: 'healthy', predicted: 'uninformative', disagrees: true })
    expect(s.get(3)).toMatchObject({ expertClass: null, disagrees: null })
    expect(s.get(4)).toMatchObject({ status: 'failed', disagrees: null })

    // Another model's rows sit beside, and get() without a model gives the newest.
    store.save({ ...model, version: '2', sha256: 'b'.repeat(64) }, { entryId: 1, mediaSha256: null, ok: true, probabilities: probs(0, 0, 1, 0), predicted: 'healthy', entropy: 0, framesUsed: 1 })
    expect(store.list(model.sha256)).toHaveLength(4)
    expect(store.get(1, model.sha256)!.predicted).toBe('covid')
    expect(store.get(1)!.modelVersion).toBe('2')
    expect(store.predictedEntries(model.sha256).get(1)).toEqual({ mediaSha256: 'm', status: 'ok' })
  })

  it('refuses rows the app would never write, and goes with its entry', () => {
    const db = catalogWithEntries(['covid'])
    const insert = (status: string, probabilities: string | null, predicted: string | null, reason: string | null) =>
      db
        .prepare(
          `INSERT INTO predictions (entry_id, model_name, model_version, model_sha256, status, probabilities, predicted, frames_used, reason, created_at)
           VALUES (1, 'm', '1', 'x', ?, ?, ?, 0, ?, 'now')`
        )
        .run(status, probabilities, predicted, reason)
    expect(() => insert('failed', null, null, null)).toThrow(/CHECK/) // a failure needs its reason
    expect(() => insert('ok', null, 'covid', null)).toThrow(/CHECK/) // a prediction needs its probabilities
    expect(() => insert('maybe', '{}', 'covid', null)).toThrow(/CHECK/)
    insert('ok', '{"covid":1}', 'covid', null)
    db.prepare('DELETE FROM entries').run()
    expect(db.prepare('SELECT count(*) AS n FROM predictions').get()).toEqual({ n: 0 })
  })
})

describe('per-frame probabilities (migration 008)', () => {
  it('keeps each sampled frame with its time, and none for a failure or an older row', () => {
    const db = catalogWithEntries(['covid', 'healthy', 'other'])
    const store = new PredictionStore(db)
    const frames = [
      { time: 0, probs: [0.7, 0.1, 0.1, 0.1] },
      { time: 1 / 3, probs: [0.2, 0.5, 0.2, 0.1] }
    ]
    store.save(model, { entryId: 1, mediaSha256: null, ok: true, probabilities: probs(0.45, 0.3, 0.15, 0.1), predicted: 'covid', entropy: 1.8, framesUsed: 2, frames })
    store.save(model, { entryId: 2, mediaSha256: null, ok: false, reason: 'no decodable frames' })
    store.save(model, { entryId: 3, mediaSha256: null, ok: true, probabilities: probs(0, 0, 1, 0), predicted: 'healthy', entropy: 0, framesUsed: 1 })
    expect(store.get(1, model.sha256)!.frames).toEqual([
      { time: 0, probs: [0.7, 0.1, 0.1, 0.1] },
      { time: 0.333333, probs: [0.2, 0.5, 0.2, 0.1] }
    ])
    expect(store.get(2, model.sha256)!.frames).toBeNull()
    expect(store.get(3, model.sha256)!.frames).toBeNull()
    expect(() => db.prepare(`UPDATE predictions SET frames = '{"a":1}' WHERE entry_id = 1`).run()).toThrow(/CHECK/)
  })
})

describe('predicted findings (migration 009)', () => {
  it('is the ninth migration, registered after 008', () => {
    expect(migration009.version).toBe(9)
    expect(MIGRATIONS[8]).toBe(migration009)
  })

  it('keeps the clip findings in the app order, none for a failure or a model without the head, and refuses non-objects', () => {
    const db = catalogWithEntries(['covid', 'healthy', 'other'])
    const store = new PredictionStore(db)
    const findings = MODEL_FINDINGS.map((name, i) => ({ name, probability: i / 10 + 0.0000004 }))
    store.save(model, { entryId: 1, mediaSha256: null, ok: true, probabilities: probs(0.45, 0.3, 0.15, 0.1), predicted: 'covid', entropy: 1.8, framesUsed: 2, findings })
    store.save(model, { entryId: 2, mediaSha256: null, ok: false, reason: 'no decodable frames' })
    store.save(model, { entryId: 3, mediaSha256: null, ok: true, probabilities: probs(0, 0, 1, 0), predicted: 'healthy', entropy: 0, framesUsed: 1, findings: null })
    expect(store.get(1, model.sha256)!.findings).toEqual(MODEL_FINDINGS.map((name, i) => ({ name, probability: i / 10 })))
    expect(store.get(2, model.sha256)!.findings).toBeNull()
    expect(store.get(3, model.sha256)!.findings).toBeNull()
    expect(() => db.prepare(`UPDATE predictions SET findings = '[0.1]' WHERE entry_id = 1`).run()).toThrow(/CHECK/)
    // A name this version does not know is left out rather than shown under another finding's name.
    db.prepare(`UPDATE predictions SET findings = '{"B-lines":0.9,"Lung sliding":0.5}' WHERE entry_id = 1`).run()
    expect(store.get(1, model.sha256)!.findings).toEqual([{ name: 'B-lines', probability: 0.9 }])
  })
})
