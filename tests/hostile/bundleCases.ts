/**
 * Hostile review bundles: damaged or changed payloads, unknown versions,
 * clips or raters that do not fit, and zips built to attack the reader
 * (zip-slip, symbolic links, bombs). Each is made by code from a good bundle
 * that catalog A exports (or from nothing), and must be refused with its
 * message, leaving the catalog it is imported into as it was
 * (bundles.test.ts runs them, then shows the good bundle is accepted).
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { payloadChecksum } from '../../src/main/ratings/bundle/bundleFormat'
import type { ErrorCode } from '../../src/shared/result'
import { CLIPS, openEnv, value, writeDataset, type Env } from '../unit/ratings/fixture'
import type { HostileCase } from './corpus'
import { patchCentral, renameEntry, zipWith, type ZipEntrySpec } from './generators'
import { sha256Bytes } from '../../src/main/media/contentHash'

export interface BundleContext {
  /** A temp folder for the case's files. */
  dir: string
  /** Catalog A: rater "Dr A" has rated all 8 clips of set "S", exported as the good bundle. */
  A: Env
  /** Catalog B: the same dataset, imported on "another machine", with no raters or sets. */
  B: Env
  /** The good bundle, as written by A, and its entries. */
  goodPath: string
  good: Map<string, Buffer>
}

export interface HostileBundleCase extends HostileCase {
  domain: 'bundle'
  /** Writes the bundle (or only names a path) and returns the path to import. */
  build(ctx: BundleContext): Promise<string>
  /** The catalog it is imported into: B (the default), A (the exporter), or one the case opens (closed afterwards). */
  into?: 'A' | 'B' | ((ctx: BundleContext) => Promise<Env>)
  /** Changes the target catalog before its fingerprint is taken (e.g. a rater with a clashing name). */
  arrange?(env: Env): Promise<void>
  /** Imports some other way than the bundles/import operation (e.g. under tighter limits); must throw a UserError. */
  attempt?(env: Env, path: string): Promise<unknown>
  /** The error code the refusal carries. */
  code: ErrorCode
  /** Whether the message must name the bundle's path (default: true). */
  namesPath?: boolean
}

const PAYLOAD = ['set.json', 'raters.json', 'ratings.json'] as const
const MiB = 1024 * 1024

/** A copy of the good bundle with some files changed; `fix` recomputes the checksums (a well-formed bundle). */
export async function variant(ctx: BundleContext, name: string, change: (files: Map<string, Buffer>) => void, fix = false): Promise<string> {
  const files = new Map(ctx.good)
  change(files)
  if (fix) {
    const manifest = JSON.parse(files.get('manifest.json')!.toString()) as { files: { name: string; bytes: number; sha256: string }[]; payloadSha256: string }
    manifest.files = PAYLOAD.map((n) => ({ name: n, bytes: files.get(n)!.length, sha256: sha256Bytes(files.get(n)!) }))
    manifest.payloadSha256 = payloadChecksum(PAYLOAD.map((n) => ({ name: n, bytes: files.get(n)! })))
    files.set('manifest.json', Buffer.from(JSON.stringify(manifest)))
  }
  return writeZip(ctx, name, await zipWith([...files].map(([n, bytes]) => ({ name: n, bytes }))))
}

function editJson<T>(files: Map<string, Buffer>, name: string, edit: (x: T) => void): void {
  const x = JSON.parse(files.get(name)!.toString()) as T
  edit(x)
  files.set(name, Buffer.from(JSON.stringify(x)))
}

type Manifest = Record<string, unknown>
type Ratings = { clipNo: number; values: { label: string } }[]

function writeZip(ctx: BundleContext, name: string, bytes: Buffer): string {
  const path = join(ctx.dir, name)
  writeFileSync(path, bytes)
  return path
}

const goodEntries = (ctx: BundleContext): ZipEntrySpec[] => [...ctx.good].map(([name, bytes]) => ({ name, bytes }))

/** The good bundle's entries plus one more whose name is swapped for `unsafe` afterwards (yazl refuses to write unsafe names). */
async function withEntryNamed(ctx: BundleContext, file: string, unsafe: string, placeholder: string): Promise<string> {
  const zip = await zipWith([...goodEntries(ctx), { name: placeholder, bytes: Buffer.from('{}') }])
  return writeZip(ctx, file, renameEntry(zip, placeholder, unsafe))
}

