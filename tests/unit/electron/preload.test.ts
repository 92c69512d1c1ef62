import { describe, expect, it, vi } from 'vitest'
import { MENU_COMMAND_CHANNEL, OPEN_DROPPED_STUDY_CHANNEL, type DesktopBridge } from '../../../src/shared/desktopBridge'
import { IPC_CHANNEL, OPERATION_NAMES } from '../../../src/shared/operations'

const exposed: Record<string, unknown> = {}
const invoke = vi.fn(async (..._args: unknown[]) => ({ ok: true, value: 'answer' }))
const listeners = new Map<string, ((event: unknown, ...args: unknown[]) => void)[]>()
const getPathForFile = vi.fn((file: { name: string }) => `/dropped/${file.name}`)

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, api: unknown) => (exposed[key] = api) },
  ipcRenderer: {
    invoke,
    on: (channel: string, fn: (event: unknown, ...args: unknown[]) => void) => listeners.set(channel, [...(listeners.get(channel) ?? []), fn]),
    removeListener: (channel: string, fn: unknown) => listeners.set(channel, (listeners.get(channel) ?? []).filter((f) => f !== fn))
  },
  webUtils: { getPathForFile }
}))

describe('the preload (Electron checklist: expose no Electron API)', () => {
  it('exposes exactly one function per operation under window.lus, and the desktop functions under window.lusDesktop', async () => {
    await import('../../../src/preload/index')
    expect(Object.keys(exposed).sort()).toEqual(['lus', 'lusDesktop'])
    const api = exposed['lus'] as Record<string, unknown>
    expect(Object.keys(api).sort()).toEqual([...OPERATION_NAMES].sort())
    for (const fn of Object.values(api)) expect(typeof fn).toBe('function')
    expect(Object.keys(api).filter((k) => /ipcRenderer|^send|^on[A-Z]?$|invoke/.test(k))).toEqual([])
    const desktop = exposed['lusDesktop'] as Record<string, unknown>
    expect(Object.keys(desktop).sort()).toEqual(['onMenuCommand', 'openReaderStudy', 'pathForFile'])
    for (const fn of Object.values(desktop)) expect(typeof fn).toBe('function')
  })

  it('forwards a call as one invoke on the single channel, with the operation name', async () => {
    const api = exposed['lus'] as Record<string, (args: unknown) => Promise<unknown>>
    await expect(api['catalog/get']!({ id: 3 })).resolves.toEqual({ ok: true, value: 'answer' })
    expect(invoke).toHaveBeenCalledWith(IPC_CHANNEL, 'catalog/get', { id: 3 })
  })

  it('gives a dropped file’s path through webUtils', () => {
    const desktop = exposed['lusDesktop'] as DesktopBridge
    expect(desktop.pathForFile({ name: 'study.zip' } as File)).toBe('/dropped/study.zip')
  })

  it('passes on known menu commands only, without the event, until unsubscribed', () => {
    const desktop = exposed['lusDesktop'] as DesktopBridge
    const got: unknown[][] = []
    const stop = desktop.onMenuCommand((...args: unknown[]) => got.push(args))
    const emit = (...args: unknown[]): void => listeners.get(MENU_COMMAND_CHANNEL)!.forEach((fn) => fn({ sender: 'ipc event' }, ...args))
    emit('undo')
    emit('open-dataset')
    emit('rm -rf')
    emit({ toString: () => 'undo' })
    expect(got).toEqual([['undo'], ['open-dataset']])
    stop()
    expect(listeners.get(MENU_COMMAND_CHANNEL)).toEqual([])
  })

  it('asks main to open a dropped reader study on its own channel', async () => {
    const desktop = exposed['lusDesktop'] as DesktopBridge
    await desktop.openReaderStudy('/dropped/study.zip')
    expect(invoke).toHaveBeenLastCalledWith(OPEN_DROPPED_STUDY_CHANNEL, '/dropped/study.zip')
  })
})
