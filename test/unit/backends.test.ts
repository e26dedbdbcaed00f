import { spawnSync } from 'node:child_process'
import { promises as fs, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import type { ObjectMeta, PutOptions } from '../../electron/engine/backend/backend.js'
import { LocalBackend } from '../../electron/engine/backend/local.js'
import { MemoryBackend } from '../../electron/engine/backend/memory.js'
import { PendingRootBackend } from '../../electron/engine/backend/pending-root.js'
import { backendConformance } from '../backend-conformance.js'

const dirs: string[] = []
const immutable: string[] = []
async function tempDir(): Promise<string> {
  const d = await fs.mkdtemp(path.join(os.tmpdir(), 'xp-local-'))
  dirs.push(d)
  return d
}
afterAll(async () => {
  for (const d of immutable) spawnSync('chattr', ['-R', '-i', d])
  for (const d of dirs) {
    await fs.chmod(d, 0o700).catch(() => undefined)
    await fs.rm(d, { recursive: true, force: true })
  }
})

const asRoot = process.getuid?.() === 0

/**
 * Whether `chattr +i` works here: root ignores file modes, but not the immutable flag, so a
 * test running as root refuses writes that way (ext4 and CAP_LINUX_IMMUTABLE needed).
 */
function chattrWorks(): boolean {
  const probe = mkdtempSync(path.join(os.tmpdir(), 'xp-chattr-'))
  try {
    if (spawnSync('chattr', ['+i', probe]).status !== 0) return false
    try {
      writeFileSync(path.join(probe, 'x'), '')
      return false
    } catch {
      return true
    }
  } finally {
    spawnSync('chattr', ['-i', probe])
    rmSync(probe, { recursive: true, force: true })
  }
}
const immutableWorks = asRoot && chattrWorks()

/** A local cache folder the user may not use: mode 000, or immutable when running as root. */
async function deniedLocal(): Promise<LocalBackend> {
  const root = await tempDir()
  await fs.writeFile(path.join(root, 'seed'), 'seed')
  const b = await LocalBackend.open(root)
  if (asRoot) {
    immutable.push(root)
    spawnSync('chattr', ['-R', '+i', root])
  } else await fs.chmod(root, 0o000)
  return b
}

backendConformance('local', async () => LocalBackend.open(await tempDir()), {
  denied: asRoot && !immutableWorks ? undefined : deniedLocal,
  deniedReads: !asRoot,
  deniedSkip: 'running as root, where file modes refuse nothing, and chattr +i is not available',
})

backendConformance('memory', async () => new MemoryBackend(), {
  pageSize: 1000,
  deniedSkip: 'memory refuses nothing',
})

/** Memory that ignores every precondition, as some emulators do: checks the suite's limit cases. */
class IgnoresPreconditions extends MemoryBackend {
  override async put(path: string, data: Uint8Array, _options?: PutOptions): Promise<ObjectMeta> {
    return super.put(path, data)
  }
}
const ignored = 'a test double of the suite itself, ignoring preconditions on purpose'
backendConformance('memory ignoring preconditions', async () => new IgnoresPreconditions(), {
  limits: {
    createIgnored: ignored,
    ifMatchIgnored: ignored,
    createIgnoredOnResumable: ignored,
    ifMatchIgnoredOnResumable: ignored,
  },
  deniedSkip: 'memory refuses nothing',
})

// The folder does not exist yet: reads see an empty cache, the first write makes it.
backendConformance(
  'pending-root',
  async () => {
    const root = path.join(await tempDir(), 'not', 'yet')
    return new PendingRootBackend(root, (create) => LocalBackend.open(root, { create }))
  },
  { deniedSkip: "its refusals are the local backend's, checked above" },
)

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

  it.skipIf(asRoot && !immutableWorks)('a folder the user may not write says so', async () => {
    expect(await (await deniedLocal()).isWritable()).toBe(false)
  })

  it('deleteMany keeps every check delete makes: links refused, folders refused', async () => {
    const root = await tempDir()
    const outside = await tempDir()
    await fs.writeFile(path.join(outside, 'secret'), 'x')
    await fs.symlink(outside, path.join(root, 'link'))
    const b = await LocalBackend.open(root)
    await b.put('dir/inner', new Uint8Array([1]))
    await b.put('plain', new Uint8Array([1]))
    await expect(b.deleteMany(['plain', 'link/secret'])).rejects.toMatchObject({
      code: 'PERMISSION_DENIED',
    })
    expect(await fs.readFile(path.join(outside, 'secret'), 'utf8')).toBe('x')
    await expect(b.deleteMany(['dir'])).rejects.toMatchObject({ code: 'BACKEND' })
    expect(await b.head('dir/inner')).toBeDefined()
    await b.deleteMany(['dir/inner'])
    // emptied folders are pruned as by delete
    expect((await fs.readdir(root)).sort()).toEqual(['link'])
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
