// What the CLI prints for people stays inert (no terminal escapes, no bidi tricks), what it
// prints for machines stays exact, and a reader that goes away ends it quietly.
import { spawn } from 'node:child_process'
import { promises as fs } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { CLI, runCli } from '../helpers/cli.js'
import { REPO, fixtureCopy, tempDir } from '../helpers/temp.js'

const ESC = '\u001b'
const RLO = '\u202e'
// A key that would turn the terminal red, and one that reads as a .jpg.
const RED_KEY = `red${ESC}[31m`
const BIDI_KEY = `invoice${RLO}gpj.exe`

/** True when `text` holds a raw ESC, C1 control or bidi override. */
function hasRawControls(text: string): boolean {
  // eslint-disable-next-line no-control-regex
  return /[\u001b\u0080-\u009f\u202a-\u202e\u2066-\u2069]/.test(text)
}

async function cacheWithHostileKeys(): Promise<string> {
  const cache = path.join(await tempDir(), 'c')
  const src = await tempDir()
  const value = path.join(src, 'v.json')
  await fs.writeFile(value, JSON.stringify({ cell: `x${ESC}]0;pwned${ESC}\\`, name: `a${RLO}b` }))
  for (const key of [RED_KEY, BIDI_KEY]) {
    const r = await runCli(['put', cache, key, value, '--meta', `f${ESC}[2J=v${RLO}`])
    expect(r.stderr).toBe('')
  }
  return cache
}

describe('control and bidi characters in keys and values', () => {
  it('are escaped in text output and kept exact in --json', async () => {
    const cache = await cacheWithHostileKeys()
    const runs = await Promise.all([
      runCli(['ls', cache]),
      runCli(['ls', cache, '--long']),
      runCli(['info', cache, BIDI_KEY]),
      runCli(['show', cache, BIDI_KEY]),
      runCli(['rm', cache, RED_KEY, BIDI_KEY]),
      runCli(['show', cache, `${RED_KEY}-missing`]),
    ])
    for (const r of runs) {
      expect(hasRawControls(r.stdout + r.stderr)).toBe(false)
    }
    const [ls, long, info, show, rm, missing] = runs.map((r) => r?.stdout ?? '')
    expect(ls).toBe('invoice\\u202egpj.exe\nred\\x1b[31m\n')
    expect(long).toContain('red\\x1b[31m')
    expect(info).toContain('key:          invoice\\u202egpj.exe')
    expect(show).toContain('a\\u202eb')
    expect(rm).toContain('  red\\x1b[31m  (')
    expect(runs[5]?.stderr).toContain("'red\\x1b[31m-missing'")
    expect(missing).toBe('')

    const keys = JSON.parse((await runCli(['ls', cache, '--json'])).stdout)
    expect(keys).toEqual([BIDI_KEY, RED_KEY])
    const detail = JSON.parse((await runCli(['info', cache, BIDI_KEY, '--json'])).stdout)
    expect(detail.artifact.additional_metadata).toEqual({ [`f${ESC}[2J`]: `v${RLO}` })
  })
})

/** Runs the CLI, reads its first chunk of stdout, then closes the pipe as `head` does. */
function runAndCloseEarly(args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
    let stderr = ''
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d))
    child.stdout.once('data', () => child.stdout.destroy())
    child.on('close', (code) => resolve({ code, stderr }))
  })
}

describe('a reader that closes the pipe early', () => {
  it('ends show --json and ls --long --json quietly with exit code 0', async () => {
    const cache = path.join(await tempDir(), 'c')
    const src = await tempDir()
    // About 2 MB of JSON: far more than a pipe holds, so the CLI is still writing.
    const big = path.join(src, 'big.json')
    await fs.writeFile(big, JSON.stringify(Array.from({ length: 200_000 }, (_, i) => i * 1.5)))
    expect((await runCli(['put', cache, 'big', big])).code).toBe(0)
    // 3,000 sidecars, written directly (as Python would): ls --long --json is ~400 KB.
    const meta = path.join(cache, 'xpersist_metadata_store')
    for (let i = 0; i < 3000; i++) {
      const key = `k${String(i).padStart(5, '0')}`
      const sidecar = { key, serializer: 'joblib', load_kwargs: {}, dump_kwargs: {} }
      await fs.writeFile(path.join(meta, `${key}.artifact.json`), JSON.stringify(sidecar))
    }
    for (const args of [
      ['show', cache, 'big', '--json'],
      ['ls', cache, '--long', '--json'],
    ]) {
      expect(await runAndCloseEarly(args)).toEqual({ code: 0, stderr: '' })
    }
  }, 120_000)
})

describe('xpersist show of an array over the 10 M items it converts by default', () => {
  it('prints the first 1000 items and says how to get all of it; --all does', async () => {
    const cache = path.join(await tempDir(), 'c')
    const file = path.join(REPO, 'test/fixtures/joblib/big-u1.joblib')
    expect((await runCli(['put', cache, 'big', file])).code).toBe(0)
    const text = await runCli(['show', cache, 'big'])
    expect([text.code, text.stderr]).toEqual([0, ''])
    expect(text.stdout).toMatch(/"size": 10000005,\n {2}"head": \[\n {4}0,\n {4}1,/)
    expect(text.stdout).toContain(
      'Showing the first 1,000 items of an array of 10,000,005 items. Run again with --all',
    )
    const json = await runCli(['show', cache, 'big', '--json'])
    expect(json.code).toBe(0)
    const preview = JSON.parse(json.stdout).value
    expect([preview.dtype, preview.shape, preview.size, preview.head.length]).toEqual([
      'uint8',
      [10_000_005],
      10_000_005,
      1000,
    ])
    expect(preview.head.slice(98, 102)).toEqual([98, 99, 0, 1])
    expect(json.stderr).toMatch(/^xpersist: Showing the first 1,000 items.*--all/)
    const whole = await runCli(['show', cache, 'big', '--json', '--all'])
    expect([whole.code, whole.stderr]).toEqual([0, ''])
    const values = JSON.parse(whole.stdout).value.values as number[]
    expect([values.length, values[10_000_004]]).toEqual([10_000_005, 4])
  }, 180_000)

  it('--all prints every row of a table, whatever --rows says', async () => {
    const cache = await fixtureCopy()
    const run = async (...extra: string[]) =>
      JSON.parse((await runCli(['show', cache, 'stations.csv', '--json', ...extra])).stdout)
    expect((await run('--rows', '2')).rows).toHaveLength(2)
    expect((await run('--rows', '2', '--all')).rows).toHaveLength(5)
  })
})

describe('a sidecar without created_at', () => {
  it('lists as unknown, and info says so, instead of a made-up time', async () => {
    const cache = path.join(await tempDir(), 'c')
    const src = await tempDir()
    await fs.writeFile(path.join(src, 'v.json'), '1')
    expect((await runCli(['put', cache, 'k', path.join(src, 'v.json')])).code).toBe(0)
    const file = path.join(cache, 'xpersist_metadata_store/k.artifact.json')
    const sidecar = JSON.parse(await fs.readFile(file, 'utf8'))
    await fs.writeFile(file, JSON.stringify({ ...sidecar, created_at: null }))
    const ls = await runCli(['ls', cache, '--long'])
    expect(ls.stdout.split('\n')[2]).toMatch(/^k +joblib +unknown +— +\d+ B$/)
    const info = await runCli(['info', cache, 'k'])
    expect(info.stdout).toContain('created_at:   unknown (the sidecar has no time)')
    const json = JSON.parse((await runCli(['ls', cache, '--long', '--json'])).stdout)
    expect(json[0].created_at).toBeNull()
  })
})
