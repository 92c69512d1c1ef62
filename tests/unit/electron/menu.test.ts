/**
 * The application menu as a template, built by a pure function and checked
 * with stand-ins (no Electron binary runs here): the items of each menu, the
 * commands they send to the page, developer tools only in development, and
 * a reader workstation's menu without a catalog command. Also About's facts,
 * gathered for real (SQLite, ffmpeg).
 */
import type { MenuItemConstructorOptions } from 'electron'
import { describe, expect, it } from 'vitest'
import { aboutVersions, ffmpegVersion, sqliteVersion } from '../../../src/main/electron/about'
import { ABOUT_LABEL, OPEN_READER_STUDY_LABEL, aboutDetail, appMenuTemplate, ffmpegVersionFrom, type AppMenuOptions } from '../../../src/main/electron/menu'
import type { MenuCommand } from '../../../src/shared/desktopBridge'

type Item = MenuItemConstructorOptions

function build(overrides: Partial<AppMenuOptions> = {}) {
  const calls: string[] = []
  const template = appMenuTemplate({
    platform: 'linux',
    developer: false,
    mode: 'catalog',
    onOpenReaderStudy: () => calls.push('open-reader-study'),
    sendCommand: (command: MenuCommand) => calls.push(`send:${command}`),
    openDocumentation: () => calls.push('documentation'),
    openLogsFolder: () => calls.push('logs'),
    showAbout: () => calls.push('about'),
    ...overrides
  })
  return { template, calls }
}

const submenu = (template: Item[], label: string): Item[] => {
  const menu = template.find((m) => m.label === label || (label === 'Help' && m.role === 'help'))
  if (!menu) throw new Error(`no ${label} menu`)
  return menu.submenu as Item[]
}
const labels = (items: Item[]): string[] => items.filter((i) => i.type !== 'separator').map((i) => i.label ?? `role:${i.role}`)
const allItems = (template: Item[]): Item[] => template.flatMap((m) => [m, ...((m.submenu as Item[] | undefined) ?? [])])
const click = (item: Item | undefined): void => (item!.click as () => void)()

describe('the application menu of the catalog app', () => {
  it('has File, Edit, View, Window and Help, in that order', () => {
    expect(build().template.map((m) => m.label ?? m.role)).toEqual(['File', 'Edit', 'View', 'windowMenu', 'help'])
  })

  it('File: open a dataset folder or a reader study, import DICOM, export CSV, backups, quit', () => {
    const { template, calls } = build()
    const file = submenu(template, 'File')
    expect(labels(file)).toEqual(['Open dataset folder…', OPEN_READER_STUDY_LABEL, 'Import DICOM…', 'Export CSV…', 'Backups…', 'role:quit'])
    for (const item of file) if (item.click) click(item)
    expect(calls).toEqual(['send:open-dataset', 'open-reader-study', 'send:import-dicom', 'send:export-csv', 'send:backups'])
    expect(file.find((i) => i.label === 'Open dataset folder…')!.accelerator).toBe('CmdOrCtrl+O')
  })

  it('Edit: undo and redo go to the app’s own undo (the page decides), beside the text roles', () => {
    const { template, calls } = build()
    const edit = submenu(template, 'Edit')
    expect(labels(edit)).toEqual(['Undo', 'Redo', 'role:cut', 'role:copy', 'role:paste', 'role:selectAll'])
    click(edit[0])
    click(edit[1])
    expect(calls).toEqual(['send:undo', 'send:redo'])
    // Shown, but left to the page's key handling, which knows a focused text field from the catalog.
    expect(edit.slice(0, 2).map((i) => [i.accelerator, i.registerAccelerator])).toEqual([
      ['CmdOrCtrl+Z', false],
      ['CmdOrCtrl+Shift+Z', false]
    ])
  })

  it('View: zoom and full screen; reload and developer tools only in development', () => {
    const production = submenu(build().template, 'View')
    expect(labels(production)).toEqual(['role:resetZoom', 'role:zoomIn', 'role:zoomOut', 'role:togglefullscreen'])
    const roles = (t: Item[]): string[] => allItems(t).map((i) => String(i.role ?? ''))
    for (const platform of ['linux', 'win32', 'darwin'] as const)
      for (const mode of ['catalog', 'reader'] as const) {
        expect(roles(build({ platform, mode }).template)).not.toContain('toggleDevTools')
        expect(roles(build({ platform, mode }).template)).not.toContain('reload')
      }
    expect(labels(submenu(build({ developer: true }).template, 'View'))).toEqual([
      'role:reload',
      'role:forceReload',
      'role:toggleDevTools',
      'role:resetZoom',
      'role:zoomIn',
      'role:zoomOut',
      'role:togglefullscreen'
    ])
  })

  it('Help: keyboard shortcuts, documentation, the logs folder and About', () => {
    const { template, calls } = build()
    const help = submenu(template, 'Help')
    expect(labels(help)).toEqual(['Keyboard shortcuts', 'Documentation', 'Open logs folder', ABOUT_LABEL])
    for (const item of help) if (item.click) click(item)
    expect(calls).toEqual(['send:shortcuts', 'documentation', 'logs', 'about'])
  })

  it('adds the app menu on macOS, and closes the window there instead of quitting', () => {
    const mac = build({ platform: 'darwin' }).template
    expect(mac[0]).toEqual({ role: 'appMenu' })
    expect(submenu(mac, 'File').map((i) => i.role).filter(Boolean)).toEqual(['close'])
  })
})

