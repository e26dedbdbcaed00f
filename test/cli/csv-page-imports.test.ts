// `show` of a CSV page formats its cells from the page's texts: it must not import
// apache-arrow, whose import alone costs a process more than the page (issue 8: a first page
// under 100 ms). The child runs with a loader hook that logs every module it loads; `--all`
// (which builds an Arrow table) is the control that shows the log sees Arrow when it loads.
import { execFile } from 'node:child_process'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { CLI } from '../helpers/cli.js'
import { FIXTURE_CACHE, REPO } from '../helpers/temp.js'

const HOOK = path.join(REPO, 'test', 'helpers', 'module-log.mjs')

/** The modules `xpersist args...` loads (file URLs), and its stdout. */
function loadedModules(args: string[]): Promise<{ modules: string[]; stdout: string }> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['--import', HOOK, CLI, ...args],
      { maxBuffer: 16 << 20 },
      (err, stdout, stderr) => {
        if (err) return reject(new Error(`${err.message}\n${stderr}`))
        const modules = stderr
          .split('\n')
          .filter((l) => l.startsWith('module-log '))
          .map((l) => l.slice('module-log '.length))
        resolve({ modules, stdout })
      },
    )
  })
}

const arrow = (modules: string[]) => modules.filter((m) => m.includes('/apache-arrow/'))

describe('show of a CSV page without Arrow', () => {
  it.each([
    ['text', []],
    ['--json', ['--json']],
    ['a later page', ['--offset', '2', '--rows', '2', '--json']],
    ['counted', ['--count']],
  ])('%s loads no apache-arrow module', { timeout: 60_000 }, async (_name, extra) => {
    const { modules, stdout } = await loadedModules([
      'show',
      FIXTURE_CACHE,
      'stations.csv',
      ...extra,
    ])
    expect(stdout).toContain('station_id')
    expect(modules.some((m) => m.includes('/csv-page-json.js'))).toBe(true)
    expect(arrow(modules)).toEqual([])
  })

  it(
    'the log sees Arrow when a command loads it (--all builds a table)',
    { timeout: 60_000 },
    async () => {
      const { modules } = await loadedModules(['show', FIXTURE_CACHE, 'stations.csv', '--all'])
      expect(arrow(modules).length).toBeGreaterThan(0)
    },
  )
})
