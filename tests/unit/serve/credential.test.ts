import { createServer, type Server } from 'node:net'
import { describe, expect, it } from 'vitest'
import { UserError } from '../../../src/main/errors'
import { checkServeToken, credentialHostName, listenError, sameOriginPath } from '../../../src/main/serve/credential'

describe('credentialHostName', () => {
  it('makes a fresh lus-<16 hex>.localhost name for each run on a loopback address a *.localhost name reaches', () => {
    for (const bind of ['127.0.0.1', 'localhost', 'LOCALHOST', '::1']) {
      const a = credentialHostName(bind)
      const b = credentialHostName(bind)
      expect(a, bind).toMatch(/^lus-[0-9a-f]{16}\.localhost$/)
      expect(a, bind).not.toBe(b)
    }
  })

  it('gives none for an address a *.localhost name does not reach (the cookie then stays on the address)', () => {
    for (const bind of ['127.0.0.2', '0.0.0.0', '::', '192.168.1.10', 'example.com']) expect(credentialHostName(bind), bind).toBeNull()
  })
})

describe('checkServeToken', () => {
  it('accepts 32+ characters of base64url or hex', () => {
    for (const t of ['0123456789abcdef0123456789abcdef', 'Zq3_-kP9xYtB2mWv8LcN4rHs7DjFe1Ga', 'f'.repeat(8) + 'abcdef0123456789'.repeat(3)])
      expect(() => checkServeToken(t), t).not.toThrow()
  })

  it.each([
    ['short', 'it has 5 characters'],
    ['x'.repeat(31), 'it has 31 characters'],
    ['a'.repeat(64), 'it repeats too few characters'],
    ['abcde'.repeat(8), 'it repeats too few characters'],
    ['0123456789abcdef0123456789abcde=', "it has characters other than letters, digits, '-' and '_'"],
    ['0123456789abcdef 0123456789abcdef', "it has characters other than letters, digits, '-' and '_'"],
    ['0123456789abcdef0123456789abcdé0', "it has characters other than letters, digits, '-' and '_'"],
    ['ab12'.repeat(129) + 'cdef', 'it is longer than 512 characters']
  ])('refuses %j with a UserError saying why and what to do', (token, why) => {
    let err: unknown
    try {
      checkServeToken(token)
    } catch (e) {
      err = e
    }
    expect(err).toBeInstanceOf(UserError)
    const message = (err as Error).message
    expect(message).toContain(`too weak to protect serve mode: ${why}.`)
    expect(message).toContain('Nothing was started.')
    expect(message).toContain('Leave --token out')
    expect(message).not.toContain(token)
  })
})

describe('sameOriginPath', () => {
  it('collapses leading slashes and backslashes to one slash', () => {
    expect(sameOriginPath('//evil.example', '')).toBe('/evil.example')
    expect(sameOriginPath('/\\evil.example', '?a=1')).toBe('/evil.example?a=1')
    expect(sameOriginPath('\\/\\//evil.example/x', '')).toBe('/evil.example/x')
  })

  it('keeps an ordinary path, an empty one and encoded slashes (which a browser never reads as a host)', () => {
    expect(sameOriginPath('/catalog/view', '?x=1')).toBe('/catalog/view?x=1')
    expect(sameOriginPath('/', '')).toBe('/')
    expect(sameOriginPath('', '')).toBe('/')
    expect(sameOriginPath('/%2F%2Fevil.example', '')).toBe('/%2F%2Fevil.example')
  })

  it('never yields a Location a browser resolves to another origin', () => {
    for (const p of ['//evil.example', '///evil.example', '/\\evil.example', '\\\\evil.example', '/%2F%2Fevil.example', '/%5C%5Cevil.example'])
      expect(new URL(sameOriginPath(p, ''), 'http://lus-0.localhost:1').origin, p).toBe('http://lus-0.localhost:1')
  })
})

describe('listenError', () => {
  const errno = (code: string): NodeJS.ErrnoException => Object.assign(new Error(`listen ${code}`), { code })

  it('says which port is in use, that nothing started, and what to do', async () => {
    const busy: Server = createServer()
    await new Promise<void>((ok) => busy.listen(0, '127.0.0.1', ok))
    const port = (busy.address() as { port: number }).port
    try {
      // The real error of a second listen on the same port, as startServer meets it.
      const real = await new Promise<unknown>((ok) => {
        const second = createServer()
        second.once('error', ok)
        second.listen(port, '127.0.0.1', () => ok(null))
      })
      const mapped = listenError(real, '127.0.0.1', port)
      expect(mapped).toBeInstanceOf(UserError)
      expect((mapped as Error).message).toMatch(new RegExp(`^Port ${port} is in use on 127\\.0\\.0\\.1: .* Nothing was started\\. .*--port 0`))
    } finally {
      await new Promise((ok) => busy.close(ok))
    }
  })

  it('maps EACCES and EADDRNOTAVAIL, and passes anything else through untouched', () => {
    expect((listenError(errno('EACCES'), '127.0.0.1', 80) as Error).message).toMatch(/^Not allowed to listen on port 80 of 127\.0\.0\.1 .* Nothing was started\./)
    expect(listenError(errno('EACCES'), '127.0.0.1', 80)).toBeInstanceOf(UserError)
    expect((listenError(errno('EADDRNOTAVAIL'), '192.0.2.1', 0) as Error).message).toMatch(/^192\.0\.2\.1 is not an address of this machine/)
    const other = errno('EMFILE')
    expect(listenError(other, '127.0.0.1', 1)).toBe(other)
  })
})