describe('the application menu of a reader workstation', () => {
  it('holds no catalog command: no dataset, DICOM, export, backups or shortcuts, and no catalog undo', () => {
    const { template, calls } = build({ mode: 'reader' })
    expect(labels(submenu(template, 'File'))).toEqual([OPEN_READER_STUDY_LABEL, 'role:quit'])
    // The text fields' own undo, not the catalog's audit trail.
    expect(labels(submenu(template, 'Edit'))).toEqual(['role:undo', 'role:redo', 'role:cut', 'role:copy', 'role:paste', 'role:selectAll'])
    expect(labels(submenu(template, 'Help'))).toEqual(['Documentation', 'Open logs folder', ABOUT_LABEL])
    for (const item of allItems(template)) if (item.click) click(item)
    expect(calls).toEqual(['open-reader-study', 'documentation', 'logs', 'about'])
    expect(calls.filter((c) => c.startsWith('send:'))).toEqual([])
  })
})

describe('About', () => {
  it('lists the app, Electron, Chromium, Node, SQLite, ffmpeg and model versions, one per line', () => {
    const text = aboutDetail({ app: '0.1.0', electron: '39.1.0', chromium: '142.0.1', node: '22.20.0', sqlite: '3.50.4', ffmpeg: '7.1', model: 'lus-mobilenet 1.0.0' })
    expect(text.split('\n')).toEqual([
      'LUS Review 0.1.0',
      'Electron 39.1.0',
      'Chromium 142.0.1',
      'Node 22.20.0',
      'SQLite 3.50.4',
      'ffmpeg 7.1',
      'Classifier model: lus-mobilenet 1.0.0'
    ])
    expect(aboutDetail({ app: '1', electron: 'e', chromium: 'c', node: 'n', sqlite: null, ffmpeg: null, model: null })).toContain('ffmpeg not found')
  })

  it('reads ffmpeg’s version from its banner', () => {
    expect(ffmpegVersionFrom('ffmpeg version 5.1.9-0+deb12u1 Copyright (c) 2000-2026 the FFmpeg developers\nbuilt with gcc')).toBe('5.1.9-0+deb12u1')
    expect(ffmpegVersionFrom('ffmpeg version n7.1 Copyright')).toBe('n7.1')
    expect(ffmpegVersionFrom('something else')).toBeNull()
  })

  it('gathers the versions for real: SQLite from better-sqlite3, ffmpeg from the binary, the model from its handler', async () => {
    expect(sqliteVersion()).toMatch(/^3\.\d+\.\d+$/)
    expect(await ffmpegVersion()).toMatch(/^\S+$/)
    expect(await ffmpegVersion('/nonexistent/ffmpeg')).toBeNull()
    const model = {
      available: true,
      error: null,
      model: { name: 'lus-net', version: '2.1.0' }
    } as never
    const v = await aboutVersions({ app: '0.1.0', versions: { node: '20.20.0', electron: '39.0.0', chrome: '142.0' }, modelInfo: () => model })
    expect(v).toMatchObject({ app: '0.1.0', node: '20.20.0', electron: '39.0.0', chromium: '142.0', model: 'lus-net 2.1.0' })
    expect(v.sqlite).toBe(sqliteVersion())
    const reader = await aboutVersions({ app: '0.1.0', versions: { node: '20' } })
    expect(reader.model).toBe('not used on a reader workstation')
    expect(reader.electron).toBe('not running in Electron')
    const none = await aboutVersions({ app: '0.1.0', versions: {}, modelInfo: () => ({ available: false, error: 'No model file.', model: null }) })
    expect(none.model).toBe('none (No model file.)')
  })
})
