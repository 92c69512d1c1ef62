/**
 * Saves text as a file through the browser's download machinery; under
 * Electron the same anchor click opens the native save dialog.
 */
export function downloadText(filename: string, text: string, mimeType: string): void {
  downloadBlob(filename, new Blob([text], { type: mimeType }))
}

export function downloadBlob(filename: string, blob: Blob): void {
  const url = URL.createObjectURL(blob)
  const anchor = document.createElement('a')
  anchor.href = url
  anchor.download = filename
  anchor.style.display = 'none'
  document.body.append(anchor)
  anchor.click()
  anchor.remove()
  // Revoking at once can cancel the download in some engines; give it a moment.
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
}

/** Saves a base64 data: URL (a chart rendered to PNG) as a file, through a blob like every other download. */
export function downloadDataUrl(filename: string, dataUrl: string): void {
  const comma = dataUrl.indexOf(',')
  const mimeType = /^data:([^;,]+)/.exec(dataUrl)?.[1] ?? 'application/octet-stream'
  const binary = atob(dataUrl.slice(comma + 1))
  const bytes = new Uint8Array(binary.length)
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i)
  downloadBlob(filename, new Blob([bytes], { type: mimeType }))
}
