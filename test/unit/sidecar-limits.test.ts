// Sidecars are untrusted input: their size and depth are bounded before anything walks them,
// and metadata edits refuse what the reader would then refuse.
import { promises as fs } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { CorruptSidecarError, InvalidArgumentError } from '../../electron/engine/errors.js'
import { decodeSidecar } from '../../electron/engine/sidecar.js'
import { CacheStore } from '../../electron/engine/store.js'
import { MAX_DEPTH, MAX_SIDECAR_BYTES } from '../../shared/limits.js'
import { tempDir } from '../helpers/temp.js'
import { testRegistry } from '../helpers/text-serializer.js'

const nested = (levels: number): unknown => {
  let v: unknown = 1
  for (let i = 0; i < levels; i++) v = { a: v }
  return v
}
const deepText = (levels: number): string => `${'{"a": '.repeat(levels)}1${'}'.repeat(levels)}`
const sidecarText = (metadata: string): string =>
  `{"key": "k", "serializer": "joblib", "additional_metadata": ${metadata}}`

async function storeWith(key: string) {
  const dir = path.join(await tempDir(), 'cache')
  const store = await CacheStore.open(dir, { registry: testRegistry() })
  await store.put(key, 'hello', { serializer: 'test.text' })
  const sidecar = path.join(dir, 'xpersist_metadata_store', `${key}.artifact.json`)
  return { store, sidecar }
}

describe('sidecar depth', () => {
  it('a 50,000-deep metadata sidecar is CorruptSidecarError, not a crash', async () => {
    const { store, sidecar } = await storeWith('deep')
    await fs.writeFile(sidecar, sidecarText(deepText(50_000)))
    await expect(store.getArtifact('deep')).rejects.toThrow(CorruptSidecarError)
    await expect(store.getArtifact('deep')).rejects.toThrow(/deeper than 100 levels/)
  })

  it('the exact parser (floats, big ints) stops at the same depth', () => {
    const text = sidecarText(deepText(50_000).replace('1', '1.0'))
    expect(() => decodeSidecar(text, 'x')).toThrow(/deeper than 100 levels/)
  })

  it('metadata exactly at the limit reads back', () => {
    // The sidecar object is one of the levels.
    const ok = decodeSidecar(sidecarText(deepText(MAX_DEPTH - 1)), 'x')
    expect(ok.key).toBe('k')
    expect(() => decodeSidecar(sidecarText(deepText(MAX_DEPTH)), 'x')).toThrow(CorruptSidecarError)
  })

  it('updateMetadata refuses 600 levels with InvalidArgumentError and writes nothing', async () => {
    const { store, sidecar } = await storeWith('k')
    const before = await fs.readFile(sidecar, 'utf8')
    const metadata = nested(600) as Record<string, unknown>
    await expect(store.updateMetadata('k', metadata)).rejects.toThrow(InvalidArgumentError)
    await expect(store.updateMetadata('k', metadata)).rejects.toThrow(/Flatten it/)
    expect(await fs.readFile(sidecar, 'utf8')).toBe(before)
    // What it accepts, it reads back.
    await store.updateMetadata('k', nested(MAX_DEPTH - 1) as Record<string, unknown>)
    expect((await store.getArtifact('k')).additional_metadata).toEqual(nested(MAX_DEPTH - 1))
  })

  it('put refuses metadata deeper than the limit before writing anything', async () => {
    const { store } = await storeWith('k')
    await expect(
      store.put('other', 'x', {
        serializer: 'test.text',
        additionalMetadata: nested(600) as Record<string, unknown>,
      }),
    ).rejects.toThrow(InvalidArgumentError)
    expect(await store.has('other')).toBe(false)
  })
})

describe('sidecar size', () => {
  it('a sidecar over the size limit is refused before parsing, saying the limit', async () => {
    const { store, sidecar } = await storeWith('long')
    const filler = 'x'.repeat(MAX_SIDECAR_BYTES)
    await fs.writeFile(sidecar, sidecarText(`{"notes": "${filler}"}`))
    await expect(store.getArtifact('long')).rejects.toThrow(CorruptSidecarError)
    await expect(store.getArtifact('long')).rejects.toThrow(
      /is 16\.0 MB; xpersist reads sidecars up to 16\.0 MB/,
    )
  })
})
