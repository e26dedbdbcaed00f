import { describe, expect, it } from 'vitest'
import { mapBounded, textOrBytes } from '../../electron/engine/backend/bounded.js'

describe('mapBounded', () => {
  it('keeps order and never has more than the limit in flight', async () => {
    let inFlight = 0
    let most = 0
    const out = await mapBounded(
      Array.from({ length: 100 }, (_, i) => i),
      async (n) => {
        most = Math.max(most, ++inFlight)
        // Finish out of order, so order can only come from the index.
        await new Promise((r) => setImmediate(r, n % 3))
        inFlight--
        return n * 2
      },
      7,
    )
    expect(out).toEqual(Array.from({ length: 100 }, (_, i) => i * 2))
    expect(most).toBe(7)
    expect(await mapBounded([], async () => 1)).toEqual([])
  })

  it('rejects with the first error and starts nothing after it', async () => {
    const started: number[] = []
    const work = mapBounded(
      Array.from({ length: 50 }, (_, i) => i),
      async (n) => {
        started.push(n)
        await new Promise((r) => setImmediate(r))
        if (n === 3) throw new Error('boom')
        return n
      },
      4,
    )
    await expect(work).rejects.toThrow('boom')
    await new Promise((r) => setImmediate(r))
    expect(started.length).toBeLessThan(50)
  })
})

describe('textOrBytes', () => {
  it('decodes clean UTF-8 and hands back anything else as the bytes', () => {
    expect(textOrBytes(new TextEncoder().encode('é\uFFFD'))).toBe('é\uFFFD')
    const bad = new Uint8Array([0x61, 0xc3])
    expect(textOrBytes(bad)).toBe(bad)
    expect(textOrBytes(undefined)).toBeUndefined()
  })
})
