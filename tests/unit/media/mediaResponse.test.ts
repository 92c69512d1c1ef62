import { mkdirSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Readable } from 'node:stream'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { UserError } from '../../../src/main/errors'
import { containedPath, mediaResponse, parseRange } from '../../../src/main/media/mediaResponse'
import { tempDir } from '../../helpers/paths'

async function readAll(stream: Readable | null): Promise<Buffer> {
  if (!stream) throw new Error('expected a body stream')
  const chunks: Buffer[] = []
  for await (const c of stream) chunks.push(c as Buffer)
  return Buffer.concat(chunks)
}

function userErrorOf(fn: () => unknown): UserError {
  try {
    fn()
  } catch (e) {
    expect(e).toBeInstanceOf(UserError)
    return e as UserError
  }
  throw new Error('expected a UserError to be thrown')
}

describe('parseRange', () => {
  it('returns null without a header', () => {
    expect(parseRange(undefined, 1000)).toBeNull()
    expect(parseRange(null, 1000)).toBeNull()
    expect(parseRange('', 1000)).toBeNull()
  })

  it('parses a closed range', () => {
    expect(parseRange('bytes=0-99', 1000)).toEqual({ start: 0, end: 99 })
    expect(parseRange('bytes=10-10', 1000)).toEqual({ start: 10, end: 10 })
  })

  it('parses an open-ended range up to the last byte', () => {
    expect(parseRange('bytes=100-', 1000)).toEqual({ start: 100, end: 999 })
    expect(parseRange('bytes=0-', 1)).toEqual({ start: 0, end: 0 })
  })

  it('parses a suffix range as the last N bytes', () => {
    expect(parseRange('bytes=-50', 1000)).toEqual({ start: 950, end: 999 })
  })

  it('clamps a suffix longer than the file to the whole file', () => {
    expect(parseRange('bytes=-5000', 1000)).toEqual({ start: 0, end: 999 })
  })

  it('clamps an end beyond the size to the last byte', () => {
    expect(parseRange('bytes=900-5000', 1000)).toEqual({ start: 900, end: 999 })
    expect(parseRange('bytes=0-99999999999999999999', 10)).toEqual({ start: 0, end: 9 })
  })

  it('tolerates surrounding whitespace', () => {
    expect(parseRange('  bytes=0-9  ', 100)).toEqual({ start: 0, end: 9 })
  })

  it('reports a start at or beyond the size as unsatisfiable', () => {
    expect(parseRange('bytes=1000-', 1000)).toBe('unsatisfiable')
    expect(parseRange('bytes=1000-1200', 1000)).toBe('unsatisfiable')
    expect(parseRange('bytes=5000-6000', 1000)).toBe('unsatisfiable')
  })

  it('reports a start after the end as unsatisfiable', () => {
    expect(parseRange('bytes=50-10', 1000)).toBe('unsatisfiable')
  })

  it('reports a zero-length suffix as unsatisfiable', () => {
    expect(parseRange('bytes=-0', 1000)).toBe('unsatisfiable')
  })

  it('reports any range of an empty file as unsatisfiable', () => {
    expect(parseRange('bytes=0-', 0)).toBe('unsatisfiable')
    expect(parseRange('bytes=-10', 0)).toBe('unsatisfiable')
  })

  it('ignores malformed headers (null, i.e. the whole file)', () => {
    for (const h of ['bytes=', 'bytes=-', 'bytes=abc-def', 'items=0-10', 'bytes 0-10', 'bytes=0-10-20', 'bytes=1.5-3', 'bytes=-1-2', '0-10'])
      expect(parseRange(h, 1000), h).toBeNull()
  })

  it('compares the range unit case-insensitively', () => {
    expect(parseRange('Bytes=0-9', 1000)).toEqual({ start: 0, end: 9 })
  })

  it('ignores multi-range requests (null, i.e. the whole file)', () => {
    expect(parseRange('bytes=0-10,20-30', 1000)).toBeNull()
    expect(parseRange('bytes=0-10, 20-30', 1000)).toBeNull()
  })
})

