import type { Collection, Dataset } from '../engine/dataset/model.js'
import { isDatasetValue } from '../engine/dataset-access.js'
import { InvalidArgumentError } from '../engine/errors.js'
import { closeLoaded, type CacheStore } from '../engine/store.js'

interface Entry {
  cache: string
  version: string
  value: Promise<Dataset | Collection>
}

/**
 * Datasets opened for slices and statistics, kept open between calls (a slider moving through
 * time reads one slice per step: reopening the file each time would cost more than the read).
 * Least recently used go past the cap; an artifact whose sidecar changed (an overwrite) is
 * reopened; forgetting a cache closes its datasets.
 */
export class OpenDatasets {
  private readonly entries = new Map<string, Entry>()

  constructor(private readonly max = 4) {}

  /** The dataset or collection stored under `key`, opened once per sidecar version. */
  async get(store: CacheStore, cache: string, key: string): Promise<Dataset | Collection> {
    const id = JSON.stringify([cache, key])
    const { version } = await store.getEntry(key)
    const found = this.entries.get(id)
    if (found && found.version === version) {
      this.entries.delete(id) // re-inserted last: most recently used
      this.entries.set(id, found)
      return found.value
    }
    if (found) this.drop(id, found)
    const value = store.get(key).then(async (v) => {
      if (isDatasetValue(v)) return v
      throw new InvalidArgumentError(
        `'${key}' is not a dataset or a collection of datasets; slices and statistics need one.`,
      )
    })
    const entry = { cache, version, value }
    this.entries.set(id, entry)
    value.catch(() => {
      if (this.entries.get(id) === entry) this.entries.delete(id)
    })
    for (const [oldId, old] of this.entries) {
      if (this.entries.size <= this.max) break
      this.drop(oldId, old)
    }
    return value
  }

  /** Closes every dataset of `cache` (the cache was closed). */
  forget(cache: string): void {
    for (const [id, e] of this.entries) if (e.cache === cache) this.drop(id, e)
  }

  /** How many are open (for tests). */
  get size(): number {
    return this.entries.size
  }

  private drop(id: string, entry: Entry): void {
    this.entries.delete(id)
    void entry.value.then(closeLoaded).catch(() => undefined)
  }
}
