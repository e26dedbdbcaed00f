// The fuzz part of `npm run bench:reliability`: mutated sidecars, pickles and CSVs, each read
// the ways the CLI and explorer read them (sidecar decode, listing, get, preview). Cases run in
// a child process watched from here: a case that stops reporting for `hangMs` is a hang (the
// child is killed and the run goes on after it); an error outside the engine's closed set, or
// a dead child, is a crash. Run directly with 'child' it is that child.
import { spawn } from 'node:child_process'
import { readdirSync, readFileSync, promises as fs } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { ENGINE, prng, ROOT } from './reliability-lib.js'

const SELF = fileURLToPath(import.meta.url)
const FIXTURES = path.join(ROOT, 'test', 'fixtures')
const META = path.join(FIXTURES, 'sample-cache', 'xpersist_metadata_store')
const KINDS = ['sidecar', 'pickle', 'csv']

/** Seed files per kind: Python-written sidecars (with their payloads), pickles and CSVs. */
function seeds() {
  const sidecars = []
  const pickles = []
  const csvs = []
  for (const name of readdirSync(META)) {
    if (!name.endsWith('.artifact.json')) continue
    const text = readFileSync(path.join(META, name))
    const key = name.slice(0, -'.artifact.json'.length)
    const { serializer } = JSON.parse(text.toString())
    if (serializer !== 'joblib' && serializer !== 'pandas.csv') continue
    const payload = readFileSync(path.join(FIXTURES, 'sample-cache', key))
    sidecars.push({ bytes: text, payload })
    ;(serializer === 'joblib' ? pickles : csvs).push(payload)
  }
  for (const name of readdirSync(path.join(FIXTURES, 'joblib'))) {
    if (/\.(joblib|pkl)$/.test(name))
      pickles.push(readFileSync(path.join(FIXTURES, 'joblib', name)))
  }
  return { sidecar: sidecars, pickle: pickles, csv: csvs }
}

const TOKENS = {
  sidecar: [
    '['.repeat(5000),
    '{"a":'.repeat(3000),
    '1e999999',
    '"\\ud800"',
    '-0',
    '9'.repeat(400),
    '"__proto__"',
    '\\u0000',
    'NaN',
    '"' + 'x'.repeat(100000) + '"',
  ],
  csv: [
    '"',
    '\n'.repeat(2000),
    ','.repeat(20000),
    '\r',
    '""""',
    '\u0000',
    '1e999',
    '"\n"'.repeat(1000),
    'x'.repeat(200000),
  ],
  pickle: [
    '('.repeat(5000),
    ']'.repeat(5000),
    'q\xff\xff\xff\x7f',
    '\x8a\xff',
    'B\xff\xff\xff\x7f',
    '\x95\xff\xff\xff\xff\xff\xff\xff\x7f',
    'h\xff',
    '\x8c\xfe',
    'cos\nsystem\n',
    '\x94'.repeat(5000),
  ],
}

/** 1-3 random mutations of `seed`: bit flips, random bytes, cuts, repeats, hostile tokens. */
function mutate(seed, kind, rand) {
  let b = Buffer.from(seed)
  const at = () => Math.floor(rand() * (b.length + 1))
  for (let m = 1 + Math.floor(rand() * 3); m > 0; m--) {
    const k = Math.floor(rand() * 6)
    if (k === 0 && b.length)
      for (let i = 0; i < 1 + rand() * 8; i++)
        b[Math.min(b.length - 1, at())] ^= 1 << Math.floor(rand() * 8)
    else if (k === 1 && b.length)
      for (let i = 0; i < 1 + rand() * 16; i++)
        b[Math.min(b.length - 1, at())] = Math.floor(rand() * 256)
    else if (k === 2) b = b.subarray(0, at())
    else if (k === 3) {
      const s = at()
      b = Buffer.concat([b.subarray(0, s), b.subarray(s + Math.floor(rand() * 64))])
    } else if (k === 4) {
      const s = at()
      const piece = b.subarray(s, s + 1 + Math.floor(rand() * 32))
      const times = Math.floor(rand() * 2000)
      b = Buffer.concat([b.subarray(0, s), ...Array(times).fill(piece), b.subarray(s)])
    } else {
      const token = Buffer.from(TOKENS[kind][Math.floor(rand() * TOKENS[kind].length)], 'latin1')
      const s = at()
      b = Buffer.concat([b.subarray(0, s), token, b.subarray(s)])
    }
  }
  return b
}