describe('containedPath', () => {
  let tmp: ReturnType<typeof tempDir>
  let root: string
  let outside: string

  beforeAll(() => {
    tmp = tempDir('lus-contained-')
    root = join(tmp.path, 'data')
    outside = join(tmp.path, 'secret.txt')
    mkdirSync(join(root, 'pocus_videos', 'convex'), { recursive: true })
    writeFileSync(join(root, 'pocus_videos', 'convex', 'a.mp4'), 'inside')
    writeFileSync(outside, 'secret')
    // A sibling folder whose name starts with the root's name.
    mkdirSync(join(tmp.path, 'data2'))
    writeFileSync(join(tmp.path, 'data2', 'x.mp4'), 'sibling')
    symlinkSync(outside, join(root, 'pocus_videos', 'out.mp4'))
    symlinkSync(join(root, 'pocus_videos', 'convex', 'a.mp4'), join(root, 'pocus_videos', 'in.mp4'))
    symlinkSync(tmp.path, join(root, 'pocus_videos', 'updir'))
  })

  afterAll(() => tmp.cleanup())

  it('returns the real path of a file inside the root', () => {
    expect(containedPath(root, 'pocus_videos/convex/a.mp4')).toBe(
      realpathSync(join(root, 'pocus_videos', 'convex', 'a.mp4'))
    )
  })

  it('accepts a root given through a symlink', () => {
    const link = join(tmp.path, 'root-link')
    symlinkSync(root, link)
    expect(containedPath(link, 'pocus_videos/convex/a.mp4')).toBe(
      realpathSync(join(root, 'pocus_videos', 'convex', 'a.mp4'))
    )
  })

  it('accepts a symlink that stays inside the root', () => {
    expect(containedPath(root, 'pocus_videos/in.mp4')).toBe(realpathSync(join(root, 'pocus_videos', 'convex', 'a.mp4')))
  })

  it('refuses ../ traversal', () => {
    const e = userErrorOf(() => containedPath(root, '../secret.txt'))
    expect(e.code).toBe('bad_input')
    expect(e.message).toMatch(/outside the dataset folder/)
    expect(userErrorOf(() => containedPath(root, 'pocus_videos/../../secret.txt')).code).toBe('bad_input')
  })

  it('refuses a sibling folder that shares the root name as prefix', () => {
    expect(userErrorOf(() => containedPath(root, '../data2/x.mp4')).code).toBe('bad_input')
  })

  it('refuses an absolute path outside the root', () => {
    const e = userErrorOf(() => containedPath(root, outside))
    expect(e.code).toBe('bad_input')
    expect(userErrorOf(() => containedPath(root, '/etc/passwd')).code).toBe('bad_input')
  })

  it('refuses a symlink inside the root that points outside', () => {
    const e = userErrorOf(() => containedPath(root, 'pocus_videos/out.mp4'))
    expect(e.code).toBe('bad_input')
    expect(e.message).toMatch(/links outside/)
  })

  it('refuses a path through a symlinked folder that leads outside', () => {
    expect(userErrorOf(() => containedPath(root, 'pocus_videos/updir/secret.txt')).code).toBe('bad_input')
  })

  it('reports a missing file as not_found', () => {
    const e = userErrorOf(() => containedPath(root, 'pocus_videos/convex/missing.mp4'))
    expect(e.code).toBe('not_found')
    expect(e.message).toContain('pocus_videos/convex/missing.mp4')
  })

  it('reports a folder as not_found (not a file)', () => {
    expect(userErrorOf(() => containedPath(root, 'pocus_videos/convex')).code).toBe('not_found')
  })

  it('refuses the root itself', () => {
    expect(() => containedPath(root, '')).toThrow(UserError)
    expect(() => containedPath(root, '.')).toThrow(UserError)
  })
})

