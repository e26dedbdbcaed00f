// `xpersist show` on joblib-pickled pandas objects: a DataFrame or Series prints as a table
// (as a CSV or Parquet artifact does), --json gives the table form, and a missing datetime
// prints as NaT, as pandas prints it.
import { promises as fs } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCli } from '../helpers/cli.js'
import { fixtureCopy, REPO } from '../helpers/temp.js'

/** A copy of the sample cache whose joblib key 'run-config' holds the given pickle. */
async function cacheWith(pickle: string): Promise<string> {
  const cache = await fixtureCopy()
  await fs.copyFile(
    path.join(REPO, 'test/fixtures/tables/pickled', pickle),
    path.join(cache, 'run-config'),
  )
  return cache
}

describe('xpersist show on a pickled DataFrame', () => {
  it('prints a tz-aware frame as a table with NaT for missing times', async () => {
    const r = await runCli(['show', await cacheWith('2.2.3/tz.z.pkl'), 'run-config'])
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/utc +paris/)
    expect(r.stdout).toMatch(/^1 +NaT +2020-06-30T22:00:00Z/m)
    expect(r.stdout).not.toMatch(/NaN/)
    expect(r.stdout).toMatch(/\[3 rows x 2 columns\]/)
  })

  it('--json gives the table form of a Series, named after it', async () => {
    const cache = await cacheWith('3.1.1/series_named.pkl')
    const json = JSON.parse((await runCli(['show', cache, 'run-config', '--json'])).stdout)
    expect(json).toEqual({
      kind: 'table',
      rowCount: 3,
      columns: [{ name: 'price', type: 'float64' }],
      index: { name: null, values: ['a', 'b', 'c'] },
      rows: [[1.5], [2.5], [null]],
    })
  })
})
