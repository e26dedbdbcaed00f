import { describe, expect, it } from 'vitest'
import { diffMetadata } from '../../renderer/src/state/metadata-diff'

describe('diffMetadata', () => {
  it('tells added, removed, changed and unchanged top-level fields, disk order first', () => {
    const mine = '{"a": 1, "b": {"x": [1, 2]}, "mine-only": "Zürich", "c": 1.0}'
    const disk = '{"c": 1, "a": 1, "disk-only": null, "b": {"x": [1, 3]}}'
    const d = diffMetadata(mine, disk)
    expect(d && [...d]).toEqual([
      ['c', { change: 'changed', mine: '1.0', disk: '1' }], // Python-exact: 1.0 is not 1
      ['a', { change: 'same', mine: '1', disk: '1' }],
      ['disk-only', { change: 'removed', disk: 'null' }],
      ['b', { change: 'changed', mine: expect.stringContaining('2'), disk: expect.any(String) }],
      ['mine-only', { change: 'added', mine: '"Zürich"' }],
    ])
  })

  it('keeps __proto__ and constructor as ordinary fields', () => {
    const d = diffMetadata('{"__proto__": {"polluted": 1}, "constructor": 2}', '{"__proto__": 3}')
    expect(d?.get('__proto__')).toEqual({ change: 'changed', mine: expect.any(String), disk: '3' })
    expect(d?.get('constructor')).toEqual({ change: 'added', mine: '2' })
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    expect(d?.has('toString')).toBe(false)
  })

  it('is null when a side is not a JSON object', () => {
    expect(diffMetadata('{"a": ', '{}')).toBeNull()
    expect(diffMetadata('{}', '[1]')).toBeNull()
  })
})
