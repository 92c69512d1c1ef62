import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { addSource, entryRow, mediaRow, openTables, type TableFixture } from './tableFixtures'

let t: TableFixture
let sourceId: number
beforeEach(() => {
  t = openTables()
  sourceId = addSource(t.tables, '/data/ds')
})
afterEach(() => t.close())

describe('reads of an entry with its media', () => {
  it('gives an entry with its file’s facts, or nulls without a file', () => {
    const mediaId = t.tables.media.insert(mediaRow(sourceId, 'pocus_videos/convex/a.mp4', { sha256: 'f'.repeat(64) }))
    const linked = t.tables.entries.insert(entryRow(sourceId, 'a', { media_id: mediaId, media_status: 'linked' }))
    const bare = t.tables.entries.insert(entryRow(sourceId, 'b', { sort_key: 2 }))
    const q = t.tables.entryMedia
    expect(q.withMedia(linked)).toMatchObject({ id: linked, filename: 'a', kind: 'video', width: 64, height: 48, frames: 12, sha256: 'f'.repeat(64) })
    expect(q.withMedia(bare)).toMatchObject({ id: bare, kind: null, sha256: null })
    expect(q.withMedia(999)).toBeUndefined()
    expect(q.mediaSha256(linked)).toBe('f'.repeat(64))
    expect(q.mediaSha256(bare)).toBeNull()
    expect(q.withMediaFile(linked)).toMatchObject({ root: '/data/ds', rel_path: 'pocus_videos/convex/a.mp4', fps: 10 })
    expect(q.withMediaFile(bare)).toMatchObject({ root: '/data/ds', rel_path: null })
    expect(q.sourceOf(bare)).toEqual({ sourceId, root: '/data/ds' })
    expect(q.byMediaSha256('f'.repeat(64)).map((e) => e.id)).toEqual([linked])
  })

  it('finds entries by file name, in one source or in all', () => {
    const other = addSource(t.tables, '/data/other')
    const here = t.tables.entries.insert(entryRow(sourceId, 'same'))
    const there = t.tables.entries.insert(entryRow(other, 'same'))
    expect(t.tables.entryMedia.withMediaByFilename('same', null).map((e) => e.id)).toEqual([here, there])
    expect(t.tables.entryMedia.withMediaByFilename('same', other).map((e) => e.id)).toEqual([there])
  })

  it('lists the entries linked to a file with the cells the classifier groups by', () => {
    const mediaId = t.tables.media.insert(mediaRow(sourceId, 'pocus_videos/a.mp4'))
    const linked = t.tables.entries.insert(
      entryRow(sourceId, 'a', { media_id: mediaId, media_status: 'linked', cellValues: { 'Patient ID / Name': ' p1 ', 'Source ID': 'src' } })
    )
    t.tables.entries.insert(entryRow(sourceId, 'b', { sort_key: 2 }))
    expect(t.tables.entryMedia.linkedClips()).toEqual([
      { id: linked, source_id: sourceId, filename: 'a', label: 'other', patient: ' p1 ', source_ref: 'src', media_id: mediaId, rel_path: 'pocus_videos/a.mp4', root: '/data/ds', kind: 'video', sha256: null }
    ])
    expect(t.tables.entryMedia.linkedClip(linked)?.patient).toBe(' p1 ')
    expect(t.tables.entryMedia.linkedClip(linked + 1)).toBeUndefined()
  })
})
