/**
 * Predictions in the catalog (table `predictions`, migration 004). Writes only
 * that table: the entries' cells, where the expert label lives, are never
 * touched, whatever the model says.
 */
import { lusClassForLabel, MODEL_CLASSES, MODEL_FINDINGS, type LusClass, type ModelClass, type ModelFinding } from '../../shared/classifierPreprocess'
import type { CatalogDb } from '../catalog/database'
import { EntriesTable } from '../catalog/entriesTable'

export interface ModelIdentity {
  name: string
  version: string
  sha256: string
}

export interface StoredPrediction {
  entryId: number
  modelName: string
  modelVersion: string
  modelSha256: string
  status: 'ok' | 'failed'
  probabilities: Record<ModelClass, number> | null
  predicted: ModelClass | null
  /** Argmax over covid/pneumonia/healthy, as the card's accuracy counts it. */
  lusPredicted: LusClass | null
  entropy: number | null
  framesUsed: number
  reason: string | null
  mediaSha256: string | null
  createdAt: string
  /** Per sampled frame: its media time and class probabilities (model class order); null when not stored. */
  frames: FrameProbabilities[] | null
  /** The model's findings for the clip (MODEL_FINDINGS order); null without a findings head, when failed, or stored before migration 009. */
  findings: FindingProbability[] | null
}

export interface FindingProbability {
  name: ModelFinding
  probability: number
}

export interface FrameProbabilities {
  /** Media time of the sample, seconds. */
  time: number
  probs: number[]
}

/** What the renderer merges into its catalog summaries, to filter and sort by. */
export interface PredictionSummary {
  entryId: number
  status: 'ok' | 'failed'
  predicted: ModelClass | null
  lusPredicted: LusClass | null
  /** Highest class probability. */
  confidence: number | null
  entropy: number | null
  /** The expert label's class, when it is one the model knows. */
  expertClass: LusClass | null
  /**
   * True when the model's overall class differs from the expert's (an
   * `uninformative` call on a labelled clip counts); null when either is missing.
   */
  disagrees: boolean | null
}

interface Row {
  entry_id: number
  model_name: string
  model_version: string
  model_sha256: string
  status: 'ok' | 'failed'
  probabilities: string | null
  predicted: string | null
  entropy: number | null
  frames_used: number
  reason: string | null
  media_sha256: string | null
  created_at: string
  frames: string | null
  findings: string | null
}

/** Stored as [time, p1, p2, …] rows: a quarter of the size of objects, and the class order is the model's. */
function parseFrames(text: string | null): FrameProbabilities[] | null {
  if (text === null) return null
  const rows = JSON.parse(text) as number[][]
  return rows.map(([time, ...probs]) => ({ time: time ?? 0, probs }))
}

/** Stored as {name: p} in the model's order; names the app does not know are dropped, not shown under a wrong label. */
function parseFindings(text: string | null): FindingProbability[] | null {
  if (text === null) return null
  const stored = JSON.parse(text) as Record<string, number>
  return MODEL_FINDINGS.filter((f) => typeof stored[f] === 'number').map((name) => ({ name, probability: stored[name]! }))
}

function toPrediction(r: Row): StoredPrediction {
  const probabilities = r.probabilities === null ? null : (JSON.parse(r.probabilities) as Record<ModelClass, number>)
  return {
    entryId: r.entry_id,
    modelName: r.model_name,
    modelVersion: r.model_version,
    modelSha256: r.model_sha256,
    status: r.status,
    probabilities,
    predicted: isModelClass(r.predicted) ? r.predicted : null,
    lusPredicted: probabilities ? lusArgmax(probabilities) : null,
    entropy: r.entropy,
    framesUsed: r.frames_used,
    reason: r.reason,
    mediaSha256: r.media_sha256,
    createdAt: r.created_at,
    frames: parseFrames(r.frames),
    findings: parseFindings(r.findings)
  }
}

function isModelClass(v: string | null): v is ModelClass {
  return v !== null && (MODEL_CLASSES as readonly string[]).includes(v)
}

function lusArgmax(p: Record<ModelClass, number>): LusClass {
  const lus: LusClass[] = ['covid', 'pneumonia', 'healthy']
  return lus.reduce((best, c) => ((p[c] ?? 0) > (p[best] ?? 0) ? c : best), lus[0]!)
}

export class PredictionStore {
  private readonly stmts
  private readonly entries: EntriesTable

