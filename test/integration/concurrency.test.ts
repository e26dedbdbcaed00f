import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import path from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { CacheStore } from '../../electron/engine/store.js'
import { listFiles, REPO, tempDir } from '../helpers/temp.js'

const run = promisify(execFile)
const ENGINE = path.join(REPO, 'dist', 'electron', 'engine', 'index.js')

// Each writer is its own Node process; all wait for the same instant, then put the same key.
const WRITER = `
const [engine, dir, id, startAt] = process.argv.slice(1)
const { CacheStore } = await import(engine)
const store = await CacheStore.open(dir, { onDuplicateKey: 'raise_error' })
while (Date.now() < Number(startAt)) {}
try {
  await store.put('race/key', { writer: Number(id) }, { additionalMetadata: { writer: Number(id) } })
  console.log('won')
} catch (err) {
  console.log(err.code ?? err.message)
}
`

describe('raise_error across processes', () => {
  it('exactly one of several concurrent writers wins, and its payload matches its sidecar', async () => {
    expect(existsSync(ENGINE), `${ENGINE} missing: run npm run build first`).toBe(true)
    const dir = path.join(await tempDir(), 'cache')
    await CacheStore.open(dir)
    const writers = 6
    for (let round = 0; round < 3; round++) {
      const key = 'race/key'
      const startAt = Date.now() + 1500
      const results = await Promise.all(
        Array.from({ length: writers }, (_, id) =>
          run(process.execPath, [
            '--input-type=module',
            '-e',
            WRITER,
            ENGINE,
            dir,
            String(id),
            String(startAt),
          ]).then((r) => r.stdout.trim()),
        ),
      )
      expect(results.filter((r) => r === 'won')).toHaveLength(1)
      expect(results.filter((r) => r === 'DUPLICATE_KEY')).toHaveLength(writers - 1)
      const store = await CacheStore.open(dir)
      const winner = (await store.getArtifact(key)).additional_metadata.writer
      const value = (await store.get(key)) as Map<string, unknown>
      expect(value.get('writer')).toBe(winner)
      expect(await listFiles(dir)).toEqual([
        'race/key',
        'xpersist_metadata_store/race/key.artifact.json',
      ])
      await store.delete(key, { dryRun: false })
    }
  })
})
