/**
 * Opening a reader bundle: a good one lands in its own store; reopening it
 * resumes; every kind of bad bundle is refused with a message naming the
 * file, leaving the store as it was (or not made at all).
 */
import Database from 'better-sqlite3'
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { UserError } from '../../../src/main/errors'
import { openStudy } from '../../../src/main/reader/openStudy'
import { STUDY_ZIP_LIMITS } from '../../../src/main/reader/studyZip'
import { clipFileName } from '../../../src/main/ratings/readerBundle/readerFormats'
import { tempDir } from '../../helpers/paths'
import {
  RATER_A,
  STUDY_ID,
  makeStudyMedia,
  sha256,
  studyManifest,
  studyParts,
  understateSize,
  writeStudyZip,
  zipParts,
  type StudyMedia,
  type ZipPart
} from './studyFixture'

let tmp: ReturnType<typeof tempDir>
let media: StudyMedia
let goodZip: string
let n = 0

beforeAll(async () => {
  tmp = tempDir('lus-reader-open-')
  media = await makeStudyMedia(tmp.path)
  goodZip = await writeStudyZip(join(tmp.path, 'study.zip'), studyParts(media))
})
afterAll(() => tmp.cleanup())

/** A fresh folder for stores, so that each test starts with none. */
function studiesDir(): string {
  const dir = join(tmp.path, `studies-${++n}`)
  mkdirSync(dir)
  return dir
}

async function refusal(zip: string, options: Parameters<typeof openStudy>[1]): Promise<UserError> {
  const outcome = await openStudy(zip, options).then(
    (s) => (s.close(), null),
    (e: unknown) => e
  )
  expect(outcome, 'the bundle was accepted').toBeInstanceOf(UserError)
  return outcome as UserError
}

/** Everything a store holds that a refused open must not change: its rows and its clip files. */
function snapshotStore(storeDir: string): string {
  const db = new Database(join(storeDir, 'study.db'), { readonly: true })
  try {
    const tables = ['study', 'raters', 'clips', 'queue_items', 'ratings', 'key_frames', 'finalizations']
    const rows = Object.fromEntries(tables.map((t) => [t, db.prepare(`SELECT * FROM ${t} ORDER BY 1, 2`).all()]))
    const clips = readdirSync(join(storeDir, 'clips'))
      .sort()
      .map((f) => [f, sha256(readFileSync(join(storeDir, 'clips', f))), statSync(join(storeDir, 'clips', f)).mtimeMs])
    return JSON.stringify({ rows, clips, files: readdirSync(storeDir).filter((f) => !f.endsWith('-shm') && !f.endsWith('-wal')).sort() })
  } finally {
    db.close()
  }
}

describe('opening a good bundle', () => {
  it('verifies the clips into the study’s own store under studies/<studyId>', async () => {
    const dir = studiesDir()
    const study = await openStudy(goodZip, { studiesDir: dir })
    try {
      expect(study.storeDir).toBe(join(dir, STUDY_ID))
      expect(study.resumed).toBe(false)
      expect(study.extracted).toBe(3)
      expect(study.bundlePath).toBe(goodZip)
      expect(readdirSync(study.storeDir).sort()).toEqual(expect.arrayContaining(['clips', 'study.db']))
      expect(readdirSync(join(study.storeDir, 'clips')).sort()).toEqual(['clip-001.mp4', 'clip-002.png', 'clip-003.mp4'])
      for (const c of media.clips)
        expect(readFileSync(join(study.storeDir, clipFileName(c.clipNo, c.kind))).equals(c.bytes), `clip ${c.clipNo}`).toBe(true)
      expect(study.service.study()).toEqual({
        studyId: STUDY_ID,
        name: 'Uncertain B-lines / Spring',
        fields: ['label', 'B-lines', 'comments'],
        raters: [
          { id: RATER_A.id, name: RATER_A.name },
          { id: '0b000000-0000-4000-8000-00000000000b', name: 'Dr. Ben Ode' }
        ],
        total: 3,
        createdAt: '2025-01-02T03:04:05.000Z'
      })
    } finally {
      study.close()
    }
  })

  it('uses the store folder it is given', async () => {
    const storeDir = join(studiesDir(), 'my-store')
    const study = await openStudy(goodZip, { storeDir })
    try {
      expect(study.storeDir).toBe(storeDir)
      expect(existsSync(join(storeDir, 'study.db'))).toBe(true)
    } finally {
      study.close()
    }
  })

  it('opens a bundle whose clips are deflated', async () => {
    const zip = await writeStudyZip(join(tmp.path, 'deflated.zip'), studyParts(media).map((p) => ({ ...p, compress: true })))
    const study = await openStudy(zip, { studiesDir: studiesDir() })
    study.close()
    expect(study.extracted).toBe(3)
  })
})

