import { existsSync, promises as fs, writeFileSync } from 'node:fs'
import { diagnose } from '../engine/doctor.js'
import { importFile } from '../engine/import-file.js'
import { countArtifactRows, previewArtifact } from '../engine/preview.js'
import { CacheStore, type PutOptionsArg } from '../engine/store.js'
import type { DimSelection } from '../engine/dataset/model.js'
import { openDatasets, sliceTask, statsTask, type VariableTarget } from './dataset-tasks.js'
import { parseMetadataText } from './handlers/artifact.js'

/** How to reopen a session's cache elsewhere (a task worker): exactly as the session opened it. */
export interface CacheRef {
  location: string
  readonly: boolean
  storageOptions: Record<string, unknown>
}

/**
 * Work that can take long (seconds of synchronous parsing), so it runs where it can be
 * stopped: previews, puts, doctor, dataset slices and statistics. Plain data, so it can cross to a worker thread.
 */
export type EngineTask =
  | { kind: 'preview'; cache: CacheRef; key: string; offset: number; rows: number }
  | { kind: 'rowCount'; cache: CacheRef; key: string }
  | {
      kind: 'put'
      cache: CacheRef
      key: string
      name: string
      path: string
      options: Pick<PutOptionsArg, 'serializer' | 'onDuplicateKey'>
      /** Parsed where the put runs: parsed values (1.0 as a float) do not survive a structured clone. */
      metadataText: string
    }
  | { kind: 'doctor'; cache: CacheRef }
  | ({ kind: 'slice'; cache: CacheRef } & VariableTarget & {
        selection: (DimSelection | null)[]
        maxElements: number
      })
  | ({ kind: 'stats'; cache: CacheRef } & VariableTarget)
  /** Closes the datasets kept open for a cache that was closed; answers nothing. */
  | { kind: 'forget'; cache: CacheRef }

/** What a running task may report before its answer, and how it is stopped between steps. */
export interface TaskContext {
  signal?: AbortSignal
  onProgress?: (progress: { done: number; total: number }) => void
}

/** Reopens caches in a task worker, keeping the last few (opening a backend is not free). */
const stores = new Map<string, Promise<CacheStore>>()
const MAX_STORES = 4

const refId = (ref: CacheRef) => JSON.stringify([ref.location, ref.readonly, ref.storageOptions])

function storeFor(ref: CacheRef): Promise<CacheStore> {
  const id = refId(ref)
  let store = stores.get(id)
  if (!store) {
    store = CacheStore.open(ref.location, {
      readonly: ref.readonly,
      storageOptions: ref.storageOptions,
      create: false, // as cache.open: the explorer never makes a cache folder
    })
    store.catch(() => stores.delete(id))
    stores.set(id, store)
    for (const old of stores.keys()) if (stores.size > MAX_STORES) stores.delete(old)
  }
  return store
}

let holdUntil: string | null = null

/**
 * Test hook: every task first blocks its thread until this file exists, as a 22 s parse
 * would, so tests can check what still answers meanwhile without timing anything. While it
 * blocks, `<file>.waiting` exists, so a test knows the task is under way.
 */
export function holdTasksUntil(file: string | null): void {
  holdUntil = file
}

function hold(file: string): void {
  writeFileSync(`${file}.waiting`, '')
  const tick = new Int32Array(new SharedArrayBuffer(4))
  const deadline = Date.now() + 60_000 // a safety net only: the test creates the file
  while (!existsSync(file) && Date.now() < deadline) Atomics.wait(tick, 0, 0, 5)
}

/** Runs a task on this thread; a worker calls this, and so does a host without workers. */
export async function runTask(task: EngineTask, context: TaskContext = {}): Promise<unknown> {
  if (task.kind === 'forget') return openDatasets.forget(refId(task.cache))
  if (holdUntil) hold(holdUntil)
  const store = await storeFor(task.cache)
  switch (task.kind) {
    case 'preview':
      return previewArtifact(store, task.key, { offset: task.offset, rows: task.rows })
    case 'rowCount':
      return countArtifactRows(store, task.key, context.signal)
    case 'put': {
      const options = {
        ...task.options,
        additionalMetadata: parseMetadataText(task.metadataText),
      }
      // A folder (a Zarr store a host's folder pick gave) is stored byte for byte, as put does.
      if ((await fs.lstat(task.path)).isDirectory()) {
        const { artifact } = await store.importFolder(task.key, task.path, options)
        return { key: artifact.key, serializer: artifact.serializer }
      }
      // A Buffer is a Uint8Array: copying it again would hold the file twice.
      const data: Uint8Array = await fs.readFile(task.path)
      const artifact = await importFile(store, task.key, task.name, data, options)
      return { key: artifact.key, serializer: artifact.serializer }
    }
    case 'doctor':
      return diagnose(store)
    case 'slice':
      return sliceTask(store, refId(task.cache), task, context.signal)
    case 'stats':
      return statsTask(store, refId(task.cache), task, context)
  }
}
