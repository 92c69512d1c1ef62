/**
 * The contributor's workflow end to end on a blank catalog: import a DICOM
 * file (de-identified), crop and trim it over the player, label and licence
 * it, export the submission bundle, and check that the bundle is a dataset
 * folder whose CSV rows import cleanly into a fresh catalog.
 */
import { parse } from 'csv-parse/sync'
import { readFile, stat, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { expect, test } from './fixtures'
import { SubmissionPage } from './pages/SubmissionPage'
import { LICENSE_LINKS } from '../../src/shared/submissionContract'
import { callApi } from './support/api'
import { docsScreenshot } from './support/docsScreenshot'
import { makeTempDir, REPO_ROOT, startServe } from './support/serveProcess'
import { cliImport, unzipTo } from './support/submissionBundle'

const DICOM = path.resolve(REPO_ROOT, '../shared/dicom/US-PAL-8-10x-echo.dcm')
const LICENSE = 'CC BY 4.0'
const PROVENANCE = 'Data contributed by the LUS Review e2e test'

test.describe('submission', () => {
  test('a DICOM file is imported, cropped, trimmed, labelled and exported as a bundle that re-imports', async ({ catalogPage, emptyServer, page }) => {
    test.setTimeout(90_000)
    void catalogPage // its console-error check covers this test
    await callApi(emptyServer, 'settings/setUserName', { name: 'E2E Contributor' })
    const submission = new SubmissionPage(page)
    await submission.open(emptyServer.url)

    // 1. Import, de-identified, with the summary shown.
    const [name] = await submission.importDicom([DICOM], { probe: 'convex' })
    expect(name).toMatch(/^dicom_[0-9a-f]{12}$/)
    await expect(page.getByTestId('deid-summary')).toBeVisible()
    await expect(page.getByTestId('deid-patient-key')).toHaveText(/^P-[0-9a-f]{12}$/)

    // 2. Crop and trim over the player.
    await page.getByTestId('imported-edit').click()
    await submission.waitPlayerReady()
    await submission.drag([0.2, 0.15], [0.7, 0.75])
    const drawn = await submission.crop()
    expect(drawn, 'a square was drawn').not.toBeNull()
    const [top, left, size] = drawn ?? [0, 0, 0]
    expect(size).toBeGreaterThan(50)
    // Keyboard nudging on the focused square: 10 px right, 1 px down.
    await submission.cropBox.focus()
    await page.keyboard.press('Shift+ArrowRight')
    await page.keyboard.press('ArrowDown')
    await expect(submission.cropValue).toHaveText(`[${top + 1}, ${left + 10}, ${size}]`)

    // A crop outside the frame is refused by the backend, with its message.
    await page.getByTestId('crop-size').fill('5000')
    await page.getByTestId('crop-size').press('Enter')
    await submission.saveEdits()
    await expect(page.getByTestId('edits-error')).toContainText(/outside/)
    await page.getByTestId('crop-size').fill(String(size))
    await page.getByTestId('crop-size').press('Enter')

    // Trim: frames 2–8 (start 1 inclusive, end 8 exclusive).
    await page.getByTestId('step-forward').click()
    await expect(submission.player).toHaveAttribute('data-frame', '1')
    await page.getByTestId('trim-start').click()
    for (let i = 0; i < 6; i++) await page.getByTestId('step-forward').click()
    await expect(submission.player).toHaveAttribute('data-frame', '7')
    await page.getByTestId('trim-end').click()
    await expect(submission.trimValue).toHaveText('[1, 8]')
    // A mask over burned-in text, drawn anywhere on the frame.
    await page.getByTestId('tool-mask').check()
    await submission.drag([0.02, 0.02], [0.3, 0.1])
    await expect(page.getByTestId('mask-item')).toHaveCount(1)
    await page.getByTestId('tool-crop').check()
    await submission.saveEdits()
    await expect(page.getByTestId('edits-saved')).toContainText('Cropping')
    await expect(page.getByTestId('edits-saved')).toContainText('Artifact removal')
    await expect(page.getByTestId('edits-saved')).toContainText('frame subselection')
    await expect(page.getByTestId('edits-error')).toHaveCount(0)
    await docsScreenshot(page, path.join(REPO_ROOT, 'docs/screenshots/submission-crop.png'))

    // 3. Label (the review's label panel), licence and provenance.
    await submission.step('label')
    await submission.labels.root.locator('[data-testid="label-option"][data-value="covid"]').click()
    await submission.labels.expectSaved()
    await page.getByTestId('meta-license').selectOption(LICENSE)
    await page.getByTestId('meta-provenance').fill(PROVENANCE)
    await page.getByTestId('meta-type').selectOption('video')
    await page.getByTestId('meta-save').click()
    await expect(page.getByTestId('meta-saved')).toBeVisible()

    // 5. Validate and export.
    const temp = await makeTempDir()
    try {
      const zipPath = path.join(temp.dir, 'bundle.zip')
      await submission.step('bundle')
      await page.getByTestId('bundle-source').fill('e2e')
      await page.getByTestId('bundle-out').fill(zipPath)
      await page.getByTestId('bundle-export').click()
      await expect(page.getByTestId('bundle-validation')).toHaveAttribute('data-ok', 'true')
      await expect(page.getByTestId('bundle-result')).toBeVisible({ timeout: 60_000 })
      await expect(page.getByTestId('bundle-path')).toHaveText(zipPath)
      expect((await stat(zipPath)).size).toBeGreaterThan(0)

      // The bundle is a dataset folder: CSV, media under pocus_videos/<probe>/, crop.json.
      const dir = path.join(temp.dir, 'unpacked')
      const files = await unzipTo(zipPath, dir)
      expect(files).toContain('dataset_metadata.csv')
      expect(files).toContain('pocus_videos/convex/Cov_e2e_1.mp4')
      const rows = parse(await readFile(path.join(dir, 'dataset_metadata.csv'), 'utf8'), { columns: true, bom: true }) as Record<string, string>[]
      expect(rows).toHaveLength(1)
      const row = rows[0] ?? {}
      expect(row['Filename']).toBe('Cov_e2e_1')
      expect(row['Label']).toBe('COVID-19')
      expect(row['License']).toBe(LICENSE)
      expect(row['URL (Video Name)']).toBe(PROVENANCE)
      expect(row['ChangesMade']).toContain('Cropping')
      expect(files).toContain('crop.json')
      const cropJson = JSON.parse(await readFile(path.join(dir, 'crop.json'), 'utf8')) as Record<string, unknown>
      expect(Object.values(cropJson)).toContainEqual([[top + 1, left + 10, size], [1, 8]])
      expect(row['Length (frames)']).toBe('7')
      expect(row['Resolution']).toContain(String(size))

      // The CSV rows re-import cleanly into a fresh catalog, linked to their media.
      const fresh = path.join(temp.dir, 'fresh.db')
      const imported = await cliImport(dir, fresh)
      expect(imported.code, `${imported.stdout}\n${imported.stderr}`).toBe(0)
      const server = await startServe(fresh)
      try {
        const { entries } = await callApi(server, 'catalog/list', {})
        const entry = entries.find((e) => e.filename === 'Cov_e2e_1')
        expect(entry, 'the bundled row is in the fresh catalog').toBeDefined()
        expect(entry?.mediaStatus).toBe('linked')
        expect(entry?.label).toBe('covid')
        expect(entry?.license).toBe(LICENSE)
      } finally {
        await server.stop()
      }
    } finally {
      await temp.remove()
    }
  })

  test('the submission view opens on an empty catalog and shows backend errors as they are', async ({ catalogPage, emptyServer, page }) => {
    void catalogPage
    const submission = new SubmissionPage(page)
    await submission.open(emptyServer.url)
    await expect(page.getByTestId('dicom-paths')).toBeVisible()
    // A file that does not exist: the job fails or lists it as not imported, with the backend's reason.
    await page.getByTestId('dicom-paths').fill(path.join(REPO_ROOT, 'does-not-exist.dcm'))
    await page.getByTestId('dicom-import').click()
    await expect(page.getByTestId('submission-job-error').or(page.getByTestId('import-failures'))).toContainText(/does-not-exist|not found|no such/i)
  })

  test('validation errors block the export, and a bundle with patient data is refused with what was found', async ({ catalogPage, emptyServer, page }) => {
    test.setTimeout(90_000)
    void catalogPage
    const temp = await makeTempDir()
    try {
      // The sample with a patient name planted in its header (same length, so the file stays valid).
      const original = await readFile(DICOM)
      const planted = Buffer.from(original.toString('latin1').replaceAll('Anonymized', 'DOE^JOHNNY'), 'latin1')
      const dicom = path.join(temp.dir, 'planted.dcm')
      await writeFile(dicom, planted)
      await callApi(emptyServer, 'settings/setUserName', { name: 'E2E Contributor' })
      const submission = new SubmissionPage(page)
      await submission.open(emptyServer.url)
      const [name] = await submission.importDicom([dicom])

      // No label, probe, licence or provenance yet: validation lists the errors and nothing is exported.
      await submission.step('bundle')
      await page.getByTestId('bundle-out').fill(path.join(temp.dir, 'blocked.zip'))
      await page.getByTestId('bundle-validate').click()
      await expect(page.getByTestId('bundle-validation')).toHaveAttribute('data-ok', 'false')
      await expect(page.getByTestId('bundle-errors')).toContainText('License')
      await expect(page.getByTestId('bundle-errors')).toContainText(name ?? '')

      // Everything required, and the patient's name in a comment: the scan blocks the export.
      const { entries } = await callApi(emptyServer, 'catalog/list', {})
      const entry = entries.find((e) => e.filename === name)
      if (!entry) throw new Error(`${name} is not in the catalog`)
      await callApi(emptyServer, 'catalog/update', {
        id: entry.id,
        cells: {
          Label: 'COVID-19',
          Probe: 'convex',
          Type: 'video',
          License: LICENSE,
          LinkToLicense: LICENSE_LINKS[LICENSE],
          'URL (Video Name)': PROVENANCE,
          'Comments first medical doctor (MD1)': 'Seen with Johnny Doe'
        }
      })
      await page.getByTestId('bundle-export').click()
      await expect(page.getByTestId('bundle-validation')).toHaveAttribute('data-ok', 'true')
      const phi = page.getByTestId('bundle-phi')
      await expect(phi).toBeVisible({ timeout: 60_000 })
      await expect(phi.getByTestId('bundle-phi-finding').first()).toContainText('dataset_metadata.csv')
      await expect(phi).toContainText('Comments first medical doctor (MD1)')
      await expect(phi).not.toContainText(/johnny/i)
      await expect(page.getByTestId('bundle-result')).toHaveCount(0)
      await expect(stat(path.join(temp.dir, 'blocked.zip'))).rejects.toThrow()
    } finally {
      await temp.remove()
    }
  })
})
