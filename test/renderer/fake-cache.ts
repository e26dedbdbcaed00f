/**
 * An in-memory cache behind a FakeTransport: listing with cursors, detail, previews, metadata
 * edits with versions (and CONFLICT), puts, delete plans and jobs, doctor. Tests drive the
 * renderer against it the way the main process would answer.
 */
import type {
  ArtifactDetail,
  ArtifactRow,
  DeletePlanData,
  JobStatus,
  Preview,
} from '../../shared/ipc'
import { FakeTransport } from '../../renderer/src/ipc/fake-transport'
import { allClausesMatch } from '../../shared/filter-query'
import { emptyRuleSet, readRuleSet, ruleSetIsEmpty } from '../../shared/rule-set'
import type { SavedRuleSet } from '../../shared/rule-set-schema'
import { IpcError } from '../../renderer/src/ipc/transport'

/** A fixed "now" so ages are stable: 2024-06-01T12:00:00Z. */
export const NOW = Date.UTC(2024, 5, 1, 12)
const DAY = 86_400_000

/** A listing row with sensible defaults. */
export function makeRow(key: string, patch: Partial<ArtifactRow> = {}): ArtifactRow {
  const createdMs = patch.createdMs ?? NOW - DAY
  const bytes = patch.bytes ?? 100
  return {
    key,
    serializer: 'joblib',
    createdAt: new Date(createdMs).toISOString().slice(0, 19),
    createdMs,
    bytes,
    files: 1,
    // As a local disk lists it: a small sidecar, and whole 4 KiB blocks for payload + sidecar.
    sidecarBytes: 180,
    allocatedBytes: Math.ceil(bytes / 4096) * 4096 + 4096,
    metadata: {},
    error: null,
    ...patch,
  }
}

/** The small demo-like cache most tests use. */
export function sampleRows(): ArtifactRow[] {
  return [
    makeRow('stations.csv', {
      serializer: 'pandas.csv',
      bytes: 295,
      metadata: { experiment: 'ctrl', member: 3, tags: ['stations'] },
    }),
    makeRow('obs/hourly-2021.csv', {
      serializer: 'pandas.csv',
      bytes: 60_000,
      metadata: { experiment: 'obs', member: 0 },
    }),
    makeRow('arrays/grid-i4', { bytes: 1200, metadata: { experiment: 'ctrl', kind: 'grid' } }),
    makeRow('arrays/sine-f8', { bytes: 900, metadata: { experiment: 'hist', kind: 'series' } }),
    makeRow('runs/2022/config', { bytes: 250, metadata: { experiment: 'ctrl', owner: 'demo' } }),
    makeRow('runs/old/scratch', {
      bytes: 80,
      createdMs: NOW - 45 * DAY,
      metadata: { experiment: 'old' },
    }),
    makeRow('runs/old/notes', {
      bytes: 70,
      createdMs: NOW - 120 * DAY,
      metadata: { experiment: 'old' },
    }),
    makeRow('broken/thing', {
      serializer: null,
      createdAt: null,
      createdMs: null,
      bytes: 0,
      files: 0,
      error: {
        code: 'CORRUPT_SIDECAR',
        message: 'The sidecar of broken/thing is not valid JSON (line 1).',
      },
    }),
  ]
}

/** Options for the fake cache. */
/** One `cache.list` page of `rows`, the cursor being the next row's index, as the server pages. */
export function listPage(rows: ArtifactRow[], req: { cursor?: string | null; limit?: number }) {
  const start = req.cursor === null || req.cursor === undefined ? 0 : Number(req.cursor)
  const page = rows.slice(start, start + (req.limit ?? 2000))
  const end = start + page.length
  return {
    rows: page,
    cursor: end < rows.length ? String(end) : null,
    loaded: end,
    total: rows.length,
  }
}

