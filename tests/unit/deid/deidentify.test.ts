/**
 * De-identification of the two shared samples: every Basic Profile
 * attribute they hold is removed or replaced, nothing identifying reaches
 * the summary, and the keyed digests find the removed values again.
 */
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { DataSet } from 'dicom-parser'
import { profileAction, formatTag } from '../../../src/main/deid/basicProfile'
import { deidentify, parseAge } from '../../../src/main/deid/deidentify'
import { keysFromSecret, patientKey, replaceUid } from '../../../src/main/deid/keys'
import { PhiMatcher, phrasesOf } from '../../../src/main/deid/phiTokens'
import { imageInfo } from '../../../src/main/dicom/imageInfo'
import { readDicomFile } from '../../../src/main/dicom/readDicom'
import { SHARED_DICOM } from '../../helpers/paths'

const keys = keysFromSecret(Buffer.alloc(32, 1))
const otherKeys = keysFromSecret(Buffer.alloc(32, 2))
const SAMPLES = ['US-PAL-8-10x-echo.dcm', 'xa-jpeg-baseline-96f.dcm'] as const

/** Every element of a dataset, nested ones included, with its decoded text value. */
function allElements(ds: DataSet, prefix = ''): { path: string; tag: string; value: string | null }[] {
  const out: { path: string; tag: string; value: string | null }[] = []
  for (const [key, el] of Object.entries(ds.elements)) {
    const tag = key.slice(1).toUpperCase()
    const path = `${prefix}${formatTag(tag)}`
    const value = el.items ? null : Buffer.from(ds.byteArray.subarray(el.dataOffset, el.dataOffset + el.length)).toString('latin1').replace(/[\0 ]+$/, '')
    out.push({ path, tag, value })
    el.items?.forEach((item, i) => item.dataSet && out.push(...allElements(item.dataSet, `${path}[${i + 1}]`)))
  }
  return out
}

function run(name: (typeof SAMPLES)[number], k = keys) {
  const parsed = readDicomFile(join(SHARED_DICOM, name))
  return { parsed, result: deidentify(parsed, imageInfo(parsed), k) }
}

describe.each(SAMPLES)('%s', (name) => {
  it('removes or replaces every Basic Profile attribute present', () => {
    const { parsed, result } = run(name)
    const byPath = new Map(result.summary.report.map((r) => [r.tag, r]))
    const listed = allElements(parsed.dataSet).filter((e) => {
      const a = profileAction(e.tag)
      return a !== null && a.action !== 'K'
    })
    expect(listed.length).toBeGreaterThan(5)
    for (const e of listed) {
      // Nested attributes of a sequence removed whole go with it.
      const item = byPath.get(e.path) ?? [...byPath.values()].find((r) => e.path.startsWith(`${r.tag}[`) && r.action === 'removed')
      expect(item, `${e.path} should be in the report`).toBeDefined()
      expect(['removed', 'uid-replaced', 'retained'], `${e.path}`).toContain(item!.action)
    }
  })

  it('carries no identifying value into the summary', () => {
    const { parsed, result } = run(name)
    const text = JSON.stringify(result.summary)
    const identifying = allElements(parsed.dataSet).filter((e) => {
      const a = profileAction(e.tag)
      return a !== null && a.action !== 'K' && e.value !== null && e.value.length >= 4 && !/^\d{1,3}$/.test(e.value) && !['00100040', '00101010'].includes(e.tag)
    })
    expect(identifying.length).toBeGreaterThan(3)
    for (const e of identifying) {
      // Private binary blobs are not text; check only printable values.
      if (!/^[\x20-\x7e]+$/.test(e.value!)) continue
      expect(text.includes(e.value!), `${e.path} "${e.value}" leaked`).toBe(false)
    }
  })

  it('replaces UIDs consistently and keys the patient with the local secret', () => {
    const a = run(name).result
    const b = run(name).result
    const c = run(name, otherKeys).result
    expect(a.summary.studyUid).toMatch(/^2\.25\.\d+$/)
    expect(a.summary.studyUid).toBe(b.summary.studyUid)
    expect(a.patientKey).toBe(b.patientKey)
    expect(c.patientKey).not.toBe(a.patientKey)
    expect(c.summary.studyUid).not.toBe(a.summary.studyUid)
    expect(a.patientKey).toMatch(/^P-[0-9a-f]{12}$/)
  })
})

describe('the XA sample (patient "Rubo DEMO", ID 556342B)', () => {
  const { result } = run('xa-jpeg-baseline-96f.dcm')
  const report = new Map(result.summary.report.map((r) => [r.tag, r]))

  it('names each removal with the profile action', () => {
    expect(report.get('(0010,0010)')).toMatchObject({ name: "Patient's Name", profileAction: 'Z', action: 'removed' })
    expect(report.get('(0010,0020)')).toMatchObject({ name: 'Patient ID', action: 'removed' })
    expect(report.get('(0010,0030)')).toMatchObject({ name: "Patient's Birth Date", action: 'removed' })
    expect(report.get('(0008,0080)')).toMatchObject({ name: 'Institution Name', action: 'removed' })
    expect(report.get('(0008,1050)')).toMatchObject({ action: 'removed' })
    expect(report.get('(0008,2112)')).toMatchObject({ name: 'Source Image Sequence', profileAction: 'X/Z/U*', action: 'removed' })
    expect(report.get('(0020,000D)')).toMatchObject({ action: 'uid-replaced' })
    expect(report.get('(0009,1002)')).toMatchObject({ name: 'Private attribute', action: 'removed' })
    expect(report.get('(5000,3000)')).toMatchObject({ name: 'Curve Data', action: 'removed' })
    expect(report.get('(0010,0040)')).toMatchObject({ action: 'retained' })
    expect(result.summary.patient).toEqual({ sex: 'M', ageYears: null })
  })

  it('keys the patient by the HMAC of the patient ID', () => {
    expect(result.patientKey).toBe(patientKey(keys, '', '556342B'))
    expect(result.summary.studyUid).toBe(replaceUid(keys, '1.3.12.2.1107.5.4.3.123456789012345.19950922.121803.6'))
  })

  it('keeps digests that find the name, ID and birth date in free text', () => {
    const m = new PhiMatcher(keys, result.phi)
    expect(m.find('Seen by Dr. X; patient Rubo Demo, follow-up')?.kind).toBe('patient name')
    expect(m.find('DEMO^RUBO')?.kind).toBe('patient name')
    expect(m.find('id 556342B')?.kind).toBe('patient ID')
    expect(m.find('born 25.10.1995')?.kind).toBe('birth date')
    expect(m.find('1995-10-25')?.kind).toBe('birth date')
    expect(m.find('B-lines in the lower left lobe')).toBeNull()
    // Another installation's secret makes other digests.
    expect(new PhiMatcher(otherKeys, result.phi).find('Rubo Demo')).toBeNull()
  })
})

describe('helpers', () => {
  it('does not register placeholder names', () => {
    expect(phrasesOf('patient name', 'Anonymized')).toEqual([])
    expect(phrasesOf('patient name', 'DOE^JOHN')).toEqual([['doe', 'john'], ['john', 'doe'], ['john']])
  })
  it('reads DICOM ages in years', () => {
    expect(parseAge('045Y')).toBe(45)
    expect(parseAge('018M')).toBe(1)
    expect(parseAge('003W')).toBe(0)
    expect(parseAge('45')).toBeNull()
  })
})
