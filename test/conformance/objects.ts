/**
 * Conformance of single-object calls: head, get and byte ranges, put in its three modes
 * (with a create race and an if-match race), the large-object put, and delete.
 */
import { expect, it } from 'vitest'
import { bytes, limitGone, rejects, settle, stillLimited, text, type Suite } from './support.js'

/** Registers the object cases. */
export function objectCases(s: Suite): void {
  const { fresh, timeout } = s

  it(
    'puts, heads and gets whole objects; put and head agree',
    async () => {
      const b = await fresh()
      const meta = await b.put('a/b/c.txt', bytes('0123456789'))
      expect(meta).toMatchObject({ path: 'a/b/c.txt', size: 10 })
      expect(typeof meta.etag).toBe('string')
      expect(meta.etag.length).toBeGreaterThan(0)
      expect(meta.lastModified).toBeInstanceOf(Date)
      const head = await b.head('a/b/c.txt')
      expect(head).toMatchObject({ path: 'a/b/c.txt', size: 10, etag: meta.etag })
      expect(text(await b.get('a/b/c.txt'))).toBe('0123456789')
      // A prefix with objects under it is no object.
      expect(await b.head('a/b')).toBeUndefined()
      expect(await b.get('a/b')).toBeUndefined()
    },
    timeout,
  )

  it(
    'keeps stored bytes apart from the caller buffers',
    async () => {
      const b = await fresh()
      const data = bytes('abc')
      await b.put('own', data)
      data[0] = 0x7a
      const got = (await b.get('own')) as Uint8Array
      expect(text(got)).toBe('abc')
      got[1] = 0x7a
      expect(text(await b.get('own'))).toBe('abc')
    },
    timeout,
  )

  it(
    'stores an empty object as empty bytes, not as missing',
    async () => {
      const b = await fresh()
      const meta = await b.put('empty', new Uint8Array(0))
      expect(meta.size).toBe(0)
      expect((await b.head('empty'))?.size).toBe(0)
      const got = await b.get('empty')
      expect(got).toBeInstanceOf(Uint8Array)
      expect(got?.length).toBe(0)
      expect((await b.get('empty', { offset: 0, length: 5 }))?.length).toBe(0)
      expect((await b.get('empty', { suffixLength: 5 }))?.length).toBe(0)
    },
    timeout,
  )

  it(
    'reads byte ranges: inside, past the end, suffixes, zero length',
    async () => {
      const b = await fresh()
      await b.put('r', bytes('0123456789'))
      const range = async (r: Parameters<typeof b.get>[1]) => text(await b.get('r', r))
      expect(await range({ offset: 2, length: 3 })).toBe('234')
      expect(await range({ offset: 0, length: 10 })).toBe('0123456789')
      expect(await range({ offset: 8, length: 100 })).toBe('89')
      expect(await range({ offset: 9, length: 1 })).toBe('9')
      expect(await range({ offset: 10, length: 5 })).toBe('')
      expect(await range({ offset: 25, length: 5 })).toBe('')
      expect(await range({ offset: 3, length: 0 })).toBe('')
      expect(await range({ suffixLength: 4 })).toBe('6789')
      expect(await range({ suffixLength: 10 })).toBe('0123456789')
      expect(await range({ suffixLength: 1000 })).toBe('0123456789')
      expect(await range({ suffixLength: 0 })).toBe('')
      expect(await b.get('missing', { offset: 0, length: 1 })).toBeUndefined()
      expect(await b.get('missing', { suffixLength: 1 })).toBeUndefined()
    },
    timeout,
  )

  it(
    'overwrites, and the etag changes with the content',
    async () => {
      const b = await fresh()
      const first = await b.put('k', bytes('one'))
      const second = await b.put('k', bytes('two!'))
      expect(second.etag).not.toBe(first.etag)
      expect((await b.head('k'))?.etag).toBe(second.etag)
      expect(text(await b.get('k'))).toBe('two!')
    },
    timeout,
  )

  it(
    withLimit(s, 'createIgnored', 'create mode refuses an existing object and keeps it'),
    async () => {
      const b = await fresh()
      await b.put('k', bytes('first'), { mode: 'create' })
      const second = b.put('k', bytes('second'), { mode: 'create' })
      if (s.limit('createIgnored')) {
        await stillLimited(s, 'createIgnored', second)
        expect(text(await b.get('k'))).toBe('second')
        return
      }
      await rejects(second, 'ALREADY_EXISTS')
      expect(text(await b.get('k'))).toBe('first')
    },
    timeout,
  )

  it(
    withLimit(s, 'createIgnored', 'a race of 20 creates has exactly one winner'),
    async () => {
      const b = await fresh()
      const n = 20
      const results = await settle(
        Array.from({ length: n }, (_, i) =>
          b.put('race/k', bytes(`writer ${i}`), { mode: 'create' }),
        ),
      )
      const winners = results.flatMap((r, i) => (r.status === 'fulfilled' ? [i] : []))
      if (s.limit('createIgnored')) {
        expect(winners.length, limitGone(s, 'createIgnored')).toBeGreaterThan(1)
        return
      }
      expect(winners.length).toBe(1)
      for (const r of results) {
        if (r.status === 'rejected') expect(r.reason).toMatchObject({ code: 'ALREADY_EXISTS' })
      }
      expect(text(await b.get('race/k'))).toBe(`writer ${winners[0]}`)
    },
    timeout,
  )

  it(
    withLimit(s, 'ifMatchIgnored', 'if-match writes only over the version it names'),
    async () => {
      const b = await fresh()
      const v1 = await b.put('k', bytes('v1'))
      const v2 = await b.put('k', bytes('v2'), { mode: { ifMatch: v1.etag } })
      expect(v2.etag).not.toBe(v1.etag)
      expect(text(await b.get('k'))).toBe('v2')
      const stale = () => b.put('k', bytes('v3'), { mode: { ifMatch: v1.etag } })
      const absent = () => b.put('none', bytes('x'), { mode: { ifMatch: v1.etag } })
      if (s.limit('ifMatchIgnored')) {
        await stillLimited(s, 'ifMatchIgnored', stale())
        await stillLimited(s, 'ifMatchIgnored', absent())
        return
      }
      await rejects(stale(), 'CONFLICT')
      await rejects(absent(), 'CONFLICT')
      await rejects(b.put('k', bytes('v4'), { mode: { ifMatch: 'no-such-version' } }), 'CONFLICT')
      expect(text(await b.get('k'))).toBe('v2')
      expect(await b.head('none')).toBeUndefined()
    },
    timeout,
  )

  it(
    withLimit(s, 'ifMatchIgnored', 'a race of 10 if-match writes on one version has one winner'),
    async () => {
      const b = await fresh()
      const v1 = await b.put('m', bytes('base'))
      const results = await settle(
        Array.from({ length: 10 }, (_, i) =>
          b.put('m', bytes(`edit ${i}`), { mode: { ifMatch: v1.etag } }),
        ),
      )
      const winners = results.flatMap((r, i) => (r.status === 'fulfilled' ? [i] : []))
      if (s.limit('ifMatchIgnored')) {
        expect(winners.length, limitGone(s, 'ifMatchIgnored')).toBeGreaterThan(1)
        return
      }
      expect(winners.length).toBe(1)
      for (const r of results) {
        if (r.status === 'rejected') expect(r.reason).toMatchObject({ code: 'CONFLICT' })
      }
      expect(text(await b.get('m'))).toBe(`edit ${winners[0]}`)
    },
    timeout,
  )

  it(
    withLimit(
      s,
      ['createIgnoredOnResumable', 'ifMatchIgnoredOnResumable'],
      'a large object (multipart or resumable upload) round-trips with its preconditions',
    ),
    async () => {
      const b = await fresh()
      const size = s.opts.largeBytes ?? 8 * 1024 * 1024 + 1
      const data = new Uint8Array(size)
      for (let i = 0; i < size; i += 4096) data[i] = (i / 4096) % 251
      data[size - 1] = 7
      const meta = await b.put('big/blob', data, { mode: 'create' })
      expect(meta.size).toBe(size)
      const got = await b.get('big/blob')
      expect(got?.length).toBe(size)
      expect(Buffer.from(got as Uint8Array).equals(Buffer.from(data))).toBe(true)
      const mid = 5 * 1024 * 1024 - 2
      expect([...((await b.get('big/blob', { offset: mid, length: 4 })) ?? [])]).toEqual([
        ...data.subarray(mid, mid + 4),
      ])
      const again = b.put('big/blob', data, { mode: 'create' })
      if (s.limit('createIgnoredOnResumable'))
        await stillLimited(s, 'createIgnoredOnResumable', again)
      else await rejects(again, 'ALREADY_EXISTS')
      const current = (await b.head('big/blob'))?.etag as string
      const stale = b.put('big/blob', data, { mode: { ifMatch: `${current}-stale` } })
      if (s.limit('ifMatchIgnoredOnResumable'))
        await stillLimited(s, 'ifMatchIgnoredOnResumable', stale)
      else await rejects(stale, 'CONFLICT')
      const edited = await b.put('big/blob', data.subarray(1), { mode: { ifMatch: current } })
      expect(edited.size).toBe(size - 1)
    },
    timeout,
  )

  it(
    'deletes, and deleting a missing object is fine',
    async () => {
      const b = await fresh()
      await b.put('d/e', bytes('1'))
      await b.put('d/ee', bytes('2'))
      await b.put('d/e2/x', bytes('3'))
      await b.delete('d/e')
      await b.delete('d/e')
      await b.delete('never/was')
      expect(await b.head('d/e')).toBeUndefined()
      expect(await b.get('d/e')).toBeUndefined()
      expect(text(await b.get('d/ee'))).toBe('2')
      expect(text(await b.get('d/e2/x'))).toBe('3')
    },
    timeout,
  )
}

/** The case's name, saying which declared limit it checks instead (and the server's reason). */
export function withLimit(
  s: Suite,
  limits: Parameters<Suite['limit']>[0] | Parameters<Suite['limit']>[0][],
  name: string,
): string {
  const declared = (Array.isArray(limits) ? limits : [limits]).flatMap((l) => {
    const why = s.limit(l)
    return why ? [`${l}: ${why}`] : []
  })
  return declared.length === 0
    ? name
    : `${name} [known limit, asserted as such: ${declared.join('; ')}]`
}
