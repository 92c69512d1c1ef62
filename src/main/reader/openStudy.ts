/**
 * Opening a reader bundle on a rater's machine: the zip is checked and its
 * clips verified into the study's own store (`study.db` + `clips/`, by
 * default `<user data>/studies/<studyId>/`), apart from any catalog.
 *
 * Reopening the same bundle resumes: ratings are kept, and a clip whose
 * stored copy still has the manifest's SHA-256 is not extracted again. A
 * different bundle with the same study id is refused, as is anything wrong
 * with the bundle; a refused open leaves an existing store as it was and
 * removes whatever it created.
 */
import { existsSync, mkdirSync, rmSync, statSync } from 'node:fs'
import { basename, join, resolve } from 'node:path'
import type { Entry } from 'yauzl'
import { sha256Bytes, sha256File } from '../media/contentHash'
import { STUDY_MANIFEST_FILE, type StudyClip, type StudyManifest } from '../ratings/readerBundle/readerFormats'
import { userDataDir } from '../paths'
import { APP_VERSION } from '../version'
import { UserError } from '../errors'
import { BundleRefused } from './bundleRefused'
import { ReaderService } from './readerService'
import { parseStudyManifest } from './studyManifest'
import { StudyStore, openStudyDb } from './studyStore'
import { STUDY_ZIP_LIMITS, StudyZip, type StudyZipLimits } from './studyZip'

export const STUDY_DB_FILE = 'study.db'
export const STUDY_CLIPS_FOLDER = 'clips'

export interface OpenStudyOptions {
  /** The study's store folder; defaults to `<studiesDir>/<studyId>`. */
  storeDir?: string
  /** Where stores are made by default; defaults to `<userDataDir()>/studies` (Electron passes its own user-data path). */
  studiesDir?: string
  limits?: StudyZipLimits
  /** better-sqlite3 built for Electron. */
  nativeBinding?: string
  /** Written into ratings bundles; defaults to this build's version. */
  appVersion?: string
}

export interface OpenedStudy {
  service: ReaderService
  manifest: StudyManifest
  storeDir: string
  bundlePath: string
  /** The store already held this study: its ratings were resumed. */
  resumed: boolean
  /** Clips copied out of the bundle by this open (0 when every stored copy was still good). */
  extracted: number
  close(): void
}

export function defaultStudiesDir(): string {
  return join(userDataDir(), 'studies')
}

