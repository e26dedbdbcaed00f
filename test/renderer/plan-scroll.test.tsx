// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'
import { PLAN_SHOWN, PlanScroll } from '../../renderer/src/ui/PlanScroll'

afterEach(cleanup)

const list = (shown: readonly number[]) => (
  <ul aria-label="plan">
    {shown.map((n) => (
      <li key={n}>{n}</li>
    ))}
  </ul>
)

describe('PlanScroll (the delete and copy plans)', () => {
  it('lists the first entries of a long plan until Show all is pressed', () => {
    const entries = Array.from({ length: PLAN_SHOWN + 5 }, (_, i) => i)
    render(<PlanScroll entries={entries} table={list} />)
    expect(screen.getAllByRole('listitem')).toHaveLength(PLAN_SHOWN)
    fireEvent.click(screen.getByRole('button', { name: `Show all ${PLAN_SHOWN + 5} entries` }))
    expect(screen.getAllByRole('listitem')).toHaveLength(PLAN_SHOWN + 5)
    expect(screen.queryByRole('button')).toBeNull()
  })

  it('offers no Show all when every entry is listed', () => {
    render(<PlanScroll entries={[1, 2, 3]} table={list} />)
    expect(screen.getAllByRole('listitem')).toHaveLength(3)
    expect(screen.queryByRole('button')).toBeNull()
  })
})
