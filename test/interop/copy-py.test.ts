/**
 * A cache copied with `xpersist cp` reads in Python exactly as the Python-written original
 * (issue 9): the real xpersist 2021.12.17 (python/read_cache.py) reads every key of both, and
 * the two reports are equal once the folder names are set aside.
 */
import path from 'node:path'
import { promises as fs } from 'node:fs'
import { beforeAll, describe, expect, it } from 'vitest'
import { runCli } from '../helpers/cli.js'
import { fixtureCopy, tempDir } from '../helpers/temp.js'
import { HOOK_TIMEOUT_MS, runPython, skipWithoutPython } from './helpers/python.js'

const SUITE = 'xpersist cp, then Python reads the copy'

describe.skipIf(skipWithoutPython(SUITE))(SUITE, () => {
  let original = ''
  let copied = ''

  beforeAll(async () => {
    const src = await fixtureCopy()
    const dst = path.join(await tempDir('xp-interop-cp-'), 'copy')
    const r = await runCli(['cp', src, dst, '--yes'])
    if (r.code !== 0) throw new Error(`cp failed: ${r.stderr}`)
    const [a, b] = await Promise.all([
      runPython('read_cache.py', [src]),
      runPython('read_cache.py', [dst]),
    ])
    original = a.split(src).join('<cache>')
    copied = b.split(dst).join('<cache>')
    await fs.rm(dst, { recursive: true })
  }, HOOK_TIMEOUT_MS)

  it('reads every key of the copy as it reads the original', () => {
    const read = JSON.parse(original) as { keys: string[]; results: Record<string, unknown> }
    expect(read.keys).toContain('sst-monthly.zarr')
    expect(Object.keys(read.results).length).toBeGreaterThan(20)
    expect(copied).toBe(original)
  })
})
