// `xpersist cp` as a user runs it (issue 9): the plan by default, --yes to copy, a rerun that
// finds everything equal, --where patterns, --json, clear errors for bad flags, and Ctrl-C
// leaving only whole keys behind.
import { spawn } from 'node:child_process'
import { existsSync, promises as fs } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { CLI, runCli } from '../helpers/cli.js'
import { fixtureCopy, listFiles, tempDir } from '../helpers/temp.js'

const ZARR = 'sst-monthly.zarr'

async function setup() {
  const src = await fixtureCopy()
  const dst = path.join(await tempDir('xp-cp-cli-'), 'copy')
  return { src, dst }
}

/** The files of a local cache that are artifacts (no write-lock folder). */
async function artifactFiles(dir: string): Promise<string[]> {
  return (await listFiles(dir)).filter((f) => !f.startsWith('.xpersist-locks'))
}

describe('xpersist cp', () => {
  it('prints the plan by default and creates nothing; --yes copies; a rerun has nothing to do', async () => {
    const { src, dst } = await setup()
    const plan = await runCli(['cp', src, dst, 'pi', '--where', 'sst-monthly*.zarr'])
    expect([plan.code, plan.stderr]).toEqual([0, ''])
    expect(plan.stdout).toMatch(/^Would copy 6 artifact\(s\): 111 object\(s\), /)
    expect(plan.stdout).toContain(`  copy      ${ZARR}  (21 of 21 object(s), 9.2 KB)`)
    expect(plan.stdout).toContain('Dry run: nothing was copied. Run again with --yes to copy.')
    expect(existsSync(dst)).toBe(false)

    const run = await runCli(['cp', src, dst, 'pi', '--where', 'sst-monthly*.zarr', '--yes'])
    expect(run.code).toBe(0)
    expect(run.stdout).toMatch(/^Copied 6 artifact\(s\): 111 object\(s\), /)
    // Progress goes to stderr, a line per key when it is no terminal.
    expect(run.stderr.trim().split('\n').at(-1)).toMatch(/^\[6\/6 keys, 40 KB of 40 KB\] /)
    const copied = await artifactFiles(dst)
    expect(copied.length).toBe(111 + 6)
    for (const f of copied) {
      expect(await fs.readFile(path.join(dst, f))).toEqual(await fs.readFile(path.join(src, f)))
    }

    const again = await runCli(['cp', src, dst, 'pi', '--where', 'sst-monthly*.zarr', '--yes'])
    expect(again.code).toBe(0)
    expect(again.stdout).toMatch(/^Copied 0 artifact\(s\)/)
    expect(again.stdout).toContain('  same      pi  (already there, equal (sidecar and payload))')
    expect(again.stdout).toContain('Not copied: 6 same.')
  })

  it('--json prints the plan as data', async () => {
    const { src, dst } = await setup()
    const r = await runCli(['cp', src, dst, '--where', 'experiments/**', '--json'])
    expect(r.code).toBe(0)
    const plan = JSON.parse(r.stdout)
    expect(plan).toMatchObject({ dryRun: true, keys: 2, cancelled: false, copied: [] })
    expect(plan.entries.map((e: { key: string }) => e.key)).toEqual([
      'experiments/run-1/ssta.nc',
      'experiments/run-1/ssta.zarr',
    ])
  })

  it('refuses a different artifact under the same key unless told what to do', async () => {
    const { src, dst } = await setup()
    await runCli(['cp', src, dst, 'pi', '--yes'])
    // Same key, another artifact: greeting's bytes where pi's are.
    await fs.copyFile(path.join(src, 'greeting'), path.join(dst, 'pi'))
    await fs.copyFile(
      path.join(src, 'xpersist_metadata_store', 'greeting.artifact.json'),
      path.join(dst, 'xpersist_metadata_store', 'pi.artifact.json'),
    )
    const dry = await runCli(['cp', src, dst, 'pi'])
    expect(dry.stdout).toContain('  REFUSE    pi  (a different artifact has this key there')
    expect(dry.stdout).toContain('pass --on-duplicate-key skip to keep those')
    const run = await runCli(['cp', src, dst, 'pi', '--yes'])
    expect(run.code).toBe(1)
    expect(run.stderr).toMatch(
      /^xpersist: 'pi' already exist in file:\/\/.* nothing was copied\. Pass --on-duplicate-key skip/,
    )
    const skip = await runCli(['cp', src, dst, 'pi', '--yes', '--on-duplicate-key', 'skip'])
    expect(skip.code).toBe(0)
    expect(await fs.readFile(path.join(dst, 'pi'))).toEqual(
      await fs.readFile(path.join(src, 'greeting')),
    )
    const over = await runCli(['cp', src, dst, 'pi', '--yes', '--on-duplicate-key', 'overwrite'])
    expect(over.code).toBe(0)
    expect(over.stdout).toContain('  overwrite pi  (1 of 1 object(s), 21 B)')
    expect(await fs.readFile(path.join(dst, 'pi'))).toEqual(await fs.readFile(path.join(src, 'pi')))
  })

  it.each([
    [
      ['--on-duplicate-key', 'replace'],
      2,
      "--on-duplicate-key takes skip, overwrite or raise_error, not 'replace'",
    ],
    [['--yes', '--dry-run'], 2, '--dry-run and --yes contradict each other'],
    [['--frobnicate'], 2, "Unknown option '--frobnicate'"],
    [['--where'], 2, "Option '-w, --where <value>' argument missing"],
    [
      ['--src-storage-options', '{"secret": "s3cr3t"'],
      2,
      '--src-storage-options is not valid JSON',
    ],
    [['--src-storage-options', '@/nonexistent/opts.json'], 2, '--src-storage-options cannot read'],
    [['--dst-storage-options', '[1]'], 2, '--dst-storage-options takes a JSON object'],
    [['--where', 'runs/[abc'], 1, "Bad key pattern \"runs/[abc\": a '[' without its closing ']'"],
    [['nope', 'pi'], 1, "No artifact 'nope' in file://"],
  ])('%j: exit %i, saying %s', async (args, code, message) => {
    const { src, dst } = await setup()
    const r = await runCli(['cp', src, dst, ...args])
    expect(r.code).toBe(code)
    expect(r.stdout).toBe('')
    expect(r.stderr).toContain(message)
    expect(r.stderr).not.toContain('s3cr3t')
    if (code === 2) expect(r.stderr).toContain('usage: xpersist cp <src-cache> <dst-cache>')
    expect(existsSync(dst)).toBe(false)
  })

  it('needs two caches, and a source that exists', async () => {
    const { src, dst } = await setup()
    const one = await runCli(['cp', src])
    expect([one.code, one.stderr]).toEqual([
      2,
      expect.stringContaining('xpersist cp: missing arguments'),
    ])
    const missing = await runCli(['cp', path.join(src, 'nowhere'), dst])
    expect(missing.code).toBe(1)
    expect(missing.stderr).toMatch(/^xpersist: No cache folder at .*nowhere/)
  })
})