async function child([kind, start, end, seed, dir]) {
  const engine = await import(ENGINE)
  const { previewArtifact } = await import(path.join(path.dirname(ENGINE), 'preview.js'))
  const store = await engine.CacheStore.open(dir, { onDuplicateKey: 'overwrite' })
  const all = seeds()[kind]
  const sidecarFile = path.join(dir, 'xpersist_metadata_store', 'k.artifact.json')
  const sidecarOf = (serializer) =>
    JSON.stringify({
      key: 'k',
      serializer,
      load_kwargs: {},
      dump_kwargs: {},
      additional_metadata: {},
      created_at: null,
    })
  for (let i = Number(start); i < Number(end); i++) {
    const rand = prng(Number(seed) * 1_000_003 + i + KINDS.indexOf(kind) * 7_919)
    const pick = all[Math.floor(rand() * all.length)]
    if (kind === 'sidecar') {
      await fs.writeFile(path.join(dir, 'k'), pick.payload)
      await fs.writeFile(sidecarFile, mutate(pick.bytes, kind, rand))
    } else {
      await fs.writeFile(sidecarFile, sidecarOf(kind === 'csv' ? 'pandas.csv' : 'joblib'))
      await fs.writeFile(path.join(dir, 'k'), mutate(pick, kind, rand))
    }
    const steps = [
      () => store.getArtifact('k'),
      async () => {
        for await (const _ of store.artifacts()) void _
      },
      () => store.get('k'),
      () => previewArtifact(store, 'k', { rows: 50 }),
    ]
    for (const step of steps) {
      try {
        await step()
      } catch (err) {
        if (!(err instanceof engine.XpersistError)) {
          const msg = `${err?.name}: ${String(err?.message).slice(0, 160)}`.replace(/\n/g, ' ')
          process.stdout.write(`crash ${i} ${msg}\n`)
        }
      }
    }
    process.stdout.write(`ok ${i}\n`)
  }
  process.stdout.write(`rss ${process.resourceUsage().maxRSS}\n`)
}

function vmHwmKb(pid) {
  try {
    return Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0)
  } catch {
    return 0
  }
}

/** Runs cases [start, end) of `kind` in one child; resolves with where it got and why it stopped. */
function batch(kind, start, end, seed, dir, hangMs, s) {
  return new Promise((resolve) => {
    const proc = spawn(
      process.execPath,
      ['--max-old-space-size=1024', SELF, 'child', kind, start, end, seed, dir],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    )
    let last = start - 1
    let rest = ''
    let hung = false
    let timer
    const arm = () => {
      clearTimeout(timer)
      timer = setTimeout(() => {
        hung = true
        s.peakRssMb = Math.max(s.peakRssMb, vmHwmKb(proc.pid) / 1024)
        proc.kill('SIGKILL')
      }, hangMs)
    }
    arm()
    proc.stderr.on('data', () => {})
    proc.stdout.on('data', (d) => {
      const lines = (rest + d.toString()).split('\n')
      rest = lines.pop()
      for (const line of lines) {
        const [what, n, ...msg] = line.split(' ')
        if (what === 'ok') last = Number(n)
        else if (what === 'crash') s.crashes.push({ case: Number(n), error: msg.join(' ') })
        else if (what === 'rss') s.peakRssMb = Math.max(s.peakRssMb, Number(n) / 1024)
      }
      arm()
    })
    proc.on('exit', (code, signal) => {
      clearTimeout(timer)
      resolve({ last, hung, died: !hung && last < end - 1 ? (signal ?? `exit ${code}`) : null })
    })
  })
}

/** Fuzzes `count` cases of each kind; the figures per kind. */
export async function runFuzz({ count, seed, hangMs, work }) {
  const out = {}
  for (const kind of KINDS) {
    const dir = path.join(work, `fuzz-${kind}`)
    await fs.mkdir(path.join(dir, 'xpersist_metadata_store'), { recursive: true })
    const s = {
      cases: count,
      crashesOutsideClosedSet: 0,
      hangs: 0,
      childDeaths: 0,
      peakRssMb: 0,
      crashes: [],
      hung: [],
    }
    for (let start = 0; start < count;) {
      const r = await batch(kind, start, count, seed, dir, hangMs, s)
      if (r.hung) {
        s.hangs++
        s.hung.push(r.last + 1)
      } else if (r.died) {
        s.childDeaths++
        s.crashes.push({ case: r.last + 1, error: `child died (${r.died})` })
      }
      start = r.hung || r.died ? r.last + 2 : count
    }
    s.crashesOutsideClosedSet = new Set(s.crashes.map((c) => c.case)).size
    s.peakRssMb = Math.round(s.peakRssMb)
    // Distinct crash messages, with one case each, so they can be reproduced with --seed.
    const seen = new Map()
    for (const c of s.crashes) if (!seen.has(c.error)) seen.set(c.error, c.case)
    s.crashes = [...seen].slice(0, 20).map(([error, n]) => ({ case: n, error }))
    s.hung = s.hung.slice(0, 20)
    out[kind] = s
  }
  return out
}

if (process.argv[2] === 'child') await child(process.argv.slice(3))
