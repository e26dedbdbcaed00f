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
}

/** A FakeTransport answering as a main process with this cache open would, plus test levers. */
export function fakeCache(options: FakeCacheOptions = {}) {
  const rows = new Map((options.rows ?? sampleRows()).map((r) => [r.key, r]))
  const metaText = new Map<string, string>()
  const versions = new Map<string, number>()
  const t = new FakeTransport()
  const jobs = new Map<string, JobStatus & { keys: string[] }>()
  let nextJob = 1
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

  const plan = (keys: string[], orphans: string[]): DeletePlanData => ({
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

  const finish = (job: JobStatus & { keys: string[] }, cancelled: boolean) => {
    const base = job.result as DeletePlanData
    const done = base.entries.slice(0, job.done)
    for (const e of done) rows.delete(e.key)
    job.finished = true
    job.current = null
    job.result = {
      ...base,
      dryRun: false,
      cancelled,
      deleted: done.flatMap((e) => e.files.map((f) => f.path)),
    }
  }
  const publicStatus = (job: JobStatus & { keys: string[] }): JobStatus => {
    const { keys: _keys, ...status } = job
    return { ...status, result: job.finished ? job.result : null }
  }

  t.handle('app.info', () => ({
    mode: options.mode ?? 'browser',
    version: '0.1.0',
    protocols: options.protocols ?? ['file'],
    recent: [{ location: '/data/other-cache', readonly: false }],
    initial: null,
    readonlyCeiling: options.readonlyCeiling ?? false,
    serializers: ['pandas.csv', 'joblib', 'xarray.netcdf'],
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
  t.handle('delete.plan', (req) => plan(req.keys ?? [], req.orphans ?? []))
  t.handle('delete.start', (req) => {
    const p = plan(req.keys ?? [], req.orphans ?? [])
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

  return {
    transport: t,
    rows,
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
