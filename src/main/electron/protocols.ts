/**
 * The two custom schemes: `app://renderer/…` serves the built renderer
 * (instead of file://) and `lus-media://` serves media with Range support:
 * `lus-media://media/<id>` by catalog id, or, on a reader workstation,
 * `lus-media://study/<clipNo>` by clip number (mediaScheme.ts). Both
 * contain every path in their root.
 */
import { protocol } from 'electron'
import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs'
import { resolve, sep } from 'node:path'
import { Readable } from 'node:stream'
import type { CatalogRepository } from '../catalog/catalogRepository'
import { appContentType } from '../media/contentTypes'
import { mediaResponse } from '../media/mediaResponse'
import type { PlaybackService } from '../media/playbackService'
import type { StudyClipFiles } from '../reader/studyClipRoutes'
import { CONTENT_SECURITY_POLICY } from '../serve/httpServer'
import { resolveMediaSchemeUrl, type MediaSchemeSource } from './mediaScheme'
import { APP_ORIGIN, APP_SCHEME, MEDIA_SCHEME } from './windowOptions'

export function registerSchemesAsPrivileged(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
    { scheme: MEDIA_SCHEME, privileges: { standard: true, secure: true, stream: true, supportFetchAPI: true } }
  ])
}

export function handleAppProtocol(rendererDir: string): void {
  const root = realpathSync(rendererDir)
  protocol.handle(APP_SCHEME, (request) => {
    const url = new URL(request.url)
    let file = resolve(root, '.' + decodeURIComponent(url.pathname))
    if (!file.startsWith(root + sep)) return new Response('Forbidden', { status: 403 })
    if (!existsSync(file) || !statSync(file).isFile()) file = resolve(root, 'index.html')
    if (!realpathSync(file).startsWith(root + sep)) return new Response('Forbidden', { status: 403 })
    const headers: Record<string, string> = { 'Content-Type': appContentType(file) }
    if (file.endsWith('.html')) headers['Content-Security-Policy'] = CONTENT_SECURITY_POLICY.replace(
      "media-src 'self' blob:",
      `media-src 'self' blob: ${MEDIA_SCHEME}:`
    ).replace("img-src 'self' data: blob:", `img-src 'self' data: blob: ${MEDIA_SCHEME}:`)
    return new Response(readFileSync(file), { headers })
  })
}

/**
 * `lus-media://media/<id>[/playback|/thumb]`, answered exactly as serve mode's `/media/…` (see mediaRoutes).
 * `services` is read on every request, so after a backup is restored in place the restored catalog answers.
 */
export function handleMediaProtocol(services: { readonly repository: CatalogRepository; readonly playback?: PlaybackService }): void {
  handleMediaScheme({ mode: 'catalog', services })
}

/** A reader workstation's `lus-media://study/<clipNo>`, answered as serve mode's `/study/clips/<clipNo>`. */
export function handleReaderMediaProtocol(study: StudyClipFiles): void {
  handleMediaScheme({ mode: 'reader', study })
}

function handleMediaScheme(source: MediaSchemeSource): void {
  protocol.handle(MEDIA_SCHEME, async (request) => {
    const answer = await resolveMediaSchemeUrl(new URL(request.url), source)
    if ('message' in answer) return new Response(answer.message, { status: answer.status })
    const r = mediaResponse(answer.file, request.headers.get('range'), request.method)
    const body = r.body ? (Readable.toWeb(r.body) as ReadableStream<Uint8Array>) : null
    // The renderer (app://renderer) reads frames into a canvas for the classifier: a
    // cross-origin read that needs CORS, granted to our own renderer only.
    return new Response(body, { status: r.status, headers: { ...r.headers, 'Access-Control-Allow-Origin': APP_ORIGIN, Vary: 'Origin' } })
  })
}
