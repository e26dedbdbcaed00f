import { existsSync, promises as fs } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCli } from '../helpers/cli.js'
import { tempDir } from '../helpers/temp.js'

async function setup() {
  const cache = path.join(await tempDir(), 'c')
  const src = await tempDir()
  const first = path.join(src, 'first.csv')
  const second = path.join(src, 'second.csv')
  await fs.writeFile(first, 'a\n1\n')
  await fs.writeFile(second, 'a\n2\n')
  return { cache, first, second, payload: path.join(cache, 't.csv') }
}

describe('xpersist put on an existing key', () => {
  it('refuses without --on-duplicate, saying which flag does what, and writes nothing', async () => {
    const { cache, first, second, payload } = await setup()
    expect((await runCli(['put', cache, 't.csv', first])).stdout).toMatch(/^put 't\.csv'/)
    const r = await runCli(['put', cache, 't.csv', second])
    expect(r.code).toBe(1)
    expect(r.stdout).toBe('')
    expect(r.stderr).toBe(
      `xpersist: Key 't.csv' already exists in file://${cache}. Pass --on-duplicate overwrite ` +
        `to replace it, or --on-duplicate skip to keep it.\n`,
    )
    expect(await fs.readFile(payload, 'utf8')).toBe('a\n1\n')
  })

  it('keeps it with --on-duplicate skip and replaces it with overwrite, saying which', async () => {
    const { cache, first, second, payload } = await setup()
    await runCli(['put', cache, 't.csv', first])
    const skip = await runCli(['put', cache, 't.csv', second, '--on-duplicate', 'skip'])
    expect([skip.code, skip.stderr]).toEqual([0, ''])
    expect(skip.stdout).toMatch(/^kept existing 't\.csv' \(skipped\)/)
    expect(await fs.readFile(payload, 'utf8')).toBe('a\n1\n')
    const over = await runCli(['put', cache, 't.csv', second, '--on-duplicate', 'overwrite'])
    expect([over.code, over.stderr]).toEqual([0, ''])
    expect(over.stdout).toMatch(/^replaced 't\.csv' \(pandas\.csv\)/)
    expect(await fs.readFile(payload, 'utf8')).toBe('a\n2\n')
  })
})

describe('xpersist put --dump-kwargs', () => {
  it('refuses anything but a JSON object, and kwargs the serializer does not take', async () => {
    const { cache, first } = await setup()
    for (const bad of ['"str"', '[1,2]', '5', 'null']) {
      const r = await runCli(['put', cache, 't.csv', first, '--dump-kwargs', bad])
      expect(r.code).toBe(1)
      expect(r.stderr).toMatch(
        /^xpersist: --dump-kwargs must be a JSON object like '\{"index": false\}', not (a string|an array|a number|null)\.\n$/,
      )
    }
    const notJson = await runCli(['put', cache, 't.csv', first, '--dump-kwargs', '{index: 1}'])
    expect(notJson.stderr).toMatch(/--dump-kwargs is not valid JSON .*Pass a JSON object like/)
    const unknown = await runCli(['put', cache, 't.csv', first, '--dump-kwargs', '{"bogus": 1}'])
    expect(unknown.code).toBe(1)
    expect(unknown.stderr).toMatch(
      /pandas\.csv does not support dump kwarg 'bogus'; supported: index/,
    )
    // Nothing was stored by any of them (not even the cache folder made); a valid one is
    // recorded as given.
    expect(existsSync(cache)).toBe(false)
    const ok = await runCli(['put', cache, 't.csv', first, '--dump-kwargs', '{"index": false}'])
    expect(ok.code).toBe(0)
    const info = JSON.parse((await runCli(['info', cache, 't.csv', '--json'])).stdout)
    expect(info.artifact.dump_kwargs).toEqual({ index: false })
  })
})

describe('xpersist put --meta', () => {
  it('keeps fields named like Object.prototype members as fields', async () => {
    const { parseMeta } = await import('../../electron/cli/commands/put.js')
    const meta = parseMeta(['__proto__=x', 'constructor=1', 'toString=["a"]'])
    expect(Object.entries(meta)).toEqual([
      ['__proto__', 'x'],
      ['constructor', 1],
      ['toString', ['a']],
    ])
  })
})