export async function openStudy(zipPath: string, options: OpenStudyOptions = {}): Promise<OpenedStudy> {
  const bundlePath = resolve(zipPath)
  const limits = options.limits ?? STUDY_ZIP_LIMITS
  const refusal = (why: string): UserError => new UserError('bad_input', `Cannot open reader study ${bundlePath}: ${why}.`)
  if (existsSync(bundlePath) && !statSync(bundlePath).isFile()) throw refusal('it is a folder, not a zip file')

  let zip: StudyZip
  try {
    zip = await StudyZip.open(bundlePath, limits)
  } catch (e) {
    throw e instanceof BundleRefused ? refusal(e.message) : e
  }
  let storeDir: string | null = null
  let made: MadePaths | null = null
  let store: StudyStore | null = null
  const extractedNow: string[] = []
  try {
    if (!zip.entries.has(STUDY_MANIFEST_FILE)) throw new BundleRefused(`it has no ${STUDY_MANIFEST_FILE}: it is not a reader study bundle`)
    const manifestBytes = await zip.read(STUDY_MANIFEST_FILE, limits.maxManifestBytes)
    const manifest = parseStudyManifest(manifestBytes)
    checkEntries(zip.entries, manifest)
    const declared = manifest.clips.reduce((n, c) => n + c.bytes, 0)
    if (declared > limits.maxTotalBytes) throw new BundleRefused(`its clips add up to ${declared} bytes; a reader study holds at most ${limits.maxTotalBytes}`)

    storeDir = resolve(options.storeDir ?? join(options.studiesDir ?? defaultStudiesDir(), manifest.studyId))
    const clipsDir = join(storeDir, STUDY_CLIPS_FOLDER)
    made = makeStoreFolders(storeDir, clipsDir)
    store = new StudyStore(openStudyDb(join(storeDir, STUDY_DB_FILE), options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}))
    const manifestSha256 = sha256Bytes(manifestBytes)
    const existing = store.study()
    if (existing && existing.studyId !== manifest.studyId)
      throw new UserError('conflict', `Cannot open reader study ${bundlePath}: the folder ${storeDir} holds another reader study; choose another folder.`)
    if (existing && existing.manifestSha256 !== manifestSha256)
      throw new UserError(
        'conflict',
        `Cannot open reader study ${bundlePath}: a different bundle of the study "${manifest.name}" (same study id, different content) was opened on this machine before. ` +
          `Ask the coordinator which file is current; the ratings made with the earlier one are kept in ${storeDir}.`
      )

    let extracted = 0
    for (const clip of manifest.clips) {
      const dest = join(clipsDir, basename(clip.file))
      if (await holdsClip(dest, clip)) continue
      const replacing = existsSync(dest)
      await zip.extractVerified(clip.file, dest, { bytes: clip.bytes, sha256: clip.sha256 })
      extracted++
      if (!replacing) extractedNow.push(dest)
    }

    if (existing) store.touchStudy(bundlePath)
    else store.createStudy(manifest, manifestBytes.toString('utf8'), manifestSha256, bundlePath)
    const opened = store
    return {
      service: new ReaderService({ store: opened, manifest, clipsDir, bundlePath, appVersion: options.appVersion ?? APP_VERSION }),
      manifest,
      storeDir,
      bundlePath,
      resumed: existing !== null,
      extracted,
      close: () => opened.close()
    }
  } catch (e) {
    store?.close()
    // New clips go; a stored copy that was wrong and got replaced stays replaced, as the new one is verified.
    for (const file of extractedNow) rmSync(file, { force: true })
    if (made) removeMade(made)
    if (e instanceof BundleRefused) throw refusal(e.message)
    // A full disk or a folder that cannot be written is this machine's problem, not the bundle's: say where.
    if ((e as NodeJS.ErrnoException).syscall !== undefined) {
      const where = storeDir === null ? 'reading it' : `setting up its store in ${storeDir}`
      throw new UserError('bad_input', `Cannot open reader study ${bundlePath}: ${where} failed (${(e as Error).message}).`)
    }
    throw e
  } finally {
    zip.close()
  }
}

/** Every entry is study.json or a clip the manifest lists, and every clip it lists is there. */
function checkEntries(entries: ReadonlyMap<string, Entry>, manifest: StudyManifest): void {
  const expected = new Set([STUDY_MANIFEST_FILE, ...manifest.clips.map((c) => c.file)])
  for (const name of entries.keys()) if (!expected.has(name)) throw new BundleRefused(`it holds "${name}", which is not part of a reader study`)
  for (const c of manifest.clips) if (!entries.has(c.file)) throw new BundleRefused(`${c.file} is missing (study.json lists it)`)
}

/** Whether the store already has this clip, verified: same size, same SHA-256. */
async function holdsClip(dest: string, clip: StudyClip): Promise<boolean> {
  if (!existsSync(dest)) return false
  const st = statSync(dest)
  return st.isFile() && st.size === clip.bytes && (await sha256File(dest)) === clip.sha256
}

interface MadePaths {
  storeDir: string | null
  clipsDir: string | null
  dbFile: string | null
}

/** Creates the store's folders, remembering what did not exist before so a refused open can remove exactly that. */
function makeStoreFolders(storeDir: string, clipsDir: string): MadePaths {
  const dbFile = join(storeDir, STUDY_DB_FILE)
  const made: MadePaths = {
    storeDir: existsSync(storeDir) ? null : storeDir,
    clipsDir: existsSync(clipsDir) ? null : clipsDir,
    dbFile: existsSync(dbFile) ? null : dbFile
  }
  mkdirSync(clipsDir, { recursive: true })
  return made
}

function removeMade(made: MadePaths): void {
  if (made.storeDir) return rmSync(made.storeDir, { recursive: true, force: true })
  if (made.clipsDir) rmSync(made.clipsDir, { recursive: true, force: true })
  if (made.dbFile) for (const suffix of ['', '-wal', '-shm']) rmSync(made.dbFile + suffix, { force: true })
}
