/**
 * Reader bundles made from the real dataset: what a rater's machine receives
 * holds the clips as the catalog plays them, under opaque names, and nothing
 * that says what a clip shows or where it came from — not in the zip's entry
 * names, not in study.json, not in any container tag of any clip.
 */
import { execFile } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { basename, extname, join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cell } from '../../../src/main/dataset/normalize'
import { ffmpegPath, ffprobePath } from '../../../src/main/media/ffmpegPaths'
import { orderQueue } from '../../../src/main/ratings/queueOrder'
import { CLIP_FILE_PATTERN, studyManifestSchema, type StudyManifest } from '../../../src/main/ratings/readerBundle/readerFormats'
import type { Rater, ReviewSet } from '../../../src/shared/ratingsContract'
import type { ReaderBundleExportResult } from '../../../src/shared/readerContract'
import { LABEL_INFO, LABELS, PATHOLOGY_STATES } from '../../../src/shared/vocabulary'
import { csvText, row, type Row } from '../../helpers/fixtures'
import { SHARED_DATASET, tempDir } from '../../helpers/paths'
import { error, openEnv, value, type Env } from './fixture'
import { unzipTo, type UnzippedEntry } from './unzip'

const run = promisify(execFile)

interface ProbeJson {
  format: { tags?: Record<string, string> }
  streams: { codec_type: string; tags?: Record<string, string> }[]
}

async function ffprobe(file: string): Promise<ProbeJson> {
  const { stdout } = await run(ffprobePath()!, ['-v', 'error', '-show_format', '-show_streams', '-of', 'json', file])
  return JSON.parse(stdout) as ProbeJson
}

/** The independent reference: frames ffprobe decodes. */
async function countFrames(file: string): Promise<number> {
  const { stdout } = await run(ffprobePath()!, ['-v', 'error', '-select_streams', 'v:0', '-count_frames', '-show_entries', 'stream=nb_read_frames', '-of', 'csv=p=0', file])
  return Number(stdout.trim())
}

const sha256 = (file: string): string => createHash('sha256').update(readFileSync(file)).digest('hex')

/** Every key and string value in a JSON value. */
function stringsIn(x: unknown, out: string[] = []): string[] {
  if (typeof x === 'string') out.push(x)
  else if (Array.isArray(x)) x.forEach((v) => stringsIn(v, out))
  else if (x !== null && typeof x === 'object')
    for (const [k, v] of Object.entries(x)) {
      out.push(k)
      stringsIn(v, out)
    }
  return out
}

/** The label in every spelling: keys, display names, CSV spellings, and the file-name prefixes that follow it. */
const LABEL_SPELLINGS = [...LABELS.flatMap((l) => [l, LABEL_INFO[l].display, LABEL_INFO[l].csv]), 'Cov', 'Pneu', 'Reg', 'Vir']

/** What would tell a rater what a clip shows or where it came from. */
function secretsOf(env: Env, set: ReviewSet): string[] {
  const out = [...LABEL_SPELLINGS]
  for (const item of env.service.sets.items(set.id)) {
    const d = env.repository.get(item.entryId)
    out.push(d.summary.filename, d.summary.labelRaw, d.summary.title)
    if (d.media) out.push(basename(d.media.relPath), basename(d.media.relPath, extname(d.media.relPath)), d.media.relPath)
    for (const column of ['Source ID', 'URL (Video Name)', 'Title', 'DOI', 'Patient ID / Name'] as const) out.push(cell(d.cells, column))
  }
  return [...new Set(out.map((s) => s.trim()).filter((s) => s !== ''))]
}

/**
 * Words (three characters or more, with a letter) must not appear inside any
 * text; numbers and shorter values (a Source ID like "14" or "114") must not
 * be a whole text: as substrings they turn up in any timestamp.
 */
