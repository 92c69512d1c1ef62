/**
 * `lus-review sets` and `lus-review reader-bundle`: the command functions
 * called directly (output captured), and through the CLI entry point for
 * dispatch, --help and exit codes.
 */
import { spawnSync } from 'node:child_process'
import { readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openCatalog } from '../../../src/main/catalog/database'
import { runReaderBundleCommand } from '../../../src/main/cli/readerBundleCommand'
import { runSetsCommand } from '../../../src/main/cli/setsCommand'
import { importDataset } from '../../../src/main/dataset/datasetImport'
import { UserError } from '../../../src/main/errors'
import { studyManifestSchema } from '../../../src/main/ratings/readerBundle/readerFormats'
import type { ReviewSet } from '../../../src/shared/ratingsContract'
import { csvText, makeClip, row } from '../../helpers/fixtures'
import { REPO_ROOT, tempDir } from '../../helpers/paths'
import { unzipTo } from '../ratings/unzip'

let dir: ReturnType<typeof tempDir>
let catalog: string
const homeBefore = process.env.LUS_REVIEW_HOME

function io(): { log: (l: string) => void; error: (l: string) => void; out: string[]; err: string[] } {
  const out: string[] = []
  const err: string[] = []
  return { log: (l) => out.push(l), error: (l) => err.push(l), out, err }
}

beforeAll(async () => {
  dir = tempDir('lus-cli-reader-')
  // The media cache of the commands' playback service lives in the user-data folder.
  process.env.LUS_REVIEW_HOME = join(dir.path, 'home')
  const root = join(dir.path, 'ds')
  makeClip(join(root, 'pocus_videos', 'linear', 'Cov_one.mp4'), { frames: 8 })
  makeClip(join(root, 'pocus_videos', 'linear', 'Reg_two.mp4'), { frames: 6 })
  makeClip(join(root, 'pocus_videos', 'convex', 'Vir_three.mp4'), { frames: 4 })
  const linear = { Probe: 'linear', 'Current location': 'pocus_videos/linear' }
  writeFileSync(
    join(root, 'dataset_metadata.csv'),
    csvText([
      row('Cov_one', { Label: 'COVID-19', ...linear }),
      row('Reg_two', { Label: 'regular', ...linear }),
      row('Pneu_gone', { Label: 'Bacterial pneumonia', ...linear }),
      row('Vir_three', { Label: 'Viral pneumonia' })
    ])
  )
  catalog = join(dir.path, 'catalog.db')
  const db = openCatalog(catalog)
  await importDataset(db, root)
  db.close()
}, 120_000)
afterAll(() => {
  if (homeBefore === undefined) delete process.env.LUS_REVIEW_HOME
  else process.env.LUS_REVIEW_HOME = homeBefore
  dir.cleanup()
})

