// @vitest-environment jsdom
// Keys, metadata fields and values are other people's strings: names of Object.prototype's
// members, control characters and bidi overrides must neither crash the explorer nor hide.
import { fireEvent, screen, waitFor, within } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import type { ArtifactRow } from '../../shared/ipc'
import { createDeriver } from '../../renderer/src/state/derive'
import { NO_FILTERS } from '../../renderer/src/state/filters'
import { DEFAULT_SORT } from '../../renderer/src/state/sort'
import { NOW, makeRow } from './fake-cache'
import { renderExplorer, tableKeys } from './render-explorer'

// JSON.parse, as the transports deliver metadata: `__proto__` becomes an own field.
const meta = (json: string) => JSON.parse(json) as Record<string, unknown>

function protoRows(): ArtifactRow[] {
  return [
    makeRow('a', {
      metadata: meta(
        '{"constructor":"x","__proto__":"p","toString":"t","hasOwnProperty":1,"valueOf":"v"}',
      ),
    }),
    makeRow('b', { metadata: meta('{"constructor":"y","__proto__":"p","toString":"s"}') }),
    makeRow('c', { metadata: meta('{"experiment":"__proto__"}') }),
    makeRow('d', { metadata: meta('{"experiment":"constructor"}') }),
  ]
}

describe('metadata fields named like Object.prototype members', () => {
  it('are counted, filtered and sorted like any other field', () => {
    const derive = createDeriver()
    const view = derive(protoRows(), DEFAULT_SORT, NO_FILTERS, NOW)
    const counts = view.fields.map((f) => [f.field, f.values.map((v) => `${v.value}:${v.count}`)])
    expect(counts).toEqual([
      ['__proto__', ['p:2']],
      ['constructor', ['x:1', 'y:1']],
      ['experiment', ['__proto__:1', 'constructor:1']],
      ['hasOwnProperty', ['1:1']],
      ['toString', ['s:1', 't:1']],
      ['valueOf', ['v:1']],
    ])
    const filters = { ...NO_FILTERS, facets: new Map([['__proto__', ['p']]]) }
    expect(derive(protoRows(), DEFAULT_SORT, filters, NOW).rows.map((r) => r.key)).toEqual([
      'a',
      'b',
    ])
  })

  it('render as facets, filter, become columns and sort without crashing', async () => {
    const { explorer } = await renderExplorer({ rows: protoRows() })
    fireEvent.click(screen.getByRole('button', { name: 'constructor: y (1)' }))
    await waitFor(() => expect(tableKeys()).toEqual(['b']))
    const chips = screen.getByRole('list', { name: 'Active filters' })
    expect(within(chips).getByText('constructor = y')).toBeTruthy()
    fireEvent.click(screen.getByRole('button', { name: 'Clear all' }))
    await waitFor(() => expect(tableKeys()).toEqual(['a', 'b', 'c', 'd']))

    fireEvent.click(screen.getByRole('button', { name: 'experiment: __proto__ (1)' }))
    await waitFor(() => expect(tableKeys()).toEqual(['c']))
    fireEvent.click(screen.getByRole('button', { name: 'Clear all' }))

    for (const field of ['constructor', 'toString'])
      fireEvent.click(screen.getByRole('button', { name: `Add ${field} as a column` }))
    expect(explorer.view.getState().metaColumns).toEqual(['constructor', 'toString'])
    fireEvent.click(screen.getByRole('button', { name: 'toString' }))
    // Rows without the field sort last, whichever way: c and d have no toString.
    await waitFor(() => expect(tableKeys()).toEqual(['b', 'a', 'c', 'd']))
    fireEvent.click(screen.getByRole('button', { name: 'constructor' }))
    await waitFor(() => expect(tableKeys()).toEqual(['a', 'b', 'c', 'd']))
    // A row without the field shows an empty cell, not Object's source text.
    const rowD = document.querySelector('tr[data-key="d"]') as HTMLElement
    expect(rowD.querySelector('.col-meta-constructor')?.textContent).toBe('')
  })
})

