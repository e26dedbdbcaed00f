import { afterEach, describe, expect, it, vi } from 'vitest'
import { createDeleteStore, confirmationMatches } from '../../renderer/src/state/delete-store'
import { createEditorStore } from '../../renderer/src/state/editor-store'
import { checkMetadataText, lineOf } from '../../renderer/src/state/metadata-validate'
import { createExplorer, deletedKeys } from '../../renderer/src/state/explorer'
import { fakeCache } from './fake-cache'

afterEach(() => vi.useRealTimers())

describe('delete state machine', () => {
  it('plan -> typed count -> running with progress -> summary', async () => {
    const cache = fakeCache({ manualJobs: true })
    const finished: unknown[] = []
    const del = createDeleteStore(cache.transport, {
      pollMs: 60_000,
      onFinished: (r) => finished.push(r),
    })
    cache.transport.onEvent((e) => del.getState().handleEvent(e))
    await del.getState().begin('c1', { keys: ['runs/old/notes', 'runs/old/scratch'], orphans: [] })
    const flow = del.getState().flow
    expect(flow.phase).toBe('confirm')
    if (flow.phase !== 'confirm') return
    expect(flow.plan.entries.map((e) => e.key)).toEqual(['runs/old/notes', 'runs/old/scratch'])
    expect(flow.plan.bytes).toBe(70 + 80 + 400)

    del.getState().setTyped('3')
    await del.getState().confirm()
    expect(del.getState().flow.phase).toBe('confirm') // wrong number: nothing starts
    expect(cache.transport.requests('delete.start')).toEqual([])

    del.getState().setTyped(' 2 ')
    await del.getState().confirm()
    expect(cache.transport.requests('delete.start')[0]).toMatchObject({ confirmCount: 2 })
    const running = del.getState().flow
    expect(running.phase).toBe('running')
    if (running.phase !== 'running') return

    cache.advanceJob(running.jobId)
    expect(del.getState().flow).toMatchObject({ phase: 'running', status: { done: 1, total: 2 } })
    cache.advanceJob(running.jobId)
    const summary = del.getState().flow
    expect(summary.phase).toBe('summary')
    if (summary.phase !== 'summary') return
    expect(summary.result?.cancelled).toBe(false)
    expect(summary.result?.deleted.length).toBe(4)
    expect(finished.length).toBe(1)
    expect(cache.rows.has('runs/old/notes')).toBe(false)
    del.getState().close()
    expect(del.getState().flow.phase).toBe('idle')
  })

  it('cancel stops the job and the summary says so', async () => {
    const cache = fakeCache({ manualJobs: true })
    const del = createDeleteStore(cache.transport, { pollMs: 60_000 })
    await del
      .getState()
      .begin('c1', { keys: ['runs/old/notes', 'runs/old/scratch', 'greeting'], orphans: [] })
    del.getState().setTyped('3')
    await del.getState().confirm()
    const running = del.getState().flow
    if (running.phase !== 'running') throw new Error(running.phase)
    cache.advanceJob(running.jobId) // no subscriber: progress must come from polling
    await del.getState().cancel()
    const summary = del.getState().flow
    expect(summary).toMatchObject({ phase: 'summary', result: { cancelled: true } })
    if (summary.phase === 'summary' && summary.result)
      expect(deletedKeys(summary.result)).toEqual(['runs/old/notes'])
  })

  it('polls job.status every 250 ms when no events arrive', async () => {
    vi.useFakeTimers()
    const cache = fakeCache({ manualJobs: true })
    const del = createDeleteStore(cache.transport)
    await del.getState().begin('c1', { keys: ['greeting'], orphans: [] })
    del.getState().setTyped('1')
    await del.getState().confirm()
    const running = del.getState().flow
    if (running.phase !== 'running') throw new Error(running.phase)
    const before = cache.transport.requests('job.status').length
    await vi.advanceTimersByTimeAsync(1000)
    expect(cache.transport.requests('job.status').length - before).toBe(4)
    cache.advanceJob(running.jobId)
    await vi.advanceTimersByTimeAsync(250)
    expect(del.getState().flow.phase).toBe('summary')
    const after = cache.transport.requests('job.status').length
    await vi.advanceTimersByTimeAsync(1000)
    expect(cache.transport.requests('job.status').length).toBe(after) // polling stopped
  })

  it('the typed confirmation must equal the number of entries', async () => {
    const cache = fakeCache()
    const del = createDeleteStore(cache.transport)
    await del.getState().begin('c1', { keys: ['a', 'b', 'c'], orphans: [] })
    const flow = del.getState().flow
    if (flow.phase !== 'confirm') throw new Error(flow.phase)
    expect(confirmationMatches(flow.plan, '3')).toBe(true)
    expect(confirmationMatches(flow.plan, '03')).toBe(false)
    expect(confirmationMatches(flow.plan, 'three')).toBe(false)
    expect(confirmationMatches(flow.plan, '')).toBe(false)
  })

  it('a failed plan shows the engine message', async () => {
    const cache = fakeCache()
    cache.transport.handle('delete.plan', () => {
      throw new Error('The cache is read-only (opened read-only), so nothing can be deleted.')
    })
    const del = createDeleteStore(cache.transport)
    await del.getState().begin('c1', { keys: ['a'], orphans: [] })
    expect(del.getState().flow).toEqual({
      phase: 'failed',
      message: 'The cache is read-only (opened read-only), so nothing can be deleted.',
    })
  })
})