const isWord = (s: string): boolean => s.length >= 3 && /[a-z]/i.test(s)
function expectNoSecrets(texts: readonly string[], secrets: readonly string[], where: string): void {
  for (const text of texts) {
    const t = text.toLowerCase()
    for (const s of secrets) {
      const leaked = isWord(s) ? t.includes(s.toLowerCase()) : t === s.toLowerCase()
      expect(leaked, `${where}: "${text}" reveals "${s}"`).toBe(false)
    }
  }
}

/** Ids and hashes are checked by their pattern; a hex string can contain short numbers by chance. */
const OPAQUE = /^([0-9a-f]{64}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/
/** The muxer's generic tags: all a blinded MP4 may still carry. */
const GENERIC_TAGS = { major_brand: 'isom', minor_version: '512', compatible_brands: 'isomiso2avc1mp41' }
const GENERIC_STREAM_TAGS = { language: 'und', handler_name: 'VideoHandler', vendor_id: '[0][0][0][0]' }

let dir: ReturnType<typeof tempDir>
let env: Env
let a: Rater
let b: Rater

beforeAll(async () => {
  dir = tempDir('lus-reader-bundle-')
  env = await openEnv(dir.path, SHARED_DATASET, 'catalog', null)
  a = value(await env.call('raters/create', { name: 'Dr A' }))
  b = value(await env.call('raters/create', { name: 'Dr B' }))
}, 300_000)
afterAll(() => {
  env?.close()
  dir?.cleanup()
})

interface Exported {
  set: ReviewSet
  result: ReaderBundleExportResult
  entries: UnzippedEntry[]
  manifest: StudyManifest
  manifestText: string
  folder: string
}

async function exportSet(name: string, query: Record<string, unknown>, extra: Record<string, unknown> = {}): Promise<Exported> {
  const set = value(
    await env.call('reviewSets/create', { name, query, fields: ['label', 'B-lines', 'gender'], raterIds: [a.id, b.id], seed: 21, excludeWithoutMedia: true, ...extra })
  )
  const outPath = join(dir.path, `${name.replaceAll(' ', '-')}.zip`)
  const result = value(await env.call('reviewSets/exportReaderBundle', { setId: set.id, outPath }))
  const folder = join(dir.path, `${name.replaceAll(' ', '-')}-unzipped`)
  const entries = await unzipTo(outPath, folder)
  const manifestText = readFileSync(join(folder, 'study.json'), 'utf8')
  return { set, result, entries, manifest: studyManifestSchema.parse(JSON.parse(manifestText)), manifestText, folder }
}

describe('the reader bundle of the linear videos', () => {
  let x: Exported

  beforeAll(async () => {
    x = await exportSet('Linear reader study', { probes: ['linear'], types: ['video'], mediaStatuses: ['linked'] })
  }, 300_000)

  it('holds study.json and one clips/clip-NNN.mp4 per clip, media stored, and nothing else; no work files are left', () => {
    expect(x.set.clips).toBe(10)
    expect(x.result).toMatchObject({ clips: 10, raters: ['Dr A', 'Dr B'], transcoded: 0, warnings: [], studyId: x.manifest.studyId })
    expect(x.result.bytes).toBe(statSync(x.result.path).size)
    const clipNames = Array.from({ length: 10 }, (_, i) => `clips/clip-${String(i + 1).padStart(3, '0')}.mp4`)
    expect(x.entries.map((e) => e.name)).toEqual(['study.json', ...clipNames])
    for (const e of x.entries.slice(1)) {
      expect(e.name).toMatch(CLIP_FILE_PATTERN)
      expect(e.compressionMethod).toBe(0)
    }
    // The zip, the other exports' zips and their unpacked folders: no work folder or temporary file beside them.
    expect(readdirSync(dir.path).filter((n) => n.startsWith('.') || n.endsWith('.tmp'))).toEqual([])
  })

  it('reveals nothing in entry names, study.json (less the vocabularies) or any container tag of any clip', async () => {
    const secrets = secretsOf(env, x.set)
    expect(secrets).toContain('Cov-Atlas-pleural.mp4')
    expect(secrets).toContain('Vir_or_Pneu_prospective_file4')
    expectNoSecrets(
      x.entries.map((e) => e.name),
      secrets,
      'entry name'
    )
    const { vocabularies, ...rest } = x.manifest
    expect(vocabularies).toEqual({ label: [...LABELS], 'B-lines': [...PATHOLOGY_STATES], gender: ['male', 'female', null] })
    expectNoSecrets(
      stringsIn(rest).filter((s) => !OPAQUE.test(s)),
      secrets,
      'study.json'
    )
    // The raw text too, in case something sits outside the schema's view.
    const rawWithoutVocabularies = x.manifestText.replace(/"vocabularies": \{[\s\S]*?\n {2}\},\n/, '')
    expect(rawWithoutVocabularies).not.toContain('bacterial_pneumonia')
    expectNoSecrets([rawWithoutVocabularies.replace(/"[0-9a-f-]{36,64}"/g, '""')], secrets.filter(isWord), 'study.json text')

    for (const e of x.entries.slice(1)) {
      const probe = await ffprobe(e.path)
      expect(probe.streams.map((s) => s.codec_type), `${e.name}: audio is dropped`).toEqual(['video'])
      expect(probe.format.tags ?? {}).toEqual(GENERIC_TAGS)
      expect(probe.streams[0]!.tags ?? {}).toEqual(GENERIC_STREAM_TAGS)
      expectNoSecrets([...stringsIn(probe.format.tags ?? {}), ...stringsIn(probe.streams[0]!.tags ?? {})], secrets, `${e.name} tags`)
      // Nor the encoder's banner or versions in the bitstream.
      const bytes = readFileSync(e.path)
      for (const s of ['x264', 'Lavf', 'Lavc', 'GE Healthcare', ...secrets.filter((t) => t.length >= 8)])
        expect(bytes.includes(Buffer.from(s)), `${e.name} holds "${s}"`).toBe(false)
    }
  })

  it('lists every clip with the right size, SHA-256 and frame times: the frames ffprobe decodes and the catalog player shows', async () => {
    expect(x.manifest.clips.map((c) => c.clipNo)).toEqual(Array.from({ length: 10 }, (_, i) => i + 1))
    for (const c of x.manifest.clips) {
      const entry = x.entries.find((e) => e.name === c.file)!
      expect(c.kind).toBe('video')
      expect(statSync(entry.path).size).toBe(c.bytes)
      expect(entry.uncompressedSize).toBe(c.bytes)
      expect(sha256(entry.path)).toBe(c.sha256)
      expect(c.frameTimes.length).toBe(await countFrames(entry.path))
      const played = await env.playback.prepare(env.repository.get(env.service.sets.itemByClipNo(x.set.id, c.clipNo)!.entryId).summary.mediaId!)
      expect(c.frameTimes).toHaveLength(played.frameCount)
      expect(c.width).toBe(played.width)
      expect(c.height).toBe(played.height)
      expect(c.durationS).toBeGreaterThan(0)
    }
  })

  it('names the set, its fields and each rater with their own queue, as rater mode orders it', () => {
    expect(x.manifest).toMatchObject({ setId: x.set.id, name: 'Linear reader study', fields: ['label', 'B-lines', 'gender'], appVersion: 'test' })
    const items = env.service.sets.items(x.set.id)
    expect(x.manifest.raters).toEqual(
      [a, b].map((r) => ({ id: r.id, name: r.name, queue: orderQueue('random', items, { seed: 21, raterId: r.id }).map((i) => i.clipNo) }))
    )
    expect(x.manifest.raters[0]!.queue).not.toEqual(x.manifest.raters[1]!.queue)
    expect([...x.manifest.raters[0]!.queue].sort((p, q) => p - q)).toEqual(x.manifest.clips.map((c) => c.clipNo))
  })

  it('gets a new study id on each export, and only the raters asked for', async () => {
    const outPath = join(dir.path, 'for-b.zip')
    const again = value(await env.call('reviewSets/exportReaderBundle', { setId: x.set.id, outPath, raterIds: [b.id] }))
    expect(again.studyId).not.toBe(x.manifest.studyId)
    expect(again.raters).toEqual(['Dr B'])
    await unzipTo(outPath, join(dir.path, 'for-b'))
    const manifest = studyManifestSchema.parse(JSON.parse(readFileSync(join(dir.path, 'for-b', 'study.json'), 'utf8')))
    expect(manifest.raters.map((r) => r.name)).toEqual(['Dr B'])
    const outsider = value(await env.call('raters/create', { name: 'Dr Out' }))
    expect(error(await env.call('reviewSets/exportReaderBundle', { setId: x.set.id, outPath, raterIds: [outsider.id] }), 'bad_input').message).toMatch(
      /not part of review set "Linear reader study"/
    )
  })
})

describe('reader bundles of stills, proxied videos and clips whose stream copy would show other frames', () => {
  it('writes stills as PNG with no chunk beyond the image itself', async () => {
    const x = await exportSet('Linear stills', { probes: ['linear'], types: ['image'] })
    expect(x.result).toMatchObject({ clips: 3, transcoded: 0 })
    const secrets = secretsOf(env, x.set)
    expectNoSecrets(x.entries.map((e) => e.name), secrets, 'entry name')
    for (const e of x.entries.slice(1)) {
      expect(e.name).toMatch(/^clips\/clip-00\d\.png$/)
      const bytes = readFileSync(e.path)
      const chunks: string[] = []
      for (let at = 8; at < bytes.length; at += 12 + bytes.readUInt32BE(at)) chunks.push(bytes.toString('latin1', at + 4, at + 8))
      // One of these stills carries an ICC profile in the dataset; none is carried over.
      expect(new Set(chunks)).toEqual(new Set(['IHDR', 'pHYs', 'IDAT', 'IEND']))
      const c = x.manifest.clips.find((k) => k.file === e.name)!
      expect(c).toMatchObject({ kind: 'image', frameTimes: [0], durationS: null, bytes: bytes.length, sha256: sha256(e.path) })
      expect(c.width).toBeGreaterThan(0)
    }
    expectNoSecrets(stringsIn({ ...x.manifest, vocabularies: {} }).filter((s) => !OPAQUE.test(s)), secrets, 'study.json')
  })

  it('copies the playback proxy of a format the browser cannot play (MPEG-4 part 2 in AVI), counted as transcoded', async () => {
    const x = await exportSet('Proxied clips', { search: 'northumbria_0409_set3_vid' })
    // Pneu_ and Reg_northumbria_0409_set3_vid1 and _vid2.avi
    expect(x.result).toMatchObject({ clips: 4, transcoded: 4 })
    expectNoSecrets(stringsIn({ ...x.manifest, vocabularies: {} }).filter((s) => !OPAQUE.test(s)), secretsOf(env, x.set), 'study.json')
    for (const c of x.manifest.clips) {
      const file = join(x.folder, c.file)
      expect(c.frameTimes.length).toBe(await countFrames(file))
      const probe = await ffprobe(file)
      expect(probe.format.tags).toEqual(GENERIC_TAGS)
      expect(probe.streams[0]!.tags).toEqual(GENERIC_STREAM_TAGS)
      expect(readFileSync(file).includes(Buffer.from('x264'))).toBe(false)
    }
  })

  it('re-encodes a clip whose edit list a stream copy would lose, so the bundle shows the frames the catalog shows', async () => {
    // Cov_denault_proposedUS_vid11.mov has 143 packets and an edit list that shows 142 of them.
    const x = await exportSet('Edit list clip', { search: 'denault_proposedUS_vid11' })
    expect(x.result).toMatchObject({ clips: 1, transcoded: 1 })
    const c = x.manifest.clips[0]!
    expect(c.frameTimes).toHaveLength(142)
    expect(await countFrames(join(x.folder, c.file))).toBe(142)
  })
})

describe('refusals', () => {
  it('refuses a set with clips that have no media here, listing every one by number and file name', async () => {
    const set = value(
      await env.call('reviewSets/create', { name: 'Bolzano', query: { search: 'Cov_bolzano_Linee' }, fields: ['label'], raterIds: [a.id], seed: 2 })
    )
    expect(set.clipsWithoutMedia).toBe(set.clips)
    expect(set.clips).toBeGreaterThan(5)
    const e = error(await env.call('reviewSets/exportReaderBundle', { setId: set.id, outPath: join(dir.path, 'bolzano.zip') }), 'bad_input')
    expect(e.message).toContain(`${set.clips} of its ${set.clips} clips have no readable media here`)
    for (const item of env.service.sets.items(set.id)) expect(e.message).toContain(`Clip ${item.clipNo} (${item.filename}): no media file here`)
    expect(readdirSync(dir.path).filter((n) => n.startsWith('bolzano') || n.startsWith('.'))).toEqual([])
  })

  it('excludeWithoutMedia leaves clips without media out of a new set', async () => {
    const query = { probes: ['linear'], types: ['video'] }
    const all = value(await env.call('reviewSets/create', { name: 'All linear', query, fields: ['label'], raterIds: [a.id], seed: 2 }))
    const linked = value(await env.call('reviewSets/create', { name: 'Linked linear', query, fields: ['label'], raterIds: [a.id], seed: 2, excludeWithoutMedia: true }))
    expect(all).toMatchObject({ clips: 71, clipsWithoutMedia: 61 })
    expect(linked).toMatchObject({ clips: 10, clipsWithoutMedia: 0 })
    for (const item of env.service.sets.items(linked.id)) expect(env.repository.get(item.entryId).summary.mediaStatus).toBe('linked')
    expect(
      error(await env.call('reviewSets/create', { name: 'None', query: { search: 'Cov_bolzano' }, fields: ['label'], raterIds: [a.id], excludeWithoutMedia: true }), 'bad_input')
        .message
    ).toMatch(/None of the \d+ clips the filter matches has its media file here/)
  })

  it('refuses output paths that are not absolute, not .zip, or in a missing folder', async () => {
    const set = env.service.sets.list().find((s) => s.name === 'Linked linear')!
    const refuse = async (outPath: string): Promise<string> => error(await env.call('reviewSets/exportReaderBundle', { setId: set.id, outPath }), 'bad_input').message
    expect(await refuse('relative.zip')).toMatch(/absolute path/)
    expect(await refuse(join(dir.path, 'study.txt'))).toMatch(/must end in \.zip/)
    expect(await refuse(join(dir.path, 'no-such-folder', 'study.zip'))).toMatch(/does not exist/)
  })

  it('removes its work files and writes no bundle when a copy cannot be made', async () => {
    const set = env.service.sets.list().find((s) => s.name === 'Linked linear')!
    const before = process.env.FFMPEG_PATH
    process.env.FFMPEG_PATH = join(dir.path, 'no-ffmpeg-here')
    try {
      const e = error(await env.call('reviewSets/exportReaderBundle', { setId: set.id, outPath: join(dir.path, 'broken.zip') }), 'unsupported')
      expect(e.message).toMatch(/^Clip 1 \(.+\): its copy for the reader bundle could not be written: could not start/)
    } finally {
      if (before === undefined) delete process.env.FFMPEG_PATH
      else process.env.FFMPEG_PATH = before
    }
    expect(readdirSync(dir.path).filter((n) => n.startsWith('broken') || n.startsWith('.'))).toEqual([])
  })

  it('warns that a reader bundle is blinded even when its set is not', async () => {
    const x = await exportSet('Open set', { search: 'Vir_liftl_H1N1_case2_clip2' }, { blinded: false, revealAfterSubmit: true, order: 'catalog' })
    expect(x.result.warnings).toHaveLength(2)
    expect(x.result.warnings[0]).toMatch(/is not blinded, but a reader bundle always is/)
    expect(x.result.warnings[1]).toMatch(/a reader bundle never does \(it holds no reference values\)/)
    expectNoSecrets(stringsIn({ ...x.manifest, vocabularies: {} }).filter((s) => !OPAQUE.test(s)), secretsOf(env, x.set), 'study.json')
  })
})

/** A PNG chunk, for writing a still that carries text the way image editors leave it. */
function pngChunk(type: string, data: Buffer): Buffer {
  let crc = ~0
  for (const byte of Buffer.concat([Buffer.from(type, 'latin1'), data])) {
    crc ^= byte
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1
  }
  const out = Buffer.alloc(12 + data.length)
  out.writeUInt32BE(data.length, 0)
  out.write(type, 4, 'latin1')
  data.copy(out, 8)
  out.writeUInt32BE(~crc >>> 0, 8 + data.length)
  return out
}

describe('clips that carry their source in their metadata', () => {
  let tdir: ReturnType<typeof tempDir>
  let t: Env
  let rater: Rater
  const root = (): string => join(tdir.path, 'ds')
  const ffmpeg = (...args: string[]): Promise<unknown> => run(ffmpegPath()!, ['-nostdin', '-v', 'error', '-y', ...args])
  const TAGS = ['-metadata', 'title=Cov_SECRET_TITLE', '-metadata', 'comment=Pneu SECRET COMMENT', '-metadata', 'copyright=SECRET HOSPITAL']

  beforeAll(async () => {
    tdir = tempDir('lus-reader-tagged-')
    const videos = join(root(), 'pocus_videos', 'convex')
    mkdirSync(videos, { recursive: true })
    // H.264 4:2:0 with a narrated audio track and a named video handler: copied, stripped.
    await ffmpeg(
      '-f', 'lavfi', '-i', 'testsrc=size=64x48:rate=10', '-f', 'lavfi', '-i', 'sine=frequency=440',
      '-t', '1.2', '-pix_fmt', 'yuv420p', '-c:v', 'libx264', '-c:a', 'aac', ...TAGS,
      '-metadata:s:v:0', 'handler_name=Cov_SECRET_HANDLER', '-metadata:s:a:0', 'handler_name=SECRET_NARRATION',
      join(videos, 'Cov_tagged_1.mp4')
    )
    // H.264 4:4:4, which the browser cannot play: its proxy is copied.
    await ffmpeg('-f', 'lavfi', '-i', 'testsrc=size=64x48:rate=10', '-frames:v', '9', '-pix_fmt', 'yuv444p', '-c:v', 'libx264', ...TAGS, join(videos, 'Pneu_tagged_2.mp4'))
    // A still with a text chunk naming its source.
    const images = join(root(), 'pocus_images', 'convex')
    mkdirSync(images, { recursive: true })
    const png = join(images, 'Reg_tagged_3.png')
    await ffmpeg('-f', 'lavfi', '-i', 'testsrc=size=64x48', '-frames:v', '1', png)
    const bytes = readFileSync(png)
    const text = pngChunk('tEXt', Buffer.from('Comment\u0000Reg SECRET still from SECRET HOSPITAL', 'latin1'))
    writeFileSync(png, Buffer.concat([bytes.subarray(0, 33), text, bytes.subarray(33)]))
    // A clip that goes missing after import.
    await ffmpeg('-f', 'lavfi', '-i', 'testsrc=size=64x48:rate=10', '-frames:v', '5', '-pix_fmt', 'yuv420p', join(videos, 'Vir_gone_4.mp4'))
    const cells = (i: number): Row => ({ Title: `TITLE-SECRET-${i}`, 'URL (Video Name)': `https://secret.example/${i}`, 'Source ID': `SOURCE-SECRET-${i}`, DOI: `10.1000/SECRET-${i}` })
    writeFileSync(
      join(root(), 'dataset_metadata.csv'),
      csvText([
        row('Cov_tagged_1', { Label: 'COVID-19', ...cells(1) }),
        row('Pneu_tagged_2', { Label: 'Bacterial pneumonia', ...cells(2) }),
        row('Reg_tagged_3', { Label: 'regular', Type: 'image', 'Current location': 'pocus_images/convex', ...cells(3) }),
        row('Vir_gone_4', { Label: 'Viral pneumonia', ...cells(4) })
      ])
    )
    t = await openEnv(tdir.path, root(), 'tagged', null)
    rater = value(await t.call('raters/create', { name: 'Dr T' }))
  }, 120_000)
  afterAll(() => {
    t?.close()
    tdir?.cleanup()
  })

  it('checks that the source clips do carry those tags (else the next test would prove nothing)', async () => {
    const probe = await ffprobe(join(root(), 'pocus_videos', 'convex', 'Cov_tagged_1.mp4'))
    expect(probe.format.tags).toMatchObject({ title: 'Cov_SECRET_TITLE', comment: 'Pneu SECRET COMMENT', copyright: 'SECRET HOSPITAL' })
    expect(probe.streams.map((s) => s.tags?.handler_name)).toEqual(['Cov_SECRET_HANDLER', 'SECRET_NARRATION'])
    expect(readFileSync(join(root(), 'pocus_images', 'convex', 'Reg_tagged_3.png')).includes(Buffer.from('SECRET HOSPITAL'))).toBe(true)
  })

  it('writes copies without title, comment, copyright, handler names, audio or text chunks', async () => {
    const set = value(
      await t.call('reviewSets/create', { name: 'Metadata study', query: { search: 'tagged' }, fields: ['label'], raterIds: [rater.id], seed: 8 })
    )
    expect(set.clips).toBe(3)
    const outPath = join(tdir.path, 'tagged.zip')
    const result = value(await t.call('reviewSets/exportReaderBundle', { setId: set.id, outPath }))
    expect(result).toMatchObject({ clips: 3, transcoded: 1 })
    const entries = await unzipTo(outPath, join(tdir.path, 'tagged'))
    expect(entries[0]!.name).toBe('study.json')
    expect(entries.slice(1).map((e) => e.name.replace(/\.(mp4|png)$/, ''))).toEqual(['clips/clip-001', 'clips/clip-002', 'clips/clip-003'])
    expect(entries.filter((e) => e.name.endsWith('.png'))).toHaveLength(1)
    const secrets = [...secretsOf(t, set), 'SECRET', 'tagged']
    expectNoSecrets(entries.map((e) => e.name), secrets, 'entry name')
    const manifest = JSON.parse(readFileSync(join(tdir.path, 'tagged', 'study.json'), 'utf8')) as StudyManifest
    expectNoSecrets(stringsIn({ ...manifest, vocabularies: {} }).filter((s) => !OPAQUE.test(s)), secrets, 'study.json')
    for (const e of entries.slice(1)) {
      const bytes = readFileSync(e.path)
      expect(bytes.includes(Buffer.from('SECRET')), `${e.name} holds SECRET`).toBe(false)
      if (e.name.endsWith('.png')) continue
      const probe = await ffprobe(e.path)
      expect(probe.streams.map((s) => s.codec_type)).toEqual(['video'])
      expect(probe.format.tags).toEqual(GENERIC_TAGS)
      expect(probe.streams[0]!.tags).toEqual(GENERIC_STREAM_TAGS)
      const c = manifest.clips.find((k) => k.file === e.name)!
      expect(c.frameTimes.length).toBe(await countFrames(e.path))
    }
    expect(manifest.clips.map((c) => c.frameTimes.length).sort((p, q) => p - q)).toEqual([1, 9, 12])
  })

  it('refuses a clip whose file went missing since import, by clip number and file name', async () => {
    const set = value(await t.call('reviewSets/create', { name: 'Gone', query: { search: 'Vir_gone_4' }, fields: ['label'], raterIds: [rater.id], seed: 2 }))
    expect(set.clips).toBe(1)
    rmSync(join(root(), 'pocus_videos', 'convex', 'Vir_gone_4.mp4'))
    const e = error(await t.call('reviewSets/exportReaderBundle', { setId: set.id, outPath: join(tdir.path, 'gone.zip') }), 'bad_input')
    expect(e.message).toMatch(/1 of its 1 clips have no readable media here/)
    expect(e.message).toMatch(/Clip 1 \(Vir_gone_4\.mp4\): .*Relink the entry/)
  })
})
