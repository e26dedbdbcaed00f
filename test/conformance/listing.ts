/**
 * Conformance of listings and bulk deletes: list by prefix recursively and one level at a time
 * (with and without a trailing slash), listPaths pages, listing across pages, deleteMany
 * across a 1,000-key batch with missing paths, listTempFiles, and listing by key range.
 */
import { expect, it } from 'vitest'
import type { ListRange } from '../../electron/engine/backend/backend.js'
import { listInRanges } from '../../electron/engine/list-ranges.js'
import { withLimit } from './objects.js'
import {
  bounded,
  bytes,
  closed,
  collect,
  listed,
  listedPaths,
  limitGone,
  rejects,
  stillLimited,
  type Suite,
} from './support.js'

const TREE = ['x/1', 'x/y/2', 'x/y/z/3', 'x/yz/4', 'xy/5', 'w']

// Spaces, '+', accents, U+FB01 and an emoji (UTF-16 and UTF-8 order them differently).
const RANGED = ['a b', 'a+b', 'a/1', 'a/2', 'b', 'c+', 'c/z', 'c/é', 'ü/x', 'ﬁ', '😀', 'z/y']

// UTF-8 byte order, written apart from the engine's comparePaths.
const byBytes = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b))

// A folder tree walked by name (SeaweedFS): '/' before every other character.
const byTree = (a: string, b: string) => byBytes(a.replaceAll('/', '\0'), b.replaceAll('/', '\0'))

/**
 * The paths of RANGED in `range` under `prefix` as a server listing in `order` names them: in
 * byte order, those after the start up to the end; in a tree, StartAfter `s` also steps past
 * the folder `s/`, which the range ending at `s` then holds.
 */
function expectedIn(range: ListRange, prefix = '', order: 'bytes' | 'tree' = 'bytes'): string[] {
  const cmp = order === 'bytes' ? byBytes : byTree
  const under = (p: string, bound: string) => order === 'tree' && p.startsWith(`${bound}/`)
  return RANGED.filter(
    (p) =>
      p.startsWith(prefix) &&
      (range.startAfter === undefined ||
        (cmp(p, range.startAfter) > 0 && !under(p, range.startAfter))) &&
      (range.endAt === undefined || cmp(p, range.endAt) <= 0 || under(p, range.endAt)),
  ).sort(byBytes)
}

