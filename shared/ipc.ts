/**
 * The one IPC channel map: channel name -> zod request schema -> zod response schema. The
 * Electron main process serves it over ipcMain, browser mode over loopback HTTP; the renderer
 * calls it through `invoke`. Every request is validated on the main side; errors come back as
 * `{ code, message }` (shared/errors.ts). Responses carry data only: no credentials, and no
 * handle the renderer could use to reach the disk by itself.
 */
import { z } from 'zod'
import { ERROR_CODES } from './errors.js'
import { RuleSetName, RuleSetSchema, SavedRuleSetSchema } from './rule-set-schema.js'

const Json = z.unknown()
const Dict = z.record(z.string(), Json)
const CacheId = z.string().min(1)
const Key = z.string().min(1)
const OnDuplicate = z.enum(['skip', 'overwrite', 'raise_error'])

/** The serialisable error every channel may answer with. */
export const ErrorShapeSchema = z.object({
  code: z.enum(ERROR_CODES),
  message: z.string(),
  /** For CONFLICT: the sidecar as it is now on disk, to show beside the user's edit. */
  current: z.object({ artifact: Dict, version: z.string(), metadataText: z.string() }).optional(),
})

/** One row of the key table. */
export const ArtifactRowSchema = z.object({
  key: z.string(),
  serializer: z.string().nullable(),
  createdAt: z.union([z.string(), z.number()]).nullable(),
  /** created_at as epoch milliseconds (naive times are UTC), for sorting and age filters. */
  createdMs: z.number().nullable(),
  /** Payload bytes: the sum of its files' sizes. */
  bytes: z.number(),
  files: z.number(),
  /** The sidecar's size; null (or absent, from older peers) when it was not read. */
  sidecarBytes: z.number().nullable().optional(),
  /**
   * Bytes payload and sidecar take on disk (st_blocks * 512 summed) on a local disk; null on
   * object stores, where the sizes are what is stored.
   */
  allocatedBytes: z.number().nullable().optional(),
  metadata: Dict,
  error: z.object({ code: z.enum(ERROR_CODES), message: z.string() }).nullable(),
})
export type ArtifactRow = z.infer<typeof ArtifactRowSchema>

const PayloadFileSchema = z.object({ path: z.string(), bytes: z.number() })

/** The detail pane's data for one key. */
export const ArtifactDetailSchema = z.object({
  key: z.string(),
  artifact: Dict,
  /** additional_metadata as Python-exact JSON text (1.0 stays 1.0), for the editor. */
  metadataText: z.string(),
  version: z.string(),
  sidecarPath: z.string(),
  files: z.array(PayloadFileSchema),
  bytes: z.number(),
  /** Prefect context fields (flow_name, task_name, ...) when the artifact is a pipeline result. */
  prefect: z.record(z.string(), Json).nullable(),
})
export type ArtifactDetail = z.infer<typeof ArtifactDetailSchema>

const Cell = z.union([z.number(), z.string(), z.boolean(), z.null()])

/** A column summary: Parquet statistics ('file') or computed on the page ('page'). */
const ColumnSummarySchema = z.object({
  source: z.enum(['file', 'page']),
  nullCount: z.number().nullable(),
  min: Cell,
  max: Cell,
})

const TableColumnSchema = z.object({
  name: z.string(),
  type: z.string(),
  summary: ColumnSummarySchema.optional(),
})

/** A condition on one column; `value` is read in the column's type. */
const TableFilterSchema = z.object({
  column: z.string(),
  op: z.enum(['eq', 'ne', 'lt', 'le', 'gt', 'ge', 'contains', 'isNull', 'notNull']),
  value: z.union([z.string(), z.number(), z.boolean()]).nullable().default(null),
})

