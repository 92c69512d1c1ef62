/**
 * The one helper through which a link leaves the app for the system browser
 * (Electron checklist: shell.openExternal only for trusted schemes).
 */
export function isSafeExternalUrl(url: string): boolean {
  try {
    const u = new URL(url)
    return (u.protocol === 'https:' || u.protocol === 'http:') && u.username === '' && u.password === ''
  } catch {
    return false
  }
}
