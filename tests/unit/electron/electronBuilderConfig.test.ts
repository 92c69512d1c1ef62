import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { validateConfiguration } from 'app-builder-lib/out/util/config/config'
import { DebugLogger } from 'builder-util'
import type { Configuration } from 'app-builder-lib'
import { describe, expect, it } from 'vitest'
import { REPO_ROOT } from '../../helpers/paths'

// Packaging needs the Electron binary, which our build machines cannot download:
// the configuration is validated here against electron-builder's own schema instead.
const config = JSON.parse(readFileSync(join(REPO_ROOT, 'electron-builder.json'), 'utf8')) as Configuration & Record<string, unknown>

describe('electron-builder configuration', () => {
  it('passes electron-builder’s schema validation', async () => {
    const { $schema: _schema, ...rest } = config
    await expect(validateConfiguration(rest as Configuration, new DebugLogger(false))).resolves.toBeUndefined()
  })

  it('the validation does refuse a broken configuration', async () => {
    await expect(validateConfiguration({ ...(config as Configuration), electronFuses: { runAsNod: false } } as unknown as Configuration, new DebugLogger(false))).rejects.toThrow(/Invalid configuration object\. .*electronFuses/s)
  })

  it('builds AppImage and deb, NSIS and dmg', () => {
    expect(config.linux?.target).toEqual(['AppImage', 'deb'])
    expect(config.win?.target).toEqual(['nsis'])
    expect(config.mac?.target).toEqual(['dmg'])
  })

  it('rebuilds native modules (better-sqlite3) for Electron and keeps them outside the asar', () => {
    expect(config.npmRebuild).toBe(true)
    expect(config.asarUnpack).toContain('**/*.node')
  })

  it('bundles the model and ffmpeg as extra resources', () => {
    const extra = config.extraResources as { from: string; to: string }[]
    expect(extra.map((e) => e.to)).toEqual(['models', 'ffmpeg'])
    expect(existsSync(join(REPO_ROOT, extra[0]!.from))).toBe(true)
  })

  it('sets the security fuses (Electron checklist: fuses)', () => {
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false
    })
  })

  it('ships only the build output, no sources or tests (onnxruntime-web cut down: tests/unit/packaging)', () => {
    expect((config.files as string[]).slice(0, 3)).toEqual(['out/**', 'package.json', '!**/*.map'])
    expect((config.files as string[]).slice(3).every((p) => p.startsWith('!node_modules/onnxruntime-web/'))).toBe(true)
  })

  it('has the npm run dist script', () => {
    const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }
    expect(pkg.scripts['dist']).toBe('electron-vite build && node scripts/check-dist.mjs && electron-builder')
  })
})
