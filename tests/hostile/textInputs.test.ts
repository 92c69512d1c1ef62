/**
 * Hostile text inputs (issue #12, H4): CSV bytes that must survive a round
 * trip exactly, encodings that must be named, formulas hidden behind spaces
 * or in fullwidth forms, strings that are not well-formed Unicode, media
 * file names that are not UTF-8, and a DICOM whose header lies about its
 * VR encoding. Each case names the message it must produce; refusals leave
 * the catalog as it was, and accepted inputs beside them prove the
 * refusals are about what each case changed.
 */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { dispatch } from '../../src/main/api/dispatch'
import { createServices, type Services } from '../../src/main/app/services'
import { openCatalog, type CatalogDb } from '../../src/main/catalog/database'
import { parseDatasetCsv } from '../../src/main/dataset/csvCodec'
import { importDataset } from '../../src/main/dataset/datasetImport'
import { dicomInfo } from '../../src/main/dicom/dicomInfo'
import { keysFromSecret } from '../../src/main/deid/keys'
import { UserError } from '../../src/main/errors'
import { exportCsv } from '../../src/main/export/csvExport'
import { importDicomFile } from '../../src/main/submission/dicomImport'
import { CSV_COLUMNS } from '../../src/shared/vocabulary'
import { snapshotCatalog } from '../helpers/catalogSnapshot'
import { csvText, row } from '../helpers/fixtures'
import { tempDir } from '../helpers/paths'
import { pattern, pixelModule, TS } from '../unit/dicom/dicomBuilder'
import { mislabelledDicom } from '../unit/dicom/mislabelledDicom'
import { openSubmissionCatalog } from '../unit/submission/submissionCatalog'
import type { HostileCase } from './corpus'
import { csvWith, goodRows, writeFile } from './generators'

const probe = async (): Promise<{ frames: number; fps: null; width: number; height: number; durationS: null; codec: string }> => ({
  frames: 1,
  fps: null,
  width: 1,
  height: 1,
  durationS: null,
  codec: 'stub'
})

let tmp: ReturnType<typeof tempDir>
let db: CatalogDb
let services: Services
beforeAll(async () => {
  tmp = tempDir('lus-hostile-text-')
  db = openCatalog(join(tmp.path, 'catalog.db'))
  const good = join(tmp.path, 'good')
  writeFile(join(good, 'dataset_metadata.csv'), csvWith(goodRows()))
  await importDataset(db, good, { probe })
  services = createServices({ db, catalogPath: join(tmp.path, 'catalog.db'), transport: 'http', version: 'test', cacheDir: join(tmp.path, 'cache') })
  services.review.settings.setUserName('Hostile Tester')
})
afterAll(async () => {
  await services.close()
  db.close()
  tmp.cleanup()
})

/** Imports `csv` (alone in a new dataset folder) into a catalog of its own; returns that catalog. */
async function importAlone(id: string, csv: Buffer | string): Promise<CatalogDb> {
  const root = join(tmp.path, id)
  writeFile(join(root, 'dataset_metadata.csv'), csv)
  const own = openCatalog(join(tmp.path, `${id}.db`))
  await importDataset(own, root, { probe })
  return own
}

const text = csvWith(goodRows(), { delimiter: '\r\n', finalNewline: true })
const utf32 = (s: string, le: boolean): Buffer => {
  const cps = [...s].map((c) => c.codePointAt(0)!)
  const b = Buffer.alloc(cps.length * 4)
  cps.forEach((cp, i) => (le ? b.writeUInt32LE(cp, i * 4) : b.writeUInt32BE(cp, i * 4)))
  return b
}

interface RefusedCsv extends HostileCase {
  bytes: () => Buffer
}

