import { promises as fs } from 'node:fs'
import type { IncomingMessage } from 'node:http'
import path from 'node:path'
import { Readable } from 'node:stream'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ExplorerSession } from '../../electron/ipc/session.js'
import { FolderUploads } from '../../electron/server/folder-upload.js'
import { startServer, type RunningServer } from '../../electron/server/http-server.js'
import { sendFolder, type Post } from '../../renderer/src/ipc/folder-upload.js'
import { FIXTURE_CACHE, fixtureCopy, listFiles, tempDir } from '../helpers/temp.js'

// The renderer's side of folder uploads (renderer/src/ipc/folder-upload.ts, which HttpTransport
// calls) against the real server, and the server's expiry of abandoned uploads.

let server: RunningServer
let session: ExplorerSession
let cache: string
let cacheId: string
/** The server's upload folder, where each folder upload gets a folder of its own. */
let root: string

/** HttpTransport's post, as far as uploads need it: the token, and the envelope's data. */
const post: Post = async <T>(
  url: string,
  type: string,
  body: Blob | string,
  signal?: AbortSignal,
) => {
  const response = await fetch(`http://127.0.0.1:${server.port}${url}`, {
    method: 'POST',
    headers: { 'Content-Type': type, 'X-Xpersist-Token': server.token },
    body,
    signal: signal ?? null,
  })
  const envelope = (await response.json()) as { ok: boolean; data?: T; error?: { message: string } }
  if (!envelope.ok) throw new Error(envelope.error?.message)
  return envelope.data as T
}

beforeAll(async () => {
  cache = await fixtureCopy()
  session = new ExplorerSession({ mode: 'browser', initial: null })
  server = await startServer(session, { rendererDir: await tempDir() })
  const opened = await post<{ cacheId: string }>(
    '/api/invoke/cache.open',
    'application/json',
    JSON.stringify({ location: cache }),
  )
  cacheId = opened.cacheId
  const first = await sendFolder(post, [{ path: 'x', blob: new Blob(['x']) }])
  root = path.dirname(session.filePath(first.handle))
  await session.releaseFileHandle(first.handle)
  expect(await fs.readdir(root)).toEqual([])
})
afterAll(() => server.close())

describe("the renderer's folder upload against the server", () => {
  const filesOf = async (dir: string) =>
    Promise.all(
      (await listFiles(dir)).map(async (rel) => ({
        path: rel.split(path.sep).join('/'),
        blob: new Blob([await fs.readFile(path.join(dir, rel))]),
      })),
    )

  it('uploads a Zarr folder with progress; the put stores it as xarray.zarr', async () => {
    const zarr = path.join(FIXTURE_CACHE, 'sst-monthly-consolidated.zarr')
    const files = await filesOf(zarr)
    const seen: { files: number; bytes: number }[] = []
    const sent = await sendFolder(post, files, { onProgress: (p) => seen.push(p) })
    const total = files.reduce((sum, f) => sum + f.blob.size, 0)
    expect(sent).toMatchObject({ files: files.length, bytes: total })
    expect(seen).toHaveLength(files.length)
    expect(seen.at(-1)).toEqual({ files: files.length, bytes: total })
    const put = await post<{ serializer: string }>(
      '/api/invoke/artifact.put',
      'application/json',
      JSON.stringify({
        cacheId,
        key: 'uploaded/consolidated.zarr',
        file: { name: 'sst-monthly-consolidated.zarr', handle: sent.handle },
      }),
    )
    expect(put.serializer).toBe('xarray.zarr')
    expect(await listFiles(path.join(cache, 'uploaded/consolidated.zarr'))).toEqual(
      await listFiles(zarr),
    )
    expect(await fs.readdir(root)).toEqual([])
  })

  it('cancels on the server when aborted, leaving nothing behind', async () => {
    const files = await filesOf(path.join(FIXTURE_CACHE, 'sst-monthly.zarr'))
    const controller = new AbortController()
    const upload = sendFolder(post, files, {
      signal: controller.signal,
      onProgress: (p) => {
        if (p.files === 2) controller.abort()
      },
    })
    await expect(upload).rejects.toMatchObject({ name: 'AbortError' })
    // The cancel request is sent without waiting; the folder goes once it arrives.
    await expect.poll(() => fs.readdir(root)).toEqual([])
  })
})

describe('FolderUploads expiry and limits', () => {
  const body = (text: string) => Readable.from([Buffer.from(text)]) as unknown as IncomingMessage

  it('removes an upload left idle for ten minutes, and keeps at most four unfinished', async () => {
    const parent = await tempDir()
    let clock = 0
    const uploads = new FolderUploads(
      () => fs.mkdtemp(path.join(parent, 'f-')),
      { maxBytes: 100, maxFiles: 10, maxDepth: 4 },
      () => clock,
    )
    const files = [{ path: 'a/b', bytes: 2 }]
    const idle = (await uploads.start({ files })).upload
    clock = 5 * 60_000
    const busy = (await uploads.start({ files })).upload
    expect(await uploads.receive(busy, 0, body('xy'))).toEqual({ bytes: 2 })
    clock = 11 * 60_000
    await uploads.sweep()
    expect(await fs.readdir(parent)).toHaveLength(1) // the idle one went, the recent one stays
    await expect(uploads.finish(idle)).rejects.toThrow(/expired or was cancelled/)
    const done = await uploads.finish(busy)
    expect(await fs.readFile(path.join(done.dir, 'a', 'b'), 'utf8')).toBe('xy')
    for (let i = 0; i < 6; i++) await uploads.start({ files })
    expect(await fs.readdir(parent)).toHaveLength(1 + 4) // the finished one is the caller's
    await uploads.removeAll()
    expect(await fs.readdir(parent)).toEqual([path.basename(done.dir)])
    await fs.rm(done.dir, { recursive: true })
  })
})