describe('xpersist cp and Ctrl-C', () => {
  it('stops cleanly: the keys copied are whole, nothing half-visible, a rerun copies the rest', async () => {
    // Many small keys, so the interrupt lands while the copy runs.
    const src = path.join(await tempDir('xp-cp-int-'), 'src')
    const meta = path.join(src, 'xpersist_metadata_store')
    await fs.mkdir(meta, { recursive: true })
    const fixture = await fixtureCopy()
    const sidecar = JSON.parse(
      await fs.readFile(
        path.join(fixture, 'xpersist_metadata_store', 'greeting.artifact.json'),
        'utf8',
      ),
    )
    const n = 1500
    for (let i = 0; i < n; i++) {
      const key = `k${String(i).padStart(4, '0')}`
      await fs.writeFile(path.join(src, key), `payload ${i}\n`.repeat(50))
      await fs.writeFile(
        path.join(meta, `${key}.artifact.json`),
        JSON.stringify({ ...sidecar, key }, null, 2),
      )
    }
    const dst = path.join(await tempDir('xp-cp-int-'), 'dst')
    const child = spawn(process.execPath, [CLI, 'cp', src, dst, '--yes'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stderr = ''
    let stdout = ''
    child.stdout.on('data', (d) => (stdout += d))
    const interrupted = new Promise<void>((resolve) => {
      child.stderr.on('data', (d) => {
        const first = stderr === ''
        stderr += d
        if (first) {
          child.kill('SIGINT')
          resolve()
        }
      })
    })
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve))
    await interrupted
    expect(code).toBe(130)
    expect(stderr).toContain('Cancelling: finishing the objects in flight')
    expect(stdout).toContain('Cancelled: the keys copied are whole; run the same command again')
    const done = Number(/^Copied (\d+) artifact/.exec(stdout)?.[1])
    expect(done).toBeGreaterThan(0)
    expect(done).toBeLessThan(n)
    // Exactly the keys reported, each with its payload; no payload without sidecar, no lock.
    const files = await listFiles(dst)
    const payloads = files.filter((f) => /^k\d{4}$/.test(f))
    const sidecars = files.filter((f) => f.startsWith('xpersist_metadata_store/'))
    expect(payloads.length).toBe(done)
    expect(sidecars.length).toBe(done)
    expect(files.filter((f) => f.startsWith('.xpersist-locks/'))).toEqual([])
    for (const p of payloads) {
      expect(await fs.readFile(path.join(dst, p))).toEqual(await fs.readFile(path.join(src, p)))
    }
    const rest = await runCli(['cp', src, dst, '--yes'])
    expect(rest.code).toBe(0)
    expect(rest.stdout).toMatch(new RegExp(`^Copied ${n - done} artifact\\(s\\)`))
    expect(rest.stdout).toContain(`Not copied: ${done} same.`)
    expect((await artifactFiles(dst)).length).toBe(2 * n)
  })
})
