import { existsSync, promises as fs } from 'node:fs'
import path from 'node:path'
import { describe, expect, it, vi } from 'vitest'
import type { XpersistEvent } from '../../shared/ipc.js'
import { fixtureCopy, tempDir } from '../helpers/temp.js'
import { fakeUtilityProcess } from './fake-electron.js'

// The real `electron` module only loads inside Electron; the engine is given a fake fork.
vi.mock('electron', () => ({ utilityProcess: { fork: () => Promise.reject(new Error('no')) } }))
const { startUtilityEngine } = await import('../../electron/main/engine-process.js')

describe('Electron engine in a utility process', () => {
  it('forks engine-child with its config and serves the handler table through it', async () => {
    const fake = fakeUtilityProcess()
    const picked = path.join(await tempDir(), 'picked.csv')
    await fs.writeFile(picked, 'a,b\n1,2\n')
    const engine = startUtilityEngine(
      {
        mode: 'electron',
        initial: null,
        readonlyCeiling: false,
        dialogs: {
          pickFolder: async () => null,
          pickFile: async () => ({ path: picked, name: 'picked.csv', bytes: 8 }),
        },
      },
      fake.fork,
    )
    try {
      expect(fake.forks).toHaveLength(1)
      expect(fake.forks[0]?.modulePath).toMatch(/[/\\]ipc[/\\]engine-child\.js$/)
      expect(JSON.parse(fake.forks[0]?.args[0] ?? '')).toMatchObject({
        mode: 'electron',
        dialogs: true,
        taskScript: expect.stringMatching(/task-worker\.js$/),
      })
      expect(await engine.invoke('app.info', {})).toMatchObject({
        ok: true,
        data: { mode: 'electron', readonlyCeiling: false },
      })
      const cache = await fixtureCopy()
      const opened = await engine.invoke('cache.open', { location: cache })
      const cacheId = opened.ok ? (opened.data as { cacheId: string }).cacheId : ''
      // The native dialog answers in main; the window gets an opaque handle, never the path.
      const pick = await engine.invoke('dialog.pickFile', {})
      expect(pick).toMatchObject({ ok: true, data: { name: 'picked.csv', bytes: 8 } })
      expect(JSON.stringify(pick)).not.toContain(picked)
      const handle = pick.ok ? (pick.data as { handle: string }).handle : ''
      expect(
        await engine.invoke('artifact.put', {
          cacheId,
          key: 'picked.csv',
          file: { name: 'picked.csv', handle },
        }),
      ).toMatchObject({ ok: true, data: { key: 'picked.csv', serializer: 'pandas.csv' } })
      expect(existsSync(picked)).toBe(true) // the user's own file is never deleted
      const events: XpersistEvent[] = []
      engine.onEvent((e) => events.push(e))
      const job = await engine.invoke('delete.start', { cacheId, keys: ['pi'], confirmCount: 1 })
      expect(job.ok).toBe(true)
      while (!events.some((e) => e.status.finished)) await new Promise((r) => setTimeout(r, 10))
      expect(existsSync(path.join(cache, 'pi'))).toBe(false)
    } finally {
      await engine.close()
    }
  })

  it('keeps --readonly a ceiling in Electron too', async () => {
    const fake = fakeUtilityProcess()
    const engine = startUtilityEngine(
      { mode: 'electron', initial: null, readonlyCeiling: true },
      fake.fork,
    )
    try {
      const opened = await engine.invoke('cache.open', {
        location: await fixtureCopy(),
        readonly: false,
      })
      expect(opened).toMatchObject({
        ok: true,
        data: { readonly: true, readonlyReason: 'the explorer was started with --readonly' },
      })
      expect(await engine.invoke('dialog.pickFile', {})).toMatchObject({
        ok: false,
        error: { code: 'NOT_SUPPORTED' },
      })
    } finally {
      await engine.close()
    }
  })

  it('answers pending calls with an error when the utility process dies', async () => {
    const fake = fakeUtilityProcess()
    const engine = startUtilityEngine(
      { mode: 'electron', initial: null, readonlyCeiling: false },
      fake.fork,
    )
    const pending = engine.invoke('app.info', {})
    fake.crash(9)
    expect(await pending).toMatchObject({
      ok: false,
      error: { code: 'BACKEND', message: expect.stringMatching(/engine stopped \(exit 9\)/) },
    })
    expect(await engine.invoke('app.info', {})).toMatchObject({ ok: false })
    await engine.close()
  })
})
