import type { PrunePlan } from '../../shared/store-types.js'
import { planFromListing, selectForPrune, type PruneRules } from './prune.js'
import type { ListOptions } from './store-list.js'
import type { DeleteOptions } from './store-delete.js'
import type { CacheStore } from './store.js'
import type { Artifact } from '../../shared/artifact.js'
import type { ArtifactInfo } from '../../shared/store-types.js'
import { trashMoveOf } from './trash.js'

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
  let changed: string[] = []
  let plan
  if (dryRun) {
    plan = planFromListing(store.url, selection.chosen)
    if (options.trash) plan.trash = trashMoveOf(store, plan.entries, null)
  } else {
    const still = await unchangedSince(store, selection.chosen)
    changed = still.changed
    // The one apply step, rm's deleteMany: it deletes, or with `trash` moves into the trash.
    plan = await store.deleteMany(still.keys, {
      dryRun: false,
      ...(options.trash ? { trash: true } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    })
  }
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
      changed,
    },
  }
}

/** What the rules read of a sidecar: a rewrite that changes it was not judged by them. */
function judged(a: Artifact | null): string {
  if (a === null) return ''
  return JSON.stringify([a.serializer, a.created_at ?? null, a.additional_metadata])
}

/**
 * The keys of `chosen` whose sidecar still says what the rules judged (one bulk read), and
 * those rewritten since the listing (a new put, a metadata edit) or gone: those are kept, as
 * the rules never saw them as they are now.
 */
export async function unchangedSince(
  store: CacheStore,
  chosen: readonly ArtifactInfo[],
): Promise<{ keys: string[]; changed: string[] }> {
  const fresh = await store.getArtifacts(chosen.map((i) => i.key))
  const keys: string[] = []
  const changed: string[] = []
  chosen.forEach((info, i) => {
    const now = fresh[i]
    const same =
      now !== undefined && now.error === null && judged(now.artifact) === judged(info.artifact)
    if (same) keys.push(info.key)
    else changed.push(info.key)
  })
  return { keys, changed }
}