describe('a sidecar whose created_at is null', () => {
  it('shows "unknown", sorts last and counts in no age range', async () => {
    const rows = [
      makeRow('no-time', { createdAt: null, createdMs: null }),
      makeRow('timed'),
      makeRow('old', { createdMs: NOW - 100 * 86_400_000 }),
    ]
    await renderExplorer({ rows })
    const cell = document.querySelector('tr[data-key="no-time"] .col-created') as HTMLElement
    expect(cell.textContent).toBe('unknown')
    expect(screen.getByRole('button', { name: 'age: last 24 hours (1)' })).toBeTruthy()
    expect(screen.getByRole('button', { name: 'age: older than 90 days (1)' })).toBeTruthy()
    fireEvent.click(screen.getByRole('button', { name: 'created' }))
    await waitFor(() => expect(tableKeys()).toEqual(['timed', 'old', 'no-time']))
    fireEvent.click(screen.getByRole('button', { name: 'created' }))
    await waitFor(() => expect(tableKeys()).toEqual(['old', 'timed', 'no-time']))
    fireEvent.click(document.querySelector('tr[data-key="no-time"]') as HTMLElement)
    const sidecar = await screen.findByRole('region', { name: 'Sidecar' })
    expect(within(sidecar).getByText('unknown')).toBeTruthy()
    expect(within(sidecar).getByText('null')).toBeTruthy()
  })
})

describe('control and bidi characters in keys, fields, values and cells', () => {
  const ESC = '\u001b'
  const RLO = '\u202e'
  const key = `invoice${RLO}gpj.exe`
  // No raw bidi override or ESC anywhere: not in text, not in a tooltip or label.
  // eslint-disable-next-line no-control-regex
  const raw = (s: string | null | undefined) => /[\u001b\u202e]/.test(s ?? '')
  const attributesOf = (root: Element) =>
    [root, ...root.querySelectorAll('*')].flatMap((el) =>
      ['title', 'aria-label'].map((a) => el.getAttribute(a)),
    )

  it('shows them as escapes in a distinct style, named in the tooltip', async () => {
    const rows = [makeRow(key, { metadata: meta(`{"f${'\\u001b'}[31m": "v${'\\u202e'}x"}`) })]
    await renderExplorer({
      rows,
      previews: {
        [key]: {
          kind: 'table',
          rowCount: 1,
          offset: 0,
          columns: [{ name: `c${RLO}`, type: 'object' }],
          index: null,
          rows: [[`cell${ESC}[2J`]],
          bytesRead: 10,
          totalBytes: 10,
        },
      },
    })
    const row = document.querySelector('tr[data-key]') as HTMLElement
    expect(row.dataset.key).toBe(key)
    expect(row.textContent).toContain('invoice\\u202egpj.exe')
    const mark = row.querySelector('.ctrl') as HTMLElement
    expect([mark.textContent, mark.title]).toEqual(['\\u202e', 'U+202E RIGHT-TO-LEFT OVERRIDE'])
    expect(row.querySelector('.key-cell')?.getAttribute('title')).toBe('invoice\\u202egpj.exe')

    const facet = screen.getByRole('region', { name: 'f\\x1b[31m facet' })
    expect(facet.textContent).toContain('v\\u202ex')
    fireEvent.click(within(facet).getByRole('button', { name: 'f\\x1b[31m: v\\u202ex (1)' }))
    const chips = await screen.findByRole('list', { name: 'Active filters' })
    expect(chips.textContent).toContain('f\\x1b[31m = v\\u202ex')

    fireEvent.click(row)
    const pane = screen.getByTestId('detail-pane')
    await within(pane).findByRole('heading', { name: 'invoice\\u202egpj.exe' })
    const table = await within(pane).findByTestId('preview-table')
    expect(table.textContent).toContain('c\\u202e')
    expect(table.textContent).toContain('cell\\x1b[2J')

    for (const root of [document.body]) {
      const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT)
      const rawTexts: string[] = []
      for (let n = walker.nextNode(); n; n = walker.nextNode())
        if (raw(n.textContent)) rawTexts.push(`${n.parentElement?.outerHTML}`)
      expect(rawTexts).toEqual([])
      expect(attributesOf(root).filter(raw)).toEqual([])
    }
  })
})
