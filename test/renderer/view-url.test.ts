import { afterEach, describe, expect, it, vi } from 'vitest'
import { createExplorer, type Explorer } from '../../renderer/src/state/explorer'
import { NO_FILTERS, type Filters } from '../../renderer/src/state/filters'
import { bindViewToUrl } from '../../renderer/src/state/url-sync'
import {
  MAX_URL_QUERY_CHARS,
  decodeViewQuery,
  encodeViewQuery,
  type UrlView,
} from '../../renderer/src/state/view-url'
import { prng } from '../helpers/prng'
import { NOW, fakeCache } from './fake-cache'

const full: UrlView = {
  filters: {
    text: 'age>365d size>100MB "my run" experiment="a b"',
    serializers: ['joblib', 'pandas.csv'],
    age: { olderThanDays: 365 },
    createdAfter: '2024-01-01',
    createdBefore: '2024-06-30',
    minSize: '1KB',
    maxSize: '1.5GiB',
    facets: new Map([
      ['experiment', ['ctrl', 'old']],
      ['__proto__', ['polluted?']],
      ['constructor', ['x']],
      ['地域 & tags=', ['北海道', 'a&b=c', '']],
    ]),
    prefix: 'runs/ünïcode/',
  },
  key: 'runs/ünïcode/🌊 sst?.nc&x=1#frag',
}

describe('the view URL codec', () => {
  it('round-trips every filter and the key, unicode and URL metacharacters included', () => {
    const query = encodeViewQuery(full)
    expect(decodeViewQuery(query)).toEqual(full)
    expect(decodeViewQuery(`?${query}`)).toEqual(full)
    // one parameter per value, readable names
    expect(query).toMatch(/^q=.*&prefix=.*&serializer=joblib&serializer=pandas.csv&age=older-365d/)
    expect(query).toContain('after=2024-01-01&before=2024-06-30&minsize=1KB&maxsize=1.5GiB')
  })

  it('writes nothing for no view, and reads nothing from an empty query', () => {
    expect(encodeViewQuery({ filters: NO_FILTERS, key: null })).toBe('')
    expect(decodeViewQuery('')).toEqual({ filters: NO_FILTERS, key: null })
    const newer: Filters = { ...NO_FILTERS, age: { newerThanDays: 7 } }
    expect(decodeViewQuery(encodeViewQuery({ filters: newer, key: null })).filters).toEqual(newer)
  })

  it('keeps hostile field names in a Map and out of Object.prototype', () => {
    const view = decodeViewQuery('f.__proto__=a&f.constructor=b&f.hasOwnProperty=c&f.=d')
    expect([...view.filters.facets]).toEqual([
      ['__proto__', ['a']],
      ['constructor', ['b']],
      ['hasOwnProperty', ['c']],
      ['', ['d']],
    ])
    expect(view.filters.facets).toBeInstanceOf(Map)
    expect(Object.keys(Object.prototype)).toEqual([])
  })

  it('ignores what it cannot read, and never reads the access token', () => {
    const view = decodeViewQuery(
      '?token=SECRET&age=older-0d&age=sideways&after=2024-02-30&before=yesterday' +
        '&minsize=100&maxsize=lots&prefix=no-slash&serializer=&key=&unknown=1&%E0%A4%A=bad' +
        '&f.x=1&f.x=1&serializer=joblib&serializer=joblib',
    )
    expect(view).toEqual({
      filters: { ...NO_FILTERS, serializers: ['joblib'], facets: new Map([['x', ['1']]]) },
      key: null,
    })
    expect(JSON.stringify(view)).not.toContain('SECRET')
    expect(decodeViewQuery('age=older-36501d').filters.age).toBeNull()
    expect(decodeViewQuery('age=newer-1d').filters.age).toEqual({ newerThanDays: 1 })
  })

  it('reads no oversized query, and bounds values and parameters', () => {
    const huge = `q=${'a'.repeat(MAX_URL_QUERY_CHARS)}`
    expect(decodeViewQuery(huge)).toEqual({ filters: NO_FILTERS, key: null })
    expect(decodeViewQuery(`key=${'k'.repeat(5000)}`).key).toBeNull()
    const many = Array.from({ length: 2000 }, (_, i) => `serializer=s${i}`).join('&')
    expect(decodeViewQuery(many).filters.serializers.length).toBe(512)
  })

  it('survives random bytes without throwing', () => {
    const rand = prng(7)
    const alphabet = '=&?%#+.f_ q1-dE0\u0000\u00e9\ud83c\udf0a'
    for (let n = 0; n < 500; n++) {
      const text = Array.from({ length: rand(60) }, () =>
        alphabet.charAt(rand(alphabet.length)),
      ).join('')
      const view = decodeViewQuery(text)
      // what it read writes back to a query that reads the same
      expect(decodeViewQuery(encodeViewQuery(view))).toEqual(view)
    }
  })
})

