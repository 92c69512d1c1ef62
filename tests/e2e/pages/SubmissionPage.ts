import { expect, type Locator, type Page } from '@playwright/test'
import { LabelPanel } from './LabelPanel'

type Step = 'import' | 'edit' | 'label' | 'rebuild' | 'bundle'

/** The contributor's submission workflow (`#/submission`): import, crop and trim, label, rebuild, bundle. */
export class SubmissionPage {
  readonly root: Locator
  readonly player: Locator
  readonly overlay: Locator
  readonly cropBox: Locator
  readonly cropValue: Locator
  readonly trimValue: Locator
  readonly labels: LabelPanel

  constructor(readonly page: Page) {
    this.root = page.getByTestId('submission-view')
    this.player = page.getByTestId('player')
    this.overlay = page.getByTestId('crop-overlay')
    this.cropBox = page.getByTestId('crop-box')
    this.cropValue = page.getByTestId('crop-value')
    this.trimValue = page.getByTestId('trim-value')
    this.labels = new LabelPanel(page)
  }

  /** Opens the tokenized serve URL, then the Submission tab from the header. */
  async open(url: string): Promise<void> {
    await this.page.goto(url)
    await this.page.getByTestId('view-submission').click()
    await expect(this.root).toBeVisible()
  }

  async step(step: Step): Promise<void> {
    await this.page.getByTestId(`submission-step-${step}`).click()
  }

  /** Imports DICOM files by path and waits for the job to finish; returns the imported clip names. */
  async importDicom(paths: string[], meta: { label?: string; probe?: string; license?: string; provenance?: string } = {}): Promise<string[]> {
    await this.step('import')
    await this.page.getByTestId('dicom-paths').fill(paths.join('\n'))
    if (meta.label) await this.page.getByTestId('import-label').selectOption(meta.label)
    if (meta.probe) await this.page.getByTestId('import-probe').selectOption(meta.probe)
    if (meta.license) await this.page.getByTestId('import-license').selectOption(meta.license)
    if (meta.provenance) await this.page.getByTestId('import-provenance').fill(meta.provenance)
    await this.page.getByTestId('dicom-import').click()
    const items = this.page.getByTestId('imported-item')
    await expect(items.or(this.page.getByTestId('submission-job-error')).first()).toBeVisible({ timeout: 60_000 })
    await expect(this.page.getByTestId('submission-job-error')).toHaveCount(0)
    await expect(items).toHaveCount(paths.length)
    const names: string[] = []
    for (const item of await items.all()) names.push((await item.getAttribute('data-filename')) ?? '')
    return names
  }

  async waitPlayerReady(timeout = 60_000): Promise<void> {
    await expect(this.player).toHaveAttribute('data-state', 'ready', { timeout })
    await expect(this.overlay).toBeVisible()
  }

  /** Drags on the frame from one point to another, in fractions of the drawn picture. */
  async drag(from: [number, number], to: [number, number]): Promise<void> {
    const box = await this.overlay.boundingBox()
    if (box === null) throw new Error('the crop overlay is not on screen')
    await this.page.mouse.move(box.x + box.width * from[0], box.y + box.height * from[1])
    await this.page.mouse.down()
    await this.page.mouse.move(box.x + box.width * ((from[0] + to[0]) / 2), box.y + box.height * ((from[1] + to[1]) / 2), { steps: 4 })
    await this.page.mouse.move(box.x + box.width * to[0], box.y + box.height * to[1], { steps: 4 })
    await this.page.mouse.up()
  }

  /** The crop as the editor shows it: [top, left, size], or null. */
  async crop(): Promise<[number, number, number] | null> {
    const text = (await this.cropValue.textContent()) ?? ''
    const m = /\[(\d+), (\d+), (\d+)\]/.exec(text)
    return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : null
  }

  async frame(): Promise<number> {
    return Number(await this.player.getAttribute('data-frame'))
  }

  async saveEdits(): Promise<void> {
    await this.page.getByTestId('edits-save').click()
  }
}