/** Registers the listing cases. */
export function listingCases(s: Suite): void {
  const { fresh, timeout } = s

  it(
    'lists recursively by folder prefix, with or without a trailing slash',
    async () => {
      const b = await fresh()
      for (const p of TREE) await b.put(p, bytes(p))
      expect(await listed(b, '')).toEqual([...TREE].sort())
      const under = ['x/y/2', 'x/y/z/3']
      expect(await listed(b, 'x/y')).toEqual(under)
      expect(await listed(b, 'x/y/')).toEqual(under)
      // A prefix is a folder: 'x' never lists 'xy/5', 'x/y' never lists 'x/yz/4'.
      expect(await listed(b, 'x')).toEqual(['x/1', 'x/y/2', 'x/y/z/3', 'x/yz/4'])
      const sizes = (await collect(b.list('x/y'))).map((m) => [m.path, m.size]).sort()
      expect(sizes).toEqual([
        ['x/y/2', 5],
        ['x/y/z/3', 7],
      ])
      for (const m of await collect(b.list(''))) {
        expect(m.etag).toBe((await b.head(m.path))?.etag)
        expect(m.lastModified).toBeInstanceOf(Date)
      }
      expect(await listed(b, 'missing')).toEqual([])
      expect(await listed(b, 'missing/deeper/')).toEqual([])
    },
    timeout,
  )

  it(
    'lists key ranges: bounds exclusive then inclusive, in the server order, across pages',
    async () => {
      const b = await fresh()
      await bounded(RANGED, 8, (p) => b.put(p, bytes(p)))
      const inside = async (range: ListRange, prefix = '') =>
        (await collect(b.list(prefix, range))).map((m) => m.path).sort(byBytes)
      const tree = s.limit('keyRangesTreeOrder')
      if (tree) {
        // The limit still shows: folder 'a' skipped after 'a b'.
        const got = await inside({ startAfter: 'a b' })
        expect(got, limitGone(s, 'keyRangesTreeOrder')).not.toContain('a/1')
      }
      // What the server's order puts in a range is listed; beyond it, only what the other
      // order would (list-order.ts: a backend may not know which order its server uses).
      const check = (got: string[], range: ListRange, prefix = '') => {
        const own = expectedIn(range, prefix, tree ? 'tree' : 'bytes')
        const either = new Set([...own, ...expectedIn(range, prefix, tree ? 'bytes' : 'tree')])
        const what = `${JSON.stringify(range)} under '${prefix}': ${JSON.stringify(got)}`
        expect(
          own.filter((p) => !got.includes(p)),
          `missing from ${what}`,
        ).toEqual([])
        expect(
          got.filter((p) => !either.has(p)),
          `outside ${what}`,
        ).toEqual([])
      }
      const cases: ListRange[] = [
        {},
        { endAt: 'b' },
        { startAfter: 'b' },
        { startAfter: 'a b', endAt: 'c/z' },
        { startAfter: 'a/', endAt: 'c/' }, // bounds that are no object
        { startAfter: 'c', endAt: 'ﬀ' }, // past U+FFFF vs below: byte order, not UTF-16's
        { startAfter: 'ﬁ', endAt: '😀' },
        { startAfter: 'b', endAt: 'b' }, // empty
        { startAfter: 'z', endAt: 'a' }, // inverted: empty
        { startAfter: 'z/y' }, // past the end
        { endAt: ' ' }, // before the start
        { startAfter: 'a', endAt: 'a b' }, // a folder named as the start
      ]
      for (const range of cases) check(await inside(range), range)
      check(await inside({ startAfter: 'c/z' }, 'c'), { startAfter: 'c/z' }, 'c/')
      check(await inside({ startAfter: 'c+' }, 'c/'), { startAfter: 'c+' }, 'c/')
      check(await inside({ endAt: 'a/1' }, 'a/'), { endAt: 'a/1' }, 'a/')
      if (!tree) expect(await inside({ startAfter: 'c+' }, 'c/')).toEqual(['c/z', 'c/é'])
      // Split at names, at points between them and at folders, the ranges listed side by side
      // name every object once.
      for (const points of [
        ['a+b', 'a/', 'b', 'c/z', 'ü', '😀'],
        [...RANGED],
        ['a', 'a b', 'a/2', 'c', 'c+', 'c/', 'ü'],
      ]) {
        const all = (await listInRanges(b, points)).map((m) => m.path)
        expect(all, JSON.stringify(points)).toEqual([...RANGED].sort(byBytes))
      }
    },
    timeout,
  )

  it(
    'lists one level with a delimiter, with or without a trailing slash',
    async () => {
      const b = await fresh()
      for (const p of TREE) await b.put(p, bytes(p))
      const top = await b.listWithDelimiter('')
      expect(top.objects.map((m) => m.path).sort()).toEqual(['w'])
      expect(top.prefixes.sort()).toEqual(['x/', 'xy/'])
      for (const prefix of ['x', 'x/']) {
        const level = await b.listWithDelimiter(prefix)
        expect(level.objects.map((m) => m.path)).toEqual(['x/1'])
        expect(level.objects[0]).toMatchObject({ size: 3 })
        expect(level.prefixes.sort()).toEqual(['x/y/', 'x/yz/'])
      }
      const deep = await b.listWithDelimiter('x/y/z')
      expect(deep.objects.map((m) => m.path)).toEqual(['x/y/z/3'])
      expect(deep.prefixes).toEqual([])
      expect(await b.listWithDelimiter('missing/')).toEqual({ objects: [], prefixes: [] })
    },
    timeout,
  )

  it(
    'names every object in listPaths pages, as list does',
    async () => {
      const b = await fresh()
      for (const p of TREE) await b.put(p, bytes(p))
      const pages = await collect(b.listPaths(''))
      for (const page of pages) expect(Array.isArray(page)).toBe(true)
      const all = pages.flat()
      expect(new Set(all).size).toBe(all.length)
      expect([...all].sort()).toEqual([...TREE].sort())
      expect(await listedPaths(b, 'x/y')).toEqual(['x/y/2', 'x/y/z/3'])
      expect(await listedPaths(b, 'x/y/')).toEqual(['x/y/2', 'x/y/z/3'])
      expect(await listedPaths(b, 'missing')).toEqual([])
    },
    timeout,
  )

  it(
    withLimit(s, 'emptyPrefixKept', 'lists across pages; deleteMany crosses a 1,000-path batch'),
    async () => {
      const b = await fresh()
      const pageSize = s.opts.pageSize ?? 1000
      const n = pageSize + 100
      const names = Array.from({ length: n }, (_, i) => `p/o-${String(i).padStart(5, '0')}`)
      // Sub-prefixes sorting before and after the objects, so some land on a later page.
      const nested = ['p/a-dir/x', 'p/zz-1/a', 'p/zz-2/a/b']
      await bounded([...names, ...nested], 16, (p) => b.put(p, bytes(p.slice(-1))))
      const all = [...names, ...nested].sort()

      expect(await listed(b, 'p')).toEqual(all)
      const pages = await collect(b.listPaths('p/'))
      expect(pages.flat().sort()).toEqual(all)
      if (s.opts.pageSize !== undefined) {
        expect(pages.length).toBeGreaterThanOrEqual(Math.ceil(all.length / pageSize))
        for (const page of pages) expect(page.length).toBeLessThanOrEqual(pageSize)
      }
      const level = await b.listWithDelimiter('p/')
      expect(level.objects.map((m) => m.path).sort()).toEqual(names)
      expect(level.prefixes.sort()).toEqual(['p/a-dir/', 'p/zz-1/', 'p/zz-2/'])

      // 1,500 paths, missing ones spread through both batches of 1,000; one object kept.
      const kept = all[all.length - 1] as string
      const paths: string[] = []
      for (const p of all.slice(0, -1)) {
        if (paths.length % 4 === 3) paths.push(`p/missing-${paths.length}`)
        paths.push(p)
      }
      while (paths.length < 1500) paths.push(`p/missing-${paths.length}`)
      await b.put('q/stays', bytes('q'))
      await b.deleteMany(paths)
      expect(await listed(b, '')).toEqual([kept, 'q/stays'].sort())
      const after = await b.listWithDelimiter('p/')
      expect(after.objects).toEqual([])
      if (s.limit('emptyPrefixKept')) {
        const gone = after.prefixes.filter((p) => p !== 'p/zz-2/')
        expect(after.prefixes).toContain('p/zz-2/')
        expect(gone.length, limitGone(s, 'emptyPrefixKept')).toBeGreaterThan(0)
      } else {
        expect(after.prefixes).toEqual(['p/zz-2/'])
      }
    },
    Math.max(timeout, 300_000),
  )

  it(
    'deleteMany: nothing, duplicates, only missing paths, and neighbours kept',
    async () => {
      const b = await fresh()
      for (const p of ['g/a', 'g/b', 'g/c', 'g/ab']) await b.put(p, bytes(p))
      await b.deleteMany([])
      await b.deleteMany(['g/none', 'nowhere/x'])
      await b.deleteMany(['g/a', 'g/a', 'g/b'])
      expect(await listed(b, '')).toEqual(['g/ab', 'g/c'])
    },
    timeout,
  )

  it(
    withLimit(
      s,
      ['createIgnored', 'ifMatchIgnored'],
      'leaves no temp files behind: not after writes, not after refused writes',
    ),
    async () => {
      const b = await fresh()
      await b.put('t/a', bytes('a'))
      await b.put('t/a', bytes('b'))
      await b.put('t/n/b', bytes('b'), { mode: 'create' })
      // Refused, or written where a declared limit says the server ignores the condition.
      const create = b.put('t/n/b', bytes('b'), { mode: 'create' })
      if (s.limit('createIgnored')) await stillLimited(s, 'createIgnored', create)
      else await rejects(create, 'ALREADY_EXISTS')
      const stale = b.put('t/a', bytes('b'), { mode: { ifMatch: 'stale' } })
      if (s.limit('ifMatchIgnored')) await stillLimited(s, 'ifMatchIgnored', stale)
      else await rejects(stale, 'CONFLICT')
      await b.delete('t/a')
      expect(await collect(b.listTempFiles(''))).toEqual([])
      expect(await collect(b.listTempFiles('t'))).toEqual([])
      expect(await collect(b.listTempFiles('missing/'))).toEqual([])
      expect(await listed(b, '')).toEqual(['t/n/b'])
    },
    timeout,
  )

  it(
    'refuses listing paths that climb out or are malformed, in the closed set',
    async () => {
      const b = await fresh()
      await b.put('ok', bytes('1'))
      // Callers validate keys first; a backend still never lists outside its root. Either an
      // empty answer or a closed-set refusal is fine, never something outside the root.
      for (const bad of ['../', '../x']) {
        const got = await listed(b, bad).catch((e: unknown) => closed(e))
        if (Array.isArray(got)) expect(got).toEqual([])
      }
    },
    timeout,
  )
}
