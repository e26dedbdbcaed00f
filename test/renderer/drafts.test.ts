import { describe, expect, it, vi } from 'vitest'
import { createEditorStore } from '../../renderer/src/state/editor-store'
import { createExplorer } from '../../renderer/src/state/explorer'
import { fakeCache } from './fake-cache'

/** An explorer on the fake cache, opened and listed. */
async function opened(location = '/data/cache') {
  const cache = fakeCache()
  const ex = createExplorer(cache.transport, { pollMs: 10 })
  await ex.app.getState().open(location)
  await vi.waitFor(() => expect(ex.listing.getState().loading).toBe(false))
  return { cache, ex }
}

/** Selects a key and waits until the editor holds it. */
async function select(ex: Awaited<ReturnType<typeof opened>>['ex'], key: string) {
  ex.selection.getState().selectOnly(key)
  await vi.waitFor(() => expect(ex.editor.getState().key).toBe(key))
}

const MINE = '{"experiment": "mine"}'

describe('unsaved metadata drafts', () => {
  it('selecting another row keeps the draft; coming back restores it', async () => {
    const { ex } = await opened()
    await select(ex, 'stations.csv')
    const original = ex.editor.getState().original
    ex.editor.getState().setText(MINE)
    await select(ex, 'arrays/grid-i4')
    expect(ex.editor.getState().text).toBe(ex.editor.getState().original)
    expect(ex.editor.getState().restored).toBe(false)
    expect(ex.editor.getState().drafts.get('stations.csv')).toEqual({
      text: MINE,
      baseVersion: 'v1',
      original,
    })
    await select(ex, 'stations.csv')
    expect(ex.editor.getState()).toMatchObject({ text: MINE, baseVersion: 'v1', restored: true })
    ex.dispose()
  })

  it('typing the text back to what is on disk leaves no draft', async () => {
    const { ex } = await opened()
    await select(ex, 'stations.csv')
    const original = ex.editor.getState().original
    ex.editor.getState().setText(MINE)
    ex.editor.getState().setText(original)
    expect(ex.editor.getState().drafts.size).toBe(0)
    ex.dispose()
  })

  it('saving clears the draft; so does reverting', async () => {
    const cache = fakeCache()
    const editor = createEditorStore(cache.transport)
    const key = 'stations.csv'
    editor
      .getState()
      .open('c1', await cache.transport.invoke('artifact.detail', { cacheId: 'c1', key }))
    editor.getState().setText(MINE)
    expect(editor.getState().drafts.has(key)).toBe(true)
    await editor.getState().save()
    expect(editor.getState().drafts.size).toBe(0)
    editor.getState().setText('{"experiment": "again"}')
    editor.getState().revert()
    expect(editor.getState()).toMatchObject({ text: MINE, baseVersion: 'v2', restored: false })
    expect(editor.getState().drafts.size).toBe(0)
  })

  it('a draft based on a stale version meets the CONFLICT flow; Revert takes the disk', async () => {
    const { cache, ex } = await opened()
    await select(ex, 'stations.csv')
    ex.editor.getState().setText(MINE)
    await select(ex, 'arrays/grid-i4')
    cache.editOnDisk('stations.csv', '{"experiment": "elsewhere"}')
    await select(ex, 'stations.csv')
    expect(ex.editor.getState()).toMatchObject({
      text: MINE,
      baseVersion: 'v1',
      onDisk: { text: '{"experiment": "elsewhere"}', version: 'v2' },
    })
    expect(await ex.editor.getState().save()).toBeNull()
    expect(cache.transport.requests('artifact.updateMetadata')[0]?.expectedVersion).toBe('v1')
    expect(ex.editor.getState().conflict).toEqual({
      mine: MINE,
      disk: '{"experiment": "elsewhere"}',
      diskVersion: 'v2',
    })
    expect(cache.rows.get('stations.csv')?.metadata).toMatchObject({ experiment: 'ctrl' })
    expect(ex.editor.getState().drafts.has('stations.csv')).toBe(true)
    ex.editor.getState().revert()
    expect(ex.editor.getState()).toMatchObject({
      text: '{"experiment": "elsewhere"}',
      baseVersion: 'v2',
      conflict: null,
    })
    expect(ex.editor.getState().drafts.size).toBe(0)
    ex.dispose()
  })

  it('a reload or a reopen drops the drafts of keys that no longer exist', async () => {
    const { cache, ex } = await opened()
    for (const key of ['stations.csv', 'runs/old/notes', 'arrays/sine-f8']) {
      await select(ex, key)
      ex.editor.getState().setText(`{"draft": "${key}"}`)
    }
    await select(ex, 'obs/hourly-2021.csv')
    cache.rows.delete('runs/old/notes')
    await ex.listing.getState().refresh()
    expect([...ex.editor.getState().drafts.keys()].sort()).toEqual([
      'arrays/sine-f8',
      'stations.csv',
    ])
    // Reopening (the read-only toggle) gives the cache a new id and lists it again.
    cache.transport.handle('cache.open', (req) => ({
      cacheId: 'c:reopened',
      url: `file://${req.location}`,
      location: req.location,
      readonly: req.readonly ?? false,
      readonlyReason: req.readonly ? 'opened read-only' : null,
    }))
    cache.rows.delete('arrays/sine-f8')
    await ex.app.getState().setReadonly(true)
    await vi.waitFor(() => expect(ex.listing.getState().loading).toBe(false))
    expect([...ex.editor.getState().drafts.keys()]).toEqual(['stations.csv'])
    await vi.waitFor(() => expect(ex.editor.getState().cacheId).toBe('c:reopened'))
    ex.dispose()
  })

  it('drafts belong to their cache: another cache does not see them, and they come back', async () => {
    const { ex } = await opened()
    await select(ex, 'stations.csv')
    ex.editor.getState().setText(MINE)
    await ex.app.getState().open('/data/other-cache')
    await vi.waitFor(() => expect(ex.listing.getState().loading).toBe(false))
    expect(ex.editor.getState().drafts.size).toBe(0)
    await select(ex, 'stations.csv')
    expect(ex.editor.getState()).toMatchObject({ restored: false })
    expect(ex.editor.getState().text).not.toBe(MINE)
    await ex.app.getState().open('/data/cache')
    await vi.waitFor(() => expect(ex.listing.getState().loading).toBe(false))
    expect(ex.editor.getState().drafts.get('stations.csv')?.text).toBe(MINE)
    ex.dispose()
  })

  it('a save that finishes after leaving the key clears its draft and updates the row', async () => {
    const { ex } = await opened()
    await select(ex, 'stations.csv')
    ex.editor.getState().setText(MINE)
    const saving = ex.editor.getState().save()
    ex.selection.getState().selectOnly('arrays/grid-i4')
    expect((await saving)?.version).toBe('v2')
    expect(ex.editor.getState().drafts.size).toBe(0)
    const row = ex.listing.getState().rows.find((r) => r.key === 'stations.csv')
    expect(row?.metadata).toEqual({ experiment: 'mine' })
    await vi.waitFor(() => expect(ex.detail.getState().detail?.key).toBe('arrays/grid-i4'))
    ex.dispose()
  })

  it('text typed while a save is in flight stays, as a draft on the saved version', async () => {
    const { ex } = await opened()
    await select(ex, 'stations.csv')
    ex.editor.getState().setText(MINE)
    const saving = ex.editor.getState().save()
    ex.editor.getState().setText('{"experiment": "more"}')
    await saving
    expect(ex.editor.getState()).toMatchObject({
      text: '{"experiment": "more"}',
      baseVersion: 'v2',
      original: MINE,
      saved: false,
    })
    expect(ex.editor.getState().drafts.get('stations.csv')?.baseVersion).toBe('v2')
    ex.dispose()
  })
})
