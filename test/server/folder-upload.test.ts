import { existsSync, promises as fs } from 'node:fs'
import http from 'node:http'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ExplorerSession } from '../../electron/ipc/session.js'
import { startServer, type RunningServer } from '../../electron/server/http-server.js'
import { FIXTURE_CACHE, fixtureCopy, listFiles, tempDir } from '../helpers/temp.js'

let server: RunningServer
let session: ExplorerSession
let cache: string
let cacheId: string
/** The server's upload folder, where each folder upload gets a folder of its own. */
let root: string

beforeAll(async () => {
  const rendererDir = await tempDir()
  cache = await fixtureCopy()
  session = new ExplorerSession({ mode: 'browser', initial: null })
  server = await startServer(session, { rendererDir, maxUploadBytes: 256 * 1024 })
  cacheId = (await json('/api/invoke/cache.open', { location: cache })).data.cacheId
  const small = await tempDir()
  await fs.writeFile(path.join(small, 'x'), 'x')
  const { finish } = await uploadFolder(small)
  root = path.dirname(session.filePath(finish.data.handle))
  await session.releaseFileHandle(finish.data.handle)
  expect(await fs.readdir(root)).toEqual([])
})
afterAll(() => server.close())

function post(
  urlPath: string,
  body: string | Buffer,
  s: RunningServer = server,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port: s.port,
        path: urlPath,
        method: 'POST',
        headers: { 'X-Xpersist-Token': s.token },
      },
      (res) => {
        let text = ''
        res.on('data', (c) => (text += c))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }))
      },
    )
    req.on('error', reject)
    req.end(body)
  })
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function json(urlPath: string, body: unknown, s?: RunningServer): Promise<any> {
  return JSON.parse((await post(urlPath, JSON.stringify(body), s)).body)
}

/** Uploads every file under `dir` file by file; returns the finish answer. */
async function uploadFolder(dir: string, s: RunningServer = server) {
  const rels = await listFiles(dir)
  const blobs = await Promise.all(rels.map((r) => fs.readFile(path.join(dir, r))))
  const files = rels.map((p, i) => ({ path: p.split(path.sep).join('/'), bytes: blobs[i]!.length }))
  const started = await json('/api/upload-folder', { files }, s)
  expect(started).toMatchObject({ ok: true, data: { files: files.length } })
  const id = started.data.upload as string
  for (const [i, blob] of blobs.entries()) {
    const sent = await post(`/api/upload-folder/${id}/${i}`, blob, s)
    expect(JSON.parse(sent.body)).toEqual({ ok: true, data: { bytes: blob.length } })
  }
  return { id, files, finish: await json(`/api/upload-folder/${id}/finish`, {}, s) }
}

describe('folder upload paths', () => {
  const bad: [string, RegExp][] = [
    ['/etc/passwd', /absolute/],
    ['C:/x', /absolute/],
    ['../escape', /'\.\.' segment/],
    ['a/../../escape', /'\.\.' segment/],
    ['a/./b', /'\.' segment/],
    ['.', /'\.' segment/],
    ['a//b', /empty path segment/],
    ['a/', /empty path segment/],
    ['', /empty path/],
    ['a\\..\\b', /backslash/],
    ['a\u0000b', /control character/],
    ['a\nb', /control character/],
    [Array(40).fill('d').join('/'), /32 folders deep/],
    ['x'.repeat(300), /255 bytes/],
  ]
  it.each(bad)('refuses %j with a clear message, writing nothing', async (rel, why) => {
    const answer = await post(
      '/api/upload-folder',
      JSON.stringify({
        files: [
          { path: '.zgroup', bytes: 2 },
          { path: rel, bytes: 1 },
        ],
      }),
    )
    expect(answer.status).toBe(400)
    const { error } = JSON.parse(answer.body)
    expect(error.code).toBe('INVALID_ARGUMENT')
    expect(error.message).toMatch(/^Folder upload refused: /)
    expect(error.message).toMatch(why)
    expect(await fs.readdir(root)).toEqual([])
  })

  it('refuses duplicates, file-and-folder clashes, bad sizes, and too many bytes or files', async () => {
    const refused = async (files: unknown, status: number, why: RegExp) => {
      const answer = await post('/api/upload-folder', JSON.stringify({ files }))
      expect(answer.status).toBe(status)
      expect(JSON.parse(answer.body).error.message).toMatch(why)
    }
    await refused([], 400, /lists no files/)
    await refused(
      [
        { path: 'a', bytes: 1 },
        { path: 'a', bytes: 1 },
      ],
      400,
      /"a" is listed twice/,
    )
    await refused(
      [
        { path: 'a', bytes: 1 },
        { path: 'a/b', bytes: 1 },
      ],
      400,
      /both a file/,
    )
    await refused(
      [
        { path: 'a/b', bytes: 1 },
        { path: 'a', bytes: 1 },
      ],
      400,
      /both a file/,
    )
    await refused([{ path: 'a', bytes: -1 }], 400, /no valid size/)
    await refused([{ path: 'a', bytes: 1.5 }], 400, /no valid size/)
    await refused([{ bytes: 1 }], 400, /has no path/)
    const half = 128 * 1024 + 1
    await refused(
      [
        { path: 'a', bytes: half },
        { path: 'b', bytes: half },
      ],
      413,
      /larger than the 262144 bytes this server accepts; use `xpersist put`/,
    )
    const many = Array.from({ length: 100_001 }, (_, i) => ({ path: `c/${i}`, bytes: 0 }))
    await refused(many, 413, /at most 100000 in one upload/)
    expect((await post('/api/upload-folder', '{not json')).status).toBe(400)
  })
})

