import { promises as fs } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCli } from '../helpers/cli.js'
import { fixtureCopy, listFiles } from '../helpers/temp.js'

const ZARR = 'sst-monthly-consolidated.zarr'

describe('xpersist rm --trash and xpersist trash', () => {
  it('moves to the trash only with --yes, lists it, restores it, and empties after a plan', async () => {
    const cache = await fixtureCopy()
    const before = await listFiles(cache)

    const dry = await runCli(['rm', cache, 'pi', ZARR, '--trash'])
    expect(dry.code).toBe(0)
    expect(dry.stdout).toMatch(/^Would move to the trash 2 artifact\(s\)/)
    expect(dry.stdout).toMatch(/Dry run: nothing was moved/)
    expect(await listFiles(cache)).toEqual(before)

    const done = await runCli(['rm', cache, 'pi', ZARR, '--trash', '--yes', '--json'])
    expect(done.code).toBe(0)
    const plan = JSON.parse(done.stdout)
    expect(plan.trash).toMatchObject({ method: 'rename', copyObjects: 0 })
    const id = plan.trash.id as string
    const ls = JSON.parse((await runCli(['ls', cache, '--json'])).stdout) as string[]
    expect(ls).not.toContain('pi')
    expect((await runCli(['doctor', cache])).code).toBe(0)

    const trashLs = await runCli(['trash', cache, 'ls'])
    expect(trashLs.stdout).toMatch(new RegExp(`^${id} .* 2 `, 'm'))
    const entries = JSON.parse((await runCli(['trash', cache, 'ls', '--json'])).stdout)
    expect(entries).toMatchObject([{ id, keys: ['pi', ZARR] }])

    // A key written since is refused; the other comes back. Exit 1 says something was refused.
    await fs.writeFile(path.join(cache, 'pi'), 'new')
    await fs.copyFile(
      path.join(cache, '.xpersist-trash', id, 'xpersist_metadata_store/pi.artifact.json'),
      path.join(cache, 'xpersist_metadata_store/pi.artifact.json'),
    )
    const restoreDry = await runCli(['trash', cache, 'restore', id])
    expect(restoreDry.code).toBe(0)
    expect(restoreDry.stdout).toMatch(/pi {2}refused: 'pi' exists in the cache now/)
    const restored = await runCli(['trash', cache, 'restore', id, '--yes'])
    expect(restored.code).toBe(1)
    expect(restored.stdout).toMatch(/1 restored, 1 refused\./)
    expect(JSON.parse((await runCli(['ls', cache, '--json'])).stdout)).toContain(ZARR)

    const emptyDry = await runCli(['trash', cache, 'empty', '--older-than', '7d'])
    expect(emptyDry.stdout).toMatch(/Would delete for good 0 trash entries/)
    const empty = await runCli(['trash', cache, 'empty', '--yes', '--json'])
    expect(JSON.parse(empty.stdout)).toMatchObject({ dryRun: false, emptied: [id] })
    await expect(fs.access(path.join(cache, '.xpersist-trash', id))).rejects.toThrow()
    expect((await runCli(['trash', cache, 'ls'])).stdout).toMatch(/is empty/)
  })

  it('says what is wrong with a call in its own terms', async () => {
    const cache = await fixtureCopy()
    const bad = await runCli(['trash', cache, 'empty', '--older-than', 'a week'])
    expect(bad.code).toBe(2)
    expect(bad.stderr).toMatch(/--older-than takes a duration like 7d/)
    const unknown = await runCli(['trash', cache, 'restore', '20261202T121453123Z-a1b2c3'])
    expect(unknown.code).not.toBe(0)
    expect(unknown.stderr).toMatch(/No trash entry '20261202T121453123Z-a1b2c3'/)
    expect((await runCli(['trash', cache, 'purge'])).stderr).toMatch(/use ls, restore or empty/)
  })
})