export interface FakeCacheOptions {
  rows?: ArtifactRow[]
  readonly?: boolean
  readonlyReason?: string | null
  /** Started with --readonly: app.info says so and every open is read-only. */
  readonlyCeiling?: boolean
  mode?: 'electron' | 'browser'
  protocols?: string[]
  previews?: Record<string, Preview | ((offset: number, rows: number) => Preview)>
  prefect?: Record<string, Record<string, unknown>>
  /** When true, delete jobs advance only when the test calls `advanceJob`. */
  manualJobs?: boolean
  /** How the trash moves files: 'copy' as on an object store (the plan says what it copies). */
  trashMethod?: 'rename' | 'copy'
}

/** A trash entry of the fake cache: the rows one delete moved aside. */
interface FakeTrashEntry {
  createdAt: string
  rows: ArtifactRow[]
}

/** A FakeTransport answering as a main process with this cache open would, plus test levers. */
export function fakeCache(options: FakeCacheOptions = {}) {
  const rows = new Map((options.rows ?? sampleRows()).map((r) => [r.key, r]))
  const metaText = new Map<string, string>()
  const versions = new Map<string, number>()
  const t = new FakeTransport()
  type FakeJob = JobStatus & { keys: string[]; trashId: string | null }
  const jobs = new Map<string, FakeJob>()
  const trash = new Map<string, FakeTrashEntry>()
  let nextJob = 1
  let nextTrash = 0
  const version = (key: string) => `v${versions.get(key) ?? 1}`
  const textOf = (key: string) =>
    metaText.get(key) ?? JSON.stringify(rows.get(key)?.metadata ?? {}, null, 2)

  const detailOf = (key: string): ArtifactDetail => {
    const row = rows.get(key)
    if (!row) throw new IpcError('KEY_NOT_FOUND', `No artifact '${key}' in this cache.`)
    return {
      key,
      artifact: {
        key,
        serializer: row.serializer,
        load_kwargs: {},
        dump_kwargs: { index: false },
        additional_metadata: row.metadata,
        created_at: row.createdAt,
      },
      metadataText: textOf(key),
      version: version(key),
      sidecarPath: `xpersist_metadata_store/${key}.artifact.json`,
      files: [{ path: key, bytes: row.bytes }],
      bytes: row.bytes,
      prefect: options.prefect?.[key] ?? null,
    }
  }

  const plan = (keys: string[], orphans: string[], toTrash = false): DeletePlanData => ({
    ...(toTrash
      ? {
          trash:
            options.trashMethod === 'copy'
              ? {
                  id: null,
                  method: 'copy' as const,
                  copyObjects: keys.length * 2,
                  copyBytes: keys.reduce((n, k) => n + (rows.get(k)?.bytes ?? 0) + 200, 0),
                }
              : { id: null, method: 'rename' as const, copyObjects: 0, copyBytes: 0 },
        }
      : {}),
    root: '/data/cache',
    dryRun: true,
    entries: [
      ...keys.map((key) => {
        const bytes = rows.get(key)?.bytes ?? 0
        return {
          key,
          files: [
            {
              path: `xpersist_metadata_store/${key}.artifact.json`,
              bytes: 200,
              role: 'sidecar' as const,
            },
            { path: key, bytes, role: 'payload' as const },
          ],
          bytes: bytes + 200,
        }
      }),
      ...orphans.map((path) => ({
        key: path,
        files: [{ path, bytes: 10, role: 'orphan' as const }],
        bytes: 10,
      })),
    ],
    bytes: keys.reduce((n, k) => n + (rows.get(k)?.bytes ?? 0) + 200, 0) + orphans.length * 10,
    deleted: [],
    cancelled: false,
  })

  const finish = (job: FakeJob, cancelled: boolean) => {
    const base = job.result as DeletePlanData
    const done = base.entries.slice(0, job.done)
    const moved: ArtifactRow[] = []
    for (const e of done) {
      const row = rows.get(e.key)
      if (row) moved.push(row)
      rows.delete(e.key)
    }
    if (job.trashId !== null && moved.length > 0) {
      trash.set(job.trashId, {
        createdAt: new Date(NOW + nextTrash * 1000).toISOString(),
        rows: moved,
      })
    }
    job.finished = true
    job.current = null
    job.result = {
      ...base,
      dryRun: false,
      cancelled,
      deleted: done.flatMap((e) => e.files.map((f) => f.path)),
      ...(base.trash ? { trash: { ...base.trash, id: job.trashId } } : {}),
    }
  }
  const publicStatus = (job: FakeJob): JobStatus => {
    const { keys: _keys, trashId: _trashId, ...status } = job
    return { ...status, result: job.finished ? job.result : null }
  }

  t.handle('app.info', () => ({
    mode: options.mode ?? 'browser',
    version: '0.1.0',
    protocols: options.protocols ?? ['file'],
    recent: [{ location: '/data/other-cache', readonly: false }],
    initial: null,
    readonlyCeiling: options.readonlyCeiling ?? false,
    serializers: ['joblib', 'pandas.csv', 'xarray.netcdf', 'xarray.zarr'],
    writable: { file: ['joblib', 'pandas.csv', 'xarray.netcdf'], folder: ['xarray.zarr'] },
  }))
  t.handle('cache.close', () => ({ closed: true }))
  t.handle('cache.open', (req) => ({
    cacheId: `c:${req.location}`,
    url: `file://${req.location}`,
    location: req.location,
    readonly: options.readonly ?? (options.readonlyCeiling || req.readonly) ?? false,
    readonlyReason: options.readonly
      ? (options.readonlyReason ?? 'no write permission')
      : options.readonlyCeiling && !req.readonly
        ? 'the server was started with --readonly'
        : req.readonly
          ? 'opened read-only'
          : null,
  }))
  t.handle('cache.list', (req) => listPage([...rows.values()], req))
  t.handle('artifact.detail', (req) => detailOf(req.key))
  t.handle('artifact.preview', (req) => {
    const p = options.previews?.[req.key]
    if (!p)
      return {
        kind: 'unsupported',
        serializer: rows.get(req.key)?.serializer ?? '?',
        message: 'No preview for this serializer yet.',
      }
    return typeof p === 'function' ? p(req.offset ?? 0, req.rows ?? 100) : p
  })
  t.handle('artifact.updateMetadata', (req) => {
    if (req.expectedVersion !== version(req.key)) {
      throw new IpcError(
        'CONFLICT',
        `The sidecar of ${req.key} changed on disk since you opened it.`,
        {
          artifact: detailOf(req.key).artifact,
          version: version(req.key),
          metadataText: textOf(req.key),
        },
      )
    }
    const row = rows.get(req.key)
    if (!row) throw new IpcError('KEY_NOT_FOUND', `No artifact '${req.key}'.`)
    rows.set(req.key, { ...row, metadata: JSON.parse(req.metadataText) as Record<string, unknown> })
    metaText.set(req.key, req.metadataText)
    versions.set(req.key, (versions.get(req.key) ?? 1) + 1)
    return detailOf(req.key)
  })
  t.handle('artifact.put', (req) => {
    if (rows.has(req.key) && (req.onDuplicateKey ?? 'raise_error') === 'raise_error') {
      throw new IpcError(
        'DUPLICATE_KEY',
        `An artifact '${req.key}' already exists; choose overwrite or skip.`,
      )
    }
    const serializer = req.serializer === 'auto' || !req.serializer ? 'joblib' : req.serializer
    rows.set(
      req.key,
      makeRow(req.key, {
        serializer,
        createdMs: NOW,
        metadata: JSON.parse(req.metadataText ?? '{}') as Record<string, unknown>,
      }),
    )
    return { key: req.key, serializer }
  })
  t.handle('delete.plan', (req) => plan(req.keys ?? [], req.orphans ?? [], req.trash === true))
  t.handle('delete.start', (req) => {
    if (options.readonly) throw new IpcError('READ_ONLY', 'The cache is read-only.')
    const p = plan(req.keys ?? [], req.orphans ?? [], req.trash === true)
    if (req.confirmCount !== p.entries.length)
      throw new IpcError('INVALID_ARGUMENT', 'The confirmation count does not match.')
    const jobId = `job-${nextJob++}`
    const job = {
      jobId,
      done: 0,
      total: p.entries.length,
      current: p.entries[0]?.key ?? null,
      finished: false,
      result: p,
      error: null,
      keys: req.keys ?? [],
      trashId: req.trash ? `20240601T120000${String(nextTrash++).padStart(3, '0')}Z-abcdef` : null,
    }
    jobs.set(jobId, job)
    if (!options.manualJobs) {
      job.done = job.total
      finish(job, false)
    }
    return { jobId }
  })
  t.handle('job.status', (req) => {
    const job = jobs.get(req.jobId)
    if (!job) throw new IpcError('KEY_NOT_FOUND', `No job ${req.jobId}.`)
    return publicStatus(job)
  })
  t.handle('job.cancel', (req) => {
    const job = jobs.get(req.jobId)
    if (!job) throw new IpcError('KEY_NOT_FOUND', `No job ${req.jobId}.`)
    if (!job.finished) finish(job, true)
    return publicStatus(job)
  })
  const trashEntryOf = (id: string) => {
    const e = trash.get(id) as FakeTrashEntry
    return {
      id,
      createdAt: e.createdAt,
      keys: e.rows.map((r) => r.key).sort(),
      objects: e.rows.length * 2,
      bytes: e.rows.reduce((n, r) => n + r.bytes + 200, 0),
    }
  }
  t.handle('trash.list', () => [...trash.keys()].sort().map(trashEntryOf))
  t.handle('trash.restore', (req) => {
    const entry = trash.get(req.id)
    if (!entry) throw new IpcError('KEY_NOT_FOUND', `No trash entry '${req.id}'.`)
    if (options.readonly) throw new IpcError('READ_ONLY', 'The cache is read-only.')
    const restored: string[] = []
    const entries = entry.rows.map((row) => {
      const refused = rows.has(row.key)
        ? `'${row.key}' exists in the cache now (written since it was deleted); it stays in the trash.`
        : null
      if (!refused && req.dryRun === false) {
        rows.set(row.key, row)
        restored.push(row.key)
      }
      return {
        key: row.key,
        files: [{ path: row.key, bytes: row.bytes }],
        bytes: row.bytes,
        refused,
      }
    })
    entry.rows = entry.rows.filter((r) => !restored.includes(r.key))
    if (entry.rows.length === 0) trash.delete(req.id)
    return {
      root: '/data/cache',
      id: req.id,
      dryRun: req.dryRun !== false,
      entries,
      restored,
      move: { method: 'rename' as const, copyObjects: 0, copyBytes: 0 },
    }
  })
  t.handle('trash.empty', (req) => {
    let ids = [...trash.keys()].sort()
    if (req.ids && req.ids.length > 0) ids = ids.filter((id) => req.ids?.includes(id))
    const cutoff = req.olderThanMs
    if (cutoff !== undefined)
      ids = ids.filter((id) => Date.parse(trash.get(id)!.createdAt) < NOW - cutoff)
    const entries = ids.map(trashEntryOf)
    if (req.dryRun === false) {
      if (options.readonly) throw new IpcError('READ_ONLY', 'The cache is read-only.')
      for (const id of ids) trash.delete(id)
    }
    return {
      root: '/data/cache',
      dryRun: req.dryRun !== false,
      entries,
      objects: entries.reduce((n, e) => n + e.objects, 0),
      bytes: entries.reduce((n, e) => n + e.bytes, 0),
      emptied: req.dryRun === false ? ids : [],
    }
  })
  t.handle('doctor.run', () => ({
    root: '/data/cache',
    missingPayload: ['runs/gone'],
    orphans: [{ path: 'tmp/.xpersist-tmp-1', bytes: 4096 }],
    brokenSidecars: [...rows.values()]
      .filter((r) => r.error)
      .map((r) => ({ key: r.key, error: r.error as { code: 'CORRUPT_SIDECAR'; message: string } })),
    unknownSerializers: [{ key: 'weird', serializer: 'my.format' }],
    keyMismatches: [],
    beingWritten: [],
    notACache: null,
    interrupted: [
      { lock: '.xpersist-locks/ab.json', key: 'runs/half', op: 'put', repair: 'finish the put' },
    ],
    ok: false,
  }))
  t.handle('doctor.repair', () => ({ repaired: 1 }))

  // Retention rules: the filters only (keep-last and max-total are the engine's, tested on
  // the real channel), over the rows as they are; oldest first like the engine's plan.
  t.handle('prune.plan', (req) => {
    const set = { ...emptyRuleSet(), ...req.rules }
    const { rules, issues } = readRuleSet(set)
    if (issues[0]) throw new IpcError('INVALID_ARGUMENT', issues[0].message)
    const readable = [...rows.values()].filter((r) => r.error === null)
    const ruled = !ruleSetIsEmpty(set)
    const chosen = ruled
      ? readable
          .filter((r) => allClausesMatch(rules.clauses, r, NOW))
          .sort((a, b) => (a.createdMs ?? 0) - (b.createdMs ?? 0) || (a.key < b.key ? -1 : 1))
      : []
    const bytes = chosen.reduce((n, r) => n + r.bytes + 200, 0)
    const dates = chosen.map((r) => r.createdMs ?? NOW)
    return {
      hasRules: ruled,
      listed: rows.size,
      listedAt: NOW,
      count: chosen.length,
      bytes,
      keys: chosen.slice(0, req.keys === 'all' ? undefined : 20).map((r) => r.key),
      oldestMs: dates.length ? Math.min(...dates) : null,
      newestMs: dates.length ? Math.max(...dates) : null,
      steps: rules.clauses.map((c, i) => ({
        rule: c.token,
        count: readable.filter((r) => allClausesMatch(rules.clauses.slice(0, i + 1), r, NOW))
          .length,
      })),
      scope: { count: chosen.length, bytes },
      kept: 0,
      remainingBytes: 0,
      maxTotal: null,
      overBy: 0,
      undated: 0,
      broken: rows.size - readable.length,
    }
  })
  const savedSets = new Map<string, SavedRuleSet>()
  const savedList = () => [...savedSets.values()].sort((a, b) => (a.name < b.name ? -1 : 1))
  t.handle('rules.list', () => savedList())
  t.handle('rules.save', (req) => {
    const name = req.name.trim()
    savedSets.set(name, { name, rules: { ...emptyRuleSet(), ...req.rules }, savedAt: '' })
    return savedList()
  })
  t.handle('rules.delete', (req) => {
    savedSets.delete(req.name.trim())
    return savedList()
  })

  return {
    transport: t,
    rows,
    /** The trash entries by id (tests add old ones, or look at what a delete moved). */
    trash,
    /** Someone else edits a sidecar: its version moves on. */
    editOnDisk(key: string, text: string) {
      metaText.set(key, text)
      versions.set(key, (versions.get(key) ?? 1) + 1)
    },
    /** Moves a manual job on by one artifact, pushing a progress event; finishes at the end. */
    advanceJob(jobId: string) {
      const job = jobs.get(jobId)
      if (!job || job.finished) return
      job.done++
      job.current = (job.result as DeletePlanData).entries[job.done]?.key ?? null
      if (job.done >= job.total) finish(job, false)
      t.emit({ type: 'job', status: publicStatus(job) })
    },
  }
}
