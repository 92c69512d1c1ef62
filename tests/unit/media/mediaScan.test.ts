import { mkdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MEDIA_FOLDERS, mediaKind, scanMedia } from '../../../src/main/media/mediaScan'
import { tempDir } from '../../helpers/paths'

function put(root: string, rel: string, content = 'x'): void {
  const f = join(root, rel)
  mkdirSync(dirname(f), { recursive: true })
  writeFileSync(f, content)
}

describe('mediaKind', () => {
  it('classifies by extension, case-insensitively', () => {
    for (const n of ['a.mp4', 'a.MP4', 'a.mov', 'a.avi', 'a.mpeg', 'a.mpg', 'a.gif']) expect(mediaKind(n), n).toBe('video')
    for (const n of ['a.jpg', 'a.JPEG', 'a.png', 'a.Png']) expect(mediaKind(n), n).toBe('image')
    for (const n of ['a.txt', 'a', '.mp4x', 'a.mp4.bak', 'a.webm', 'a.csv']) expect(mediaKind(n), n).toBeNull()
  })
})

describe('scanMedia', () => {
  let tmp: ReturnType<typeof tempDir>
  let root: string
  let outsideDir: string

  beforeAll(() => {
    tmp = tempDir('lus-scan-')
    root = join(tmp.path, 'dataset')
    outsideDir = join(tmp.path, 'outside')
    put(root, 'pocus_videos/convex/Cov-1.mp4', '12345')
    put(root, 'pocus_videos/convex/deeper/nested/Pneu 2.MOV', 'ab')
    put(root, 'pocus_videos/linear/reg.avi')
    put(root, 'pocus_videos/linear/notes.txt')
    put(root, 'pocus_videos/linear/.DS_Store')
    put(root, 'pocus_images/convex/img.1.JPG')
    put(root, 'pocus_images/linear/pic.png')
    put(root, 'pocus_images/readme.md')
    // Outside the media folders: ignored.
    put(root, 'top.mp4')
    put(root, 'other_folder/x.mp4')
    // A folder with a media extension is walked, not listed.
    put(root, 'pocus_videos/folder.mp4/inner.gif')
    // Symlinks inside the media folders are not followed.
    put(outsideDir, 'secret.mp4')
    put(outsideDir, 'sub/deep.mp4')
    symlinkSync(join(outsideDir, 'secret.mp4'), join(root, 'pocus_videos/convex/link.mp4'))
    symlinkSync(join(outsideDir, 'sub'), join(root, 'pocus_videos/linkdir'))
    symlinkSync(join(root, 'pocus_videos/linear/reg.avi'), join(root, 'pocus_images/inside-link.png'))
  })
  afterAll(() => tmp.cleanup())

  it('scans both media folders', () => {
    expect(MEDIA_FOLDERS).toEqual(['pocus_videos', 'pocus_images'])
  })

  it('finds exactly the media files under pocus_videos and pocus_images, recursively', () => {
    const rels = scanMedia(root).map((m) => m.relPath)
    expect(rels.sort()).toEqual(
      [
        'pocus_images/convex/img.1.JPG',
        'pocus_images/linear/pic.png',
        'pocus_videos/convex/Cov-1.mp4',
        'pocus_videos/convex/deeper/nested/Pneu 2.MOV',
        'pocus_videos/folder.mp4/inner.gif',
        'pocus_videos/linear/reg.avi'
      ].sort()
    )
  })

  it('lists videos before images, in sorted name order within a folder', () => {
    const rels = scanMedia(root).map((m) => m.relPath)
    const firstImage = rels.findIndex((r) => r.startsWith('pocus_images/'))
    expect(rels.slice(0, firstImage).every((r) => r.startsWith('pocus_videos/'))).toBe(true)
    expect(rels.slice(firstImage).every((r) => r.startsWith('pocus_images/'))).toBe(true)
  })

  it('does not follow symlinked files or folders', () => {
    const rels = scanMedia(root).map((m) => m.relPath)
    expect(rels.some((r) => r.includes('link'))).toBe(false)
    expect(rels.some((r) => r.includes('deep.mp4'))).toBe(false)
    expect(rels.some((r) => r.includes('secret'))).toBe(false)
  })

  it('gives relative paths with forward slashes, absolute paths, stems, kinds and sizes', () => {
    const byRel = new Map(scanMedia(root).map((m) => [m.relPath, m]))
    const a = byRel.get('pocus_videos/convex/Cov-1.mp4')!
    expect(a.absPath).toBe(join(root, 'pocus_videos', 'convex', 'Cov-1.mp4'))
    expect(a.stem).toBe('Cov-1')
    expect(a.kind).toBe('video')
    expect(a.sizeBytes).toBe(5)
    expect(a.mtimeMs).toBe(Math.floor(statSync(a.absPath).mtimeMs))
    expect(Number.isInteger(a.mtimeMs)).toBe(true)
    const b = byRel.get('pocus_videos/convex/deeper/nested/Pneu 2.MOV')!
    expect(b.stem).toBe('Pneu 2')
    expect(b.kind).toBe('video')
    expect(b.sizeBytes).toBe(2)
    const c = byRel.get('pocus_images/convex/img.1.JPG')!
    expect(c.stem).toBe('img.1')
    expect(c.kind).toBe('image')
    for (const m of byRel.values()) expect(m.relPath).not.toContain('\\')
  })

  it('returns nothing for a folder without media folders, and for a missing folder', () => {
    const bare = join(tmp.path, 'bare')
    put(bare, 'dataset_metadata.csv')
    expect(scanMedia(bare)).toEqual([])
    expect(scanMedia(join(tmp.path, 'does-not-exist'))).toEqual([])
  })

  it('scans only pocus_images when pocus_videos is absent', () => {
    const only = join(tmp.path, 'only-images')
    put(only, 'pocus_images/a.png')
    expect(scanMedia(only).map((m) => m.relPath)).toEqual(['pocus_images/a.png'])
  })

  // The module promises "Symlinks are not followed: media must live inside the dataset
  // folder", and media serving refuses such files (containedPath), yet a media folder that
  // is itself a symlink to elsewhere is walked.
  it('does not follow a media folder that is itself a symlink out of the dataset', () => {
    const linked = join(tmp.path, 'linked-root')
    mkdirSync(linked)
    put(linked, 'pocus_images/own.png')
    symlinkSync(outsideDir, join(linked, 'pocus_videos'))
    expect(scanMedia(linked).map((m) => m.relPath)).toEqual(['pocus_images/own.png'])
  })
})
