/** The one content-type table: media and the app's own files kept apart. */
import { describe, expect, it } from 'vitest'
import { appContentType, mediaContentType } from '../../../src/main/media/contentTypes'

describe('mediaContentType', () => {
  it('maps the dataset extensions case-insensitively', () => {
    expect(mediaContentType('/a/b.mp4')).toBe('video/mp4')
    expect(mediaContentType('/a/b.MP4')).toBe('video/mp4')
    expect(mediaContentType('/a/b.mov')).toBe('video/quicktime')
    expect(mediaContentType('/a/b.avi')).toBe('video/x-msvideo')
    expect(mediaContentType('/a/b.mpeg')).toBe('video/mpeg')
    expect(mediaContentType('/a/b.mpg')).toBe('video/mpeg')
    expect(mediaContentType('/a/b.gif')).toBe('image/gif')
    expect(mediaContentType('/a/b.JPG')).toBe('image/jpeg')
    expect(mediaContentType('/a/b.jpeg')).toBe('image/jpeg')
    expect(mediaContentType('/a/b.png')).toBe('image/png')
  })

  it('falls back to octet-stream for anything else', () => {
    expect(mediaContentType('/a/b.html')).toBe('application/octet-stream')
    expect(mediaContentType('/a/b')).toBe('application/octet-stream')
  })
})

describe('appContentType', () => {
  it("types the renderer's files, text as UTF-8", () => {
    expect(appContentType('/r/index.html')).toBe('text/html; charset=utf-8')
    expect(appContentType('/r/assets/a.js')).toBe('text/javascript; charset=utf-8')
    expect(appContentType('/r/ort.wasm')).toBe('application/wasm')
    expect(appContentType('/r/logo.png')).toBe('image/png')
  })

  it('never types a media file as the app, nor the reverse', () => {
    expect(appContentType('/r/clip.mp4')).toBe('application/octet-stream')
    expect(mediaContentType('/d/page.js')).toBe('application/octet-stream')
  })
})
