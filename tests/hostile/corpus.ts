/**
 * The hostile-input corpus: each case builds its input with a generator
 * (generators.ts, or the DICOM builder) and names the clear message LUS Review
 * must answer with; its runner also checks that the catalog is unchanged.
 *
 *   corpus.ts       csv-* and media-* (dataset folders)   run by hostile.test.ts
 *   dicomCases.ts   dicom-* (DICOM files to import)        run by dicom.test.ts
 *   bundleCases.ts  bundle-* (review bundles to import)    run by bundles.test.ts
 *   schemeCases.ts  scheme-* (app:// and lus-media:// requests)  run by scheme.test.ts
 *   hostile.test.ts api-* (payloads) and serve-* (HTTP requests), and the corpus-wide checks
 */
import { renameSync } from 'node:fs'
import { join } from 'node:path'
import { CSV_COLUMNS } from '../../src/shared/vocabulary'
import { makeClip } from '../helpers/fixtures'
import { csvWith, goodRows, hugePng, pngImage, truncatedMp4, writeFile } from './generators'

/** Every kind of input the corpus covers; each must have cases. */
export const DOMAINS = ['csv', 'media', 'dicom', 'bundle', 'api', 'serve', 'scheme'] as const
export type Domain = (typeof DOMAINS)[number]

/** What every case of every domain names. */
export interface HostileCase {
  /** Unique across the corpus, prefixed by the domain. */
  id: string
  domain: Domain
  /** What the input is, in a few words. */
  description: string
  /** The specific message (or for serve mode the response body) the input must be answered with. */
  expect: RegExp
}

export type CaseKind =
  /** Importing the folder must fail with `expect`, leaving the catalog unchanged. */
  | 'import-refused'
  /** Importing succeeds, but the named media file is flagged unreadable with `expect`. */
  | 'media-flagged'

export interface HostileDatasetCase extends HostileCase {
  domain: 'csv' | 'media'
  kind: CaseKind
  /** Writes the dataset folder under `root`. */
  build(root: string): void
  /** For media-flagged cases: the file expected to be flagged. */
  file?: string
}

const CSV = 'dataset_metadata.csv'
const header = CSV_COLUMNS.join(',')