describe('lus-review sets', () => {
  it('creates a set from the filters, creating the raters it does not know, and prints it', async () => {
    const o = io()
    const code = await runSetsCommand(
      ['create', '--name', 'Linear study', '--raters', 'Dr A, Dr B', '--fields', 'label,B-lines', '--probe', 'linear', '--type', 'video', '--seed', '7', '--catalog', catalog],
      o
    )
    expect(o.err).toEqual([])
    expect(code).toBe(0)
    expect(o.out[0]).toMatch(/^Created review set "Linear study" \(id [0-9a-f-]{36}\): 3 clips, 1 without media; 0 rated by every rater\.$/)
    expect(o.out).toContain('  Fields: label, B-lines')
    expect(o.out).toContain('  Raters: Dr A (0/3 rated), Dr B (0/3 rated)')
    expect(o.out).toContain('  Blinded; random order, seed 7; created ' + /created (.+)\.$/.exec(o.out[3]!)![1] + '.')
    expect(o.out).toContain('  New rater profiles: Dr A, Dr B.')
  })

  it('reuses raters it knows (by name, regardless of case), filters on media status, and prints JSON', async () => {
    const o = io()
    const code = await runSetsCommand(
      ['create', '--name', 'Linked linear', '--raters', 'dr a,Dr C', '--fields', 'label', '--probe', 'linear', '--media', 'linked', '--order', 'catalog', '--unblinded', '--json', '--catalog', catalog],
      o
    )
    expect(code).toBe(0)
    const made = JSON.parse(o.out.join('\n')) as { set: ReviewSet; ratersCreated: string[] }
    expect(made.ratersCreated).toEqual(['Dr C'])
    expect(made.set).toMatchObject({
      name: 'Linked linear',
      clips: 2,
      clipsWithoutMedia: 0,
      blinded: false,
      order: 'catalog',
      fields: ['label'],
      query: { probes: ['linear'], mediaStatuses: ['linked'], types: [], search: '' }
    })
    expect(made.set.raters.map((r) => r.name)).toEqual(['Dr A', 'Dr C'])
  })

  it('searches as the catalog view does', async () => {
    const o = io()
    expect(await runSetsCommand(['create', '--name', 'Search', '--raters', 'Dr A', '--fields', 'gender', '--search', 'three', '--json', '--catalog', catalog], o)).toBe(0)
    expect((JSON.parse(o.out[0]!) as { set: ReviewSet }).set.clips).toBe(1)
  })

  it('lists the sets, as text and as JSON', async () => {
    const o = io()
    expect(await runSetsCommand(['list', '--catalog', catalog], o)).toBe(0)
    expect(o.out.filter((l) => l.startsWith('Review set '))).toHaveLength(3)
    expect(o.out[0]).toMatch(/^Review set "Linear study"/)
    const j = io()
    expect(await runSetsCommand(['list', '--json', '--catalog', catalog], j)).toBe(0)
    expect((JSON.parse(j.out[0]!) as { sets: ReviewSet[] }).sets.map((s) => s.name)).toEqual(['Linear study', 'Linked linear', 'Search'])
  })

  it('answers usage mistakes with one line and exit code 2, before touching the catalog', async () => {
    const mistakes: [string[], RegExp][] = [
      [['frob'], /unknown command 'frob'/],
      [['create', '--raters', 'A', '--fields', 'label'], /--name is required/],
      [['create', '--name', 'N', '--fields', 'label'], /--raters is required/],
      [['create', '--name', 'N', '--raters', 'A,a', '--fields', 'label'], /--raters names "a" twice/],
      [['create', '--name', 'N', '--raters', 'A', '--fields', 'label,Bogus'], /unknown field "Bogus"/],
      [['create', '--name', 'N', '--raters', 'A', '--fields', 'label', '--probe', 'sector'], /--probe must be one of convex, linear/],
      [['create', '--name', 'N', '--raters', 'A', '--fields', 'label', '--seed=-3'], /--seed must be a whole number/],
      [['create', '--name', '  ', '--raters', 'A', '--fields', 'label'], /--name: /],
      [['list', '--bogus'], /unknown option '--bogus'/],
      // An option of create is not one of list: refused, not ignored.
      [['list', '--name', 'N'], /unknown option '--name'/]
    ]
    const before = statSync(catalog).mtimeMs
    for (const [argv, message] of mistakes) {
      const o = io()
      expect(await runSetsCommand([...argv, '--catalog', catalog], o)).toBe(2)
      expect(o.err).toHaveLength(1)
      expect(o.err[0]).toMatch(message)
      expect(o.err[0]).toMatch(/^lus-review sets( create| list)?: .* Usage: lus-review sets.* \(see lus-review sets( create| list)? --help\)$/)
    }
    const bare = io()
    expect(await runSetsCommand([], bare)).toBe(2)
    expect(bare.err.at(-1)).toMatch(/^lus-review sets: say which sets command\. Usage: lus-review sets create\|list/)
    expect(statSync(catalog).mtimeMs).toBe(before)
  })

  it('refuses a filter that matches nothing, and creates no rater for it', async () => {
    await expect(runSetsCommand(['create', '--name', 'Empty', '--raters', 'Dr Nobody', '--fields', 'label', '--search', 'zzz-nothing', '--catalog', catalog], io())).rejects.toThrow(
      /The filter matches no clips/
    )
    const o = io()
    await runSetsCommand(['list', '--json', '--catalog', catalog], o)
    const sets = (JSON.parse(o.out[0]!) as { sets: ReviewSet[] }).sets
    expect(sets.flatMap((s) => s.raters.map((r) => r.name))).not.toContain('Dr Nobody')
    const db = openCatalog(catalog)
    expect(db.prepare("SELECT count(*) AS n FROM raters WHERE name = 'Dr Nobody'").get()).toEqual({ n: 0 })
    db.close()
  })
})

