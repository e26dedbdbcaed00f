// The explorer's tree names a pickled call that would run code in Python as such.
import { describe, expect, it } from 'vitest'
import { placeholderOf } from '../../renderer/src/preview/ObjectTree.js'

describe('placeholderOf', () => {
  it('marks a call that would execute code if loaded in Python', () => {
    const got = placeholderOf({
      __python__: 'posix.system',
      __unsafe__: 'would execute code if loaded in Python',
    })
    expect(got?.label).toBe('posix.system (would execute code if loaded in Python)')
    expect(got?.title).toMatch(/Nothing from it runs here/)
  })

  it('keeps plain placeholders as they were, and ordinary two-key dicts as dicts', () => {
    expect(placeholderOf({ __python__: 'pandas.core.frame.DataFrame' })?.label).toBe(
      'pandas.core.frame.DataFrame',
    )
    expect(placeholderOf({ __python__: 'x', other: 'y' })).toBeNull()
  })
})
