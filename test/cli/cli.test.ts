import { promises as fs } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCli } from '../helpers/cli.js'
import { FIXTURE_EXPECTED, fixtureCopy, tempDir, writeOldFile } from '../helpers/temp.js'

const expected = JSON.parse(await fs.readFile(FIXTURE_EXPECTED, 'utf8'))
const fixtureKeys = Object.keys(expected.artifacts).sort()

describe('xpersist ls / info on the Python-written cache', () => {
  it('ls --json lists every key, nested ones too, sorted', async () => {
    const cache = await fixtureCopy()
    const r = await runCli(['ls', cache, '--json'])
    expect(r.code).toBe(0)
    expect(JSON.parse(r.stdout)).toEqual(fixtureKeys)
  })

  it('ls --long --json gives serializer, created_at and payload bytes for every key', async () => {
    const cache = await fixtureCopy()
    const rows = JSON.parse((await runCli(['ls', cache, '--long', '--json'])).stdout)
    expect(rows).toHaveLength(fixtureKeys.length)
    for (const row of rows) {
      const art = expected.artifacts[row.key]
      const bytes = art.files.reduce((s: number, f: { size: number }) => s + f.size, 0)
      expect(row).toMatchObject({
        serializer: art.serializer,
        created_at: art.sidecar.created_at,
        bytes,
        error: null,
      })
    }
  })

  it('info --json shows the sidecar and every payload file of a zarr folder', async () => {
    const cache = await fixtureCopy()
    const r = await runCli(['info', cache, 'sst-monthly.zarr', '--json'])
    const info = JSON.parse(r.stdout)
    const art = expected.artifacts['sst-monthly.zarr']
    expect(info.artifact).toEqual(art.sidecar)
    expect(info.payload.files.map((f: { path: string }) => f.path).sort()).toEqual(
      art.files.map((f: { path: string }) => f.path).sort(),
    )
  })

  it('read commands create nothing in a missing folder', async () => {
    const dir = path.join(await tempDir(), 'nothing-here')
    const r = await runCli(['ls', dir])
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(/^xpersist: No cache folder at .*nothing-here/)
    expect(r.stderr.split('\n').filter(Boolean)).toHaveLength(1)
    await expect(fs.access(dir)).rejects.toThrow()
  })
})

describe('xpersist show', () => {
  it('prints the stable table form', async () => {
    const cache = await fixtureCopy()
    const t = JSON.parse(
      (await runCli(['show', cache, 'stations.csv', '--json', '--rows', '2'])).stdout,
    )
    expect(t).toMatchObject({ kind: 'table', rowCount: 5, index: { name: null, values: [0, 1] } })
    expect(t.columns[0]).toEqual({ name: 'station_id', type: 'int64' })
    expect(t.rows).toEqual([
      [101, 12.5, 'Boulder', true, '2001-04-01T00:00:00', 'semi-arid'],
      [102, null, 'Mesa Lab', false, '1999-12-31T00:00:00', 'alpine'],
    ])
  })
  it('prints objects, arrays and placeholders', async () => {
    const cache = await fixtureCopy()
    const grid = JSON.parse((await runCli(['show', cache, 'grid-i4', '--json'])).stdout)
    expect(grid).toEqual({
      kind: 'object',
      value: {
        dtype: 'int32',
        shape: [3, 4],
        values: [
          [0, 1, 2, 3],
          [4, 5, 6, 7],
          [8, 9, 10, 11],
        ],
      },
    })
    const df = JSON.parse((await runCli(['show', cache, 'stations-joblib', '--json'])).stdout)
    // A pickled DataFrame shows as its table (read from the pickle's data, never run).
    expect(df).toMatchObject({ kind: 'table', rowCount: 5, index: { name: null } })
    expect(df.rows[0]).toEqual([101, 12.5, 'Boulder', true, '2001-04-01T00:00:00', 'semi-arid'])
    const text = (await runCli(['show', cache, 'stations-joblib'])).stdout
    expect(text).toMatch(/station_id +temperature +name/)
    expect(text).toMatch(/\[5 rows x 6 columns\]/)
  })
  it('says which key is not Parquet when a pandas.parquet payload is something else', async () => {
    // A sidecar naming pandas.parquet over a CSV payload: the footer check refuses it.
    const cache = await fixtureCopy()
    const sidecar = path.join(cache, 'xpersist_metadata_store', 'stations.csv.artifact.json')
    const text = await fs.readFile(sidecar, 'utf8')
    await fs.writeFile(sidecar, text.replace('"pandas.csv"', '"pandas.parquet"'))
    const r = await runCli(['show', cache, 'stations.csv'])
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(/Parquet payload stations\.csv does not end with the Parquet magic/)
  })
  it('shows one page of a Parquet table by --offset, --rows and --columns', async () => {
    const cache = await fixtureCopy()
    const args = ['show', cache, 'hourly-zstd.parquet', '--json', '--offset', '7', '--rows', '2']
    const page = JSON.parse((await runCli([...args, '--columns', 'wind_dir'])).stdout)
    expect(page).toMatchObject({ kind: 'table', rowCount: 20, offset: 7, totalBytes: 7297 })
    expect(page.columns).toEqual([{ name: 'wind_dir', type: 'string' }])
    expect(page.index).toEqual({
      name: 'time',
      values: ['2021-07-01T07:00:00', '2021-07-01T08:00:00'],
    })
    expect(page.rows).toHaveLength(2)
    expect(page.bytesRead).toBeLessThan(page.totalBytes)
    const text = (await runCli(['show', cache, 'hourly-zstd.parquet', '--offset', '18'])).stdout
    expect(text).toMatch(/rows 19-20 of 20 x 4 columns; read \d+ of 7297 bytes/)
  })
  it('refuses --columns for a table that is not Parquet instead of ignoring it', async () => {
    const cache = await fixtureCopy()
    const r = await runCli(['show', cache, 'stations.csv', '--columns', 'name'])
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(
      /--columns picks columns of a Parquet table; 'stations.csv' is pandas.csv/,
    )
  })
  it('a missing key is one line and exit 1; --debug adds the stack', async () => {
    const cache = await fixtureCopy()
    const r = await runCli(['show', cache, 'nope'])
    expect([r.code, r.stderr.trim().split('\n').length]).toEqual([1, 1])
    expect(r.stderr).toMatch(/No artifact 'nope'.*xpersist ls/)
    const d = await runCli(['show', cache, 'nope', '--debug'])
    expect(d.stderr).toMatch(/KeyNotFoundError.*\n\s+at /)
  })
})

