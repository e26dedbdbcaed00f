// build/electron-builder.json as electron-builder 26 reads it: valid against its own schema,
// and the fuses it flips in the packaged binary are the hardened set.
import { createRequire } from 'node:module'
import { promises as fs } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { REPO } from '../helpers/temp.js'

const require = createRequire(import.meta.url)
const readConfig = async () =>
  JSON.parse(await fs.readFile(path.join(REPO, 'build', 'electron-builder.json'), 'utf8'))

// app-builder-lib loads config modules through jiti, which keeps a transpile cache in
// $TMPDIR/jiti; the suite's TMPDIR is private to the run and must end empty.
afterAll(() => fs.rm(path.join(os.tmpdir(), 'jiti'), { recursive: true, force: true }))

describe('build/electron-builder.json', () => {
  it("passes electron-builder's own schema check", async () => {
    const { validateConfiguration } = require('app-builder-lib/out/util/config/config.js')
    await expect(validateConfiguration(await readConfig(), { isEnabled: false })).resolves.toBe(
      undefined,
    )
    // The check is real: a misspelt fuse is refused.
    await expect(
      validateConfiguration(
        { ...(await readConfig()), electronFuses: { runAsnode: false } },
        { isEnabled: false },
      ),
    ).rejects.toThrow(/electronFuses/)
  })

  it('flips the fuses: no run-as-node, NODE_OPTIONS or --inspect; asar only, integrity checked', async () => {
    const { PlatformPackager } = require('app-builder-lib')
    const { FuseV1Options } = await import('@electron/fuses')
    const config = await readConfig()
    // What electron-builder hands to @electron/fuses when it packages.
    const fuses = await PlatformPackager.prototype.generateFuseConfig.call({}, config.electronFuses)
    expect(fuses[FuseV1Options.RunAsNode]).toBe(false)
    expect(fuses[FuseV1Options.EnableNodeOptionsEnvironmentVariable]).toBe(false)
    expect(fuses[FuseV1Options.EnableNodeCliInspectArguments]).toBe(false)
    expect(fuses[FuseV1Options.EnableEmbeddedAsarIntegrityValidation]).toBe(true)
    expect(fuses[FuseV1Options.OnlyLoadAppFromAsar]).toBe(true)
    expect(fuses[FuseV1Options.EnableCookieEncryption]).toBe(true)
    expect(fuses[FuseV1Options.LoadBrowserProcessSpecificV8Snapshot]).toBe(false)
    expect(fuses[FuseV1Options.GrantFileProtocolExtraPrivileges]).toBe(false)
    expect(config.asar).toBe(true)
  })
})
