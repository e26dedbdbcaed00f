import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { pyFormat } from '../../electron/engine/result/pyformat.js'
import { slugify } from '../../electron/engine/result/slugify.js'
import {
  cached,
  CONTEXT_KEYS,
  XpersistResult,
} from '../../electron/engine/result/xpersist-result.js'
import { CacheStore } from '../../electron/engine/store.js'
import { tempDir } from '../helpers/temp.js'
import { testRegistry } from '../helpers/text-serializer.js'

// Expected strings printed by CPython 3.11's str.format with the same kwargs.
const kw = {
  flow_name: 'sst',
  map_index: 3,
  x: 3.14159,
  n: 1234567,
  s: 'ab',
  d: { k: 'v' },
  l: [1, 'a'],
  big: 2n ** 70n,
  neg: -5,
  b: true,
  none: null,
}
const cases: [string, string][] = [
  ['{flow_name}/{map_index:03d}', 'sst/003'],
  ['{{literal}}-{x:.2f}', '{literal}-3.14'],
  ['{n:,}', '1,234,567'],
  ['{s:>5}|{s:<5}|{s:^6}', '   ab|ab   |  ab  '],
  ['{s!r}', "'ab'"],
  ['{d[k]}', 'v'],
  ['{l}', "[1, 'a']"],
  ['{big}', '1180591620717411303424'],
  ['{neg:05d}', '-0005'],
  ['{x:e}', '3.141590e+00'],
  ['{x:+.1f}', '+3.1'],
  ['{b}', 'True'],
  ['{none}', 'None'],
  ['{n:_}', '1_234_567'],
  ['{x:%}', '314.159000%'],
  ['{x:g}', '3.14159'],
  ['{n:x}', '12d687'],
  ['{s:*^7}', '**ab***'],
  ['{x:.3}', '3.14'],
  ['{x}', '3.14159'],
]

describe('pyFormat (str.format)', () => {
  it.each(cases)('%s', (template, want) => expect(pyFormat(template, kw)).toBe(want))
  it('says which value a template needs', () => {
    expect(() => pyFormat('{task_name}', { flow_name: 'f' })).toThrow(
      /needs 'task_name'.*flow_name/,
    )
    expect(() => pyFormat('{}', {})).toThrow(/positional/)
    expect(() => pyFormat('a}b', {})).toThrow(/single '}'/)
    expect(() => pyFormat('{a', { a: 1 })).toThrow(/never closed/)
  })
})

describe('slugify', () => {
  it('makes the default location slug Python makes', () => {
    expect(slugify('2026-11-26T14:43:29.740448+00:00')).toBe('2026-11-26t14-43-29-740448-00-00')
    expect(slugify('Café  Ünïcode!')).toBe('cafe-unicode')
  })
})

async function store() {
  return CacheStore.open(path.join(await tempDir(), 'c'), { registry: testRegistry() })
}

describe('XpersistResult', () => {
  it('writes at the formatted location and records the 17 context keys, sorted, "" when absent', async () => {
    const cacheStore = await store()
    const result = new XpersistResult({
      cacheStore,
      location: '{flow_name}/{task_name}-{map_index}',
    })
    const written = await result.write('value', {
      flow_name: 'sst',
      task_name: 'clim',
      map_index: 0,
      task_tags: new Set(['ocean']),
      unrelated: 'x',
    })
    expect(written.location).toBe('sst/clim-0')
    expect(written.value).toBe('value')
    const meta = (await cacheStore.getArtifact('sst/clim-0')).additional_metadata
    expect(Object.keys(meta)).toEqual([...CONTEXT_KEYS])
    expect(CONTEXT_KEYS.length).toBe(17)
    expect(meta).toMatchObject({
      flow_name: 'sst',
      map_index: 0,
      task_tags: ['ocean'],
      today: '',
      flow_id: '',
    })
    expect(
      await result.exists('{flow_name}/{task_name}-{map_index}', {
        flow_name: 'sst',
        task_name: 'clim',
        map_index: 0,
      }),
    ).toBe(true)
    expect(await result.exists('sst/other')).toBe(false)
    const read = await result.read('sst/clim-0')
    expect(read.value).toBe('value')
    expect(read.location).toBe('sst/clim-0')
    expect(result.value).toBeUndefined()
  })

  it('uses prefect-result-<slug of now> without a template', async () => {
    const written = await new XpersistResult({ cacheStore: await store() }).write('v')
    expect(written.location).toMatch(
      /^prefect-result-\d{4}-\d\d-\d\dt\d\d-\d\d-\d\d(-\d{6})?-00-00$/,
    )
  })
})

describe('cached', () => {
  it('computes once, then reads from the cache', async () => {
    const cacheStore = await store()
    let calls = 0
    const f = cached(
      async (name: string) => {
        calls++
        return `hello ${name}`
      },
      { store: cacheStore, key: (name) => `greet/${name}` },
    )
    expect(await f('a')).toBe('hello a')
    expect(await f('a')).toBe('hello a')
    expect(await f('b')).toBe('hello b')
    expect(calls).toBe(2)
    expect(await cacheStore.keys()).toEqual(['greet/a', 'greet/b'])
  })
})