describe('xpersist put / rm / doctor', () => {
  it('puts CSV and JSON files, with metadata, and refuses duplicates under raise_error', async () => {
    const cache = path.join(await tempDir(), 'c')
    const src = await tempDir()
    await fs.writeFile(path.join(src, 't.csv'), 'a,b\n1,x\n2,y\n')
    await fs.writeFile(path.join(src, 'v.json'), '{"dt": 0.5, "levels": [1000.0, 850.0]}')
    expect(
      (
        await runCli([
          'put',
          cache,
          'tables/t.csv',
          path.join(src, 't.csv'),
          '--meta',
          'experiment=ctrl',
          '--meta',
          'member=3',
        ])
      ).code,
    ).toBe(0)
    expect(
      (
        await runCli([
          'put',
          cache,
          'v',
          path.join(src, 'v.json'),
          '--dump-kwargs',
          '{"compress": 3}',
        ])
      ).code,
    ).toBe(0)
    const info = JSON.parse((await runCli(['info', cache, 'tables/t.csv', '--json'])).stdout)
    expect(info.artifact).toMatchObject({
      serializer: 'pandas.csv',
      additional_metadata: { experiment: 'ctrl', member: 3 },
    })
    expect(await fs.readFile(path.join(cache, 'tables/t.csv'), 'utf8')).toBe('a,b\n1,x\n2,y\n')
    const v = JSON.parse((await runCli(['show', cache, 'v', '--json'])).stdout)
    expect(v.value).toEqual({ dt: 0.5, levels: [1000, 850] })
    const dup = await runCli([
      'put',
      cache,
      'v',
      path.join(src, 'v.json'),
      '--on-duplicate',
      'raise_error',
    ])
    expect(dup.code).toBe(1)
    expect(dup.stderr).toMatch(/already exists in .*--on-duplicate overwrite/)
  })
  it('refuses a file the serializer cannot read, and an unknown extension', async () => {
    const cache = path.join(await tempDir(), 'c')
    const src = await tempDir()
    await fs.writeFile(path.join(src, 'bad.pkl'), 'not a pickle')
    await fs.writeFile(path.join(src, 'x.bin'), 'x')
    const bad = await runCli(['put', cache, 'k', path.join(src, 'bad.pkl')])
    expect(bad.code).toBe(1)
    expect(bad.stderr).toMatch(/not something joblib can read/)
    expect((await runCli(['put', cache, 'k', path.join(src, 'x.bin')])).stderr).toMatch(
      /pass --serializer/,
    )
    await expect(fs.access(cache)).rejects.toThrow() // a refused put does not even make the folder
  })
  it('rm prints the plan and deletes only with --yes; --plan is JSON and never deletes', async () => {
    const cache = await fixtureCopy()
    const plan = JSON.parse((await runCli(['rm', cache, 'pi', 'vec-f8', '--plan', '--yes'])).stdout)
    expect(plan).toMatchObject({ dryRun: true, bytes: 21 + 313 + 160 + 164, deleted: [] })
    expect(plan.entries.map((e: { key: string }) => e.key)).toEqual(['pi', 'vec-f8'])
    const dry = await runCli(['rm', cache, 'pi'])
    expect(dry.stdout).toMatch(
      /Would delete 1 artifact.*\n.*pi.*\n.*sidecar.*xpersist_metadata_store\/pi\.artifact\.json[\s\S]*Dry run: nothing was deleted/,
    )
    expect(await fs.readFile(path.join(cache, 'pi'))).toBeTruthy()
    const done = await runCli(['rm', cache, 'pi', '--yes'])
    expect(done.code).toBe(0)
    await expect(fs.access(path.join(cache, 'pi'))).rejects.toThrow()
    await expect(
      fs.access(path.join(cache, 'xpersist_metadata_store/pi.artifact.json')),
    ).rejects.toThrow()
  })
  /** A fixture copy whose Zarr payload holds 1,500 more objects, and its object count. */
  async function withBigZarr() {
    const cache = await fixtureCopy()
    const extra = path.join(cache, 'sst-monthly.zarr', 'extra')
    await fs.mkdir(extra)
    await Promise.all(
      Array.from({ length: 1_500 }, (_, i) => fs.writeFile(path.join(extra, `c.${i}`), 'x')),
    )
    return { cache, extra, objects: expected.artifacts['sst-monthly.zarr'].files.length + 1_500 }
  }
  it('rm sums up a Zarr payload of thousands of objects; --verbose and --json list them all', async () => {
    const { cache, extra, objects } = await withBigZarr()
    const dry = await runCli(['rm', cache, 'sst-monthly.zarr', 'pi'])
    expect(dry.code).toBe(0)
    const lines = dry.stdout.split('\n')
    expect(lines.length).toBeLessThan(20)
    expect(dry.stdout).toContain(
      `payload folder sst-monthly.zarr/: ${objects.toLocaleString('en-US')} objects,`,
    )
    expect(dry.stdout).toMatch(/… 1,5\d\d more \(--verbose lists every object\)/)
    expect(lines.filter((l) => /^\s+payload sst-monthly\.zarr\//.test(l))).toHaveLength(3)
    // A key with one payload file is shown as before.
    expect(dry.stdout).toMatch(/\n {4}payload pi {2}21 B\n/)
    const verbose = await runCli(['rm', cache, 'sst-monthly.zarr', '--verbose'])
    const listed = verbose.stdout
      .split('\n')
      .filter((l) => /^\s+payload sst-monthly\.zarr\//.test(l))
    expect(listed).toHaveLength(objects)
    expect(verbose.stdout).not.toContain('more (--verbose')
    const plan = JSON.parse((await runCli(['rm', cache, 'sst-monthly.zarr', '--json'])).stdout)
    expect(
      plan.entries[0].files.filter((f: { role: string }) => f.role === 'payload'),
    ).toHaveLength(objects)
    await expect(fs.access(path.join(extra, 'c.0'))).resolves.toBeUndefined() // a dry run
  })
  it('prune prints the plan as rm does: a big Zarr folder summed up, every object with --verbose', async () => {
    const { cache, extra, objects } = await withBigZarr()
    const dry = await runCli(['prune', cache, '--prefix', 'sst-monthly'])
    expect(dry.code).toBe(0)
    expect(dry.stdout).toMatch(/… 1,5\d\d more \(--verbose lists every object\)/)
    const verbose = await runCli(['prune', cache, '--prefix', 'sst-monthly', '--verbose'])
    expect(verbose.code).toBe(0)
    const listed = verbose.stdout
      .split('\n')
      .filter((l) => /^\s+payload sst-monthly\.zarr\//.test(l))
    expect(listed).toHaveLength(objects)
    await expect(fs.access(path.join(extra, 'c.0'))).resolves.toBeUndefined() // a dry run
  })
  it('doctor finds orphans, missing payloads, broken sidecars and unknown serializers; exit 1', async () => {
    const cache = await fixtureCopy()
    expect((await runCli(['doctor', cache])).code).toBe(0)
    await writeOldFile(path.join(cache, 'orphan.bin'), 'lost')
    await fs.rm(path.join(cache, 'greeting'))
    await fs.writeFile(path.join(cache, 'xpersist_metadata_store/pi.artifact.json'), '{')
    const sidecar = path.join(cache, 'xpersist_metadata_store/list-ints.artifact.json')
    await fs.writeFile(
      sidecar,
      (await fs.readFile(sidecar, 'utf8')).replace('"joblib"', '"my.custom"'),
    )
    const r = await runCli(['doctor', cache, '--json'])
    expect(r.code).toBe(1)
    const report = JSON.parse(r.stdout)
    expect(report.orphans).toEqual([{ path: 'orphan.bin', bytes: 4 }])
    expect(report.missingPayload).toEqual(['greeting'])
    expect(report.brokenSidecars.map((b: { key: string }) => b.key)).toEqual(['pi'])
    expect(report.unknownSerializers).toEqual([{ key: 'list-ints', serializer: 'my.custom' }])
  })
  it('usage errors exit 2 with the usage line', async () => {
    const r = await runCli(['ls'])
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/usage: xpersist ls <cache>/)
    expect((await runCli(['ls', '.', '--bogus'])).code).toBe(2)
    expect((await runCli(['frobnicate'])).code).toBe(2)
  })
})