const refusedCsvs: RefusedCsv[] = [
  {
    id: 'csv-utf16le-no-bom',
    domain: 'csv',
    description: 'the CSV saved as UTF-16 little-endian without a byte-order mark (was: "mixed line endings")',
    bytes: () => Buffer.from(text, 'utf16le'),
    expect: /is UTF-16 text; save it as UTF-8 and import again .*UTF-16 little-endian without a byte-order mark; nothing was imported/
  },
  {
    id: 'csv-utf16be-no-bom',
    domain: 'csv',
    description: 'the CSV saved as UTF-16 big-endian without a byte-order mark',
    bytes: () => Buffer.from(text, 'utf16le').swap16(),
    expect: /is UTF-16 text; .*UTF-16 big-endian without a byte-order mark/
  },
  {
    id: 'csv-utf32le-bom',
    domain: 'csv',
    description: 'the CSV saved as UTF-32 little-endian with its byte-order mark (was: "UTF-16")',
    bytes: () => utf32('\ufeff' + text, true),
    expect: /is UTF-32 text; save it as UTF-8 .*UTF-32 little-endian;/
  },
  {
    id: 'csv-utf32be-no-bom',
    domain: 'csv',
    description: 'the CSV saved as UTF-32 big-endian without a byte-order mark',
    bytes: () => utf32(text, false),
    expect: /is UTF-32 text; .*UTF-32 big-endian without a byte-order mark/
  }
]

describe('CSV encodings: named, the import refused, the catalog unchanged', () => {
  for (const c of refusedCsvs) {
    it(`${c.id}: ${c.description}`, async () => {
      const root = join(tmp.path, c.id)
      writeFile(join(root, 'dataset_metadata.csv'), c.bytes())
      const before = snapshotCatalog(db)
      const error = await importDataset(db, root, { probe }).then(
        () => null,
        (e: unknown) => e
      )
      expect(error).toBeInstanceOf(UserError)
      expect((error as Error).message).toMatch(c.expect)
      expect((error as Error).message).not.toMatch(/line endings/)
      expect(snapshotCatalog(db)).toBe(before)
    })
  }
})

describe('CSV bytes: an unedited import exports the file exactly', () => {
  const [h, a, b] = csvText(goodRows()).split('\r\n') as [string, string, string]
  const layouts: [string, string][] = [
    ['csv-blank-line-between-records', [h, a, '', b].join('\r\n')],
    ['csv-second-trailing-newline', [h, a, b].join('\r\n') + '\r\n\r\n'],
    ['csv-blank-lines-lf', [h, '', a, '', '', b].join('\n') + '\n\n']
  ]
  for (const [id, source] of layouts) {
    it(`${id}: exported byte for byte (was: 2 bytes short per blank line)`, async () => {
      const own = await importAlone(id, source)
      try {
        const out = exportCsv(own)
        expect(out.rows).toBe(2)
        expect(out.bytes.toString('latin1')).toBe(Buffer.from(source).toString('latin1'))
      } finally {
        own.close()
      }
    })
  }
})

describe('formulas behind spaces and in fullwidth forms are neutralised on export', () => {
  const cells: [string, string][] = [
    ['csv-formula-leading-spaces', '  =1+1'],
    ['csv-formula-nbsp', '\u00a0=1+1'],
    ['csv-formula-ideographic-space', '\u3000+cmd|calc'],
    ['csv-formula-zero-width-space', '\u200b@SUM(A1)'],
    ['csv-formula-fullwidth-equals', '＝1+1'],
    ['csv-formula-fullwidth-plus', '＋cmd|calc'],
    ['csv-formula-fullwidth-minus', '－2+3'],
    ['csv-formula-fullwidth-at', '＠SUM(A1)']
  ]
  const title = CSV_COLUMNS.indexOf('Title')
  it(`${cells.map(([id]) => id).join(', ')}: each cell gets a leading quote, its neighbours stay byte-identical`, async () => {
    const rows = [row('plain', { Title: ' Chest ultrasound' }), ...cells.map(([id, cell]) => row(id, { Title: cell })), row('neg', { Age: ' -5' })]
    const own = await importAlone('formulas', csvText(rows))
    try {
      const out = exportCsv(own)
      expect(out.neutralizedCells).toBe(cells.length)
      const recs = parseDatasetCsv(out.bytes).records
      expect(recs.slice(1, -1).map((r) => r.cells[title])).toEqual(cells.map(([, cell]) => `'${cell}`))
      const source = parseDatasetCsv(Buffer.from(csvText(rows))).records
      expect(recs[0]!.raw).toBe(source[0]!.raw)
      expect(recs.at(-1)!.raw).toBe(source.at(-1)!.raw)
    } finally {
      own.close()
    }
  })
})