describe('folder upload', () => {
  it('stores a Zarr folder sent file by file, removes its temp folder, and previews it', async () => {
    const zarr = path.join(FIXTURE_CACHE, 'sst-monthly.zarr')
    const { files, finish } = await uploadFolder(zarr)
    expect(finish).toMatchObject({ ok: true, data: { files: files.length } })
    const handle = finish.data.handle as string
    const temp = session.filePath(handle)
    expect(await listFiles(temp)).toEqual(await listFiles(zarr))
    const put = await json('/api/invoke/artifact.put', {
      cacheId,
      key: 'uploaded/sst.zarr',
      serializer: 'auto',
      file: { name: 'sst-monthly.zarr', handle },
    })
    expect(put).toEqual({ ok: true, data: { key: 'uploaded/sst.zarr', serializer: 'xarray.zarr' } })
    expect(existsSync(temp)).toBe(false)
    expect(await fs.readdir(root)).toEqual([])
    for (const rel of files) {
      const stored = await fs.readFile(path.join(cache, 'uploaded/sst.zarr', rel.path))
      expect(stored.equals(await fs.readFile(path.join(zarr, rel.path)))).toBe(true)
    }
    // The handle is used up: a second put with it is refused.
    const again = await json('/api/invoke/artifact.put', {
      cacheId,
      key: 'uploaded/again.zarr',
      file: { name: 'sst-monthly.zarr', handle },
    })
    expect(again.error.message).toMatch(/expired; choose the file again/)
    const preview = await json('/api/invoke/artifact.preview', {
      cacheId,
      key: 'uploaded/sst.zarr',
    })
    expect(preview.ok).toBe(true)
    expect(preview.data.kind).toBe('dataset')
    expect(Object.keys(preview.data.data_vars)).toContain('sst')
  })

  it('removes the temp folder when the put fails', async () => {
    const dir = await tempDir()
    await fs.writeFile(path.join(dir, 'readme.txt'), 'not a zarr store')
    const { finish } = await uploadFolder(dir)
    const temp = session.filePath(finish.data.handle)
    const put = await json('/api/invoke/artifact.put', {
      cacheId,
      key: 'uploaded/not-zarr',
      file: { name: 'x', handle: finish.data.handle },
    })
    expect(put.error.message).toMatch(/not a Zarr store/)
    expect(existsSync(temp)).toBe(false)
    expect(existsSync(path.join(cache, 'uploaded/not-zarr'))).toBe(false)
  })

  it('refuses a file of the wrong size or sent twice, dropping the whole upload', async () => {
    const files = [
      { path: 'a/.zarray', bytes: 3 },
      { path: 'b', bytes: 2 },
    ]
    let id = (await json('/api/upload-folder', { files })).data.upload
    const dir = root
    expect((await post(`/api/upload-folder/${id}/0`, 'abc')).status).toBe(200)
    const twice = await post(`/api/upload-folder/${id}/0`, 'abc')
    expect(JSON.parse(twice.body).error.message).toMatch(/"a\/.zarray" was already sent/)
    const long = await post(`/api/upload-folder/${id}/1`, 'abc')
    expect(JSON.parse(long.body).error.message).toMatch(/"b" is 2 bytes in the listing/)
    expect(await fs.readdir(dir)).toEqual([])
    expect(
      JSON.parse((await post(`/api/upload-folder/${id}/finish`, '')).body).error.message,
    ).toMatch(/expired or was cancelled/)
    id = (await json('/api/upload-folder', { files })).data.upload
    const short = await post(`/api/upload-folder/${id}/0`, 'ab')
    expect(JSON.parse(short.body).error.message).toMatch(/3 bytes in the listing but 2 arrived/)
    id = (await json('/api/upload-folder', { files })).data.upload
    await post(`/api/upload-folder/${id}/1`, 'ab')
    const early = await json(`/api/upload-folder/${id}/finish`, {})
    expect(early.error.message).toMatch(/ended before "a\/.zarray" arrived/)
    id = (await json('/api/upload-folder', { files })).data.upload
    expect((await post(`/api/upload-folder/${id}/7`, 'ab')).status).toBe(400)
    expect(await fs.readdir(dir)).toHaveLength(1) // a bad index alone does not drop it
    await post(`/api/upload-folder/${id}/cancel`, '')
    expect(await fs.readdir(dir)).toEqual([])
  })

  it('needs the token, and removes cancelled and unfinished uploads', async () => {
    const files = [{ path: 'x', bytes: 1 }]
    const denied = await new Promise<number>((resolve) => {
      const req = http.request(
        { host: '127.0.0.1', port: server.port, path: '/api/upload-folder', method: 'POST' },
        (res) => resolve(res.statusCode ?? 0),
      )
      req.end(JSON.stringify({ files }))
    })
    expect(denied).toBe(403)
    const dir = root
    const id = (await json('/api/upload-folder', { files })).data.upload
    expect(await fs.readdir(dir)).toHaveLength(1)
    expect(await json(`/api/upload-folder/${id}/cancel`, {})).toEqual({ ok: true })
    expect(await fs.readdir(dir)).toEqual([])

    const own = new ExplorerSession({ mode: 'browser', initial: null })
    const other = await startServer(own, { rendererDir: await tempDir() })
    await json('/api/upload-folder', { files }, other)
    const { finish } = await uploadFolder(path.join(FIXTURE_CACHE, 'sst-monthly.zarr'), other)
    const adopted = own.filePath(finish.data.handle)
    expect(existsSync(adopted)).toBe(true)
    await other.close()
    // Closing the server removes both the unfinished upload and the finished, unused one.
    expect(existsSync(adopted)).toBe(false)
    expect(await fs.readdir(dir)).toEqual([])
  })
})
