// `npm start`'s decision: Electron's binary if there is one; otherwise Electron's own
// installer, with a time limit; otherwise the reason, for the one line before browser mode.
// The installer is a stand-in here (no network in tests): one that fails, hangs, or works.
import { spawnSync } from 'node:child_process'
import { promises as fs } from 'node:fs'
import { createServer } from 'node:net'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  DEFAULT_DOWNLOAD_TIMEOUT_MS,
  downloadTimeout,
  electronInstaller,
  ensureElectronBinary,
} from '../../electron/main/electron-binary.js'
import { REPO, tempDir } from '../helpers/temp.js'

/** A checkout whose node_modules/electron is installed but has no binary yet. */
async function checkout(): Promise<string> {
  const root = await tempDir('xp-electron-bin-')
  const dir = path.join(root, 'node_modules', 'electron')
  await fs.mkdir(dir, { recursive: true })
  await fs.writeFile(
    path.join(dir, 'package.json'),
    JSON.stringify({ name: 'electron', version: '45.5.0', engines: { node: '>= 22.12.0' } }),
  )
  return root
}

/** A stand-in installer: this Node running `script`. */
const node = (script: string) => ({ command: process.execPath, args: ['-e', script] })

describe('ensureElectronBinary', () => {
  it('uses an installed binary without running the installer', async () => {
    const root = await checkout()
    const dir = path.join(root, 'node_modules', 'electron')
    await fs.mkdir(path.join(dir, 'dist'))
    await fs.writeFile(path.join(dir, 'dist', 'electron'), '')
    await fs.writeFile(path.join(dir, 'path.txt'), 'electron')
    const marker = path.join(root, 'installer-ran')
    const found = await ensureElectronBinary(root, {
      timeoutMs: 60_000,
      installer: node(`require('fs').writeFileSync(${JSON.stringify(marker)}, '')`),
    })
    expect(found).toEqual({ binary: path.join(dir, 'dist', 'electron') })
    await expect(fs.access(marker)).rejects.toThrow()
  })

  it('runs the installer when the binary is missing, and uses what it installed', async () => {
    const root = await checkout()
    const dir = path.join(root, 'node_modules', 'electron')
    const install = `const fs = require('fs'), p = require('path'), d = ${JSON.stringify(dir)};
      fs.mkdirSync(p.join(d, 'dist')); fs.writeFileSync(p.join(d, 'dist', 'electron'), '');
      fs.writeFileSync(p.join(d, 'path.txt'), 'electron')`
    const messages: string[] = []
    const found = await ensureElectronBinary(root, {
      timeoutMs: 60_000,
      installer: node(install),
      onDownload: (m) => messages.push(m),
    })
    expect(found).toEqual({ binary: path.join(dir, 'dist', 'electron') })
    expect(messages).toEqual([
      'Downloading Electron 45.5.0 (once; giving up after 60 s, XPERSIST_ELECTRON_DOWNLOAD_TIMEOUT=<seconds> to change)...',
    ])
  })

  it("says why, in the installer's own words, when the download fails", async () => {
    const root = await checkout()
    const failing = node(
      `console.error('TypeError: fetch failed: getaddrinfo ENOTFOUND github.com\\n    at x (y.js:1:1)'); process.exit(1)`,
    )
    expect(
      await ensureElectronBinary(root, {
        timeoutMs: 60_000,
        installer: failing,
        nodeVersion: '22.12.0',
      }),
    ).toEqual({
      reason: 'could not download Electron 45.5.0 (fetch failed: getaddrinfo ENOTFOUND github.com)',
    })
    // On a Node older than Electron's tooling declares, the reason says so too.
    expect(
      await ensureElectronBinary(root, {
        timeoutMs: 60_000,
        installer: failing,
        nodeVersion: 'v20.19.0',
      }),
    ).toEqual({
      reason:
        'could not download Electron 45.5.0 (fetch failed: getaddrinfo ENOTFOUND github.com); ' +
        "Electron's installer declares Node >= 22.12.0, this is Node 20.19.0",
    })
    const silent = node('process.exit(3)')
    expect(
      await ensureElectronBinary(root, {
        timeoutMs: 60_000,
        installer: silent,
        nodeVersion: '24.0.0',
      }),
    ).toEqual({
      reason: 'could not download Electron 45.5.0 (its installer exited with code 3)',
    })
  })

  it('gives up on an installer that hangs past the time limit, and kills it', async () => {
    const root = await checkout()
    const pidFile = path.join(root, 'pid')
    // sh starts in milliseconds even on a loaded machine, so the pid is written long before
    // the limit; exec keeps that pid for the sleep.
    const hanging = { command: 'sh', args: ['-c', `echo $$ > '${pidFile}'; exec sleep 600`] }
    const found = await ensureElectronBinary(root, {
      timeoutMs: 2_000,
      installer: hanging,
      nodeVersion: '22.12.0',
    })
    expect(found).toEqual({
      reason:
        "Electron 45.5.0's download did not finish within 2 s " +
        '(XPERSIST_ELECTRON_DOWNLOAD_TIMEOUT=<seconds> waits longer)',
    })
    const pid = Number(await fs.readFile(pidFile, 'utf8'))
    expect(() => process.kill(pid, 0)).toThrow(/ESRCH/)
  })

  it('reports an installer that succeeds without leaving a binary', async () => {
    const root = await checkout()
    expect(await ensureElectronBinary(root, { timeoutMs: 60_000, installer: node('') })).toEqual({
      reason: "Electron's installer finished, but Electron's binary was never downloaded",
    })
  })

  it('does not run anything when the electron package is not installed', async () => {
    const root = await tempDir('xp-electron-bin-')
    const marker = path.join(root, 'installer-ran')
    expect(
      await ensureElectronBinary(root, {
        timeoutMs: 60_000,
        installer: node(`require('fs').writeFileSync(${JSON.stringify(marker)}, '')`),
      }),
    ).toEqual({ reason: 'the electron package is not installed' })
    await expect(fs.access(marker)).rejects.toThrow()
  })
})