describe('media file names that are not UTF-8', () => {
  it('media-name-not-utf8: flagged by its escaped name, the rest of the folder imported (was: ENOENT lstat, exit 70)', async () => {
    const root = join(tmp.path, 'bad-name')
    writeFile(join(root, 'dataset_metadata.csv'), csvWith(goodRows()))
    writeFile(join(root, 'pocus_videos/convex/clip-a.mp4'), 'a')
    // The name's bytes: "x", 0xff (in no UTF-8 sequence), ".mp4".
    writeFileSync(Buffer.concat([Buffer.from(join(root, 'pocus_videos/convex/x')), Buffer.from([0xff]), Buffer.from('.mp4')]), 'b')
    const own = openCatalog(join(tmp.path, 'bad-name.db'))
    try {
      const report = await importDataset(own, root, { probe })
      expect(report.linked).toBe(1)
      expect(report.unreadable).toEqual([{ file: 'pocus_videos/convex/x\\xff.mp4', error: expect.stringMatching(/its name is not valid UTF-8 .*Rename it/) }])
    } finally {
      own.close()
    }
  })
})

describe('strings that are not well-formed Unicode', () => {
  const cases: (HostileCase & { args: () => unknown })[] = [
    {
      id: 'api-lone-surrogate-cell',
      domain: 'api',
      description: 'an edit whose text holds a lone high surrogate',
      args: () => ({ id: services.repository.list()[0]!.id, cells: { Title: 'B-lines \ud83d' } }),
      expect: /^Invalid arguments for catalog\/update: the text at cells\.Title is not well-formed Unicode .*Nothing was changed/
    },
    {
      id: 'api-lone-surrogate-key',
      domain: 'api',
      description: 'a cell name holding a lone low surrogate',
      args: () => ({ id: services.repository.list()[0]!.id, cells: { ['Title\udc00']: 'x' } }),
      expect: /at cells\.Title\ufffd \(its name\) is not well-formed Unicode/
    }
  ]
  for (const c of cases) {
    it(`${c.id}: ${c.description}`, async () => {
      const before = snapshotCatalog(db)
      const r = await dispatch(services.handlers, 'catalog/update', c.args())
      expect(r.ok).toBe(false)
      const error = (r as { ok: false; error: { code: string; message: string } }).error
      expect(error.code).toBe('invalid_request')
      expect(error.message).toMatch(c.expect)
      expect(snapshotCatalog(db)).toBe(before)
    })
  }

  it('the same edit, well-formed (an emoji is a surrogate pair), is stored', async () => {
    const id = services.repository.list()[0]!.id
    expect(await dispatch(services.handlers, 'catalog/update', { id, cells: { Title: 'B-lines 🫁' } })).toMatchObject({ ok: true })
  })
})

describe('a DICOM whose header says Explicit VR over Implicit VR data', () => {
  const message = /^liar\.dcm is not a readable DICOM file: its file meta header says Explicit VR Little Endian \(1\.2\.840\.10008\.1\.2\.1\), but its data set is written in Implicit VR Little Endian/
  const elements = pixelModule({ rows: 4, columns: 4, photometric: 'MONOCHROME2' })

  it('dicom-implicit-as-explicit: dicom-info answers with the mismatch, the import refuses it, nothing is kept', async () => {
    const file = join(tmp.path, 'liar.dcm')
    writeFile(file, mislabelledDicom(TS.explicit, elements, pattern(16)))
    expect(() => dicomInfo(file)).toThrow(UserError)
    expect(() => dicomInfo(file)).toThrow(message)
    const sub = openSubmissionCatalog(join(tmp.path, 'submission.db'))
    try {
      const before = snapshotCatalog(sub)
      const error = await importDicomFile(sub, file, { catalogPath: join(tmp.path, 'submission.db'), keys: keysFromSecret(Buffer.alloc(32, 7)) }).then(
        () => null,
        (e: unknown) => e
      )
      expect(error).toBeInstanceOf(UserError)
      expect((error as Error).message).toMatch(message)
      expect(snapshotCatalog(sub)).toBe(before)
    } finally {
      sub.close()
    }
  })

  it('the same data labelled Implicit VR is read', () => {
    const file = join(tmp.path, 'honest.dcm')
    writeFile(file, mislabelledDicom(TS.implicit, elements, pattern(16)))
    expect(dicomInfo(file)).toMatchObject({ rows: 4, columns: 4, importable: true })
  })
})