describe('reopening', () => {
  it('resumes: ratings kept, verified clips not extracted again, the bundle’s new place remembered', async () => {
    const dir = studiesDir()
    const first = await openStudy(goodZip, { studiesDir: dir })
    first.service.submit({ raterId: RATER_A.id, clipNo: 3, values: { label: 'covid', 'B-lines': 'present', comments: 'x' }, confidence: 4, comment: '' })
    first.close()
    const clip1 = join(first.storeDir, 'clips', 'clip-001.mp4')
    const before = statSync(clip1)

    const moved = join(tmp.path, 'moved')
    mkdirSync(moved)
    copyFileSync(goodZip, join(moved, 'study.zip'))
    const again = await openStudy(join(moved, 'study.zip'), { studiesDir: dir })
    try {
      expect(again.resumed).toBe(true)
      expect(again.extracted).toBe(0)
      expect(again.bundlePath).toBe(join(moved, 'study.zip'))
      expect(statSync(clip1).mtimeMs).toBe(before.mtimeMs)
      expect(statSync(clip1).ino).toBe(before.ino)
      const view = again.service.open(RATER_A.id, 3)
      expect(view.rated).toBe(1)
      expect(view.clip?.myRating?.values).toEqual({ label: 'covid', 'B-lines': 'present', comments: 'x' })
      expect(view.clip?.myRating?.confidence).toBe(4)
    } finally {
      again.close()
    }
  })

  it('extracts again only a stored clip whose content no longer matches', async () => {
    const dir = studiesDir()
    const first = await openStudy(goodZip, { studiesDir: dir })
    first.close()
    const clip3 = join(first.storeDir, 'clips', 'clip-003.mp4')
    writeFileSync(clip3, flipLastByte(media.clips[2]!.bytes))
    const again = await openStudy(goodZip, { studiesDir: dir })
    again.close()
    expect(again.extracted).toBe(1)
    expect(readFileSync(clip3).equals(media.clips[2]!.bytes)).toBe(true)
  })

  it('refuses a different bundle with the same study id, leaving the store as it was', async () => {
    const dir = studiesDir()
    const first = await openStudy(goodZip, { studiesDir: dir })
    first.service.submit({ raterId: RATER_A.id, clipNo: 1, values: { label: 'healthy', 'B-lines': 'absent', comments: '' }, confidence: 2, comment: 'c' })
    first.close()
    const before = snapshotStore(first.storeDir)
    const other = await writeStudyZip(join(tmp.path, 'other-same-id.zip'), studyParts(media, studyManifest(media, { name: 'Another study' })))
    const e = await refusal(other, { studiesDir: dir })
    expect(e.code).toBe('conflict')
    expect(e.message).toContain(other)
    expect(e.message).toMatch(/different bundle/)
    expect(snapshotStore(first.storeDir)).toBe(before)
  })

  it('refuses a tampered bundle of a study already open, leaving the store as it was', async () => {
    const dir = studiesDir()
    const first = await openStudy(goodZip, { studiesDir: dir })
    first.close()
    const before = snapshotStore(first.storeDir)
    const newer = await writeStudyZip(join(tmp.path, 'newer-over-store.zip'), studyParts(media, { ...studyManifest(media), schemaVersion: 2 }))
    expect((await refusal(newer, { studiesDir: dir })).message).toMatch(/newer LUS Review/)
    const extra = await writeStudyZip(join(tmp.path, 'extra-over-store.zip'), [...studyParts(media), { name: 'labels.csv', bytes: Buffer.from('covid') }])
    expect((await refusal(extra, { studiesDir: dir })).message).toMatch(/labels\.csv/)
    expect(snapshotStore(first.storeDir)).toBe(before)
  })

  it('refuses a store written by a newer app without changing a byte of it', async () => {
    const dir = studiesDir()
    const first = await openStudy(goodZip, { studiesDir: dir })
    first.close()
    const file = join(first.storeDir, 'study.db')
    const db = new Database(file)
    db.pragma('user_version = 99')
    db.pragma('journal_mode = DELETE')
    db.close()
    const bytes = readFileSync(file)
    const e = await refusal(goodZip, { studiesDir: dir })
    expect(e.code).toBe('unsupported')
    expect(e.message).toMatch(/newer version of LUS Review/)
    expect(e.message).toContain('not changed')
    expect(readFileSync(file).equals(bytes)).toBe(true)
  })
})

