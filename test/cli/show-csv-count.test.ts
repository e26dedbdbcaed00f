// `show` of a big CSV prints its page without scanning the file to count the rows (that cost
// 1.8 s at 200 MB): the count is null ("not counted") unless --count asks for it, and the
// checkpoints and the count persist in the user's cache dir ($XDG_CACHE_HOME), never in the
// artifact cache, so a later run knows the count and seeks a deep page from a checkpoint.
import fs from 'node:fs/promises'
import path from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { listFiles, tempDir } from '../helpers/temp.js'
import { runCli } from '../helpers/cli.js'

const ROWS = 120_000

describe('show of a CSV page bigger than the free count', () => {
  let cache = ''
  let env: NodeJS.ProcessEnv = {}

  beforeAll(async () => {
    const dir = await tempDir('xp-csvcount-')
    cache = path.join(dir, 'cache')
    env = { XDG_CACHE_HOME: path.join(dir, 'xdg') }
    await fs.mkdir(path.join(cache, 'xpersist_metadata_store'), { recursive: true })
    const lines = [',a,b']
    for (let i = 0; i < ROWS; i++) lines.push(`${i},${i * 7},${'w'.repeat(40)}${i}`)
    // ~6.6 MB: over the 4 MB the page may scan past itself to count for free.
    await fs.writeFile(path.join(cache, 'big.csv'), lines.join('\n') + '\n')
    const sidecar = { key: 'big.csv', serializer: 'pandas.csv', load_kwargs: { index_col: 0 } }
    await fs.writeFile(
      path.join(cache, 'xpersist_metadata_store', 'big.csv.artifact.json'),
      JSON.stringify({
        ...sidecar,
        dump_kwargs: {},
        additional_metadata: {},
        created_at: '2026-11-26T14:43:29.476057',
      }),
    )
  })

  async function show(...args: string[]): Promise<{ stdout: string; stderr: string }> {
    const r = await runCli(['show', cache, 'big.csv', ...args], env)
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    return r
  }

  it('leaves the count out unless --count, then remembers it outside the cache', async () => {
    const before = await listFiles(cache)
    const page = JSON.parse((await show('--json', '--rows', '3')).stdout) as {
      rowCount: number | null
      rows: unknown[][]
    }
    expect(page.rowCount).toBeNull()
    expect(page.rows).toEqual([
      [0, `${'w'.repeat(40)}0`],
      [7, `${'w'.repeat(40)}1`],
      [14, `${'w'.repeat(40)}2`],
    ])
    const text = (await show('--rows', '2')).stdout
    expect(text).toMatch(/rows not counted: pass --count to count them\n\[2\+ rows x 2 columns\]/)

    const counted = await show('--rows', '2', '--count')
    expect(counted.stdout).toMatch(/\.\.\. 119998 more rows\n\[120000 rows x 2 columns\]/)
    // The next run, without --count, knows the count from the saved index.
    const again = JSON.parse((await show('--json', '--rows', '1')).stdout) as { rowCount: number }
    expect(again.rowCount).toBe(ROWS)
    const deep = JSON.parse((await show('--json', '--offset', '119990', '--rows', '2')).stdout) as {
      rows: unknown[][]
      index: { values: unknown[] }
    }
    expect(deep.index.values).toEqual([119990, 119991])
    expect(deep.rows[1]).toEqual([119991 * 7, `${'w'.repeat(40)}119991`])

    expect(await listFiles(cache)).toEqual(before)
    const saved = await listFiles(path.join(env.XDG_CACHE_HOME!, 'xpersist', 'csv-row-index'))
    expect(saved).toHaveLength(1)
  }, 120_000)

  it('ignores a corrupt index file and counts again', async () => {
    const dir = path.join(env.XDG_CACHE_HOME!, 'xpersist', 'csv-row-index')
    for (const name of await fs.readdir(dir)) {
      await fs.writeFile(path.join(dir, name), '{"format":"xpersist-csv-row-index/1","marks":[1,')
    }
    const page = JSON.parse((await show('--json', '--rows', '1')).stdout) as { rowCount: unknown }
    expect(page.rowCount).toBeNull()
    const counted = JSON.parse((await show('--json', '--rows', '1', '--count')).stdout) as {
      rowCount: unknown
    }
    expect(counted.rowCount).toBe(ROWS)
  }, 120_000)
})