describe('mediaResponse', () => {
  let tmp: ReturnType<typeof tempDir>
  let file: string
  let bytes: Buffer

  beforeAll(() => {
    tmp = tempDir('lus-mediaresp-')
    file = join(tmp.path, 'clip.mp4')
    bytes = Buffer.alloc(5000)
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 31 + 7) & 0xff
    writeFileSync(file, bytes)
  })

  afterAll(() => tmp.cleanup())

  it('answers 200 with the whole file and its length without a Range header', async () => {
    const r = mediaResponse(file, undefined)
    expect(r.status).toBe(200)
    expect(r.headers['Content-Length']).toBe('5000')
    expect(r.headers['Content-Range']).toBeUndefined()
    expect(r.headers['Accept-Ranges']).toBe('bytes')
    expect(r.headers['Content-Type']).toBe('video/mp4')
    expect(r.headers['X-Content-Type-Options']).toBe('nosniff')
    expect((await readAll(r.body)).equals(bytes)).toBe(true)
  })

  it('answers 206 with the exact bytes of a closed range', async () => {
    const r = mediaResponse(file, 'bytes=100-299')
    expect(r.status).toBe(206)
    expect(r.headers['Content-Range']).toBe('bytes 100-299/5000')
    expect(r.headers['Content-Length']).toBe('200')
    const got = await readAll(r.body)
    expect(got.length).toBe(200)
    expect(got.equals(bytes.subarray(100, 300))).toBe(true)
  })

  it('answers 206 for an open-ended range', async () => {
    const r = mediaResponse(file, 'bytes=4990-')
    expect(r.status).toBe(206)
    expect(r.headers['Content-Range']).toBe('bytes 4990-4999/5000')
    expect(r.headers['Content-Length']).toBe('10')
    expect((await readAll(r.body)).equals(bytes.subarray(4990))).toBe(true)
  })

  it('answers 206 for a suffix range', async () => {
    const r = mediaResponse(file, 'bytes=-7')
    expect(r.status).toBe(206)
    expect(r.headers['Content-Range']).toBe('bytes 4993-4999/5000')
    expect((await readAll(r.body)).equals(bytes.subarray(4993))).toBe(true)
  })

  it('answers a single byte range', async () => {
    const r = mediaResponse(file, 'bytes=0-0')
    expect(r.status).toBe(206)
    expect(r.headers['Content-Length']).toBe('1')
    expect((await readAll(r.body)).equals(bytes.subarray(0, 1))).toBe(true)
  })

  it('answers 416 with the size for an unsatisfiable range, and no body', () => {
    const r = mediaResponse(file, 'bytes=5000-')
    expect(r.status).toBe(416)
    expect(r.headers['Content-Range']).toBe('bytes */5000')
    expect(r.headers['Content-Length']).toBe('0')
    expect(r.body).toBeNull()
  })

  it('answers the whole file for a multi-range request', async () => {
    const r = mediaResponse(file, 'bytes=0-1,3-4')
    expect(r.status).toBe(200)
    expect((await readAll(r.body)).length).toBe(5000)
  })

  it('sends headers but no body for HEAD', () => {
    const full = mediaResponse(file, undefined, 'HEAD')
    expect(full.status).toBe(200)
    expect(full.headers['Content-Length']).toBe('5000')
    expect(full.body).toBeNull()
    const part = mediaResponse(file, 'bytes=10-19', 'HEAD')
    expect(part.status).toBe(206)
    expect(part.headers['Content-Range']).toBe('bytes 10-19/5000')
    expect(part.headers['Content-Length']).toBe('10')
    expect(part.body).toBeNull()
  })

  it('answers an empty file with 200, length 0 and no body', () => {
    const empty = join(tmp.path, 'empty.png')
    writeFileSync(empty, '')
    const r = mediaResponse(empty, undefined)
    expect(r.status).toBe(200)
    expect(r.headers['Content-Length']).toBe('0')
    expect(r.headers['Content-Type']).toBe('image/png')
    expect(r.body).toBeNull()
  })

  it('sets the content type from the extension', () => {
    for (const [name, type] of [
      ['x.gif', 'image/gif'],
      ['x.jpg', 'image/jpeg'],
      ['x.avi', 'video/x-msvideo'],
      ['x.bin', 'application/octet-stream']
    ] as const) {
      const f = join(tmp.path, name)
      writeFileSync(f, 'abc')
      const r = mediaResponse(f, undefined, 'HEAD')
      expect(r.headers['Content-Type'], name).toBe(type)
    }
  })
})
