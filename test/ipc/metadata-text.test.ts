import { promises as fs } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { ExplorerSession } from '../../electron/ipc/session.js'
import { invoke } from '../../electron/ipc/router.js'
import { call } from '../helpers/ipc-call.js'
import { REPO, tempDir } from '../helpers/temp.js'

// Written by the real Python xpersist: test/interop/python/make_unicode_cache.py.
const UNICODE_CACHE = path.join(REPO, 'test', 'fixtures', 'unicode-cache')
const SIDECAR = 'xpersist_metadata_store/stations-zurich.artifact.json'

async function openCopy() {
  const location = path.join(await tempDir('xp-unicode-'), 'cache')
  await fs.cp(UNICODE_CACHE, location, { recursive: true })
  const session = new ExplorerSession({ mode: 'browser', initial: null })
  const { cacheId } = await call(session, 'cache.open', { location, readonly: false })
  const read = () => fs.readFile(path.join(location, SIDECAR), 'utf8')
  return { session, cacheId, read }
}

describe('the metadata editor text of a sidecar Python wrote with non-ASCII text', () => {
  it('shows letters and emoji as characters, keeps invisible ones escaped and numbers exact', async () => {
    const { session, cacheId } = await openCopy()
    const d = await call(session, 'artifact.detail', { cacheId, key: 'stations-zurich' })
    expect(d.metadataText).toContain('"city": "Zürich"')
    expect(d.metadataText).toContain('"variable": "温度"')
    expect(d.metadataText).toContain('"mood": "calm 🌊 sea"')
    expect(d.metadataText).toContain('"température_moyenne": 1.0')
    expect(d.metadataText).toContain('"tiny": 1e-07')
    expect(d.metadataText).toContain('"big": 12345678901234567890')
    expect(d.metadataText).toContain('"région": "Île-de-France"')
    // A right-to-left override or a line break would be invisible (or break the line) as is.
    expect(d.metadataText).toContain('"rtl": "abc\\u202edef"')
    expect(d.metadataText).toContain('"nl": "a\\nb"')
    expect(d.metadataText).not.toMatch(/\\u00|\\ud83c/)
  })

  it('saved unedited, writes back the bytes Python wrote', async () => {
    const { session, cacheId, read } = await openCopy()
    const before = await read()
    const d = await call(session, 'artifact.detail', { cacheId, key: 'stations-zurich' })
    const saved = await call(session, 'artifact.updateMetadata', {
      cacheId,
      key: 'stations-zurich',
      metadataText: d.metadataText,
      expectedVersion: d.version,
    })
    expect(await read()).toBe(before)
    expect(saved.version).toBe(d.version)
  })

  it('with one field edited, leaves every other line of the sidecar as Python wrote it', async () => {
    const { session, cacheId, read } = await openCopy()
    const before = await read()
    const d = await call(session, 'artifact.detail', { cacheId, key: 'stations-zurich' })
    const edited = d.metadataText.replace('"Zürich"', '"Genève 🏔"')
    await call(session, 'artifact.updateMetadata', {
      cacheId,
      key: 'stations-zurich',
      metadataText: edited,
      expectedVersion: d.version,
    })
    const after = await read()
    // Python's escapes: ensure_ascii, and a surrogate pair for the astral character.
    const changed = '    "city": "Gen\\u00e8ve \\ud83c\\udfd4",'
    expect(after.split('\n')).toEqual(
      before.split('\n').map((line) => (line.includes('"city"') ? changed : line)),
    )
    // A conflict shows the disk version in the same readable form.
    const stale = await invoke(session, 'artifact.updateMetadata', {
      cacheId,
      key: 'stations-zurich',
      metadataText: d.metadataText,
      expectedVersion: d.version,
    })
    expect(!stale.ok && stale.error.current?.metadataText).toContain('"city": "Genève 🏔"')
  })
})
