/**
 * Bad bundles are refused with a clear message and leave the catalog as it
 * was: damaged or changed payloads, unknown versions, clips or raters that do
 * not fit, and zips built to attack the reader (zip-slip, symlinks, bombs).
 */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ZipFile } from 'yazl'
import { payloadChecksum, sha256 } from '../../../src/main/ratings/bundle/bundleFormat'
import { checkEntryName, readZip } from '../../../src/main/ratings/bundle/zipReader'
import { zipBuffers } from '../../../src/main/ratings/bundle/zipWriter'
import type { Rater, ReviewSet } from '../../../src/shared/ratingsContract'
import { snapshotCatalog } from '../../helpers/catalogSnapshot'
import { tempDir } from '../../helpers/paths'
import { CLIPS, error, openEnv, value, writeDataset, type Env } from './fixture'

let dir: ReturnType<typeof tempDir>
let A: Env
let B: Env
let drA: Rater
let set: ReviewSet
let good: Map<string, Buffer>
let goodPath: string

const PAYLOAD = ['set.json', 'raters.json', 'ratings.json'] as const

beforeEach(async () => {
  dir = tempDir('lus-bundle-bad-')
  writeDataset(join(dir.path, 'a', 'ds'))
  writeDataset(join(dir.path, 'b', 'ds'))
  A = await openEnv(join(dir.path, 'a'), join(dir.path, 'a', 'ds'))
  B = await openEnv(join(dir.path, 'b'), join(dir.path, 'b', 'ds'))
  drA = value(await A.call('raters/create', { name: 'Dr A' }))
  set = value(await A.call('reviewSets/create', { name: 'S', query: {}, fields: ['label'], raterIds: [drA.id], seed: 4 }))
  for (let clipNo = 1; clipNo <= CLIPS.length; clipNo++)
    value(await A.call('rater/submit', { setId: set.id, raterId: drA.id, clipNo, values: { label: 'covid' }, confidence: 3 }))
  goodPath = join(dir.path, 'good.zip')
  value(await A.call('bundles/export', { setId: set.id, outPath: goodPath }))
  good = await readZip(goodPath)
})
afterEach(() => {
  A.close()
  B.close()
  dir.cleanup()
})

/** A copy of the good bundle with some files changed; `fix` recomputes the checksums (a well-formed bundle). */
async function variant(name: string, change: (files: Map<string, Buffer>) => void, fix = false): Promise<string> {
  const files = new Map(good)
  change(files)
  if (fix) {
    const manifest = JSON.parse(files.get('manifest.json')!.toString()) as { files: { name: string; bytes: number; sha256: string }[]; payloadSha256: string }
    manifest.files = PAYLOAD.map((n) => ({ name: n, bytes: files.get(n)!.length, sha256: sha256(files.get(n)!) }))
    manifest.payloadSha256 = payloadChecksum(PAYLOAD.map((n) => ({ name: n, bytes: files.get(n)! })))
    files.set('manifest.json', Buffer.from(JSON.stringify(manifest)))
  }
  const path = join(dir.path, name)
  writeFileSync(path, await zipBuffers([...files].map(([n, bytes]) => ({ name: n, bytes })), new Date(0)))
  return path
}

const editJson = (files: Map<string, Buffer>, name: string, edit: (x: Record<string, unknown>) => void): void => {
  const x = JSON.parse(files.get(name)!.toString()) as Record<string, unknown>
  edit(x)
  files.set(name, Buffer.from(JSON.stringify(x)))
}

function zipWith(entries: { name: string; bytes: Buffer; mode?: number }[], dirs: string[] = []): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const zip = new ZipFile()
    const chunks: Buffer[] = []
    zip.outputStream.on('data', (c: Buffer) => chunks.push(c))
    zip.outputStream.on('end', () => resolve(Buffer.concat(chunks)))
    zip.outputStream.on('error', reject)
    for (const e of entries) zip.addBuffer(e.bytes, e.name, e.mode === undefined ? {} : { mode: e.mode })
    for (const d of dirs) zip.addEmptyDirectory(d)
    zip.end()
  })
}

