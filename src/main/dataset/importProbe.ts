/**
 * Step two of an import: probe. Every media file found under the folder is
 * hashed and probed with ffprobe, as many at once as there are cores; a file
 * unchanged since the last import (same size, mtime, and a hash) keeps what
 * ffprobe said then. Runs on the thread that started the import: it is
 * ffprobe processes, awaited, and tests replace the probe with a function.
 */
import { extname } from 'node:path'
import type { MediaRow } from '../catalog/catalogRows'
import { sha256File } from '../media/contentHash'
import type { ScannedMedia } from '../media/mediaScan'
import type { ProbeResult } from '../media/probe'
import { mapLimit } from '../jobs/mapLimit'
import { mediaProblem } from './mediaChecks'

export interface ProbedMedia extends ScannedMedia {
  probe: ProbeResult | null
  error: string | null
  /** Content hash: matches clips across machines and detects files changed since import. */
  sha256: string | null
}

export interface ProbeStepOptions {
  probe: (file: string) => Promise<ProbeResult>
  concurrency: number
  /** After each file, with the count done so far. */
  onFile: (done: number, relPath: string) => void
}

/** What one file is: from the scan's flag, from the last import, or from ffprobe and its hash now. */
async function probeOne(m: ScannedMedia, prior: MediaRow | undefined, probe: ProbeStepOptions['probe']): Promise<ProbedMedia> {
  // Flagged by the scan (a name that is not UTF-8): reported, never opened.
  if (m.unreadable) return { ...m, probe: null, error: m.unreadable, sha256: null }
  if (prior && prior.size_bytes === m.sizeBytes && prior.mtime_ms === m.mtimeMs && prior.sha256 !== null) {
    // Unchanged since the last import: keep what ffprobe said then.
    return {
      ...m,
      probe: prior.error
        ? null
        : { frames: prior.frames, fps: prior.fps, width: prior.width, height: prior.height, durationS: prior.duration_s, codec: prior.codec },
      error: prior.error,
      sha256: prior.sha256
    }
  }
  if (m.sizeBytes === 0) return { ...m, probe: null, error: 'zero-byte file', sha256: null }
  let sha256: string | null = null
  try {
    const [probed, hash] = await Promise.all([probe(m.absPath), sha256File(m.absPath)])
    sha256 = hash
    const problem = mediaProblem(m.kind, extname(m.relPath).toLowerCase(), probed)
    return problem ? { ...m, probe: null, error: problem, sha256 } : { ...m, probe: probed, error: null, sha256 }
  } catch (e) {
    return { ...m, probe: null, error: (e as Error).message, sha256 }
  }
}

/** Probes the scanned files, in their order; `known` is what the last import of the folder recorded. */
export async function probeImport(scanned: readonly ScannedMedia[], known: readonly MediaRow[], o: ProbeStepOptions): Promise<ProbedMedia[]> {
  const byRelPath = new Map(known.map((m) => [m.rel_path, m]))
  let done = 0
  return mapLimit(scanned, o.concurrency, async (m) => {
    const result = await probeOne(m, byRelPath.get(m.relPath), o.probe)
    o.onFile(++done, m.relPath)
    return result
  })
}
