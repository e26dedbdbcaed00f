/**
 * Conformance of refused access: a backend the caller made without permission (wrong
 * credentials, a folder the user may not write) rejects with PERMISSION_DENIED, nothing else.
 */
import { expect, it } from 'vitest'
import { bytes, collect, rejects, text, type Suite } from './support.js'

/** Registers the permission case, or a skipped case saying why there is none. */
export function deniedCases(s: Suite): void {
  const { denied, deniedReads = true, deniedSkip } = s.opts
  if (!denied) {
    it.skip(
      `refuses access with PERMISSION_DENIED [not provided: ${deniedSkip ?? 'no denied() factory'}]`,
    )
    return
  }

  it(
    `refuses ${deniedReads ? 'every call' : 'writes'} with PERMISSION_DENIED`,
    async () => {
      const b = await denied()
      await rejects(b.put('denied/new', bytes('x')), 'PERMISSION_DENIED')
      await rejects(b.put('denied/new', bytes('x'), { mode: 'create' }), 'PERMISSION_DENIED')
      await rejects(
        b.put('denied/new', bytes('x'), { mode: { ifMatch: 'x' } }),
        'PERMISSION_DENIED',
      )
      // An answer, or the refusal itself. An object store may say true: it cannot know
      // without writing (its writes then reject, as above); a folder says false.
      const writable = await b.isWritable().catch(async (e: unknown) => {
        await rejects(Promise.reject(e), 'PERMISSION_DENIED')
        return false
      })
      expect(typeof writable).toBe('boolean')
      if (!deniedReads) {
        // Only writes are refused: the seed object reads, and stays after refused deletes.
        expect(text(await b.get('seed'))).toBeDefined()
        await rejects(b.delete('seed'), 'PERMISSION_DENIED')
        await rejects(b.deleteMany(['seed']), 'PERMISSION_DENIED')
        expect(await b.head('seed')).toBeDefined()
        return
      }
      await rejects(b.delete('denied/x'), 'PERMISSION_DENIED')
      await rejects(b.deleteMany(['denied/x', 'denied/y']), 'PERMISSION_DENIED')
      await rejects(b.head('denied/x'), 'PERMISSION_DENIED')
      await rejects(b.get('denied/x'), 'PERMISSION_DENIED')
      await rejects(b.get('denied/x', { offset: 0, length: 1 }), 'PERMISSION_DENIED')
      await rejects(b.headMany(['denied/x']), 'PERMISSION_DENIED')
      await rejects(b.getManyText(['denied/x']), 'PERMISSION_DENIED')
      await rejects(collect(b.list('')), 'PERMISSION_DENIED')
      await rejects(collect(b.listPaths('')), 'PERMISSION_DENIED')
      await rejects(b.listWithDelimiter(''), 'PERMISSION_DENIED')
    },
    s.timeout,
  )
}