/** The good bundle's entries plus `extra`, with every occurrence of a same-length name swapped afterwards (yazl refuses unsafe names). */
async function withEntryNamed(unsafe: string, placeholder: string): Promise<string> {
  expect(unsafe.length).toBe(placeholder.length)
  const bytes = await zipWith([...[...good].map(([name, b]) => ({ name, bytes: b })), { name: placeholder, bytes: Buffer.from('{}') }])
  const patched = Buffer.from(bytes.toString('latin1').split(placeholder).join(unsafe), 'latin1')
  const path = join(dir.path, 'unsafe.zip')
  writeFileSync(path, patched)
  return path
}

/** Rewrites an entry's uncompressed size in the central directory, which is what readers trust. */
function patchCentralSize(zip: Buffer, name: string, size: number): Buffer {
  const out = Buffer.from(zip)
  for (let i = 0; i + 46 <= out.length; i++) {
    if (out.readUInt32LE(i) !== 0x02014b50) continue
    const nameLength = out.readUInt16LE(i + 28)
    if (out.subarray(i + 46, i + 46 + nameLength).toString() === name) {
      out.writeUInt32LE(size, i + 24)
      return out
    }
  }
  throw new Error(`no central directory entry ${name}`)
}

async function expectRefused(path: string, message: RegExp, code = 'bad_input'): Promise<void> {
  const before = snapshotCatalog(B.db)
  const e = error(await B.call('bundles/import', { path }), code)
  expect(e.message).toMatch(message)
  expect(e.message).toContain(path)
  expect(snapshotCatalog(B.db)).toBe(before)
}

