import { describe, expect, it, vi } from 'vitest'
import { IPC_CHANNEL, OPERATION_NAMES } from '../../../src/shared/operations'

const exposed: Record<string, unknown> = {}
const invoke = vi.fn(async (..._args: unknown[]) => ({ ok: true, value: 'answer' }))

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, api: unknown) => (exposed[key] = api) },
  ipcRenderer: { invoke }
}))

describe('the preload (Electron checklist: expose no Electron API)', () => {
  it('exposes exactly one function per operation under window.lus, and nothing else', async () => {
    await import('../../../src/preload/index')
    expect(Object.keys(exposed)).toEqual(['lus'])
    const api = exposed['lus'] as Record<string, unknown>
    expect(Object.keys(api).sort()).toEqual([...OPERATION_NAMES].sort())
    for (const fn of Object.values(api)) expect(typeof fn).toBe('function')
    expect(Object.keys(api).filter((k) => /ipcRenderer|^send|^on[A-Z]?$|invoke/.test(k))).toEqual([])
  })

  it('forwards a call as one invoke on the single channel, with the operation name', async () => {
    const api = exposed['lus'] as Record<string, (args: unknown) => Promise<unknown>>
    await expect(api['catalog/get']!({ id: 3 })).resolves.toEqual({ ok: true, value: 'answer' })
    expect(invoke).toHaveBeenCalledWith(IPC_CHANNEL, 'catalog/get', { id: 3 })
  })
})
