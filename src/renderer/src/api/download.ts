/**
 * Saves text as a file through the browser's download machinery; under
 * Electron the same anchor click opens the native save dialog.
 */
export function downloadText(filename: string, text: string, mimeType: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: mimeType }))
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