describe('metadata validation', () => {
  it('accepts Python JSON objects, NaN and 1.0 included', () => {
    expect(checkMetadataText('{"a": 1.0, "b": NaN, "c": [1, 2]}')).toEqual({ ok: true })
  })

  it('names the line of a syntax error', () => {
    const check = checkMetadataText('{\n  "a": 1,\n  "b": ,\n}')
    expect(check.ok).toBe(false)
    if (!check.ok) {
      expect(check.line).toBe(3)
      expect(check.message).toMatch(/^Not valid JSON: .*\(line 3, column 8\)\.$/)
    }
    expect(lineOf('a\nb\nc', 4)).toBe(3)
  })

  it('refuses anything but an object', () => {
    expect(checkMetadataText('[1]')).toMatchObject({
      ok: false,
      message: expect.stringMatching(/not a list/),
    })
    expect(checkMetadataText('1.0')).toMatchObject({ ok: false })
    expect(checkMetadataText('null')).toMatchObject({
      ok: false,
      message: expect.stringMatching(/not null/),
    })
    expect(checkMetadataText('  ')).toMatchObject({ ok: false })
  })
})

describe('metadata editor', () => {
  async function openEditor() {
    const cache = fakeCache()
    const detail = await cache.transport.invoke('artifact.detail', {
      cacheId: 'c1',
      key: 'stations.csv',
    })
    const saved: string[] = []
    const editor = createEditorStore(cache.transport, (d) => saved.push(d.version))
    editor.getState().open('c1', detail)
    return { cache, editor, saved }
  }

  it('saves with the version it was opened at', async () => {
    const { cache, editor, saved } = await openEditor()
    editor.getState().setText('{"experiment": "hist", "scale": 1.0}')
    const result = await editor.getState().save()
    expect(cache.transport.requests('artifact.updateMetadata')[0]).toEqual({
      cacheId: 'c1',
      key: 'stations.csv',
      metadataText: '{"experiment": "hist", "scale": 1.0}',
      expectedVersion: 'v1',
    })
    expect(result?.version).toBe('v2')
    expect(saved).toEqual(['v2'])
    expect(editor.getState()).toMatchObject({ baseVersion: 'v2', saved: true, conflict: null })
  })

  it('does not send invalid text', async () => {
    const { cache, editor } = await openEditor()
    editor.getState().setText('{"a": }')
    expect(await editor.getState().save()).toBeNull()
    expect(cache.transport.requests('artifact.updateMetadata')).toEqual([])
  })

  it('on a conflict keeps both versions; "keep mine" retries at the disk version', async () => {
    const { cache, editor } = await openEditor()
    cache.editOnDisk('stations.csv', '{"experiment": "disk"}')
    editor.getState().setText('{"experiment": "mine"}')
    expect(await editor.getState().save()).toBeNull()
    expect(editor.getState().conflict).toEqual({
      mine: '{"experiment": "mine"}',
      disk: '{"experiment": "disk"}',
      diskVersion: 'v2',
    })
    const result = await editor.getState().keepMine()
    expect(
      cache.transport.requests('artifact.updateMetadata').map((r) => r.expectedVersion),
    ).toEqual(['v1', 'v2'])
    expect(result?.metadataText).toBe('{"experiment": "mine"}')
    expect(editor.getState().conflict).toBeNull()
  })

  it('"take disk" drops my edit and continues from the disk version', async () => {
    const { cache, editor } = await openEditor()
    cache.editOnDisk('stations.csv', '{"experiment": "disk"}')
    editor.getState().setText('{"experiment": "mine"}')
    await editor.getState().save()
    editor.getState().takeDisk()
    expect(editor.getState()).toMatchObject({
      text: '{"experiment": "disk"}',
      baseVersion: 'v2',
      conflict: null,
    })
  })
})

