/**
 * multipart/related bodies (RFC 2387), as WADO-RS answers with: parts split
 * on the boundary, each with its own headers. Binary-safe: parts are sliced
 * out of the Buffer, never decoded as text.
 */
import { UserError } from '../../errors'

export interface Part {
  headers: Record<string, string>
  body: Buffer
}

export function boundaryOf(contentType: string): string {
  const m = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType)
  const b = m?.[1] ?? m?.[2]
  if (!/^multipart\/related/i.test(contentType.trim()) || !b)
    throw new UserError('bad_input', `The PACS answered "${contentType || '(no content type)'}" instead of multipart/related DICOM parts.`)
  return b
}

export function parseMultipart(body: Buffer, contentType: string): Part[] {
  const delimiter = Buffer.from(`--${boundaryOf(contentType)}`, 'latin1')
  const parts: Part[] = []
  let pos = body.indexOf(delimiter)
  if (pos < 0) throw new UserError('bad_input', 'The PACS answer holds no part: its multipart boundary never occurs.')
  for (;;) {
    let start = pos + delimiter.length
    // "--" after a delimiter closes the body.
    if (body[start] === 0x2d && body[start + 1] === 0x2d) break
    if (body[start] === 0x0d && body[start + 1] === 0x0a) start += 2
    const next = body.indexOf(delimiter, start)
    if (next < 0) throw new UserError('bad_input', 'The PACS answer is cut short: a multipart part has no closing boundary.')
    // The CRLF before a delimiter belongs to the delimiter.
    const end = body[next - 2] === 0x0d && body[next - 1] === 0x0a ? next - 2 : next
    const headers: Record<string, string> = {}
    let bodyStart = start
    // A part without headers starts with the blank line itself.
    const noHeaders = body[start] === 0x0d && body[start + 1] === 0x0a
    const headerEnd = noHeaders ? -1 : body.indexOf('\r\n\r\n', start, 'latin1')
    if (noHeaders) bodyStart = start + 2
    else if (headerEnd >= 0 && headerEnd < end) {
      for (const line of body.toString('latin1', start, headerEnd).split('\r\n')) {
        const i = line.indexOf(':')
        if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim()
      }
      bodyStart = headerEnd + 4
    }
    parts.push({ headers, body: body.subarray(bodyStart, end) })
    pos = next
  }
  return parts
}
