/**
 * Leakage check: clips that look like the same recording (the same clip
 * re-encoded or trimmed, or consecutive clips of one patient filed under two
 * patient IDs) but sit in different folds. Such a pair tests the model on
 * what it was trained on. The check flags; a person decides (or the training
 * pipeline merges the pair's groups and splits again).
 */
import { mapLimit } from '../jobs/mapLimit'
import { clipDistance, clipHashes, type DHash } from './perceptualHash'

/**
 * Median nearest-frame Hamming distance (of 64 bits) at or below which two
 * clips are called near-duplicates. On the shared dataset a re-encoded,
 * downscaled copy scores 0–1; the closest pairs of different clips score 3–4
 * and are, on inspection, consecutive clips of one session (northumbria setN
 * vidM) or the same image filed twice; unrelated clips score 6 and up.
 */
export const NEAR_DUPLICATE_MAX_DISTANCE = 4

export interface HashedClip {
  entryId: number
  filename: string
  hashes: readonly DHash[]
}

export interface NearDuplicate {
  a: { entryId: number; filename: string; fold: number | null }
  b: { entryId: number; filename: string; fold: number | null }
  distance: number
  /** True when the two clips sit in different folds: the pair leaks. */
  crossFold: boolean
}

export function findNearDuplicates(
  clips: readonly HashedClip[],
  foldOf: (entryId: number) => number | null,
  maxDistance: number = NEAR_DUPLICATE_MAX_DISTANCE
): NearDuplicate[] {
  const out: NearDuplicate[] = []
  for (let i = 0; i < clips.length; i++) {
    for (let j = i + 1; j < clips.length; j++) {
      const a = clips[i]!
      const b = clips[j]!
      const d = clipDistance(a.hashes, b.hashes)
      if (d === null || d > maxDistance) continue
      const fa = foldOf(a.entryId)
      const fb = foldOf(b.entryId)
      out.push({
        a: { entryId: a.entryId, filename: a.filename, fold: fa },
        b: { entryId: b.entryId, filename: b.filename, fold: fb },
        distance: d,
        crossFold: fa !== null && fb !== null && fa !== fb
      })
    }
  }
  return out.sort((x, y) => x.distance - y.distance || x.a.filename.localeCompare(y.a.filename))
}

/** Hashes many clips, two ffmpeg processes at a time; a clip that cannot be decoded gets no hashes (and is never flagged). */
export async function hashClips(
  clips: readonly { entryId: number; filename: string; absPath: string }[],
  options: { concurrency?: number; signal?: AbortSignal; onProgress?: (done: number, total: number) => void } = {}
): Promise<{ hashed: HashedClip[]; failed: { filename: string; reason: string }[] }> {
  const failed: { filename: string; reason: string }[] = []
  let done = 0
  const hashed = await mapLimit(clips, options.concurrency ?? 2, async (c): Promise<HashedClip> => {
    let hashes: readonly DHash[] = []
    try {
      hashes = await clipHashes(c.absPath, { ...(options.signal ? { signal: options.signal } : {}), timeoutMs: 120_000 })
    } catch (e) {
      if (options.signal?.aborted) throw e
      failed.push({ filename: c.filename, reason: (e as Error).message })
    }
    options.onProgress?.(++done, clips.length)
    return { entryId: c.entryId, filename: c.filename, hashes }
  })
  return { hashed, failed }
}