/** Sort, filter, text search and group-count over a whole table. */
export const TableQuerySchema = z.object({
  sort: z
    .array(z.object({ column: z.string(), descending: z.boolean().default(false) }))
    .max(8)
    .default([]),
  filters: z.array(TableFilterSchema).max(32).default([]),
  search: z.string().max(1000).default(''),
  groupBy: z.string().nullable().default(null),
})
export type TableQueryInput = z.input<typeof TableQuerySchema>

/** A finished table query: counts, groups, and the id its pages are read with. */
const TableQueryResultSchema = z.object({
  resultId: z.string(),
  matched: z.number(),
  totalRows: z.number(),
  groups: z.array(z.object({ value: Cell, count: z.number() })).nullable(),
  groupsTruncated: z.boolean(),
  engine: z.string(),
})
export type TableQueryResult = z.infer<typeof TableQueryResultSchema>

/** A finished export: a handle to save (Electron) or download (browser mode). */
const ExportResultSchema = z.object({
  handle: z.string(),
  /** A suggested file name, e.g. 'sales-2021.filtered.csv'. */
  name: z.string(),
  bytes: z.number(),
  rows: z.number(),
})
export type ExportResult = z.infer<typeof ExportResultSchema>

/**
 * A dataset's structure as `xpersist show --json` prints it: each coordinate and data variable
 * is `{dims, shape, dtype, attrs, chunks?, values?}`, with decoded `values` (nested lists, NaN
 * as null, times as ISO text) only for variables of at most 10,000 elements.
 */
const DatasetPreviewSchema = z.object({
  kind: z.literal('dataset'),
  dims: z.record(z.string(), z.number()),
  coords: Dict,
  data_vars: Dict,
  attrs: Dict,
  /** What the reader skipped or could not show (for example "groups ignored: /forecast"). */
  notes: z.array(z.string()),
  bytesRead: z.number(),
  totalBytes: z.number(),
})

/**
 * A bounded preview on the wire; `kind` picks the view. It mirrors the engine's Preview
 * (electron/engine/preview-types.ts): a new kind goes in both, or the build fails.
 */
export const PreviewSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('table'),
    /** Exact when the whole payload was read, else null (still counting). */
    rowCount: z.number().nullable(),
    offset: z.number(),
    columns: z.array(TableColumnSchema),
    index: z.object({ name: z.string().nullable(), values: z.array(Cell) }).nullable(),
    rows: z.array(z.array(Cell)),
    bytesRead: z.number(),
    totalBytes: z.number(),
  }),
  z.object({
    kind: z.literal('object'),
    /** pyToJson form: numpy arrays {dtype, shape, values}, placeholders {__python__}. */
    value: Json,
    /** True when long arrays or lists were cut to keep the preview bounded. */
    truncated: z.boolean(),
    bytesRead: z.number(),
    totalBytes: z.number(),
  }),
  DatasetPreviewSchema,
  z.object({
    kind: z.literal('collection'),
    /** Member name -> its dataset form, in the order the collection lists them. */
    datasets: z.record(z.string(), DatasetPreviewSchema),
    bytesRead: z.number(),
    totalBytes: z.number(),
  }),
  z.object({ kind: z.literal('unsupported'), serializer: z.string(), message: z.string() }),
])
export type Preview = z.infer<typeof PreviewSchema>

const DeletePlanSchema = z.object({
  root: z.string(),
  dryRun: z.boolean(),
  entries: z.array(
    z.object({
      key: z.string(),
      files: z.array(PayloadFileSchema.extend({ role: z.enum(['sidecar', 'payload', 'orphan']) })),
      bytes: z.number(),
    }),
  ),
  bytes: z.number(),
  deleted: z.array(z.string()),
  cancelled: z.boolean(),
  /** Set when the artifacts move to the trash: the entry, and what an object store copies. */
  trash: z
    .object({
      id: z.string().nullable(),
      method: z.enum(['rename', 'copy']),
      copyObjects: z.number(),
      copyBytes: z.number(),
    })
    .optional(),
})
export type DeletePlanData = z.infer<typeof DeletePlanSchema>

