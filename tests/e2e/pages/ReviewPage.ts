import { expect, type Locator, type Page } from '@playwright/test'
import { LabelPanel } from './LabelPanel'

/** The review workspace: player, timeline, key frames, and the side panel (labels, history, details). */
export class ReviewPage {
  readonly root: Locator
  readonly player: Locator
  readonly counter: Locator
  readonly filename: Locator
  readonly labels: LabelPanel
  readonly mediaAlert: Locator
  readonly relinkForm: Locator
  readonly history: Locator
  readonly nameDialog: Locator
  /** What undo or redo did, or will do on a second press, to the clip on screen. */
  readonly historyNotice: Locator
  readonly headerUndo: Locator
  readonly headerRedo: Locator
  /** The status bar's line about the last undo or redo. */
  readonly historyStep: Locator

  constructor(readonly page: Page) {
    this.root = page.getByTestId('review-view')
    this.player = page.getByTestId('player')
    this.counter = page.getByTestId('frame-counter')
    this.filename = page.getByTestId('review-filename')
    this.labels = new LabelPanel(page)
    this.mediaAlert = page.getByTestId('media-alert')
    this.relinkForm = page.getByTestId('relink-form')
    this.history = page.getByTestId('history-panel')
    this.nameDialog = page.getByTestId('user-name-dialog')
    this.historyNotice = page.getByTestId('history-notice')
    this.headerUndo = page.getByTestId('header-undo')
    this.headerRedo = page.getByTestId('header-redo')
    this.historyStep = page.getByTestId('history-step')
  }

  /** Opens a clip straight from its catalog id (the URL a reload comes back to). */
  async openById(entryId: number, filename: string): Promise<void> {
    // The hash route of the review; evaluated in the page (the test's own lib has no DOM).
    await this.page.evaluate(`window.location.hash = '#/review/${entryId}'`)
    await expect(this.filename).toHaveText(filename)
  }

  async setName(name: string): Promise<void> {
    await expect(this.nameDialog).toBeVisible()
    await this.nameDialog.getByTestId('user-name-input').fill(name)
    await this.nameDialog.getByTestId('user-name-save').click()
    await expect(this.nameDialog).toBeHidden()
  }

  /** Answers the first-start name dialog with "Not now": viewing needs no name. */
  async dismissNameDialog(): Promise<void> {
    const user = this.page.getByTestId('user-name')
    await expect(user).not.toHaveAttribute('data-state', 'loading')
    if ((await user.getAttribute('data-state')) === 'unset') {
      await expect(this.nameDialog).toBeVisible()
      await this.nameDialog.getByTestId('user-name-cancel').click()
      await expect(this.nameDialog).toBeHidden()
    }
  }

  /** Waits until the player shows the clip (a proxy may have to be made first). */
  async waitReady(timeout = 60_000): Promise<void> {
    await expect(this.player).toHaveAttribute('data-state', 'ready', { timeout })
  }

  async frame(): Promise<number> {
    return Number(await this.player.getAttribute('data-frame'))
  }

  /** The media time of the frame the browser last presented, as requestVideoFrameCallback reported it. */
  async presentedTime(): Promise<number | null> {
    const value = await this.player.getAttribute('data-presented-time')
    return value === null || value === '' ? null : Number(value)
  }

  async press(key: string): Promise<void> {
    await this.page.keyboard.press(key)
  }

  async showTab(tab: 'labels' | 'history' | 'details'): Promise<void> {
    await this.page.getByTestId(`tab-${tab}`).click()
  }

  historyRows(): Locator {
    return this.history.getByTestId('history-row')
  }
}
