// The two backends that stand in front of another: PendingRootBackend (a cache folder not made
// yet) and FolderView (a folder payload shown before it is stored). The conformance suite runs
// on pending-root in backends.test.ts; these pin what only they do.
import { promises as fs } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { FolderView } from '../../electron/engine/backend/folder-view.js'
import { LocalBackend } from '../../electron/engine/backend/local.js'
import { PendingRootBackend } from '../../electron/engine/backend/pending-root.js'
import { walkPayloadFolder } from '../../electron/engine/payload-folder.js'
import { collect } from '../conformance/support.js'
import { tempDir } from '../helpers/temp.js'

describe('PendingRootBackend', () => {
  it('reads as empty and makes nothing until the first write', async () => {
    const root = path.join(await tempDir(), 'later')
    const b = new PendingRootBackend(root, (create) => LocalBackend.open(root, { create }))
    expect(await b.headMany(['a', 'b/c'])).toEqual([undefined, undefined])
    expect(await b.getManyText(['a'])).toEqual([undefined])
    expect(await collect(b.listPaths(''))).toEqual([])
    expect(await collect(b.listTempFiles(''))).toEqual([])
    expect(await b.openRead('a')).toBeUndefined()
    await b.deleteMany(['a', 'b/c'])
    await b.delete('a')
    await expect(fs.access(root)).rejects.toThrow()
    expect(await b.isWritable()).toBe(true)

    await b.put('k/v', new TextEncoder().encode('1'))
    await fs.writeFile(path.join(root, 'k', '.v.xpersist-tmp-dead'), 'partial')
    expect(await collect(b.listTempFiles(''))).toEqual(['k/.v.xpersist-tmp-dead'])
    const reader = await b.openRead('k/v')
    expect(reader?.size).toBe(1)
    await reader?.close()
  })
})

describe('FolderView', () => {
  async function view() {
    const dir = await tempDir()
    await fs.mkdir(path.join(dir, 'sub'), { recursive: true })
    await fs.writeFile(path.join(dir, '.zgroup'), '{"zarr_format": 2}')
    await fs.writeFile(path.join(dir, 'sub', '0'), Buffer.from([0xff, 0x00]))
    await fs.writeFile(path.join(dir, 'subway'), 'x')
    return new FolderView(await walkPayloadFolder(dir), 'payload')
  }

  it('lists by folder prefix, reads in bulk, and refuses every write', async () => {
    const v = await view()
    const paths = (await collect(v.listPaths('payload/sub'))).flat()
    expect(paths).toEqual(['payload/sub/0'])
    expect((await collect(v.list('payload/sub'))).map((m) => m.path)).toEqual(['payload/sub/0'])
    expect((await collect(v.listPaths(''))).flat().sort()).toEqual([
      'payload/.zgroup',
      'payload/sub/0',
      'payload/subway',
    ])
    const [group, chunk, missing] = await v.getManyText([
      'payload/.zgroup',
      'payload/sub/0',
      'payload/nope',
    ])
    expect(group).toBe('{"zarr_format": 2}')
    expect(chunk).toEqual(new Uint8Array([0xff, 0x00]))
    expect(missing).toBeUndefined()
    const metas = await v.headMany(['payload/subway', 'payload/nope'])
    expect(metas.map((m) => m?.size)).toEqual([1, undefined])
    expect(await collect(v.listTempFiles(''))).toEqual([])
    await expect(v.deleteMany(['payload/subway'])).rejects.toMatchObject({ code: 'NOT_SUPPORTED' })
    expect(await v.isWritable()).toBe(false)
  })
})