/** What to delete: artifacts by key, and/or orphan payload files doctor found. */
const DeleteTarget = z.object({
  cacheId: CacheId,
  keys: z.array(Key).default([]),
  orphans: z.array(z.string().min(1)).default([]),
  /** Move the artifacts to the trash instead (orphans are deleted: they are no artifact). */
  trash: z.boolean().default(false),
})

/** One trash entry: what one delete moved aside. */
const TrashEntrySchema = z.object({
  id: z.string(),
  createdAt: z.string(),
  keys: z.array(z.string()),
  objects: z.number(),
  bytes: z.number(),
})

/** A trash entry's id as the engine makes them (timestamp and random part). */
const TrashId = z.string().regex(/^\d{8}T\d{9}Z-[0-9a-f]{6}$/)

/** One dimension of a dataset slice: an index, a half-open range with a step, or null (all). */
const DimSelectionSchema = z.union([
  z.number().int().min(0),
  z.object({
    start: z.number().int().min(0),
    stop: z.number().int().min(0),
    step: z.number().int().min(1).optional(),
  }),
  z.null(),
])

/** Which variable of which dataset: `member` names a dataset of an xcollection. */
const VariableRef = z.object({
  cacheId: CacheId,
  key: Key,
  member: z.string().optional(),
  variable: z.string(),
})

/** A decoded part of one variable, read from only the chunks it touches. */
export const DatasetSliceSchema = z.object({
  variable: z.string(),
  /** The dimensions kept (ranges), in order; indexed dimensions are dropped. */
  dims: z.array(z.string()),
  shape: z.array(z.number()),
  dtype: z.string(),
  /** Flat C-order values: numbers (NaN as null), times as ISO text, strings, booleans. */
  values: z.array(Cell),
  /** Decoded coordinate values along each kept dimension that has a coordinate variable. */
  coords: z.record(z.string(), z.array(Cell)),
  bytesRead: z.number(),
})
export type DatasetSlice = z.infer<typeof DatasetSliceSchema>

/** Statistics of one variable, streamed over its chunks. */
export const VariableStatsSchema = z.object({
  variable: z.string(),
  min: z.union([z.number(), z.string()]).nullable(),
  max: z.union([z.number(), z.string()]).nullable(),
  mean: z.number().nullable(),
  /** Elements that are NaN (or NaT) after decoding. */
  nanCount: z.number(),
  /** Elements that are not NaN. */
  count: z.number(),
})
export type VariableStats = z.infer<typeof VariableStatsSchema>

/**
 * A copy between two open caches (copy.run), planned or run: each key's action and why, and
 * totals. Objects are counted, not listed, so a Zarr store of 10,000 chunks stays one row.
 */
const CopyResultSchema = z.object({
  source: z.string(),
  destination: z.string(),
  dryRun: z.boolean(),
  onDuplicateKey: OnDuplicate,
  entries: z.array(
    z.object({
      key: z.string(),
      action: z.enum(['copy', 'overwrite', 'same', 'skip', 'refuse', 'broken']),
      reason: z.string().nullable(),
      /** Payload objects, and how many of them travel (the rest are already there, equal). */
      objects: z.number(),
      copyObjects: z.number(),
      bytes: z.number(),
      copyBytes: z.number(),
    }),
  ),
  /** Planned: keys to write, objects and bytes to transfer. */
  keys: z.number(),
  objects: z.number(),
  bytes: z.number(),
  /** Done by the run (0 for a dry run). */
  copiedKeys: z.number(),
  copiedBytes: z.number(),
  cancelled: z.boolean(),
})
export type CopyResult = z.infer<typeof CopyResultSchema>

