// `show` of a CSV reads one page (--offset/--rows) and prints what --all prints for those rows.
import { describe, expect, it } from 'vitest'
import { FIXTURE_CACHE } from '../helpers/temp.js'
import { runCli } from '../helpers/cli.js'

async function showJson(...args: string[]): Promise<Record<string, unknown>> {
  const r = await runCli(['show', FIXTURE_CACHE, 'stations.csv', '--json', ...args])
  expect(r.stderr).toBe('')
  return JSON.parse(r.stdout) as Record<string, unknown>
}

describe('show of a CSV page', () => {
  it('prints the rows --all prints at that offset, with the whole row count', async () => {
    const all = (await showJson('--all')) as {
      rows: unknown[]
      rowCount: number
      index: { values: unknown[] }
    }
    const page = (await showJson('--offset', '1', '--rows', '2')) as typeof all
    expect(page.rowCount).toBe(all.rowCount)
    expect(page.rows).toEqual(all.rows.slice(1, 3))
    expect(page.index.values).toEqual(all.index.values.slice(1, 3))
    const text = await runCli([
      'show',
      FIXTURE_CACHE,
      'stations.csv',
      '--offset',
      '1',
      '--rows',
      '2',
    ])
    expect(text.stdout).toMatch(/\.\.\. 2 more rows\n\[5 rows x 6 columns\]/)
  }, 60_000)
})