describe('the download time limit', () => {
  it('is 60 s unless XPERSIST_ELECTRON_DOWNLOAD_TIMEOUT gives seconds', () => {
    expect(DEFAULT_DOWNLOAD_TIMEOUT_MS).toBe(60_000)
    expect(downloadTimeout({})).toEqual({ ms: 60_000 })
    expect(downloadTimeout({ XPERSIST_ELECTRON_DOWNLOAD_TIMEOUT: '300' })).toEqual({ ms: 300_000 })
    expect(downloadTimeout({ XPERSIST_ELECTRON_DOWNLOAD_TIMEOUT: 'soon' })).toEqual({
      ms: 60_000,
      note: 'XPERSIST_ELECTRON_DOWNLOAD_TIMEOUT=soon is not a number of seconds; using 60.',
    })
  })
})

describe("Electron's installer as npm start runs it", () => {
  it("is node_modules/electron/install.js, with the fetch failure's cause preloaded", () => {
    const { command, args } = electronInstaller(REPO)
    expect(command).toBe(process.execPath)
    expect(args).toEqual([
      '--require',
      path.join(REPO, 'scripts', 'electron-fetch-cause.cjs'),
      path.join(REPO, 'node_modules', 'electron', 'install.js'),
    ])
  })

  it('the preload puts why a fetch failed into the error message', async () => {
    // A port nothing listens on: a refused connection, with no network needed.
    const server = createServer()
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const { port } = server.address() as { port: number }
    await new Promise((resolve) => server.close(resolve))
    const script = `fetch('http://127.0.0.1:${port}/').catch((e) => { console.log(e.message); })`
    const preload = path.join(REPO, 'scripts', 'electron-fetch-cause.cjs')
    const without = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' })
    const withCause = spawnSync(process.execPath, ['--require', preload, '-e', script], {
      encoding: 'utf8',
    })
    expect(without.stdout.trim()).toBe('fetch failed')
    expect(withCause.stdout.trim()).toBe(`fetch failed: connect ECONNREFUSED 127.0.0.1:${port}`)
  })
})