describe('lus-review reader-bundle', () => {
  it('writes the bundle of a set named regardless of case, for the raters named, and prints what it wrote', async () => {
    const out = join(dir.path, 'linked.zip')
    const o = io()
    expect(await runReaderBundleCommand(['--set', 'LINKED LINEAR', '--out', out, '--rater', 'dr c', '--catalog', catalog], o)).toBe(0)
    const wrote = o.out.find((l) => l.startsWith('Wrote '))!
    expect(wrote).toBe(`Wrote ${out} (0.0 MB, ${statSync(out).size} bytes): 2 clips, for Dr C.`)
    expect(o.out.some((l) => /Warning: Review set "Linked linear" is not blinded, but a reader bundle always is/.test(l))).toBe(true)
    const entries = await unzipTo(out, join(dir.path, 'linked'))
    expect(entries.map((e) => e.name)).toEqual(['study.json', 'clips/clip-001.mp4', 'clips/clip-002.mp4'])
    const manifest = studyManifestSchema.parse(JSON.parse(readFileSync(join(dir.path, 'linked', 'study.json'), 'utf8')))
    expect(manifest.raters.map((r) => r.name)).toEqual(['Dr C'])
    expect(manifest.clips.map((c) => c.frameTimes.length).sort()).toEqual([6, 8])
  })

  it('prints JSON with --json', async () => {
    const out = join(dir.path, 'json.zip')
    const o = io()
    expect(await runReaderBundleCommand(['--set', 'Linked linear', '--out', out, '--json', '--catalog', catalog], o)).toBe(0)
    expect(JSON.parse(o.out[0]!)).toMatchObject({ path: out, bytes: statSync(out).size, clips: 2, raters: ['Dr A', 'Dr C'], transcoded: 0 })
  })

  it('refuses an unknown set or rater, and a set with clips without media, with messages naming them', async () => {
    const out = join(dir.path, 'refused.zip')
    await expect(runReaderBundleCommand(['--set', 'Nope', '--out', out, '--catalog', catalog], io())).rejects.toThrow(
      /No review set called "Nope" in this catalog \(its sets: "Linear study", "Linked linear", "Search"\)/
    )
    await expect(runReaderBundleCommand(['--set', 'Linked linear', '--out', out, '--rater', 'Dr B', '--catalog', catalog], io())).rejects.toThrow(
      /"Dr B" is not a rater of review set "Linked linear" \(its raters: Dr A, Dr C\)/
    )
    const refusal = runReaderBundleCommand(['--set', 'Linear study', '--out', out, '--catalog', catalog], io())
    await expect(refusal).rejects.toBeInstanceOf(UserError)
    await expect(refusal).rejects.toThrow(/Clip \d \(Pneu_gone\): no media file here/)
  })

  it('answers usage mistakes with one line and exit code 2', async () => {
    for (const [argv, message] of [
      [['--out', 'x.zip'], /--set is required/],
      [['--set', 'S'], /--out is required/],
      [['--set', 'S', '--out'], /option '--out <zip>' argument missing/]
    ] as [string[], RegExp][]) {
      const o = io()
      expect(await runReaderBundleCommand(['--catalog', catalog, ...argv], o)).toBe(2)
      expect(o.err).toHaveLength(1)
      expect(o.err[0]).toMatch(message)
    }
  })
})

describe('through the lus-review entry point', () => {
  const tsx = join(REPO_ROOT, 'node_modules', '.bin', 'tsx')
  const cli = (...args: string[]): { status: number | null; stdout: string; stderr: string } => {
    const r = spawnSync(tsx, [join(REPO_ROOT, 'src', 'main', 'cli.ts'), ...args], {
      encoding: 'utf8',
      timeout: 120_000,
      env: { ...process.env, LUS_REVIEW_HOME: join(dir.path, 'home'), LUS_REVIEW_LOG_DIR: join(dir.path, 'logs') }
    })
    return { status: r.status, stdout: r.stdout, stderr: r.stderr }
  }

  it('dispatches sets and reader-bundle, with --help (exit 0) and usage errors (exit 2)', () => {
    const help = cli('sets', '--help')
    expect(help.status).toBe(0)
    expect(help.stdout).toMatch(/^Usage: lus-review sets create\|list/)
    const createHelp = cli('sets', 'create', '--help')
    expect(createHelp.status).toBe(0)
    expect(createHelp.stdout).toMatch(/^Usage: lus-review sets create --name NAME --raters "A,B" --fields/)
    expect(cli('--help').stdout).toMatch(/\n {2}reader-bundle +the blinded reader bundle of a review set/)
    const usage = cli('reader-bundle', '--out', 'x.zip')
    expect(usage.status).toBe(2)
    expect(usage.stderr.trim().split('\n')).toEqual([
      'lus-review reader-bundle: --set is required. Usage: lus-review reader-bundle --set NAME --out FILE.zip [--rater NAME]... [--catalog FILE] [--json] [--quiet] (see lus-review reader-bundle --help)'
    ])
    const list = cli('sets', 'list', '--json', '--catalog', catalog)
    expect(list.status).toBe(0)
    expect((JSON.parse(list.stdout) as { sets: unknown[] }).sets).toHaveLength(3)
    const refused = cli('reader-bundle', '--set', 'Nope', '--out', join(dir.path, 'n.zip'), '--catalog', catalog)
    expect(refused.status).toBe(1)
    expect(refused.stderr).toMatch(/^lus-review: No review set called "Nope"/)
  })
})