/** A window's location and history, as far as the sync uses them. */
function fakeWindow(href: string) {
  const url = new URL(href)
  const replaced: string[] = []
  const win = {
    location: url as unknown as Location,
    history: {
      state: null,
      replaceState: (_state: unknown, _title: string, next: string) => {
        replaced.push(next)
        const u = new URL(next, url)
        url.search = u.search
        url.hash = u.hash
      },
    } as unknown as History,
  }
  return { win, replaced, url }
}

describe('the view in the address bar (browser mode)', () => {
  let explorer: Explorer | null = null
  afterEach(() => explorer?.dispose())

  async function open(href: string) {
    const cache = fakeCache({ mode: 'browser' })
    explorer = createExplorer(cache.transport, { pollMs: 20, now: () => NOW })
    const w = fakeWindow(href)
    const unbind = bindViewToUrl(explorer, w.win, 0)
    await explorer.start()
    await explorer.app.getState().open('/data/cache')
    await vi.waitFor(() => expect(explorer?.listing.getState().loading).toBe(false))
    return { ex: explorer, ...w, unbind }
  }

  it('restores the filters and the key once the listing arrives, then follows the view', async () => {
    const { ex, replaced, url, unbind } = await open(
      'http://127.0.0.1:1/?q=age%3E30d&serializer=joblib&f.experiment=old&key=runs%2Fold%2Fnotes#top',
    )
    await vi.waitFor(() => expect(ex.selection.getState().current).toBe('runs/old/notes'))
    expect(ex.view.getState().filters.text).toBe('age>30d')
    expect(ex.derive().rows.map((r) => r.key)).toEqual(['runs/old/notes', 'runs/old/scratch'])
    // Nothing to rewrite: the URL already says this.
    await new Promise((r) => setTimeout(r, 10))
    expect(replaced).toEqual([])
    // Typing rewrites the one history entry, once the keys settle.
    for (const text of ['a', 'ag', 'age', 'age>', 'age>9', 'age>90d'])
      ex.view.getState().setText(text)
    await vi.waitFor(() => expect(replaced.length).toBe(1))
    expect(url.search).toBe(
      '?q=age%3E90d&serializer=joblib&f.experiment=old&key=runs%2Fold%2Fnotes',
    )
    expect(url.hash).toBe('#top')
    ex.view.getState().clearFilters()
    ex.selection.getState().clear()
    await vi.waitFor(() => expect(url.search).toBe(''))
    unbind()
  })

  it('never writes an access token back, and skips a key the cache does not have', async () => {
    const { ex, replaced, url } = await open('http://127.0.0.1:1/?token=SECRET&key=gone%2Fkey')
    await vi.waitFor(() => expect(ex.listing.getState().loading).toBe(false))
    expect(ex.selection.getState().current).toBeNull()
    // The restored view is written back as read: the token and the missing key are gone.
    await vi.waitFor(() => expect(replaced).toEqual(['/']))
    ex.view.getState().toggleSerializer('pandas.csv')
    await vi.waitFor(() => expect(url.search).toBe('?serializer=pandas.csv'))
    expect(replaced.join()).not.toContain('SECRET')
  })
})
