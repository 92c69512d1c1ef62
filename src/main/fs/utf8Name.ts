/**
 * A file name read as bytes (readdir with encoding 'buffer'), as text. A name
 * that is not valid UTF-8 cannot be passed back as a string path: callers
 * show it escaped and leave the file alone instead.
 */
const strictUtf8 = new TextDecoder('utf-8', { fatal: true })

/** The name as text; null when its bytes are not valid UTF-8. */
export function utf8OrNull(bytes: Uint8Array): string | null {
  try {
    return strictUtf8.decode(bytes)
  } catch {
    return null
  }
}
