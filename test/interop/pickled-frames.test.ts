/**
 * Python pickles DataFrames, TypeScript reads them as tables: the interop venv (pandas 1.5.3)
 * runs test/fixtures/tables/write_pickled_frames.py into a temp dir, and every pickle
 * (plain and zlib) must read as the table JSON pandas wrote beside it; the goldens committed
 * under test/fixtures/tables/pickled/1.5.3 must be the ones the script writes today.
 */
import { readFileSync, promises as fs } from 'node:fs'
import path from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { stringifyJson } from '../../electron/engine/pyvalue-json.js'
import { readJoblib } from '../../electron/engine/serializers/joblib/joblib-reader.js'
import { pandasTable } from '../../electron/engine/serializers/joblib/pandas-frame.js'
import { tableToJson } from '../../electron/engine/table/table-json.js'
import { REPO, tempDir } from '../helpers/temp.js'
import { HOOK_TIMEOUT_MS, runPython, skipWithoutPython } from './helpers/python.js'

const SUITE = 'pickled DataFrames, Python -> TypeScript'
const SCRIPT = path.join(REPO, 'test/fixtures/tables/write_pickled_frames.py')
const COMMITTED = path.join(REPO, 'test/fixtures/tables/pickled/1.5.3')

describe.skipIf(skipWithoutPython(SUITE))(SUITE, () => {
  let dir = ''
  beforeAll(async () => {
    const out = await tempDir('xp-pickled-')
    const code =
      'import runpy, sys; sys.argv = ["write", sys.argv[1]]; ' +
      `runpy.run_path(${JSON.stringify(SCRIPT)}, run_name="__main__")`
    dir = (await runPython('-c', [code, out])).trim()
  }, HOOK_TIMEOUT_MS)

  it('wrote the pandas 1.5.3 corpus', () => {
    expect(path.basename(dir)).toBe('1.5.3')
  })

  it('reads every pickle as the table pandas wrote; the committed goldens are current', async () => {
    const files = (await fs.readdir(dir)).filter((f) => f.endsWith('.pkl')).sort()
    expect(files.length).toBeGreaterThanOrEqual(36)
    for (const file of files) {
      const golden = file.replace(/(\.z)?\.pkl$/, '.json')
      const want = JSON.parse(readFileSync(path.join(dir, golden), 'utf8')) as unknown
      const table = pandasTable(readJoblib(readFileSync(path.join(dir, file))))
      expect(table, file).not.toBeNull()
      expect(JSON.parse(stringifyJson(tableToJson(table!, 20))), file).toEqual(want)
      expect(want, `committed ${golden}`).toEqual(
        JSON.parse(readFileSync(path.join(COMMITTED, golden), 'utf8')),
      )
    }
  })
})