const JobStatusSchema = z.object({
  jobId: z.string(),
  done: z.number(),
  total: z.number(),
  current: z.string().nullable(),
  finished: z.boolean(),
  result: DeletePlanSchema.nullable(),
  /** The result of a dataset.stats job. */
  stats: VariableStatsSchema.nullable().optional(),
  /** The result of a table.query job. */
  table: TableQueryResultSchema.nullable().optional(),
  /** The result of a table.export job. */
  export: ExportResultSchema.nullable().optional(),
  /** The result of a copy.run job (done/total count bytes). */
  copy: CopyResultSchema.nullable().optional(),
  error: ErrorShapeSchema.nullable(),
})
export type JobStatus = z.infer<typeof JobStatusSchema>

const CacheInfoSchema = z.object({
  cacheId: z.string(),
  url: z.string(),
  location: z.string(),
  readonly: z.boolean(),
  /** Why it is read-only: the toggle, or no write permission. */
  readonlyReason: z.string().nullable(),
})
export type CacheInfo = z.infer<typeof CacheInfoSchema>

/** What retention rules would delete (prune.plan): figures, keys, and each rule's share. */
const PrunePlanResultSchema = z.object({
  /** False when no rule is set: then nothing is chosen (never the whole cache). */
  hasRules: z.boolean(),
  /** Artifacts the listing had. */
  listed: z.number(),
  /** When that listing was taken (epoch ms). */
  listedAt: z.number(),
  /** Artifacts the rules would delete, and their payload + sidecar bytes. */
  count: z.number(),
  bytes: z.number(),
  /** Their keys, oldest first: all of them when asked (keys: 'all'), else the first few. */
  keys: z.array(z.string()),
  /** created_at of the oldest and the newest of them (epoch ms); null when none. */
  oldestMs: z.number().nullable(),
  newestMs: z.number().nullable(),
  /** How many artifacts pass each filter and those before it, in order. */
  steps: z.array(z.object({ rule: z.string(), count: z.number() })),
  /** What the filters selected, and its bytes. */
  scope: z.object({ count: z.number(), bytes: z.number() }),
  /** Artifacts of the scope that "keep the last" protects. */
  kept: z.number(),
  /** The scope's bytes once these are gone. */
  remainingBytes: z.number(),
  maxTotal: z.number().nullable(),
  /** How far the scope stays over maxTotal (protected or undated artifacts fill it). */
  overBy: z.number(),
  /** Artifacts without a readable created_at that time rules cannot judge: kept. */
  undated: z.number(),
  /** Broken artifacts: never chosen (Doctor deals with them). */
  broken: z.number(),
})
export type PrunePlanResult = z.infer<typeof PrunePlanResultSchema>

