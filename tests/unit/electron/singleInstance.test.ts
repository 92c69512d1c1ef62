/**
 * A second launch of the app hands over to the first and quits, with a
 * stand-in for Electron's `app` (the binary cannot run here).
 */
import { describe, expect, it } from 'vitest'
import { claimSingleInstance, type FocusableWindow, type SingleInstanceApp } from '../../../src/main/electron/singleInstance'

function standIn(gotLock: boolean): SingleInstanceApp & { quits: number; emit: () => void } {
  const listeners: (() => void)[] = []
  return {
    quits: 0,
    requestSingleInstanceLock: () => gotLock,
    quit() {
      this.quits++
    },
    on: (_event, listener) => listeners.push(listener),
    emit: () => listeners.forEach((l) => l())
  }
}

function windowStandIn(minimized: boolean): FocusableWindow & { calls: string[] } {
  const calls: string[] = []
  return { calls, isMinimized: () => minimized, restore: () => calls.push('restore'), focus: () => calls.push('focus') }
}

describe('single instance', () => {
  it('the second instance quits and opens nothing', () => {
    const app = standIn(false)
    expect(claimSingleInstance(app, () => null)).toBe(false)
    expect(app.quits).toBe(1)
  })

  it('the first instance starts, and brings its window forward when launched again', () => {
    const app = standIn(true)
    let win: FocusableWindow | null = null
    expect(claimSingleInstance(app, () => win)).toBe(true)
    expect(app.quits).toBe(0)
    app.emit() // before the window exists: nothing to do, no error
    const minimized = windowStandIn(true)
    win = minimized
    app.emit()
    expect(minimized.calls).toEqual(['restore', 'focus'])
  })
})
