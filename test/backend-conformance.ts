/**
 * The one conformance suite every Backend passes (local now; S3 and GCS run it against real
 * servers on loopback). Call it from a test file with a factory for a fresh, empty backend.
 */
import { describe, expect, it } from 'vitest'
import type { Backend } from '../electron/engine/backend/backend.js'

const bytes = (s: string) => new TextEncoder().encode(s)
const text = (b: Uint8Array | undefined) =>
  b === undefined ? undefined : new TextDecoder().decode(b)

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = []
  for await (const x of it) out.push(x)
  return out
}

/** Registers the conformance tests for one backend kind. */
export function backendConformance(name: string, fresh: () => Promise<Backend>): void {
  describe(`${name} backend conformance`, () => {
    it('returns undefined for missing objects, never throws', async () => {
      const b = await fresh()
      expect(await b.get('nope')).toBeUndefined()
      expect(await b.get('no/such/dir/file')).toBeUndefined()
      expect(await b.head('nope')).toBeUndefined()
    })

    it('puts, heads and gets whole objects and byte ranges', async () => {
      const b = await fresh()
      const meta = await b.put('a/b/c.txt', bytes('0123456789'))
      expect(meta).toMatchObject({ path: 'a/b/c.txt', size: 10 })
      expect(meta.etag).toBeTruthy()
      expect((await b.head('a/b/c.txt'))?.size).toBe(10)
      expect(text(await b.get('a/b/c.txt'))).toBe('0123456789')
      expect(text(await b.get('a/b/c.txt', { offset: 2, length: 3 }))).toBe('234')
      expect(text(await b.get('a/b/c.txt', { offset: 8, length: 100 }))).toBe('89')
      expect(text(await b.get('a/b/c.txt', { suffixLength: 4 }))).toBe('6789')
    })

    it('overwrites, and the etag changes with the content', async () => {
      const b = await fresh()
      const first = await b.put('k', bytes('one'))
      const second = await b.put('k', bytes('two!'))
      expect(second.etag).not.toBe(first.etag)
      expect(text(await b.get('k'))).toBe('two!')
    })

    it('create mode refuses an existing object and keeps it', async () => {
      const b = await fresh()
      await b.put('k', bytes('first'), { mode: 'create' })
      await expect(b.put('k', bytes('second'), { mode: 'create' })).rejects.toMatchObject({
        code: 'ALREADY_EXISTS',
      })
      expect(text(await b.get('k'))).toBe('first')
    })

    it('if-match writes only over the version it names', async () => {
      const b = await fresh()
      const v1 = await b.put('k', bytes('v1'))
      const v2 = await b.put('k', bytes('v2'), { mode: { ifMatch: v1.etag } })
      await expect(b.put('k', bytes('v3'), { mode: { ifMatch: v1.etag } })).rejects.toMatchObject({
        code: 'CONFLICT',
      })
      expect(text(await b.get('k'))).toBe('v2')
      expect(v2.etag).not.toBe(v1.etag)
    })

    it('lists recursively and with a delimiter', async () => {
      const b = await fresh()
      for (const p of ['x/1', 'x/y/2', 'x/y/z/3', 'w']) await b.put(p, bytes(p))
      const all = (await collect(b.list(''))).map((m) => m.path).sort()
      expect(all).toEqual(['w', 'x/1', 'x/y/2', 'x/y/z/3'])
      const under = (await collect(b.list('x/y'))).map((m) => [m.path, m.size]).sort()
      expect(under).toEqual([
        ['x/y/2', 5],
        ['x/y/z/3', 7],
      ])
      const level = await b.listWithDelimiter('x/')
      expect(level.objects.map((m) => m.path)).toEqual(['x/1'])
      expect(level.prefixes).toEqual(['x/y/'])
      expect(await collect(b.list('missing/'))).toEqual([])
    })

    it('opens an object for random reads when it can (optional)', async () => {
      const b = await fresh()
      if (!b.openRead) return
      await b.put('r/o', bytes('0123456789'))
      expect(await b.openRead('r/missing')).toBeUndefined()
      const r = await b.openRead('r/o')
      if (!r) throw new Error('openRead found nothing')
      expect(r.size).toBe(10)
      const buf = new Uint8Array(4)
      expect(r.readSync(buf, 3)).toBe(4)
      expect(text(buf)).toBe('3456')
      expect(r.readSync(buf, 8)).toBe(2)
      expect(text(buf.subarray(0, 2))).toBe('89')
      expect(r.readSync(buf, 10)).toBe(0)
      await r.close()
      await r.close()
      expect(() => r.readSync(buf, 0)).toThrow()
    })

    it('deletes, and deleting twice is fine', async () => {
      const b = await fresh()
      await b.put('d/e', bytes('1'))
      await b.delete('d/e')
      await b.delete('d/e')
      expect(await b.head('d/e')).toBeUndefined()
      expect((await collect(b.list(''))).length).toBe(0)
    })
  })
}
