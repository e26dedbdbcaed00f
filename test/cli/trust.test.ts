import { promises as fs } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCli } from '../helpers/cli.js'
import { NESTED, nestedKeysCache } from '../helpers/nested-keys.js'
import { listFiles, tempDir } from '../helpers/temp.js'
import { trapCache } from '../helpers/trap-cache.js'
import { snapshot, userFolder } from '../helpers/user-folder.js'

describe('issue 6 through the real CLI', () => {
  it('show in a cache that carries a plug-in package runs none of its code', async () => {
    const { cache, ran } = await trapCache()
    const env = { XDG_CONFIG_HOME: await tempDir(), XPERSIST_PLUGINS: '' }
    const r = await runCli(['show', '.', 'key'], env, cache)
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(/No serializer 'fast\.format'.*npm install.*XPERSIST_PLUGINS/)
    expect(ran()).toBe(false)
  })

  it('rm of a stray sidecar "runs" keeps the four keys under it; rm nest/x keeps nest/x/part0', async () => {
    const cache = await nestedKeysCache()
    const before = await listFiles(cache)
    expect((await runCli(['rm', cache, 'runs', '--yes'])).code).toBe(0)
    expect(await listFiles(cache)).toEqual(
      before.filter((f) => f !== 'xpersist_metadata_store/runs.artifact.json'),
    )
    const plan = JSON.parse((await runCli(['rm', cache, 'nest/x', '--plan'])).stdout)
    expect(plan.entries[0].files.map((f: { path: string }) => f.path)).toEqual([
      'xpersist_metadata_store/nest/x.artifact.json',
      ...NESTED.nestOwn,
    ])
    expect((await runCli(['rm', cache, 'nest/x', '--yes'])).code).toBe(0)
    expect(await fs.readFile(path.join(cache, 'nest/x/part0'), 'utf8')).toBe(
      'payload of nest/x/part0',
    )
    const ls = JSON.parse((await runCli(['ls', cache, '--long', '--json'])).stdout)
    expect(ls.map((r: { key: string }) => r.key)).toEqual(
      [...NESTED.runsKeys, 'nest/x/part0'].sort(),
    )
  })

  it('rm on a mistyped cache path creates nothing and says so', async () => {
    const parent = await tempDir()
    const typo = path.join(parent, 'cahce')
    for (const extra of [[], ['--yes'], ['--plan']]) {
      const r = await runCli(['rm', typo, 'k', ...extra])
      expect(r.code).toBe(1)
      expect(r.stderr).toMatch(/No cache folder at .*cahce/)
    }
    expect(await fs.readdir(parent)).toEqual([])
  })

  it('doctor, ls and rm --plan on a folder that is not a cache change nothing', async () => {
    const dir = await userFolder()
    const before = await snapshot(dir)
    const doctor = await runCli(['doctor', dir])
    expect(doctor.code).toBe(0)
    expect(doctor.stdout).toMatch(
      /is not an xpersist cache \(no xpersist_metadata_store folder\); nothing to check/,
    )
    expect(JSON.parse((await runCli(['doctor', dir, '--json'])).stdout)).toMatchObject({
      orphans: [],
      notACache: 'no xpersist_metadata_store folder',
    })
    expect((await runCli(['ls', dir])).code).toBe(0)
    expect((await runCli(['rm', dir, 'thesis.pdf', '--plan'])).code).toBe(1)
    expect((await runCli(['rm', dir, 'thesis.pdf', '--yes'])).code).toBe(1)
    expect(await snapshot(dir)).toEqual(before)
  })

  it('demo refuses a folder that is not empty (an existing cache, or anything else)', async () => {
    const dir = await userFolder()
    const before = await snapshot(dir)
    const r = await runCli(['demo', dir])
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(
      /is not empty; xpersist demo writes a new demo cache only into a new or empty folder/,
    )
    expect(await snapshot(dir)).toEqual(before)
    const cache = path.join(await tempDir(), 'demo')
    expect((await runCli(['demo', cache])).code).toBe(0)
    const demo = await snapshot(cache)
    expect((await runCli(['demo', cache])).code).toBe(1)
    expect(await snapshot(cache)).toEqual(demo)
    const empty = await tempDir()
    expect((await runCli(['demo', empty])).code).toBe(0)
  })
})