describe('the explorer wiring', () => {
  it('opening lists the cache; the cursor row loads detail, preview and editor', async () => {
    const cache = fakeCache()
    const ex = createExplorer(cache.transport, { pollMs: 10 })
    await ex.start()
    await ex.app.getState().open('/data/cache')
    await vi.waitFor(() => expect(ex.listing.getState().loading).toBe(false))
    expect(ex.derive().rows.length).toBe(8)
    ex.selection.getState().selectOnly('stations.csv')
    await vi.waitFor(() => expect(ex.detail.getState().status).toBe('ready'))
    await vi.waitFor(() => expect(ex.preview.getState().status).toBe('ready'))
    expect(ex.editor.getState().key).toBe('stations.csv')
    ex.dispose()
  })

  it('"delete all matching" plans exactly the filtered keys and refreshes afterwards', async () => {
    const cache = fakeCache()
    const ex = createExplorer(cache.transport, { pollMs: 10, now: () => Date.UTC(2024, 5, 1, 12) })
    await ex.app.getState().open('/data/cache')
    await vi.waitFor(() => expect(ex.listing.getState().loading).toBe(false))
    ex.view.getState().toggleAge({ olderThanDays: 30 })
    ex.view.getState().toggleFacet('experiment', 'old')
    ex.deleteAllMatching()
    await vi.waitFor(() => expect(ex.deletion.getState().flow.phase).toBe('confirm'))
    expect(cache.transport.requests('delete.plan')[0]?.keys).toEqual([
      'runs/old/notes',
      'runs/old/scratch',
    ])
    ex.deletion.getState().setTyped('2')
    await ex.deletion.getState().confirm()
    await vi.waitFor(() => expect(ex.deletion.getState().flow.phase).toBe('summary'))
    await vi.waitFor(() => expect(ex.listing.getState().refreshing).toBe(false))
    expect(ex.listing.getState().rows.map((r) => r.key)).not.toContain('runs/old/notes')
    expect(ex.derive().rows).toEqual([])
    ex.dispose()
  })

  it('a read-only cache starts no delete', async () => {
    const cache = fakeCache({ readonly: true })
    const ex = createExplorer(cache.transport)
    await ex.app.getState().open('/data/cache')
    ex.deleteKey('stations.csv')
    expect(ex.deletion.getState().flow.phase).toBe('idle')
    ex.dispose()
  })
})
