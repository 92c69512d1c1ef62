/**
 * Help → About's facts, gathered when it opens: the versions a bug report
 * needs (the app, Electron, Chromium, Node, SQLite as linked into
 * better-sqlite3, the ffmpeg the app will run, and the classifier model).
 * Plain Node, so tests gather them for real.
 */
import Database from 'better-sqlite3'
import type { OpResult } from '../../shared/contract'
import { ffmpegPath } from '../media/ffmpegPaths'
import { runProcess } from '../media/processRun'
import { ffmpegVersionFrom, type AboutVersions } from './menu'

export interface AboutSources {
  app: string
  /** process.versions in the app: electron and chrome are set there. */
  versions: Partial<Record<'electron' | 'chrome' | 'node', string>>
  /** better-sqlite3 built for Electron (development runs); the default build otherwise. */
  nativeBinding?: string | undefined
  /** The catalog's classifier/modelInfo; absent on a reader workstation, which runs no model. */
  modelInfo?: (() => Promise<OpResult<'classifier/modelInfo'>> | OpResult<'classifier/modelInfo'>) | undefined
}

export function sqliteVersion(nativeBinding?: string): string | null {
  try {
    const db = new Database(':memory:', nativeBinding ? { nativeBinding } : {})
    try {
      return db.prepare<[], { v: string }>('SELECT sqlite_version() AS v').get()?.v ?? null
    } finally {
      db.close()
    }
  } catch {
    return null
  }
}

export async function ffmpegVersion(bin: string | null = ffmpegPath()): Promise<string | null> {
  if (bin === null) return null
  try {
    return ffmpegVersionFrom(await runProcess(bin, ['-hide_banner', '-version'], { collectStdout: true }))
  } catch {
    return null
  }
}

async function modelVersion(modelInfo: AboutSources['modelInfo']): Promise<string | null> {
  if (!modelInfo) return 'not used on a reader workstation'
  try {
    const info = await modelInfo()
    return info.model ? `${info.model.name} ${info.model.version}` : info.error ? `none (${info.error})` : null
  } catch {
    return null
  }
}

export async function aboutVersions(sources: AboutSources): Promise<AboutVersions> {
  return {
    app: sources.app,
    electron: sources.versions.electron ?? 'not running in Electron',
    chromium: sources.versions.chrome ?? 'not running in Electron',
    node: sources.versions.node ?? 'unknown',
    sqlite: sqliteVersion(sources.nativeBinding),
    ffmpeg: await ffmpegVersion(),
    model: await modelVersion(sources.modelInfo)
  }
}