describe('bundle import refuses', () => {
  it('a file that is not a zip, is empty, is cut short, or does not exist', async () => {
    const text = join(dir.path, 'notes.zip')
    writeFileSync(text, 'item,rater,value\n')
    await expectRefused(text, /it is not a zip file/)
    const empty = join(dir.path, 'empty.zip')
    writeFileSync(empty, '')
    await expectRefused(empty, /it is not a zip file/)
    const { readFileSync } = await import('node:fs')
    const cut = join(dir.path, 'cut.zip')
    writeFileSync(cut, readFileSync(goodPath).subarray(0, 200))
    await expectRefused(cut, /not a zip file|damaged/)
    await expectRefused(join(dir.path, 'missing.zip'), /no such file/)
    expect(error(await B.call('bundles/import', { path: 'relative.zip' }), 'bad_input').message).toMatch(/absolute path/)
  })

  it('a payload that does not match its checksum', async () => {
    const tampered = await variant('tampered.zip', (f) => editJson(f, 'ratings.json', (x) => void ((x as unknown as { values: { label: string } }[])[0]!.values.label = 'healthy')))
    await expectRefused(tampered, /the checksum of ratings\.json does not match the manifest: the bundle is damaged or was changed after export/)
    const payload = await variant('payload.zip', (f) => editJson(f, 'manifest.json', (x) => (x.payloadSha256 = '0'.repeat(64))))
    await expectRefused(payload, /the payload checksum does not match/)
  })

  it('an unknown schema version or another format', async () => {
    await expectRefused(await variant('v2.zip', (f) => editJson(f, 'manifest.json', (x) => (x.schemaVersion = 2))), /bundle schema version 2.*reads version 1; update the app/, 'unsupported')
    await expectRefused(await variant('fmt.zip', (f) => editJson(f, 'manifest.json', (x) => (x.format = 'something-else'))), /not a LUS Review bundle/)
    await expectRefused(await variant('json.zip', (f) => f.set('manifest.json', Buffer.from('{nope'))), /manifest\.json is not valid JSON/)
  })

  it('missing or unexpected files', async () => {
    await expectRefused(await variant('missing.zip', (f) => f.delete('ratings.json')), /ratings\.json is missing/)
    await expectRefused(await variant('extra.zip', (f) => f.set('notes.txt', Buffer.from('hi'))), /unexpected file "notes\.txt"/)
  })

  it('a well-formed payload that breaks the rules (fixed checksums)', async () => {
    const stray = await variant('stray.zip', (f) => editJson(f, 'ratings.json', (x) => void ((x as unknown as { clipNo: number }[])[0]!.clipNo = 99)), true)
    await expectRefused(stray, /rates clip 99, which the set does not have/)
    const badValue = await variant('value.zip', (f) => editJson(f, 'ratings.json', (x) => void ((x as unknown as { values: { label: string } }[])[0]!.values.label = 'flu')), true)
    await expectRefused(badValue, /ratings\.json is malformed/)
    const stranger = await variant(
      'stranger.zip',
      (f) => {
        const raters = JSON.parse(f.get('raters.json')!.toString()) as unknown[]
        raters.push({ id: '33333333-3333-4333-8333-333333333333', name: 'Stranger', role: 'rater', createdAt: 'now' })
        f.set('raters.json', Buffer.from(JSON.stringify(raters)))
      },
      true
    )
    await expectRefused(stranger, /raters\.json lists "Stranger", who is not a rater of the set/)
  })

  it('clips that match nothing in this catalog', async () => {
    writeDataset(join(dir.path, 'e', 'ds'), CLIPS, ' (a different recording)')
    const E = await openEnv(join(dir.path, 'e'), join(dir.path, 'e', 'ds'))
    try {
      const before = snapshotCatalog(E.db)
      const e = error(await E.call('bundles/import', { path: goodPath }), 'bad_input')
      expect(e.message).toMatch(/8 of its 8 clips match nothing in this catalog\. Import the same dataset first\. clip \d \(\w+\): no media file here has its content/)
      expect(snapshotCatalog(E.db)).toBe(before)
    } finally {
      E.close()
    }
  })

  it('a rater whose name belongs to a different rater here', async () => {
    value(await B.call('raters/create', { name: 'dr a' }))
    await expectRefused(goodPath, /its rater "Dr A" is a different person from the rater "dr a" here/, 'conflict')
  })

  it('a set with the same id but a different definition', async () => {
    const before = snapshotCatalog(A.db)
    const fields = await variant('fields.zip', (f) => editJson(f, 'set.json', (x) => (x.fields = ['label', 'Fever'])), true)
    // Its ratings no longer fit its fields either; that is found first.
    expect(error(await A.call('bundles/import', { path: fields }), 'bad_input').message).toMatch(/missing: Fever/)
    const swapped = await variant(
      'swapped.zip',
      (f) =>
        editJson(f, 'set.json', (x) => {
          const clips = x.clips as { clipNo: number }[]
          ;[clips[0]!.clipNo, clips[1]!.clipNo] = [clips[1]!.clipNo, clips[0]!.clipNo]
        }),
      true
    )
    expect(error(await A.call('bundles/import', { path: swapped }), 'conflict').message).toMatch(/has the same id as "S" here, but its clip \d is a different clip/)
    const renamed = await variant('renamed.zip', (f) => editJson(f, 'set.json', (x) => (x.raterIds = [])), true)
    expect(error(await A.call('bundles/import', { path: renamed }), 'bad_input').message).toMatch(/set\.json is malformed/)
    expect(snapshotCatalog(A.db)).toBe(before)
  })

  it('entry names that escape the bundle (zip-slip), absolute paths and backslashes', async () => {
    await expectRefused(await withEntryNamed('../evil.json', 'xx/evil.json'), /entry "\.\.\/evil\.json" points outside the bundle/)
    await expectRefused(await withEntryNamed('/x/evil.json', 'xx/evil.json'), /entry "\/x\/evil\.json" has an absolute path/)
    await expectRefused(await withEntryNamed('C:/evil.json', 'xx/evil.json'), /has an absolute path/)
    await expectRefused(await withEntryNamed('xx\\evil.json', 'xx/evil.json'), /uses backslashes/)
    await expectRefused(await withEntryNamed('a/../b.json', 'a/xx/b.json'), /points outside the bundle/)
    for (const bad of ['', '.hidden', 'a//b', 'a/./b', 'na\u0000me']) expect(() => checkEntryName(Buffer.from(bad))).toThrow()
    expect(checkEntryName(Buffer.from('manifest.json'))).toBe('manifest.json')
  })

  it('symbolic links and folders', async () => {
    const link = join(dir.path, 'link.zip')
    writeFileSync(link, await zipWith([...[...good].map(([name, bytes]) => ({ name, bytes })), { name: 'link.json', bytes: Buffer.from('/etc/passwd'), mode: 0o120777 }]))
    await expectRefused(link, /entry "link\.json" is a symbolic link/)
    const folder = join(dir.path, 'folder.zip')
    writeFileSync(folder, await zipWith([...good].map(([name, bytes]) => ({ name, bytes })), ['sub/']))
    await expectRefused(folder, /entry "sub\/" is a folder/)
  })

  it('too many entries', async () => {
    const many = join(dir.path, 'many.zip')
    writeFileSync(many, await zipWith(Array.from({ length: 20 }, (_, i) => ({ name: `f${i}.json`, bytes: Buffer.from('{}') }))))
    await expectRefused(many, /it has 20 entries; a review bundle has at most 16/)
  })

  it('zip bombs: entries too large by their header, or inflating past the limits', async () => {
    const MiB = 1024 * 1024
    const huge = join(dir.path, 'huge.zip')
    writeFileSync(huge, await zipWith([{ name: 'manifest.json', bytes: Buffer.alloc(51 * MiB) }]))
    await expectRefused(huge, /entry "manifest\.json" is 53477376 bytes uncompressed; the limit is 52428800/)
    // Each entry is under the limit, but together they inflate past 50 MB: counted on the inflated bytes.
    const total = join(dir.path, 'total.zip')
    writeFileSync(total, await zipWith([{ name: 'a.json', bytes: Buffer.alloc(30 * MiB) }, { name: 'b.json', bytes: Buffer.alloc(30 * MiB) }]))
    await expectRefused(total, /the bundle inflates past 52428800 bytes in all/)
  })

  it('an entry whose header understates what it inflates to', async () => {
    const lying = join(dir.path, 'lying.zip')
    writeFileSync(lying, patchCentralSize(await zipWith([{ name: 'manifest.json', bytes: Buffer.alloc(100_000, 0x20) }]), 'manifest.json', 100))
    await expectRefused(lying, /entry "manifest\.json" inflates to more than the 100 bytes its header claims/)
  })

  it('entries over a configured limit', async () => {
    const before = snapshotCatalog(B.db)
    await expect(B.service.importBundle(goodPath, { limits: { maxEntries: 16, maxEntryBytes: 200, maxTotalBytes: 10_000, maxFileBytes: 1_000_000 } })).rejects.toThrow(
      /bytes uncompressed; the limit is 200|inflates past 200 bytes/
    )
    await expect(B.service.importBundle(goodPath, { limits: { maxEntries: 16, maxEntryBytes: 10_000, maxTotalBytes: 10_000, maxFileBytes: 100 } })).rejects.toThrow(
      /a review bundle is at most 100/
    )
    expect(snapshotCatalog(B.db)).toBe(before)
  })
})

describe('bundle import accepts', () => {
  it('the good bundle (so the refusals above are about what was changed)', async () => {
    expect(value(await B.call('bundles/import', { path: goodPath }))).toMatchObject({ applied: true, ratingsAdded: 8 })
    expect(value(await B.call('bundles/import', { path: await variant('same.zip', () => {}) }))).toMatchObject({ applied: true, ratingsUnchanged: 8 })
  })
})