export const datasetCases: HostileDatasetCase[] = [
  {
    id: 'csv-wrong-header',
    domain: 'csv',
    kind: 'import-refused',
    description: 'a column renamed',
    build: (r) => writeFile(join(r, CSV), csvWith(goodRows()).replace('Current location', 'Location')),
    expect: /line 1: the header is not the dataset's \(column 2 should be "Current location" but is "Location"\)/
  },
  {
    id: 'csv-missing-column',
    domain: 'csv',
    kind: 'import-refused',
    description: 'the last column dropped from every line',
    build: (r) => writeFile(join(r, CSV), csvWith(goodRows()).split('\r\n').map((l) => l.slice(0, l.lastIndexOf(','))).join('\r\n')),
    expect: /line 1: the header is not the dataset's/
  },
  {
    id: 'csv-foreign-file',
    domain: 'csv',
    kind: 'import-refused',
    description: 'some other CSV under the dataset name',
    build: (r) => writeFile(join(r, CSV), 'patient,diagnosis\r\n1,flu'),
    expect: /line 1: the header is not the dataset's/
  },
  {
    id: 'csv-ragged-long',
    domain: 'csv',
    kind: 'import-refused',
    description: 'a row with one field too many',
    build: (r) => writeFile(join(r, CSV), csvWith(goodRows()) + ',surplus'),
    expect: /line 3: expected 44 fields, found 45/
  },
  {
    id: 'csv-ragged-short',
    domain: 'csv',
    kind: 'import-refused',
    description: 'a row cut short',
    build: (r) => writeFile(join(r, CSV), `${header}\r\n20.04.20,pocus_videos/convex,clip-a`),
    expect: /line 2: expected 44 fields, found 3/
  },
  {
    id: 'csv-10mb-cell',
    domain: 'csv',
    kind: 'import-refused',
    description: 'a 10 MB comment cell',
    build: (r) => {
      const rows = goodRows()
      rows[1]!['Comments from web site'] = 'x'.repeat(10_000_000)
      writeFile(join(r, CSV), csvWith(rows))
    },
    expect: /line 3: the "Comments from web site" cell holds 10000000 characters, over the 1000000 allowed/
  },
  {
    id: 'csv-utf16',
    domain: 'csv',
    kind: 'import-refused',
    description: 'the CSV saved as UTF-16 with its byte order mark',
    build: (r) => writeFile(join(r, CSV), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(csvWith(goodRows()), 'utf16le')])),
    expect: /is UTF-16 text; save it as UTF-8/
  },
  {
    id: 'csv-mixed-line-endings',
    domain: 'csv',
    kind: 'import-refused',
    description: 'CRLF records with one LF record in between',
    build: (r) => {
      const lines = csvWith([...goodRows(), ...goodRows()]).split('\r\n')
      writeFile(join(r, CSV), `${lines[0]}\r\n${lines[1]}\n${lines.slice(2).join('\r\n')}`)
    },
    expect: /line 2: mixed line endings \(LF here, CRLF before\)/
  },
  {
    id: 'csv-latin1',
    domain: 'csv',
    kind: 'import-refused',
    description: 'a Latin-1 é in a comment',
    build: (r) => {
      const text = csvWith(goodRows()).replace('clip-b', 'clip-b-XX')
      const buf = Buffer.from(text)
      buf[buf.indexOf('XX')] = 0xe9
      writeFile(join(r, CSV), buf)
    },
    expect: /line 3: the file is not valid UTF-8/
  },
  {
    id: 'csv-binary',
    domain: 'csv',
    kind: 'import-refused',
    description: 'a PNG image saved as dataset_metadata.csv',
    build: (r) => hugePng(join(r, CSV), 16),
    expect: /not valid UTF-8/
  },
  {
    id: 'csv-empty',
    domain: 'csv',
    kind: 'import-refused',
    description: 'a zero-byte CSV',
    build: (r) => writeFile(join(r, CSV), ''),
    expect: /dataset_metadata\.csv is empty/
  },
  {
    id: 'csv-unterminated-quote',
    domain: 'csv',
    kind: 'import-refused',
    description: 'a quoted cell never closed',
    build: (r) => writeFile(join(r, CSV), csvWith(goodRows()) + '\r\n20.04.20,"never closed'),
    expect: /dataset_metadata\.csv.*[Qq]uote/
  },
  {
    id: 'csv-no-csv',
    domain: 'csv',
    kind: 'import-refused',
    description: 'a folder of videos without dataset_metadata.csv',
    build: (r) => makeClip(join(r, 'pocus_videos', 'convex', 'clip.mp4')),
    expect: /is not a dataset folder: dataset_metadata\.csv was not found/
  },
  {
    id: 'media-truncated-mp4',
    domain: 'media',
    kind: 'media-flagged',
    description: 'an mp4 cut to 40% of its bytes',
    file: 'pocus_videos/convex/clip-a.mp4',
    build: (r) => {
      writeFile(join(r, CSV), csvWith(goodRows()))
      truncatedMp4(join(r, 'pocus_videos/convex/clip-a.mp4'))
    },
    expect: /ffprobe could not read the file|truncated|damaged/
  },
  {
    id: 'media-zero-byte',
    domain: 'media',
    kind: 'media-flagged',
    description: 'an empty .mov',
    file: 'pocus_videos/convex/clip-a.mov',
    build: (r) => {
      writeFile(join(r, CSV), csvWith(goodRows()))
      writeFile(join(r, 'pocus_videos/convex/clip-a.mov'), '')
    },
    expect: /^zero-byte file$/
  },
  {
    id: 'media-wrong-extension',
    domain: 'media',
    kind: 'media-flagged',
    description: 'a PNG image named .mp4',
    file: 'pocus_videos/convex/clip-a.mp4',
    build: (r) => {
      writeFile(join(r, CSV), csvWith(goodRows()))
      pngImage(join(r, 'pocus_videos/convex/clip-a.mp4'))
    },
    expect: /single PNG image, not a video \(wrong extension \.mp4\)/
  },
  {
    id: 'media-video-as-image',
    domain: 'media',
    kind: 'media-flagged',
    description: 'an mp4 clip named .jpg',
    file: 'pocus_images/convex/clip-a.jpg',
    build: (r) => {
      writeFile(join(r, CSV), csvWith(goodRows()))
      makeClip(join(r, 'pocus_images/convex/clip-a.mp4'))
      renameSync(join(r, 'pocus_images/convex/clip-a.mp4'), join(r, 'pocus_images/convex/clip-a.jpg'))
    },
    expect: /holds 12 frames: a video with an image extension/
  },
  {
    id: 'media-huge-dimensions',
    domain: 'media',
    kind: 'media-flagged',
    description: 'a PNG header claiming 60000 × 60000 pixels',
    file: 'pocus_images/convex/clip-a.png',
    build: (r) => {
      writeFile(join(r, CSV), csvWith(goodRows()))
      hugePng(join(r, 'pocus_images/convex/clip-a.png'))
    },
    // ffprobe reads the header's size but also reports the (deliberately) short pixel data; either is a refusal.
    expect: /dimensions 60000×60000 exceed the 8192 px limit|damaged or truncated/
  },
  {
    id: 'media-garbage',
    domain: 'media',
    kind: 'media-flagged',
    description: 'random bytes named .avi',
    file: 'pocus_videos/convex/clip-a.avi',
    build: (r) => {
      writeFile(join(r, CSV), csvWith(goodRows()))
      writeFile(join(r, 'pocus_videos/convex/clip-a.avi'), Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 251)))
    },
    expect: /ffprobe could not read the file|no video or image stream/
  }
]
