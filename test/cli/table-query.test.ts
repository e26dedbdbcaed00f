// `show` with a query and `export`, as a user runs them on the Python-written fixtures.
import { promises as fs } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCli } from '../helpers/cli.js'
import { FIXTURE_CACHE, tempDir } from '../helpers/temp.js'

describe('xpersist show with a query', () => {
  it('sorts and filters the whole table and prints the page with the matched count', async () => {
    const r = await runCli([
      'show',
      FIXTURE_CACHE,
      'stations.csv',
      '--sort',
      'temperature:desc',
      '--where',
      'installed>=2000-01-01',
      '--json',
    ])
    expect(r.code).toBe(0)
    const page = JSON.parse(r.stdout)
    expect(page).toMatchObject({ matched: 4, totalRows: 5, rowCount: 4, engine: 'stream' })
    expect(page.index.values).toEqual([4, 0, 3, 2])
    expect(page.rows.map((row: unknown[]) => row[1])).toEqual([21, 12.5, 0.1, -3.25])
  })

  it('group-counts a column, largest first', async () => {
    const r = await runCli([
      'show',
      FIXTURE_CACHE,
      'gauges.parquet',
      '--group-count',
      'ok',
      '--json',
    ])
    expect(r.code).toBe(0)
    expect(JSON.parse(r.stdout)).toMatchObject({
      groups: [
        { value: true, count: 4 },
        { value: false, count: 1 },
      ],
      groupsTruncated: false,
    })
  })

  it('names the flag or the column in its errors', async () => {
    const where = await runCli(['show', FIXTURE_CACHE, 'gauges.parquet', '--where', 'level_cm'])
    expect(where.code).toBe(2)
    expect(where.stderr).toMatch(/--where 'level_cm': no condition/)
    const typed = await runCli(['show', FIXTURE_CACHE, 'gauges.parquet', '--where', 'level_cm>x'])
    expect(typed.code).toBe(1)
    expect(typed.stderr).toMatch(/Column 'level_cm' is int64/)
    const sort = await runCli(['show', FIXTURE_CACHE, 'gauges.parquet', '--sort', ':desc'])
    expect(sort.stderr).toMatch(/--sort: ':desc' names no column/)
  })
})

describe('xpersist export', () => {
  it('writes the filtered rows in sort order as pandas to_csv does, leaving no temp files', async () => {
    const dir = await tempDir()
    const out = path.join(dir, 'out.csv')
    const tmp = path.join(dir, 'tmp')
    await fs.mkdir(tmp)
    const r = await runCli(
      [
        'export',
        FIXTURE_CACHE,
        'gauges.parquet',
        '--sort',
        'river',
        '--where',
        'flow_m3s notnull',
        '-o',
        out,
      ],
      { TMPDIR: tmp },
    )
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/Wrote 4 of 5 rows/)
    expect(await fs.readFile(out, 'utf8')).toBe(
      'gauge_id,river,flow_m3s,level_cm,ok\n' +
        '19,Big Thompson,44.0,150,True\n' +
        '17,Clear Creek,0.125,37,True\n' +
        '7,South Platte,12.75,81,True\n' +
        '13,St. Vrain,3.5,102,False\n',
    )
    expect(await fs.readdir(tmp)).toEqual([])
    await fs.rm(dir, { recursive: true, force: true })
  })

  it('refuses an output it cannot write, naming -o', async () => {
    const r = await runCli(['export', FIXTURE_CACHE, 'gauges.parquet', '-o', 'x.txt'])
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/-o\/--output: 'x.txt' must end in .csv or .parquet/)
    const none = await runCli(['export', FIXTURE_CACHE, 'gauges.parquet'])
    expect(none.stderr).toMatch(/-o\/--output: give the file to write/)
  })
})
