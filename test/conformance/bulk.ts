/**
 * Conformance of the bulk reads (getManyText, headMany), of names with spaces, unicode and
 * URL-special characters, of missing objects at every call, and of openRead where present.
 */
import { expect, it } from 'vitest'
import type { Backend } from '../../electron/engine/backend/backend.js'
import { bytes, closed, collect, listed, listedPaths, text, type Suite } from './support.js'

/** Names that break naive URL, form or percent encoding, and every unicode plane in use. */
export const AWKWARD_NAMES = [
  'names/with space/a b.txt',
  'names/é/日本/🎉 party.bin',
  'names/a+b=c.txt',
  'names/100%/50%25.txt',
  'names/q?a#b&c.txt',
  'names/plus+dir/x',
]

/** What getManyText gave for one object, as text (a string, or bytes decoded strictly). */
function asText(v: string | Uint8Array | undefined): string | undefined {
  return typeof v === 'string' ? v : text(v)
}

/** Registers the bulk, naming and missing-object cases. */
export function bulkCases(s: Suite): void {
  const { fresh, timeout } = s

  it(
    'getManyText: text in order, invalid UTF-8 as bytes, missing as undefined',
    async () => {
      const b = await fresh()
      const invalid = new Uint8Array([0x7b, 0xff, 0xfe, 0x7d])
      await b.put('m/plain.json', bytes('{"a": 1}'))
      await b.put('m/accents.json', bytes('{"a": "é日本🎉"}'))
      await b.put('m/replacement.json', bytes('{"a": "\uFFFD"}'))
      await b.put('m/empty.json', new Uint8Array(0))
      await b.put('m/bad.json', invalid)
      const got = await b.getManyText([
        'm/plain.json',
        'm/missing.json',
        'm/accents.json',
        'no/such/dir.json',
        'm/replacement.json',
        'm/empty.json',
        'm/bad.json',
        'm/plain.json',
      ])
      expect(got.length).toBe(8)
      expect(asText(got[0])).toBe('{"a": 1}')
      expect(got[1]).toBeUndefined()
      expect(asText(got[2])).toBe('{"a": "é日本🎉"}')
      expect(got[3]).toBeUndefined()
      expect(asText(got[4])).toBe('{"a": "\uFFFD"}')
      expect(asText(got[5])).toBe('')
      // Never a lossy string: the caller decodes the bytes strictly and reports the object.
      expect(got[6]).toBeInstanceOf(Uint8Array)
      expect([...(got[6] as Uint8Array)]).toEqual([...invalid])
      expect(asText(got[7])).toBe('{"a": 1}')
      expect(await b.getManyText([])).toEqual([])
    },
    timeout,
  )

  it(
    'getManyText and headMany keep order over many paths (bounded concurrency)',
    async () => {
      const b = await fresh()
      const paths = Array.from({ length: 150 }, (_, i) => `many/${i % 7}/k${i}`)
      for (const p of paths.filter((_, i) => i % 3 !== 0)) await b.put(p, bytes(p))
      const texts = await b.getManyText(paths)
      const metas = await b.headMany(paths)
      paths.forEach((p, i) => {
        expect(asText(texts[i])).toBe(i % 3 === 0 ? undefined : p)
        if (i % 3 === 0) expect(metas[i]).toBeUndefined()
        else expect(metas[i]).toMatchObject({ path: p, size: bytes(p).length })
      })
    },
    timeout,
  )

  it(
    'headMany agrees with head, undefined for missing',
    async () => {
      const b = await fresh()
      await b.put('h/a', bytes('aa'))
      await b.put('h/b/c', bytes('ccc'))
      const metas = await b.headMany(['h/b/c', 'h/none', 'h/a', 'h/b'])
      expect(metas[0]).toMatchObject({
        path: 'h/b/c',
        size: 3,
        etag: (await b.head('h/b/c'))?.etag,
      })
      expect(metas[1]).toBeUndefined()
      expect(metas[2]).toMatchObject({ path: 'h/a', size: 2, etag: (await b.head('h/a'))?.etag })
      expect(metas[3]).toBeUndefined()
      expect(await b.headMany([])).toEqual([])
    },
    timeout,
  )

  it(
    'round-trips names with spaces, unicode, +, %, =, ?, # and & through every call',
    async () => {
      const b = await fresh()
      for (const name of AWKWARD_NAMES) {
        const meta = await b.put(name, bytes(`content of ${name}`))
        expect(meta.path).toBe(name)
      }
      for (const name of AWKWARD_NAMES) {
        expect(text(await b.get(name)), name).toBe(`content of ${name}`)
        expect(text(await b.get(name, { suffixLength: bytes(name).length })), name).toBe(name)
        expect((await b.head(name))?.path).toBe(name)
      }
      expect(await listed(b, '')).toEqual([...AWKWARD_NAMES].sort())
      expect(await listedPaths(b, 'names')).toEqual([...AWKWARD_NAMES].sort())
      expect(await listed(b, 'names/é/日本')).toEqual(['names/é/日本/🎉 party.bin'])
      expect(await listed(b, 'names/100%')).toEqual(['names/100%/50%25.txt'])
      const level = await b.listWithDelimiter('names/')
      expect(level.objects.map((m) => m.path).sort()).toEqual([
        'names/a+b=c.txt',
        'names/q?a#b&c.txt',
      ])
      expect(level.prefixes.sort()).toEqual(
        ['names/100%/', 'names/plus+dir/', 'names/with space/', 'names/é/'].sort(),
      )
      expect((await b.listWithDelimiter('names/é')).prefixes).toEqual(['names/é/日本/'])
      const texts = await b.getManyText(AWKWARD_NAMES)
      expect(texts.map(asText)).toEqual(AWKWARD_NAMES.map((n) => `content of ${n}`))
      expect((await b.headMany(AWKWARD_NAMES)).map((m) => m?.path)).toEqual(AWKWARD_NAMES)
      // '+' is no space and '%25' no '%': a near name stays missing.
      expect(await b.head('names/a b=c.txt')).toBeUndefined()
      expect(await b.head('names/100%/50%.txt')).toBeUndefined()
      await b.delete(AWKWARD_NAMES[0] as string)
      await b.deleteMany(AWKWARD_NAMES.slice(1, 3))
      expect(await listed(b, '')).toEqual(AWKWARD_NAMES.slice(3).sort())
    },
    timeout,
  )

  it(
    'answers every call about missing objects without an error',
    async () => {
      const b = await fresh()
      await b.put('present/x', bytes('x'))
      for (const p of ['nope', 'no/such/dir/file', 'present/y']) {
        expect(await b.head(p), p).toBeUndefined()
        expect(await b.get(p), p).toBeUndefined()
        expect(await b.get(p, { offset: 0, length: 1 }), p).toBeUndefined()
        expect(await b.get(p, { suffixLength: 1 }), p).toBeUndefined()
        await b.delete(p)
      }
      expect(await b.headMany(['nope', 'no/such/dir/file'])).toEqual([undefined, undefined])
      expect(await b.getManyText(['nope', 'no/such/dir/file'])).toEqual([undefined, undefined])
      await b.deleteMany(['nope', 'no/such/dir/file'])
      expect(await collect(b.list('no/such'))).toEqual([])
      expect(await collect(b.listTempFiles('no/such'))).toEqual([])
      expect((await collect(b.listPaths('no/such'))).flat()).toEqual([])
      expect(await b.listWithDelimiter('no/such/')).toEqual({ objects: [], prefixes: [] })
      if (b.openRead) expect(await b.openRead('no/such/dir/file')).toBeUndefined()
      expect(await listed(b, '')).toEqual(['present/x'])
    },
    timeout,
  )

  // An object store holds 'a' and 'a/b' side by side; a disk cannot, and names the file in
  // the way (a broken cache shape, not a missing object). Either answer, never another error.
  it(
    'answers paths below an object as missing, or refuses them as BACKEND',
    async () => {
      const b = await fresh()
      await b.put('present/x', bytes('x'))
      const below = 'present/x/under'
      const either = async <T>(work: Promise<T>, missing: (v: T) => void) => {
        const got = await work.then(
          (v) => ({ v }),
          (e: unknown) => ({ e: closed(e) }),
        )
        if ('e' in got) expect(got.e.code).toBe('BACKEND')
        else missing(got.v)
      }
      const none = (v: unknown) => expect(v).toBeUndefined()
      await either(b.head(below), none)
      await either(b.get(below), none)
      await either(b.get(below, { suffixLength: 1 }), none)
      await either(b.headMany([below]), (v) => expect(v).toEqual([undefined]))
      await either(b.getManyText([below]), (v) => expect(v).toEqual([undefined]))
      await either(collect(b.list('present/x')), (v) => expect(v).toEqual([]))
      await either(collect(b.listPaths('present/x')), (v) => expect(v.flat()).toEqual([]))
      await either(b.listWithDelimiter('present/x/'), (v) =>
        expect(v).toEqual({ objects: [], prefixes: [] }),
      )
      await either(b.delete(below), none)
      expect(text(await b.get('present/x'))).toBe('x')
    },
    timeout,
  )

  it(
    'is writable when fresh',
    async () => {
      expect(await (await fresh()).isWritable()).toBe(true)
    },
    timeout,
  )

  it(
    'opens an object for random reads where it can (optional openRead)',
    async () => {
      const b: Backend = await fresh()
      if (!b.openRead) {
        expect(b.openRead).toBeUndefined() // optional: object stores read through ranges
        return
      }
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
      let thrown: unknown
      try {
        r.readSync(buf, 0)
      } catch (e) {
        thrown = e
      }
      closed(thrown)
    },
    timeout,
  )
}
