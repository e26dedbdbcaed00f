// `show` of Parquet tables whose index has several levels or whose cells are lists, structs
// and decimals: the text form prints one column per index level (named by the level) and
// nested cells as JSON; the JSON form gives the MultiIndex as `names` + row arrays.
import { promises as fs } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCli } from '../helpers/cli.js'
import { REPO, tempDir } from '../helpers/temp.js'

const DIR = path.join(REPO, 'test', 'fixtures', 'datasets', 'parquet')

async function cacheWith(file: string): Promise<string> {
  const root = path.join(await tempDir('xp-cli-pq-'), 'cache')
  const put = await runCli(['put', root, 'multi', path.join(DIR, file)])
  expect(put.code, put.stderr).toBe(0)
  return root
}

describe('xpersist show: Parquet MultiIndex and nested cells', () => {
  it('prints every index level as its own named column, text and JSON', async () => {
    const cache = await cacheWith('multi-index.parquet')
    const text = (await runCli(['show', cache, 'multi', '--offset', '1', '--rows', '2'])).stdout
    const lines = text.split('\n')
    expect(lines[0]).toMatch(/^letter\s+n\s+value$/)
    expect(lines[3]).toMatch(/^a\s+2\s+2\.5$/)
    expect(lines[4]).toMatch(/^b\s+1\s+3\.5$/)
    const json = JSON.parse(
      (await runCli(['show', cache, 'multi', '--json', '--offset', '1', '--rows', '2'])).stdout,
    )
    expect(json.index).toEqual({
      name: null,
      names: ['letter', 'n'],
      values: [
        ['a', 2],
        ['b', 1],
      ],
    })
    expect(json.columns).toEqual([{ name: 'value', type: 'float64' }])
    await fs.rm(path.dirname(cache), { recursive: true, force: true })
  })
})