/** The good bundle with the central directory header of `entry` patched. */
async function withPatchedEntry(ctx: BundleContext, file: string, entry: string, field: Parameters<typeof patchCentral>[2], v: number): Promise<string> {
  return writeZip(ctx, file, patchCentral(await zipWith(goodEntries(ctx)), entry, field, v))
}

export const bundleCases: HostileBundleCase[] = [
  // Not a bundle at all.
  {
    id: 'bundle-not-zip',
    domain: 'bundle',
    description: 'a CSV named .zip',
    build: async (ctx) => writeZip(ctx, 'notes.zip', Buffer.from('item,rater,value\n')),
    code: 'bad_input',
    expect: /notes\.zip: it is not a zip file/
  },
  {
    id: 'bundle-empty-file',
    domain: 'bundle',
    description: 'a zero-byte .zip',
    build: async (ctx) => writeZip(ctx, 'empty.zip', Buffer.alloc(0)),
    code: 'bad_input',
    expect: /empty\.zip: it is not a zip file/
  },
  {
    id: 'bundle-truncated',
    domain: 'bundle',
    description: 'the good bundle cut to its first 200 bytes',
    build: async (ctx) => writeZip(ctx, 'cut.zip', readFileSync(ctx.goodPath).subarray(0, 200)),
    code: 'bad_input',
    expect: /cut\.zip: it is not a zip file/
  },
  {
    id: 'bundle-missing-file',
    domain: 'bundle',
    description: 'a path where no file is',
    build: async (ctx) => join(ctx.dir, 'missing.zip'),
    code: 'bad_input',
    expect: /missing\.zip: ENOENT: no such file/
  },
  {
    id: 'bundle-relative-path',
    domain: 'bundle',
    description: 'a relative path',
    build: async () => 'relative.zip',
    code: 'bad_input',
    namesPath: false,
    expect: /Give the bundle as an absolute path \(got "relative\.zip"\)/
  },
  // Damaged or changed after export.
  {
    id: 'bundle-bad-checksum',
    domain: 'bundle',
    description: 'a rating changed after export (checksums left as they were)',
    build: (ctx) => variant(ctx, 'tampered.zip', (f) => editJson<Ratings>(f, 'ratings.json', (x) => void (x[0]!.values.label = 'healthy'))),
    code: 'bad_input',
    expect: /the checksum of ratings\.json does not match the manifest: the bundle is damaged or was changed after export/
  },
  {
    id: 'bundle-bad-payload-checksum',
    domain: 'bundle',
    description: "the manifest's payload checksum zeroed",
    build: (ctx) => variant(ctx, 'payload.zip', (f) => editJson<Manifest>(f, 'manifest.json', (x) => (x.payloadSha256 = '0'.repeat(64)))),
    code: 'bad_input',
    expect: /the payload checksum does not match the manifest: the bundle is damaged or was changed after export/
  },
  {
    id: 'bundle-schema-version-2',
    domain: 'bundle',
    description: 'a bundle from a newer version (schemaVersion 2)',
    build: (ctx) => variant(ctx, 'v2.zip', (f) => editJson<Manifest>(f, 'manifest.json', (x) => (x.schemaVersion = 2))),
    code: 'unsupported',
    expect: /it uses bundle schema version 2, and this version of LUS Review reads version 1; update the app/
  },
  {
    id: 'bundle-foreign-format',
    domain: 'bundle',
    description: 'a manifest naming another format',
    build: (ctx) => variant(ctx, 'fmt.zip', (f) => editJson<Manifest>(f, 'manifest.json', (x) => (x.format = 'something-else'))),
    code: 'bad_input',
    expect: /it is not a LUS Review bundle \(format "something-else"\)/
  },
  {
    id: 'bundle-manifest-not-json',
    domain: 'bundle',
    description: 'a manifest that is not JSON',
    build: (ctx) => variant(ctx, 'json.zip', (f) => f.set('manifest.json', Buffer.from('{nope'))),
    code: 'bad_input',
    expect: /manifest\.json is not valid JSON/
  },
  {
    id: 'bundle-lone-surrogate',
    domain: 'bundle',
    description: 'a rater name holding half of a surrogate pair (the JSON escape \\ud800)',
    build: (ctx) =>
      variant(ctx, 'surrogate.zip', (f) => editJson<Manifest>(f, 'manifest.json', (x) => void ((x.raters as { name: string }[])[0]!.name = 'Dr \ud800'))),
    code: 'bad_input',
    expect: /manifest\.json holds text that is not well-formed Unicode \(at raters\.0\.name: half of a surrogate pair/
  },
  {
    id: 'bundle-missing-entry',
    domain: 'bundle',
    description: 'ratings.json left out',
    build: (ctx) => variant(ctx, 'missing-entry.zip', (f) => f.delete('ratings.json')),
    code: 'bad_input',
    expect: /ratings\.json is missing; this is not a complete review bundle/
  },
  {
    id: 'bundle-unexpected-entry',
    domain: 'bundle',
    description: 'an extra notes.txt',
    build: (ctx) => variant(ctx, 'extra.zip', (f) => f.set('notes.txt', Buffer.from('hi'))),
    code: 'bad_input',
    expect: /unexpected file "notes\.txt" in the bundle/
  },
  // Well-formed (checksums recomputed) but breaking the rules.
  {
    id: 'bundle-stray-clip',
    domain: 'bundle',
    description: 'a rating of clip 99 (checksums fixed)',
    build: (ctx) => variant(ctx, 'stray.zip', (f) => editJson<Ratings>(f, 'ratings.json', (x) => void (x[0]!.clipNo = 99)), true),
    code: 'bad_input',
    expect: /ratings\.json rates clip 99, which the set does not have/
  },
  {
    id: 'bundle-bad-value',
    domain: 'bundle',
    description: 'a label outside the vocabulary (checksums fixed)',
    build: (ctx) => variant(ctx, 'value.zip', (f) => editJson<Ratings>(f, 'ratings.json', (x) => void (x[0]!.values.label = 'flu')), true),
    code: 'bad_input',
    expect: /ratings\.json is malformed: .*expected one of "covid"/
  },
  {
    id: 'bundle-stranger-rater',
    domain: 'bundle',
    description: 'raters.json listing someone who is not a rater of the set (checksums fixed)',
    build: (ctx) =>
      variant(
        ctx,
        'stranger.zip',
        (f) => editJson<unknown[]>(f, 'raters.json', (x) => void x.push({ id: '33333333-3333-4333-8333-333333333333', name: 'Stranger', role: 'rater', createdAt: 'now' })),
        true
      ),
    code: 'bad_input',
    expect: /raters\.json lists "Stranger", who is not a rater of the set/
  },
  {
    id: 'bundle-clips-match-nothing',
    domain: 'bundle',
    description: 'the good bundle imported into a catalog of different recordings',
    into: async (ctx) => {
      writeDataset(join(ctx.dir, 'e', 'ds'), CLIPS, ' (a different recording)')
      return openEnv(join(ctx.dir, 'e'), join(ctx.dir, 'e', 'ds'))
    },
    build: async (ctx) => ctx.goodPath,
    code: 'bad_input',
    expect: /8 of its 8 clips match nothing in this catalog\. Import the same dataset first\. clip \d \(\w+\): no media file here has its content/
  },
  {
    id: 'bundle-rater-name-clash',
    domain: 'bundle',
    description: 'the good bundle where another rater already goes by "dr a"',
    arrange: async (B) => void value(await B.call('raters/create', { name: 'dr a' })),
    build: async (ctx) => ctx.goodPath,
    code: 'conflict',
    expect: /its rater "Dr A" is a different person from the rater "dr a" here \(different ids\)/
  },
  {
    id: 'bundle-set-fields-changed',
    domain: 'bundle',
    description: 'set "S" back in its own catalog with another field (checksums fixed)',
    into: 'A',
    build: (ctx) => variant(ctx, 'fields.zip', (f) => editJson<Manifest>(f, 'set.json', (x) => (x.fields = ['label', 'Fever'])), true),
    code: 'bad_input',
    // Its ratings no longer fit its fields either; that is found first.
    expect: /ratings\.json: Clip \d+: rate every field before submitting \(missing: Fever\)/
  },
  {
    id: 'bundle-set-clips-swapped',
    domain: 'bundle',
    description: 'set "S" back in its own catalog with two clips swapped (checksums fixed)',
    into: 'A',
    build: (ctx) =>
      variant(
        ctx,
        'swapped.zip',
        (f) =>
          editJson<{ clips: { clipNo: number }[] }>(f, 'set.json', ({ clips }) => {
            ;[clips[0]!.clipNo, clips[1]!.clipNo] = [clips[1]!.clipNo, clips[0]!.clipNo]
          }),
        true
      ),
    code: 'conflict',
    expect: /its review set "S" has the same id as "S" here, but its clip \d is a different clip/
  },
  {
    id: 'bundle-set-without-raters',
    domain: 'bundle',
    description: 'set "S" back in its own catalog with no raters (checksums fixed)',
    into: 'A',
    build: (ctx) => variant(ctx, 'renamed.zip', (f) => editJson<Manifest>(f, 'set.json', (x) => (x.raterIds = [])), true),
    code: 'bad_input',
    expect: /set\.json is malformed: .*expected array to have >=1 items/
  },
  // Zips built to attack the reader.
  {
    id: 'bundle-zip-slip',
    domain: 'bundle',
    description: 'an entry named ../evil.json',
    build: (ctx) => withEntryNamed(ctx, 'slip.zip', '../evil.json', 'xx/evil.json'),
    code: 'bad_input',
    expect: /entry "\.\.\/evil\.json" points outside the bundle/
  },
  {
    id: 'bundle-zip-slip-inner',
    domain: 'bundle',
    description: 'an entry named a/../b.json',
    build: (ctx) => withEntryNamed(ctx, 'slip-inner.zip', 'a/../b.json', 'a/xx/b.json'),
    code: 'bad_input',
    expect: /entry "a\/\.\.\/b\.json" points outside the bundle/
  },
  {
    id: 'bundle-absolute-entry',
    domain: 'bundle',
    description: 'an entry named /x/evil.json',
    build: (ctx) => withEntryNamed(ctx, 'absolute.zip', '/x/evil.json', 'xx/evil.json'),
    code: 'bad_input',
    expect: /entry "\/x\/evil\.json" has an absolute path/
  },
  {
    id: 'bundle-drive-letter-entry',
    domain: 'bundle',
    description: 'an entry named C:/evil.json',
    build: (ctx) => withEntryNamed(ctx, 'drive.zip', 'C:/evil.json', 'xx/evil.json'),
    code: 'bad_input',
    expect: /entry "C:\/evil\.json" has an absolute path/
  },
  {
    id: 'bundle-backslash-entry',
    domain: 'bundle',
    description: 'an entry named xx\\evil.json',
    build: (ctx) => withEntryNamed(ctx, 'backslash.zip', 'xx\\evil.json', 'xx/evil.json'),
    code: 'bad_input',
    expect: /entry "xx\\\\evil\.json" uses backslashes in its path/
  },
  {
    id: 'bundle-hidden-entry',
    domain: 'bundle',
    description: 'an entry named .hidden.json',
    build: (ctx) => withEntryNamed(ctx, 'hidden.zip', '.hidden.json', 'xhidden.json'),
    code: 'bad_input',
    expect: /entry "\.hidden\.json" has an unexpected name/
  },
  {
    id: 'bundle-duplicate-entry',
    domain: 'bundle',
    description: 'manifest.json twice',
    build: (ctx) => withEntryNamed(ctx, 'twice.zip', 'manifest.json', 'xanifest.json'),
    code: 'bad_input',
    expect: /entry "manifest\.json" appears twice/
  },
  {
    id: 'bundle-symlink',
    domain: 'bundle',
    description: 'an entry that is a symbolic link to /etc/passwd',
    build: async (ctx) => writeZip(ctx, 'link.zip', await zipWith([...goodEntries(ctx), { name: 'link.json', bytes: Buffer.from('/etc/passwd'), mode: 0o120777 }])),
    code: 'bad_input',
    expect: /entry "link\.json" is a symbolic link/
  },
  {
    id: 'bundle-folder-entry',
    domain: 'bundle',
    description: 'a folder entry sub/',
    build: async (ctx) => writeZip(ctx, 'folder.zip', await zipWith(goodEntries(ctx), ['sub/'])),
    code: 'bad_input',
    expect: /entry "sub\/" is a folder; bundles hold files only/
  },
  {
    id: 'bundle-encrypted-entry',
    domain: 'bundle',
    description: "ratings.json flagged as encrypted",
    build: (ctx) => withPatchedEntry(ctx, 'encrypted.zip', 'ratings.json', 'flags', 0x1),
    code: 'bad_input',
    expect: /entry "ratings\.json" is encrypted/
  },
  {
    id: 'bundle-unknown-compression',
    domain: 'bundle',
    description: 'ratings.json claiming bzip2 compression',
    build: (ctx) => withPatchedEntry(ctx, 'bzip2.zip', 'ratings.json', 'method', 12),
    code: 'bad_input',
    expect: /entry "ratings\.json" uses compression method 12; bundles use deflate/
  },
  {
    id: 'bundle-too-many-entries',
    domain: 'bundle',
    description: '20 entries',
    build: async (ctx) => writeZip(ctx, 'many.zip', await zipWith(Array.from({ length: 20 }, (_, i) => ({ name: `f${i}.json`, bytes: Buffer.from('{}') })))),
    code: 'bad_input',
    expect: /it has 20 entries; a review bundle has at most 16/
  },
  {
    id: 'bundle-zip-bomb-entry',
    domain: 'bundle',
    description: 'a 51 MiB manifest (by its header)',
    build: async (ctx) => writeZip(ctx, 'huge.zip', await zipWith([{ name: 'manifest.json', bytes: Buffer.alloc(51 * MiB) }])),
    code: 'bad_input',
    expect: /entry "manifest\.json" is 53477376 bytes uncompressed; the limit is 52428800/
  },
  {
    id: 'bundle-zip-bomb-total',
    domain: 'bundle',
    description: 'two 30 MiB entries: each under the limit, together past it (counted on the inflated bytes)',
    build: async (ctx) =>
      writeZip(ctx, 'total.zip', await zipWith([{ name: 'a.json', bytes: Buffer.alloc(30 * MiB) }, { name: 'b.json', bytes: Buffer.alloc(30 * MiB) }])),
    code: 'bad_input',
    expect: /the bundle inflates past 52428800 bytes in all/
  },
  {
    id: 'bundle-lying-size',
    domain: 'bundle',
    description: 'an entry whose header understates what it inflates to (100 bytes claimed, 100 000 inside)',
    build: async (ctx) =>
      writeZip(ctx, 'lying.zip', patchCentral(await zipWith([{ name: 'manifest.json', bytes: Buffer.alloc(100_000, 0x20) }]), 'manifest.json', 'uncompressedSize', 100)),
    code: 'bad_input',
    expect: /entry "manifest\.json" inflates to more than the 100 bytes its header claims/
  },
  {
    id: 'bundle-over-configured-entry-limit',
    domain: 'bundle',
    description: 'the good bundle under a 200-byte entry limit',
    build: async (ctx) => ctx.goodPath,
    attempt: (env, path) => env.service.importBundle(path, { limits: { maxEntries: 16, maxEntryBytes: 200, maxTotalBytes: 10_000, maxFileBytes: 1_000_000 } }),
    code: 'bad_input',
    expect: /entry "manifest\.json" is \d+ bytes uncompressed; the limit is 200\b/
  },
  {
    id: 'bundle-over-configured-file-limit',
    domain: 'bundle',
    description: 'the good bundle under a 100-byte file limit',
    build: async (ctx) => ctx.goodPath,
    attempt: (env, path) => env.service.importBundle(path, { limits: { maxEntries: 16, maxEntryBytes: 10_000, maxTotalBytes: 10_000, maxFileBytes: 100 } }),
    code: 'bad_input',
    expect: /it is \d+ bytes; a review bundle is at most 100/
  }
]
