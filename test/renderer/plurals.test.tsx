// @vitest-environment jsdom
import { render, screen } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { ObjectTree } from '../../renderer/src/preview/ObjectTree'
import { plural } from '../../renderer/src/ui/format'

describe('plurals in UI text', () => {
  it('one is singular, every other count plural, with thousands separators', () => {
    expect(plural(1, 'path')).toBe('1 path')
    expect(plural(0, 'path')).toBe('0 paths')
    expect(plural(1234, 'artifact')).toBe('1,234 artifacts')
    expect(plural(2, 'key mismatch', 'key mismatches')).toBe('2 key mismatches')
  })

  it('an object tree names one item and one key in the singular', () => {
    render(<ObjectTree value={{ a: [1], b: { c: 1 } }} />)
    expect(screen.getByText('list [1 item]')).toBeTruthy()
    expect(screen.getByText('dict {1 key}')).toBeTruthy()
    expect(screen.getByText('dict {2 keys}')).toBeTruthy()
  })
})
