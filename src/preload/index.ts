/**
 * Exposes one function per API operation to the renderer. The renderer never
 * sees ipcRenderer; main validates every payload and the sender frame.
 */
import { contextBridge, ipcRenderer } from 'electron'
import { IPC_CHANNEL, OPERATION_NAMES } from '../shared/operations'

const api = Object.fromEntries(
  OPERATION_NAMES.map((op) => [op, (args: unknown) => ipcRenderer.invoke(IPC_CHANNEL, op, args)])
)

contextBridge.exposeInMainWorld('lus', api)