  constructor(db: CatalogDb) {
    this.entries = new EntriesTable(db)
    this.stmts = {
      upsert: db.prepare(
        `INSERT INTO predictions (entry_id, model_name, model_version, model_sha256, status, probabilities, predicted, entropy,
           frames_used, reason, media_sha256, created_at, frames, findings)
         VALUES (@entry_id, @model_name, @model_version, @model_sha256, @status, @probabilities, @predicted, @entropy,
           @frames_used, @reason, @media_sha256, @created_at, @frames, @findings)
         ON CONFLICT (entry_id, model_sha256) DO UPDATE SET model_name = excluded.model_name, model_version = excluded.model_version,
           status = excluded.status, probabilities = excluded.probabilities, predicted = excluded.predicted, entropy = excluded.entropy,
           frames_used = excluded.frames_used, reason = excluded.reason, media_sha256 = excluded.media_sha256, created_at = excluded.created_at,
           frames = excluded.frames, findings = excluded.findings`
      ),
      byModel: db.prepare<[string], Row>(`SELECT * FROM predictions WHERE model_sha256 = ? ORDER BY entry_id`),
      one: db.prepare<[number, string], Row>(`SELECT * FROM predictions WHERE entry_id = ? AND model_sha256 = ?`),
      latest: db.prepare<[number], Row>(`SELECT * FROM predictions WHERE entry_id = ? ORDER BY created_at DESC LIMIT 1`),
      done: db.prepare<[string], { entry_id: number; media_sha256: string | null; status: string }>(
        `SELECT entry_id, media_sha256, status FROM predictions WHERE model_sha256 = ?`
      )
    }
  }

  save(model: ModelIdentity, p: { entryId: number; mediaSha256: string | null } & (
    | { ok: true; probabilities: Record<ModelClass, number>; predicted: ModelClass; entropy: number; framesUsed: number; frames?: FrameProbabilities[]; findings?: FindingProbability[] | null }
    | { ok: false; reason: string }
  )): void {
    this.stmts.upsert.run({
      entry_id: p.entryId,
      model_name: model.name,
      model_version: model.version,
      model_sha256: model.sha256,
      status: p.ok ? 'ok' : 'failed',
      // Keys in class order, so equal predictions are equal text.
      probabilities: p.ok ? JSON.stringify(Object.fromEntries(MODEL_CLASSES.map((c) => [c, round(p.probabilities[c])]))) : null,
      predicted: p.ok ? p.predicted : null,
      entropy: p.ok ? round(p.entropy) : null,
      frames_used: p.ok ? p.framesUsed : 0,
      reason: p.ok ? null : p.reason,
      media_sha256: p.mediaSha256,
      created_at: new Date().toISOString(),
      frames: p.ok && p.frames ? JSON.stringify(p.frames.map((f) => [round(f.time), ...f.probs.map(round)])) : null,
      findings: p.ok && p.findings ? JSON.stringify(Object.fromEntries(p.findings.map((f) => [f.name, round(f.probability)]))) : null
    })
  }

  list(modelSha256: string): StoredPrediction[] {
    return this.stmts.byModel.all(modelSha256).map(toPrediction)
  }

  /** The prediction of the given model, or the newest of any model when none is given. */
  get(entryId: number, modelSha256?: string): StoredPrediction | null {
    const r = modelSha256 ? this.stmts.one.get(entryId, modelSha256) : this.stmts.latest.get(entryId)
    return r ? toPrediction(r) : null
  }

  /** Entries already predicted by this model, with the media hash they were predicted from. */
  predictedEntries(modelSha256: string): Map<number, { mediaSha256: string | null; status: string }> {
    return new Map(this.stmts.done.all(modelSha256).map((r) => [r.entry_id, { mediaSha256: r.media_sha256, status: r.status }]))
  }

  summaries(modelSha256: string): PredictionSummary[] {
    // Predictions cascade with their entries, so every one has a label.
    const labels = this.entries.labels()
    return this.stmts.byModel.all(modelSha256).map((r) => {
      const p = toPrediction(r)
      const expertClass = lusClassForLabel(labels.get(r.entry_id) ?? '')
      const confidence = p.probabilities ? Math.max(...MODEL_CLASSES.map((c) => p.probabilities![c] ?? 0)) : null
      return {
        entryId: p.entryId,
        status: p.status,
        predicted: p.predicted,
        lusPredicted: p.lusPredicted,
        confidence,
        entropy: p.entropy,
        expertClass,
        disagrees: expertClass === null || p.predicted === null ? null : p.predicted !== expertClass
      }
    })
  }
}

function round(v: number): number {
  return Math.round(v * 1e6) / 1e6
}
