import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { addSource, mediaRow, openTables, type TableFixture } from './tableFixtures'

let t: TableFixture
let sourceId: number
beforeEach(() => {
  t = openTables()
  sourceId = addSource(t.tables)
})
afterEach(() => t.close())

describe('the media table', () => {
  it('inserts a file and reads it back, alone and with its source’s folder', () => {
    const id = t.tables.media.insert(mediaRow(sourceId, 'pocus_videos/convex/a.mp4'))
    expect(t.tables.media.get(id)).toMatchObject({ id, source_id: sourceId, rel_path: 'pocus_videos/convex/a.mp4', stem: 'a', frames: 12 })
    expect(t.tables.media.withRoot(id)).toMatchObject({ id, root: '/data/ds', rel_path: 'pocus_videos/convex/a.mp4' })
    expect(t.tables.media.ofSource(sourceId).map((m) => m.id)).toEqual([id])
    expect(t.tables.media.get(id + 1)).toBeUndefined()
  })

  it('refuses a second plain insert of the same path, where an upsert replaces the row and keeps its id', () => {
    const id = t.tables.media.insert(mediaRow(sourceId, 'pocus_videos/a.mp4'))
    expect(() => t.tables.media.insert(mediaRow(sourceId, 'pocus_videos/a.mp4'))).toThrow(/UNIQUE/)
    const again = t.tables.media.upsert(mediaRow(sourceId, 'pocus_videos/a.mp4', { frames: null, error: 'unreadable', sha256: 'c'.repeat(64) }))
    expect(again).toBe(id)
    expect(t.tables.media.get(id)).toMatchObject({ frames: null, error: 'unreadable', sha256: 'c'.repeat(64) })
    expect(t.tables.media.upsert(mediaRow(sourceId, 'pocus_videos/b.mp4'))).not.toBe(id)
  })

  it('removes a file by its path', () => {
    t.tables.media.insert(mediaRow(sourceId, 'pocus_videos/a.mp4'))
    t.tables.media.remove(sourceId, 'pocus_videos/a.mp4')
    expect(t.tables.media.ofSource(sourceId)).toEqual([])
  })

  it('fills a missing hash only while the row still describes the file that was hashed', () => {
    const id = t.tables.media.insert(mediaRow(sourceId, 'pocus_videos/a.mp4', { size_bytes: 100, mtime_ms: 1000 }))
    t.tables.media.fillSha256(id, 'd'.repeat(64), 101, 1000)
    expect(t.tables.media.get(id)?.sha256).toBeNull()
    t.tables.media.fillSha256(id, 'd'.repeat(64), 100, 1000)
    expect(t.tables.media.get(id)?.sha256).toBe('d'.repeat(64))
    t.tables.media.fillSha256(id, 'e'.repeat(64), 100, 1000)
    expect(t.tables.media.get(id)?.sha256).toBe('d'.repeat(64))
  })
})