describe('refusing bad bundles', () => {
  const cases: { name: string; parts: (m: StudyMedia) => ZipPart[]; rename?: [string, string][]; message: RegExp }[] = [
    {
      name: 'a clip changed after the bundle was made (SHA-256 differs)',
      parts: (m) => studyParts(m).map((p) => (p.name === 'clips/clip-003.mp4' ? { ...p, bytes: flipLastByte(p.bytes) } : p)),
      message: /clips\/clip-003\.mp4" does not match its SHA-256/
    },
    {
      name: 'a clip of another size than the manifest says',
      parts: (m) => studyParts(m).map((p) => (p.name === 'clips/clip-001.mp4' ? { ...p, bytes: Buffer.concat([p.bytes, Buffer.from('x')]) } : p)),
      message: /clips\/clip-001\.mp4" is \d+ bytes, but study\.json says \d+/
    },
    {
      name: 'an entry that is not part of a reader study',
      parts: (m) => [...studyParts(m), { name: 'reference-labels.csv', bytes: Buffer.from('clip,label\n1,covid\n') }],
      message: /"reference-labels\.csv", which is not part of a reader study/
    },
    {
      name: 'a clip the manifest does not list',
      parts: (m) => [...studyParts(m), { name: 'clips/clip-004.mp4', bytes: m.clips[0]!.bytes }],
      message: /"clips\/clip-004\.mp4", which is not part of a reader study/
    },
    {
      name: 'an entry climbing out with ..',
      parts: (m) => [...studyParts(m), { name: 'xx/evil.txt', bytes: Buffer.from('x') }],
      rename: [['xx/evil.txt', '../evil.txt']],
      message: /outside the bundle/
    },
    {
      name: 'an absolute entry name',
      parts: (m) => [...studyParts(m), { name: 'xetc/cron.d/x', bytes: Buffer.from('x') }],
      rename: [['xetc/cron.d/x', '/etc/cron.d/x']],
      message: /absolute path/
    },
    {
      name: 'a backslash in an entry name',
      parts: (m) => [...studyParts(m), { name: 'clips/x/evil.mp4', bytes: Buffer.from('x') }],
      rename: [['clips/x/evil.mp4', 'clips\\x\\evil.mp4']],
      message: /backslashes/
    },
    {
      name: 'an entry name with odd characters',
      parts: (m) => [...studyParts(m), { name: 'clips/clip 005.mp4', bytes: Buffer.from('x') }],
      message: /unexpected name/
    },
    {
      name: 'a symbolic link',
      parts: (m) => [...studyParts(m), { name: 'link.mp4', bytes: Buffer.from('/etc/passwd'), mode: 0o120777 }],
      message: /symbolic link/
    },
    {
      name: 'an entry that appears twice',
      parts: (m) => [...studyParts(m), studyParts(m)[1]!],
      message: /appears twice/
    },
    {
      name: 'a missing clip',
      parts: (m) => studyParts(m).filter((p) => p.name !== 'clips/clip-003.mp4'),
      message: /clips\/clip-003\.mp4 is missing/
    },
    {
      name: 'no study.json',
      parts: (m) => studyParts(m).filter((p) => p.name !== 'study.json'),
      message: /no study\.json/
    },
    {
      name: 'a study.json from a newer app',
      parts: (m) => studyParts(m, { ...studyManifest(m), schemaVersion: 2, somethingNew: true }),
      message: /made by a newer LUS Review.*update the app/
    },
    {
      name: 'a ratings bundle opened as a study',
      parts: () => [{ name: 'study.json', bytes: Buffer.from(JSON.stringify({ format: 'lus-review-reader-ratings', schemaVersion: 1 })) }],
      message: /ratings bundle, not a reader study/
    },
    {
      name: 'a study.json that is not JSON',
      parts: (m) => [{ name: 'study.json', bytes: Buffer.from('{"format": ') }, ...studyParts(m).slice(1)],
      message: /not valid JSON/
    },
    {
      name: 'a study.json holding half of a surrogate pair',
      parts: (m) => studyParts(m, { ...studyManifest(m), name: 'Study \ud800' }),
      message: /study\.json holds text that is not well-formed Unicode \(at name: half of a surrogate pair\)/
    },
    {
      name: 'a malformed study.json, summarized',
      parts: (m) => {
        const bad = studyManifest(m)
        return studyParts(m, { ...bad, name: undefined, clips: bad.clips.map((c, i) => (i === 0 ? { ...c, sha256: 'xyz' } : c)) })
      },
      message: /study\.json is malformed \(.*name.*clips\.0\.sha256: not a SHA-256/
    },
    {
      name: 'a queue naming a clip the study does not hold',
      parts: (m) => {
        const bad = studyManifest(m)
        return studyParts(m, { ...bad, raters: [{ ...bad.raters[0]!, queue: [1, 7] }, bad.raters[1]] })
      },
      message: /queue of rater Dr\. Ana Müller names clip 7, which the study does not hold/
    },
    {
      name: 'a clip file named for another clip',
      parts: (m) => {
        const bad = studyManifest(m)
        return studyParts(m, { ...bad, clips: bad.clips.map((c) => (c.clipNo === 1 ? { ...c, file: 'clips/clip-002.mp4' } : c)) })
      },
      message: /names clip 1's file clips\/clip-002\.mp4/
    }
  ]

  it.each(cases)('refuses $name, naming the file, and makes no store', async (c) => {
    const zip = await writeStudyZip(join(tmp.path, `bad-${++n}.zip`), c.parts(media), c.rename)
    const dir = studiesDir()
    const e = await refusal(zip, { studiesDir: dir })
    expect(e.code).toBe('bad_input')
    expect(e.message).toContain(`Cannot open reader study ${zip}`)
    expect(e.message).toMatch(c.message)
    expect(readdirSync(dir)).toEqual([])
  })

  it('refuses a file that is not a zip, and a folder', async () => {
    const notZip = join(tmp.path, 'not-a-zip.zip')
    writeFileSync(notZip, 'PK but not really a zip file at all')
    const e = await refusal(notZip, { studiesDir: studiesDir() })
    expect(e.message).toContain(notZip)
    expect(e.message).toMatch(/not a zip file/)
    expect((await refusal(tmp.path, { studiesDir: studiesDir() })).message).toMatch(/folder/)
    expect((await refusal(join(tmp.path, 'nope.zip'), { studiesDir: studiesDir() })).message).toMatch(/does not exist/)
  })

  it('refuses a zip cut short (damaged)', async () => {
    const bytes = readFileSync(goodZip)
    const cut = join(tmp.path, 'cut.zip')
    writeFileSync(cut, bytes.subarray(0, Math.floor(bytes.length / 2)))
    const dir = studiesDir()
    expect((await refusal(cut, { studiesDir: dir })).message).toMatch(/not a zip file, or it is damaged/)
    expect(readdirSync(dir)).toEqual([])
  })

  it('counts what an entry actually inflates to, not what its header claims', async () => {
    const clip = media.clips[0]!
    const manifest = studyManifest(media)
    const claimed = clip.bytes.length - 100
    // The manifest and the central directory both understate the clip: only counting the inflated bytes catches it.
    const lying = { ...manifest, clips: manifest.clips.map((c) => (c.clipNo === 1 ? { ...c, bytes: claimed } : c)) }
    const zip = join(tmp.path, 'understated.zip')
    writeFileSync(zip, understateSize(await zipParts(studyParts(media, lying).map((p) => ({ ...p, compress: true }))), 'clips/clip-001.mp4', claimed))
    const dir = studiesDir()
    const e = await refusal(zip, { studiesDir: dir })
    expect(e.message).toMatch(/clip-001\.mp4" inflates to more than the \d+ bytes its header claims/)
    expect(readdirSync(dir)).toEqual([])
  })

  it('stops at the caps on entries, per-clip and total bytes', async () => {
    const biggest = Math.max(...media.clips.map((c) => c.bytes.length))
    const total = media.clips.reduce((s, c) => s + c.bytes.length, 0)
    const tooMany = await refusal(goodZip, { studiesDir: studiesDir(), limits: { ...STUDY_ZIP_LIMITS, maxEntries: 3 } })
    expect(tooMany.message).toMatch(/4 entries; a reader study has at most 3/)
    const bigClip = await refusal(goodZip, { studiesDir: studiesDir(), limits: { ...STUDY_ZIP_LIMITS, maxClipBytes: biggest - 1 } })
    expect(bigClip.message).toMatch(/limit is|inflates past/)
    const bigTotal = await refusal(goodZip, { studiesDir: studiesDir(), limits: { ...STUDY_ZIP_LIMITS, maxTotalBytes: total - 1 } })
    expect(bigTotal.message).toMatch(/add up to \d+ bytes|in all/)
    // Right at the limits, the same bundle opens.
    const ok = await openStudy(goodZip, { studiesDir: studiesDir(), limits: { ...STUDY_ZIP_LIMITS, maxEntries: 4, maxClipBytes: biggest, maxTotalBytes: total + 100_000 } })
    ok.close()
  })

  it('leaves no partial file behind when a clip fails its check', async () => {
    const dir = studiesDir()
    const storeDir = join(dir, 'given')
    mkdirSync(storeDir)
    writeFileSync(join(storeDir, 'keep.txt'), 'mine')
    const zip = await writeStudyZip(
      join(tmp.path, 'bad-hash-given-store.zip'),
      studyParts(media).map((p) => (p.name === 'clips/clip-003.mp4' ? { ...p, bytes: flipLastByte(p.bytes) } : p))
    )
    await refusal(zip, { storeDir })
    // The folder existed before: only what the open made is gone.
    expect(readdirSync(storeDir)).toEqual(['keep.txt'])
  })
})

function flipLastByte(b: Buffer): Buffer {
  const out = Buffer.from(b)
  out.writeUInt8(out.readUInt8(out.length - 1) ^ 0xff, out.length - 1)
  return out
}

describe('a store that cannot be written', () => {
  it('says where, as a message for the user', async () => {
    const blocker = join(tmp.path, 'a-file-not-a-folder')
    writeFileSync(blocker, 'x')
    const e = await refusal(goodZip, { storeDir: join(blocker, 'store') })
    expect(e.code).toBe('bad_input')
    expect(e.message).toContain(`setting up its store in ${join(blocker, 'store')} failed`)
    expect(readFileSync(blocker, 'utf8')).toBe('x')
  })
})
