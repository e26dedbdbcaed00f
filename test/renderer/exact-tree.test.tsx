// @vitest-environment jsdom
// The object preview tree shows what Python holds: 2**70 as its exact digits (not
// 1.1805916207174113e+21) and a missing datetime as NaT (not NaN). The values are the wire
// form the engine sends (test/unit/joblib/preview-wire.test.ts checks that side).
import { cleanup, render, screen, waitFor, within } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'
import { ArrayGrid } from '../../renderer/src/preview/ArrayGrid'
import { ObjectTree } from '../../renderer/src/preview/ObjectTree'

afterEach(cleanup)

// The preview of write_pickled_frames.py's exact_values(), as HttpTransport parses it.
const WIRE = JSON.parse(`{
  "big": {"__int__": "1180591620717411303424"},
  "neg": {"__int__": "-1180591620717411303424"},
  "small": 12,
  "times": {"dtype": "datetime64[ns]", "shape": [2], "values": ["2020-01-01T00:00:00", null]},
  "days": {"dtype": "datetime64[D]", "shape": [2], "values": ["2020-01-01", null]},
  "objects": {"dtype": "object", "shape": [2], "values": [{"__int__": "18446744073709551617"}, null]},
  "date": {"__datetime__": "2020-01-31"},
  "nat": {"__datetime__": null}
}`) as unknown

describe('exact values in the object tree', () => {
  it('shows ints beyond 2^53 with every digit', () => {
    render(<ObjectTree value={WIRE} />)
    const tree = screen.getByTestId('preview-tree')
    expect(within(tree).getByText('1180591620717411303424')).toBeTruthy()
    expect(within(tree).getByText('-1180591620717411303424')).toBeTruthy()
    expect(within(tree).getByText('12')).toBeTruthy()
    expect(tree.textContent).not.toMatch(/e\+21|__int__/)
  })

  it('shows a pickled date as its date, with no time and no quotes', () => {
    render(<ObjectTree value={WIRE} />)
    const tree = screen.getByTestId('preview-tree')
    expect(within(tree).getByText('2020-01-31')).toBeTruthy()
    expect(tree.textContent).not.toMatch(/__datetime__|"2020-01-31"|2020-01-31T/)
  })

  it('shows a missing datetime as NaT and a day-unit datetime without a time', async () => {
    render(<ObjectTree value={WIRE} />)
    const tree = screen.getByTestId('preview-tree')
    // Expand the arrays: they open on their grids (datetimes and objects do not plot).
    for (const b of within(tree).getAllByRole('button', { name: /Expand/ })) b.click()
    // Two in the datetime arrays, one the pickled pd.NaT.
    await waitFor(() => expect(screen.getAllByText('NaT')).toHaveLength(3))
    expect(tree.textContent).toContain('2020-01-01T00:00:00')
    expect(tree.textContent).toContain('18446744073709551617')
    expect(tree.textContent).not.toMatch(/NaN|__int__/)
  })

  it('names missing values as numpy prints them in a grid', () => {
    render(<ArrayGrid shape={[3]} values={[null, 1.5, null]} dtype="float64" />)
    expect(screen.getAllByText('NaN')).toHaveLength(2)
    cleanup()
    render(<ArrayGrid shape={[1]} values={[null]} dtype="object" />)
    expect(screen.getByText('None')).toBeTruthy()
  })
})
