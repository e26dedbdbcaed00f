// A record longer than a page may hold (a 200 MB line, or an unclosed quote that swallows the
// file) is refused with LimitExceededError after reading about the limit, never the whole
// file, and before the page reader holds more than the limit. Checked at the real size (a
// 200 MB temp file, written in 1 MB pieces) and, with a small limit, on an in-memory file.
import fs from 'node:fs/promises'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { LocalBackend } from '../../../electron/engine/backend/local.js'
import type { Backend, ByteRange } from '../../../electron/engine/backend/backend.js'
import { LimitExceededError } from '../../../electron/engine/errors.js'
import { readCsvPage } from '../../../electron/engine/serializers/csv/csv-pages.js'
import { previewPandasCsv } from '../../../electron/engine/serializers/csv/csv-serializer.js'
import { MAX_RECORD_BYTES } from '../../../electron/engine/serializers/csv/csv-scan.js'
import { tempDir } from '../../helpers/temp.js'
import { MemoryBackend, memoryTarget } from './memory-backend.js'

const MB = 1024 * 1024

// The backend with every byte `get` returns counted.
function counting(backend: Backend): { backend: Backend; read: () => number } {
  let read = 0
  const wrapper = Object.create(backend) as Backend
  wrapper.get = async (p: string, range?: ByteRange) => {
    const bytes = await backend.get(p, range)
    read += bytes?.length ?? 0
    return bytes
  }
  return { backend: wrapper, read: () => read }
}

async function writeLongFile(file: string, head: string, mb: number): Promise<void> {
  const handle = await fs.open(file, 'w')
  try {
    await handle.write(head)
    const piece = Buffer.alloc(MB, 'x')
    for (let i = 0; i < mb; i++) await handle.write(piece)
  } finally {
    await handle.close()
  }
}

describe('a 200 MB line', () => {
  it.each([
    ['as the header', ''],
    ['as a data row', 'a,b\n1,'],
    ['inside an unclosed quote', 'a,b\n1,"'],
  ])(
    '%s is refused after reading about the limit',
    async (_name, head) => {
      const dir = await tempDir('xp-longline-')
      await writeLongFile(path.join(dir, 'long.csv'), head, 200)
      const { backend, read } = counting(await LocalBackend.open(dir))
      const target = { backend, path: 'long.csv', putMode: 'overwrite' as const }
      const err = await previewPandasCsv(target, { kwargs: {}, rows: 100 }).catch((e: Error) => e)
      await fs.rm(path.join(dir, 'long.csv'))
      expect(err).toBeInstanceOf(LimitExceededError)
      expect((err as Error).message).toMatch(/long\.csv has a record longer than 64 MB/)
      expect(read()).toBeGreaterThan(MAX_RECORD_BYTES)
      expect(read()).toBeLessThan(MAX_RECORD_BYTES + 4 * MB)
    },
    120_000,
  )
})

describe('a record over a small limit', () => {
  it('stops the page at the limit, in the header or in the rows', async () => {
    for (const head of ['', 'a,b\n', 'a,b\n1,2\n3,"']) {
      const backend = new MemoryBackend()
      await backend.put('k.csv', new TextEncoder().encode(head + 'y'.repeat(5 * MB) + '\n'))
      const target = memoryTarget(backend, 'k.csv')
      const meta = (await backend.head('k.csv'))!
      const err = await readCsvPage(target, meta, {}, 0, 100, 1e6, MB).catch((e: Error) => e)
      expect(err).toBeInstanceOf(LimitExceededError)
      const read = backend.gets.reduce((n, [, r]) => n + (r && 'length' in r ? r.length : 0), 0)
      expect(read).toBeLessThan(3 * MB)
    }
  })
})
