import type { PrunePlan } from '../../shared/store-types.js'
import { planFromListing, selectForPrune, type PruneRules } from './prune.js'
import type { ListOptions } from './store-list.js'
import type { DeleteOptions } from './store-delete.js'
import type { CacheStore } from './store.js'
import type { ArtifactInfo } from '../../shared/store-types.js'

/** Options for pruning. */
export interface PruneOptions extends DeleteOptions {
  /** The time age rules count from (epoch ms; default now). */
  now?: number
  /** How the cache is listed (the sidecar index for object stores, progress). */
  list?: Pick<ListOptions, 'indexDir' | 'onProgress' | 'concurrency'>
}

/**
 * Lists the cache, chooses what `rules` prune, and (unless dry run, the default) deletes it
 * through the same path as rm: key by key, each re-planned under its lock. A dry run's plan
 * comes from the listing alone, with no request per key.
 */
export async function pruneStore(
  store: CacheStore,
  rules: PruneRules,
  options: PruneOptions = {},
): Promise<PrunePlan> {
  const listing: ArtifactInfo[] = []
  for await (const info of store.artifacts(options.list ?? {})) listing.push(info)
  const selection = selectForPrune(listing, rules, options.now ?? Date.now())
  const dryRun = options.dryRun ?? true
  const keys = selection.chosen.map((i) => i.key)
  // The one apply step: deleting is rm's deleteMany, so a trash can take its place here.
  const plan = dryRun
    ? planFromListing(store.url, selection.chosen)
    : await store.deleteMany(keys, {
        dryRun: false,
        ...(options.signal ? { signal: options.signal } : {}),
        ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      })
  return {
    ...plan,
    prune: {
      listed: listing.length,
      scope: selection.scope,
      kept: selection.kept,
      remainingBytes: selection.remainingBytes,
      maxTotal: rules.maxTotal,
      overBy: selection.overBy,
      undated: selection.undated,
      broken: selection.broken,
    },
  }
}