/** Every channel: its request and response schema. */
export const channels = {
  'app.info': {
    request: z.object({}),
    response: z.object({
      mode: z.enum(['electron', 'browser']),
      version: z.string(),
      /** Backends this build can open ('file', later 's3', 'gs'). */
      protocols: z.array(z.string()),
      /**
       * Recent caches, newest first, with the NON-secret storage options they opened with
       * (endpoint, region, profile, anon, project); `secretsNeeded` when keys were given,
       * which are never remembered: the form asks for them again.
       */
      recent: z.array(
        z.object({
          location: z.string(),
          readonly: z.boolean(),
          options: Dict.optional(),
          secretsNeeded: z.boolean().optional(),
          /** Its keys were given this session and the main side still holds them. */
          secretsKept: z.boolean().optional(),
        }),
      ),
      /** The cache opened at start (the demo cache for `npm start`), if any. */
      initial: z.object({ location: z.string(), readonly: z.boolean() }).nullable(),
      /** Started with --readonly: every cache opens read-only and the UI's toggle cannot lift it. */
      readonlyCeiling: z.boolean(),
      serializers: z.array(z.string()),
      /** The serializers Put can write a picked file, or a picked folder (a Zarr store), with. */
      writable: z.object({ file: z.array(z.string()), folder: z.array(z.string()) }).optional(),
    }),
  },
  'dialog.pickFolder': {
    request: z.object({}),
    response: z.object({ location: z.string().nullable() }),
  },
  'cache.open': {
    request: z.object({
      location: z.string().min(1),
      readonly: z.boolean().default(false),
      storageOptions: Dict.default({}),
    }),
    response: CacheInfoSchema,
  },
  /** Releases an open cache: its listings go too. The renderer closes a cache it leaves. */
  'cache.close': {
    request: z.object({ cacheId: CacheId }),
    response: z.object({ closed: z.boolean() }),
  },
  'cache.list': {
    request: z.object({
      cacheId: CacheId,
      cursor: z.string().nullable().default(null),
      limit: z.number().int().min(1).max(20000).default(2000),
    }),
    response: z.object({
      rows: z.array(ArtifactRowSchema),
      /** Pass back to get the next rows; null when the listing is complete. */
      cursor: z.string().nullable(),
      loaded: z.number(),
      total: z.number(),
    }),
  },
  /**
   * How far the first page of a cache's listing has got (a big bucket takes a while to list
   * before any row can be sent): polled while cache.list's first call is pending; null when
   * no listing of that cache is under way.
   */
  'cache.listProgress': {
    request: z.object({ cacheId: CacheId }),
    response: z
      .object({
        phase: z.enum(['listing', 'sidecars']),
        done: z.number(),
        /** null while the names are still being listed. */
        total: z.number().nullable(),
      })
      .nullable(),
  },
  'artifact.detail': {
    request: z.object({ cacheId: CacheId, key: Key }),
    response: ArtifactDetailSchema,
  },
  'artifact.preview': {
    request: z.object({
      cacheId: CacheId,
      key: Key,
      offset: z.number().int().min(0).default(0),
      rows: z.number().int().min(1).max(1000).default(100),
    }),
    response: PreviewSchema,
  },
  /** Counts a table's rows when its preview said rowCount null (a CSV page); cancellable. */
  'artifact.rowCount': {
    request: z.object({ cacheId: CacheId, key: Key }),
    response: z.object({ rowCount: z.number().int().min(0).nullable() }),
  },
  'artifact.updateMetadata': {
    request: z.object({
      cacheId: CacheId,
      key: Key,
      /** The edited additional_metadata as JSON text (parsed Python-exactly on the main side). */
      metadataText: z.string(),
      expectedVersion: z.string(),
    }),
    response: ArtifactDetailSchema,
  },
  'artifact.put': {
    request: z.object({
      cacheId: CacheId,
      key: Key,
      /** 'auto' picks from the content (.csv -> pandas.csv, .json/.pkl/.joblib -> joblib). */
      serializer: z.string().default('auto'),
      onDuplicateKey: OnDuplicate.default('raise_error'),
      metadataText: z.string().default('{}'),
      file: z.object({
        name: z.string().min(1),
        /**
         * A handle, never a path: from dialog.pickFile (Electron) or from the streamed upload
         * `POST /api/upload` (browser mode; its temp file is deleted after this put).
         */
        handle: z.string().min(1),
      }),
    }),
    response: z.object({ key: z.string(), serializer: z.string() }),
  },
  'dialog.pickFile': {
    request: z.object({
      /** Pick a folder (a Zarr store, put byte for byte) instead of a file. */
      folder: z.boolean().default(false),
    }),
    /** `bytes` of a folder: the total of its files. */
    response: z.object({ handle: z.string(), name: z.string(), bytes: z.number() }).nullable(),
  },
  'delete.plan': { request: DeleteTarget, response: DeletePlanSchema },
  'delete.start': {
    request: DeleteTarget.extend({
      /** The number the user typed: must equal the number of entries, or nothing happens. */
      confirmCount: z.number().int().min(1),
    }),
    response: z.object({ jobId: z.string() }),
  },
  /**
   * What retention rules would delete from an open cache, planned on its listing (nothing is
   * deleted: the keys go to delete.plan). `fresh: false` reuses this cache's last listing
   * (the dialog re-plans as the user types); `keys: 'all'` sends every key, else a sample.
   */
  'prune.plan': {
    request: z.object({
      cacheId: CacheId,
      rules: RuleSetSchema,
      keys: z.enum(['sample', 'all']).default('sample'),
      fresh: z.boolean().default(true),
    }),
    response: PrunePlanResultSchema,
  },
  /** Named rule sets saved for this cache in the user's config (never in the cache). */
  'rules.list': {
    request: z.object({ cacheId: CacheId }),
    response: z.array(SavedRuleSetSchema),
  },
  /** Saves (or replaces) a named rule set for this cache; answers the cache's sets. */
  'rules.save': {
    request: z.object({ cacheId: CacheId, name: RuleSetName, rules: RuleSetSchema }),
    response: z.array(SavedRuleSetSchema),
  },
  /** Forgets a named rule set of this cache; answers the cache's sets. */
  'rules.delete': {
    request: z.object({ cacheId: CacheId, name: RuleSetName }),
    response: z.array(SavedRuleSetSchema),
  },
  'trash.list': { request: z.object({ cacheId: CacheId }), response: z.array(TrashEntrySchema) },
  'trash.restore': {
    request: z.object({
      cacheId: CacheId,
      id: TrashId,
      /** The keys to restore; empty restores all. */
      keys: z.array(Key).default([]),
      dryRun: z.boolean().default(true),
    }),
    response: z.object({
      root: z.string(),
      id: z.string(),
      dryRun: z.boolean(),
      entries: z.array(
        z.object({
          key: z.string(),
          files: z.array(PayloadFileSchema),
          bytes: z.number(),
          refused: z.string().nullable(),
        }),
      ),
      restored: z.array(z.string()),
      move: z.object({
        method: z.enum(['rename', 'copy']),
        copyObjects: z.number(),
        copyBytes: z.number(),
      }),
    }),
  },
  'trash.empty': {
    request: z.object({
      cacheId: CacheId,
      /** Entries to empty; with neither this nor olderThanMs, all. */
      ids: z.array(TrashId).default([]),
      olderThanMs: z.number().int().min(0).optional(),
      dryRun: z.boolean().default(true),
    }),
    response: z.object({
      root: z.string(),
      dryRun: z.boolean(),
      entries: z.array(TrashEntrySchema),
      objects: z.number(),
      bytes: z.number(),
      emptied: z.array(z.string()),
    }),
  },
  'job.status': { request: z.object({ jobId: z.string() }), response: JobStatusSchema },
  'job.cancel': { request: z.object({ jobId: z.string() }), response: JobStatusSchema },
  'dataset.slice': {
    request: VariableRef.extend({
      selection: z.array(DimSelectionSchema).max(64).default([]),
      /** A slice larger than this is refused (ask for a step instead). */
      maxElements: z.number().int().min(1).max(4_000_000).default(1_000_000),
    }),
    response: DatasetSliceSchema,
  },
  /** Starts streaming statistics of one variable; progress and the result come as a job. */
  'dataset.stats': { request: VariableRef, response: z.object({ jobId: z.string() }) },
  /**
   * Starts sort / filter / search / group-count over a whole table artifact; progress (rows
   * scanned of total) and the result come as a job (JobStatus.table).
   */
  'table.query': {
    request: z.object({ cacheId: CacheId, key: Key, query: TableQuerySchema }),
    response: z.object({ jobId: z.string() }),
  },
  /** One page of a finished query's rows, in its order (the table preview form). */
  'table.page': {
    request: z.object({
      cacheId: CacheId,
      resultId: z.string().min(1),
      offset: z.number().int().min(0).default(0),
      rows: z.number().int().min(1).max(1000).default(100),
    }),
    response: PreviewSchema,
  },
  /**
   * Writes what a query shows (all matching rows, in its order) to CSV or Parquet as a job
   * (JobStatus.export); the handle is then saved with export.save (Electron) or downloaded
   * from GET /api/export/<handle> (browser mode).
   */
  'table.export': {
    request: z.object({
      cacheId: CacheId,
      key: Key,
      query: TableQuerySchema,
      format: z.enum(['csv', 'parquet']),
    }),
    response: z.object({ jobId: z.string() }),
  },
  /**
   * Copies artifacts from one open cache to another as a job: the plan (dryRun, the default)
   * or plan and run; progress in bytes, the outcome in JobStatus.copy, job.cancel stops it
   * between objects (a key cut short is rolled back). No keys and no patterns: every key.
   */
  'copy.run': {
    request: z.object({
      sourceCacheId: CacheId,
      destinationCacheId: CacheId,
      keys: z.array(Key).max(1_000_000).default([]),
      /** Glob patterns on keys (`*`, `?`, `**`, `[abc]`), as `xpersist cp --where`. */
      where: z.array(z.string().min(1).max(1000)).max(64).default([]),
      onDuplicateKey: OnDuplicate.default('raise_error'),
      dryRun: z.boolean().default(true),
    }),
    response: z.object({ jobId: z.string() }),
  },
  /** Electron: asks where to save a finished export and moves it there; null if cancelled. */
  'export.save': {
    request: z.object({ handle: z.string().min(1) }),
    response: z.object({ path: z.string() }).nullable(),
  },
  /**
   * Electron: asks where to save text the window made (an exported delete plan) and writes it
   * there; null if cancelled. The browser downloads such text itself (Transport.saveText).
   */
  'export.saveText': {
    request: z.object({
      /** The suggested file name, no folder. */
      name: z.string().regex(/^[^/\\\0]{1,200}$/),
      text: z.string().max(512 * 1024 * 1024),
    }),
    response: z.object({ path: z.string() }).nullable(),
  },
  'doctor.run': {
    request: z.object({ cacheId: CacheId }),
    response: z.object({
      root: z.string(),
      missingPayload: z.array(z.string()),
      orphans: z.array(PayloadFileSchema),
      beingWritten: z.array(PayloadFileSchema),
      brokenSidecars: z.array(z.object({ key: z.string(), error: ErrorShapeSchema })),
      unknownSerializers: z.array(z.object({ key: z.string(), serializer: z.string() })),
      keyMismatches: z.array(z.object({ key: z.string(), recorded: z.string() })),
      notACache: z.string().nullable(),
      interrupted: z.array(
        z.object({
          lock: z.string(),
          key: z.string().nullable(),
          op: z.enum(['put', 'metadata', 'delete', 'trash', 'restore']).nullable(),
          repair: z.string(),
        }),
      ),
      ok: z.boolean(),
    }),
  },
  /** Finishes or undoes the interrupted writes doctor lists (each key whole again). */
  'doctor.repair': {
    request: z.object({ cacheId: CacheId }),
    response: z.object({ repaired: z.number() }),
  },
} as const

/** The channel names. */
export type Channel = keyof typeof channels
/** A channel's request, as the renderer sends it (defaults optional). */
export type RequestOf<C extends Channel> = z.input<(typeof channels)[C]['request']>
/** A channel's request after validation (defaults filled). */
export type ParsedRequestOf<C extends Channel> = z.output<(typeof channels)[C]['request']>
/** A channel's response. */
export type ResponseOf<C extends Channel> = z.output<(typeof channels)[C]['response']>

/** Events the main side pushes: job progress (delete runs). */
export type XpersistEvent = { type: 'job'; status: JobStatus }

/** What a channel call returns over the wire: the response, or an error shape. */
export type Envelope<C extends Channel> =
  { ok: true; data: ResponseOf<C> } | { ok: false; error: z.infer<typeof ErrorShapeSchema> }
