import { promises as fs } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { createdAtDate } from '../../shared/artifact.js'
import { decodeSidecar, encodeSidecar } from '../../electron/engine/sidecar.js'
import { CacheStore } from '../../electron/engine/store.js'
import { FIXTURE_CACHE, FIXTURE_EXPECTED } from '../helpers/temp.js'

const expected = JSON.parse(await fs.readFile(FIXTURE_EXPECTED, 'utf8')) as {
  artifacts: Record<
    string,
    {
      sidecar: Record<string, unknown>
      sidecar_path: string
      files: { path: string; size: number }[]
    }
  >
}
const keys = Object.keys(expected.artifacts)

describe('sidecars written by Python xpersist', () => {
  it.each(keys)('%s decodes to expected.json and re-encodes byte for byte', async (key) => {
    const art = expected.artifacts[key]!
    const bytes = await fs.readFile(path.join(FIXTURE_CACHE, art.sidecar_path))
    const artifact = decodeSidecar(bytes, art.sidecar_path)
    expect(JSON.parse(JSON.stringify(artifact))).toEqual(art.sidecar)
    expect(Buffer.from(encodeSidecar(artifact)).toString()).toBe(bytes.toString())
  })

  it('lists every key, nested ones too, and reports payload files and sizes', async () => {
    const store = await CacheStore.open(FIXTURE_CACHE, { readonly: true })
    expect(await store.keys()).toEqual([...keys].sort())
    for (const key of keys) {
      const files = await store.payloadFiles(key)
      expect(files).toEqual(
        [...expected.artifacts[key]!.files]
          .map((f) => ({ path: f.path, bytes: f.size }))
          .sort((a, b) => (a.path < b.path ? -1 : 1)),
      )
    }
  })

  it('reads naive created_at as UTC and zone suffixes as given', () => {
    expect(createdAtDate('2026-11-26T14:43:29.476057').toISOString()).toBe(
      '2026-11-26T14:43:29.476Z',
    )
    expect(createdAtDate('2026-11-26T14:43:29+02:00').toISOString()).toBe(
      '2026-11-26T12:43:29.000Z',
    )
    expect(createdAtDate('2026-11-26 14:43:29Z').toISOString()).toBe('2026-11-26T14:43:29.000Z')
    expect(createdAtDate('2026-11-26').toISOString()).toBe('2026-11-26T00:00:00.000Z')
  })
})

describe('parseArtifact', () => {
  it('agrees with the zod schema on well-formed and broken sidecars', async () => {
    const { parseArtifact } = await import('../../shared/artifact.js')
    const { ArtifactSchema } = await import('../../shared/artifact-schema.js')
    const samples: unknown[] = [
      {
        key: 'k',
        serializer: 's',
        load_kwargs: {},
        dump_kwargs: {},
        additional_metadata: { a: 1 },
        created_at: '2026-11-26T14:43:29.476057',
        extra: [1],
      },
      { key: 'k', serializer: 's' },
      {
        key: 'k',
        serializer: 's',
        load_kwargs: null,
        dump_kwargs: {},
        additional_metadata: {},
        created_at: 1700000000,
      },
      {
        key: 'k',
        serializer: 's',
        load_kwargs: [],
        dump_kwargs: {},
        additional_metadata: {},
        created_at: 'x',
      },
      { key: 1, serializer: 's' },
      {
        key: 'k',
        serializer: 's',
        load_kwargs: {},
        dump_kwargs: {},
        additional_metadata: {},
        created_at: 'yesterday',
      },
      [],
      null,
    ]
    for (const s of samples) {
      const fast = parseArtifact(s)
      const slow = ArtifactSchema.safeParse(s)
      expect(fast.success).toBe(slow.success)
      if (fast.success && slow.success) {
        expect({ ...fast.data, created_at: 0 }).toEqual({ ...slow.data, created_at: 0 })
      }
    }
  })
})
