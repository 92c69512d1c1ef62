import { existsSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { containedTarget, ContainmentError, isInside, somethingAt, unsafeRelativePath } from '../../../src/main/fs/containment'
import { tempDir } from '../../helpers/paths'

let tmp: ReturnType<typeof tempDir>
let root: string
let outside: string

beforeAll(() => {
  tmp = tempDir('lus-contain-')
  root = join(tmp.path, 'dataset')
  outside = join(tmp.path, 'outside')
  mkdirSync(join(root, 'pocus_videos', 'convex'), { recursive: true })
  mkdirSync(outside)
  symlinkSync(outside, join(root, 'pocus_videos', 'escape'))
  writeFileSync(join(root, 'pocus_videos', 'file'), 'x')
})
afterAll(() => tmp.cleanup())

describe('unsafeRelativePath', () => {
  it.each([
    ['', 'is empty'],
    ['../../outside/pwned/web-clip.mp4', 'climbs out of its folder (..)'],
    ['pocus_videos/../../x.mp4', 'climbs out of its folder (..)'],
    ['/etc/passwd', 'is an absolute path'],
    ['C:/Windows/x.mp4', 'is an absolute path'],
    ['pocus_videos\\convex\\x.mp4', 'uses backslashes'],
    ['pocus_videos/con\u0000vex/x.mp4', 'contains control characters'],
    ['pocus_videos//x.mp4', 'has an empty or "." folder name'],
    ['./pocus_videos/x.mp4', 'has an empty or "." folder name']
  ])('refuses %j', (rel, why) => expect(unsafeRelativePath(rel)).toBe(why))

  it.each(['pocus_videos/convex/Cov-grep-7543.mp4', 'Published /B-lines/Clip (2).mp4', 'clip..mp4', '..hidden/x.mp4'])('accepts %j', (rel) =>
    expect(unsafeRelativePath(rel)).toBeNull()
  )
})

describe('isInside', () => {
  it('tells a sibling with a shared prefix from a child', () => {
    expect(isInside('/a/data', '/a/data/x')).toBe(true)
    expect(isInside('/a/data', '/a/data')).toBe(true)
    expect(isInside('/a/data', '/a/data-other/x')).toBe(false)
    expect(isInside('/a/data', '/a/x')).toBe(false)
  })
})

describe('containedTarget', () => {
  it('gives the path under the real root, making the missing folders only when asked', () => {
    const abs = containedTarget(root, 'pocus_images/linear/x.png')
    expect(abs.endsWith(join('pocus_images', 'linear', 'x.png'))).toBe(true)
    expect(existsSync(join(root, 'pocus_images'))).toBe(false)
    containedTarget(root, 'pocus_images/linear/x.png', { create: true })
    expect(existsSync(join(root, 'pocus_images', 'linear'))).toBe(true)
  })

  it('refuses a folder that is a symbolic link, even one pointing somewhere that exists, and makes nothing there', () => {
    expect(() => containedTarget(root, 'pocus_videos/escape/new/x.mp4', { create: true })).toThrow(ContainmentError)
    expect(() => containedTarget(root, 'pocus_videos/escape/new/x.mp4', { create: true })).toThrow(/passes through the symbolic link pocus_videos\/escape/)
    expect(existsSync(join(outside, 'new'))).toBe(false)
  })

  it('refuses a path through a file, and unsafe spellings', () => {
    expect(() => containedTarget(root, 'pocus_videos/file/x.mp4')).toThrow(/which is not a folder/)
    expect(() => containedTarget(root, '../outside/x.mp4', { create: true })).toThrow(/climbs out/)
  })

  it('somethingAt sees a dangling link', () => {
    const link = join(root, 'dangling.mp4')
    symlinkSync(join(tmp.path, 'nowhere'), link)
    expect(existsSync(link)).toBe(false)
    expect(somethingAt(link)).toBe(true)
  })
})
