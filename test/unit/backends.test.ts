import { promises as fs } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { LocalBackend } from '../../electron/engine/backend/local.js'
import { MemoryBackend } from '../../electron/engine/backend/memory.js'
import { backendConformance } from '../backend-conformance.js'

const dirs: string[] = []
async function tempDir(): Promise<string> {
  const d = await fs.mkdtemp(path.join(os.tmpdir(), 'xp-local-'))
  dirs.push(d)
  return d
}
afterAll(async () => {
  for (const d of dirs) await fs.rm(d, { recursive: true, force: true })
})

backendConformance('local', async () => LocalBackend.open(await tempDir()))

describe('local backend safety', () => {
  it('never follows a symlinked folder out of the root', async () => {
    const root = await tempDir()
    const outside = await tempDir()
    await fs.writeFile(path.join(outside, 'secret'), 'x')
    await fs.symlink(outside, path.join(root, 'link'))
    const b = await LocalBackend.open(root)
    await expect(b.get('link/secret')).rejects.toMatchObject({ code: 'PERMISSION_DENIED' })
    await expect(b.put('link/new', new Uint8Array([1]))).rejects.toMatchObject({
      code: 'PERMISSION_DENIED',
    })
    await expect(fs.access(path.join(outside, 'new'))).rejects.toThrow()
    await expect(b.delete('link/secret')).rejects.toMatchObject({ code: 'PERMISSION_DENIED' })
    expect(await fs.readFile(path.join(outside, 'secret'), 'utf8')).toBe('x')
  })

  it('openRead refuses links as get does', async () => {
    const root = await tempDir()
    const outside = await tempDir()
    await fs.writeFile(path.join(outside, 'secret'), 'x')
    await fs.symlink(outside, path.join(root, 'dir'))
    await fs.symlink(path.join(outside, 'secret'), path.join(root, 'file'))
    const b = await LocalBackend.open(root)
    await expect(b.openRead('dir/secret')).rejects.toMatchObject({ code: 'PERMISSION_DENIED' })
    await expect(b.openRead('file')).rejects.toMatchObject({ code: 'PERMISSION_DENIED' })
  })

  it('never follows a symlinked file', async () => {
    const root = await tempDir()
    const outside = await tempDir()
    await fs.writeFile(path.join(outside, 'secret'), 'x')
    await fs.symlink(path.join(outside, 'secret'), path.join(root, 'f'))
    const b = await LocalBackend.open(root)
    await expect(b.get('f')).rejects.toMatchObject({ code: 'PERMISSION_DENIED' })
    await expect(b.get('f', { offset: 0, length: 1 })).rejects.toMatchObject({
      code: 'PERMISSION_DENIED',
    })
  })

  it('bulk text reads refuse symlinks and hand back bytes that may not be UTF-8', async () => {
    const root = await tempDir()
    const outside = await tempDir()
    await fs.writeFile(path.join(outside, 'secret'), 'x')
    await fs.symlink(path.join(outside, 'secret'), path.join(root, 'link'))
    await fs.writeFile(path.join(root, 'ok'), '{"a": "\u00e9"}')
    await fs.writeFile(path.join(root, 'bad'), Buffer.from([0x7b, 0xff, 0x7d]))
    const b = await LocalBackend.open(root)
    await expect(b.getManyText(['link'])).rejects.toMatchObject({ code: 'PERMISSION_DENIED' })
    const [ok, bad, missing] = await b.getManyText(['ok', 'bad', 'nope/x'])
    expect(ok).toBe('{"a": "\u00e9"}')
    expect(bad).toEqual(new Uint8Array([0x7b, 0xff, 0x7d]))
    expect(missing).toBeUndefined()
  })

  it('refuses paths that climb out even when called directly', async () => {
    const b = await LocalBackend.open(await tempDir())
    await expect(b.get('../etc/passwd')).rejects.toMatchObject({ code: 'BACKEND' })
    await expect(b.put('a/../../x', new Uint8Array())).rejects.toMatchObject({ code: 'BACKEND' })
  })

  it('leaves no temp file behind and hides temp files from listings', async () => {
    const root = await tempDir()
    const b = await LocalBackend.open(root)
    await b.put('a/b', new Uint8Array([1, 2]))
    await fs.writeFile(path.join(root, 'a', '.b.xpersist-tmp-abc'), 'partial')
    const listed: string[] = []
    for await (const m of b.list('')) listed.push(m.path)
    expect(listed).toEqual(['a/b'])
    const temps: string[] = []
    for await (const p of b.listTempFiles('')) temps.push(p)
    expect(temps).toEqual(['a/.b.xpersist-tmp-abc'])
  })

  it('prunes empty folders after delete but keeps the root and kept folders', async () => {
    const root = await tempDir()
    const b = await LocalBackend.open(root, { keepDirs: ['meta'] })
    await b.put('deep/er/file', new Uint8Array([1]))
    await b.put('meta/k/file', new Uint8Array([1]))
    await b.delete('deep/er/file')
    await b.delete('meta/k/file')
    expect((await fs.readdir(root)).sort()).toEqual(['meta'])
    expect(await fs.readdir(path.join(root, 'meta'))).toEqual([])
  })
})

backendConformance('memory', async () => new MemoryBackend())
