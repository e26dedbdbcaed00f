/**
 * Retention rules (`xpersist prune`): which artifacts of a listing to delete. Pure and in
 * memory, O(n log n): one pass of filters, one sort by created_at, one pass of limits.
 *
 * 1. The filters (clauses) select a scope; all must hold (AND). With none, the scope is every
 *    readable artifact.
 * 2. --keep-last N [--per FIELD] protects the newest N of the scope (of each group of
 *    additional_metadata[FIELD]: values compare as text, lists and objects as their JSON;
 *    artifacts without the field form one group of their own).
 * 3. --max-total B deletes unprotected artifacts of the scope, oldest first, until the
 *    scope's total (payload + sidecar bytes, protected and undated ones included) is at most
 *    B. Without --max-total, every unprotected artifact of the scope is deleted.
 *
 * Artifacts without a readable created_at are never chosen by a time rule (created, age,
 * keep-last, max-total): they are kept and reported. Broken rows (unreadable sidecar, bad name,
 * a payload that cannot be reached safely) are never chosen by anything: doctor deals with them.
 */
import { createdAtMs } from '../../shared/artifact.js'
import {
  allClausesMatch,
  clauseMatches,
  isTimeClause,
  type FilterClause,
  type FilterSubject,
} from '../../shared/filter-query.js'
import { groupValueKey, metadataValue } from '../../shared/metadata-values.js'
import type { ArtifactInfo, DeletePlan, DeletePlanEntry } from '../../shared/store-types.js'
import { sidecarPath } from './keys.js'

/** What to prune. */
export interface PruneRules {
  /** Filters selecting the scope; all must hold. */
  clauses: FilterClause[]
  /** Keep the newest `n` of the scope, of each group of additional_metadata[per] if given. */
  keepLast: { n: number; per: string | null } | null
  /** The scope's total bytes (payload + sidecar) to get down to, oldest deleted first. */
  maxTotal: number | null
}

/** Whether the rules say anything at all (pruning with none would delete everything). */
export function hasRules(rules: PruneRules): boolean {
  return rules.clauses.length > 0 || rules.keepLast !== null || rules.maxTotal !== null
}

/** Which artifacts go, and the figures that explain why. */
export interface PruneSelection {
  /** The artifacts to delete, oldest first (undated ones last, by key). */
  chosen: ArtifactInfo[]
  /** Artifacts the filters selected, and their bytes. */
  scope: { count: number; bytes: number }
  /** Artifacts of the scope protected by --keep-last. */
  kept: number
  /** The scope's bytes once `chosen` are gone. */
  remainingBytes: number
  /** How far the scope stays above --max-total (0 when it fits or no limit was set). */
  overBy: number
  /**
   * Keys without a readable created_at that a time rule could not judge (they passed every
   * other filter): kept, whatever the rules.
   */
  undated: string[]
  /** Keys of broken rows: never chosen. */
  broken: string[]
}

/** A listing row as filters read it, and the row itself (one object per artifact). */
interface Row extends FilterSubject {
  info: ArtifactInfo
}

/** An artifact's bytes as a delete plan counts them: payload plus sidecar. */
export function artifactBytes(info: ArtifactInfo): number {
  return info.payload.bytes + (info.sidecarBytes ?? 0)
}

function rowOf(info: ArtifactInfo, artifact: NonNullable<ArtifactInfo['artifact']>): Row {
  return {
    info,
    key: info.key,
    serializer: artifact.serializer,
    createdMs: createdAtMs(artifact.created_at),
    bytes: artifactBytes(info),
    metadata: artifact.additional_metadata,
  }
}

/**
 * How the filters narrow a listing, one at a time in their order: each clause's token and
 * how many readable artifacts pass it and every clause before it (the explorer shows this
 * beside the rules, so the user sees which rule let how many through).
 */
export function filterSteps(
  listing: readonly ArtifactInfo[],
  clauses: readonly FilterClause[],
  now: number,
): { token: string; count: number }[] {
  const counts = new Array<number>(clauses.length).fill(0)
  for (const info of listing) {
    if (info.error !== null || info.artifact === null) continue
    const row = rowOf(info, info.artifact)
    for (let i = 0; i < clauses.length; i++) {
      if (!clauseMatches(clauses[i] as FilterClause, row, now)) break
      counts[i] = (counts[i] as number) + 1
    }
  }
  return clauses.map((c, i) => ({ token: c.token, count: counts[i] as number }))
}

function byAgeThenKey(a: Row, b: Row): number {
  const d = (a.createdMs as number) - (b.createdMs as number)
  return d !== 0 ? d : a.key < b.key ? -1 : a.key > b.key ? 1 : 0
}

/** Applies `rules` to a listing at time `now` (epoch ms). */
export function selectForPrune(
  listing: readonly ArtifactInfo[],
  rules: PruneRules,
  now: number,
): PruneSelection {
  const timeClauses = rules.clauses.filter(isTimeClause)
  const otherClauses = rules.clauses.filter((c) => !isTimeClause(c))
  const timeRules = timeClauses.length > 0 || rules.keepLast !== null || rules.maxTotal !== null
  const broken: string[] = []
  const undated: string[] = []
  const dated: Row[] = []
  const undatedInScope: Row[] = []
  let scopeBytes = 0
  for (const info of listing) {
    if (info.error !== null || info.artifact === null) {
      broken.push(info.key)
      continue
    }
    const row = rowOf(info, info.artifact)
    if (!allClausesMatch(otherClauses, row, now)) continue
    if (row.createdMs === null && timeRules) undated.push(info.key)
    if (!allClausesMatch(timeClauses, row, now)) continue
    scopeBytes += row.bytes
    if (row.createdMs === null) undatedInScope.push(row)
    else dated.push(row)
  }
  dated.sort(byAgeThenKey)

  const deletable = protect(dated, rules.keepLast)
  let chosen: Row[]
  let remaining = scopeBytes
  if (rules.maxTotal !== null) {
    chosen = []
    for (const row of deletable) {
      if (remaining <= rules.maxTotal) break
      chosen.push(row)
      remaining -= row.bytes
    }
  } else {
    // No limits but filters: the whole scope goes; undated rows only when no time rule
    // applies (then they passed every filter on their merits).
    chosen = timeRules ? deletable : [...deletable, ...undatedInScope]
    for (const row of chosen) remaining -= row.bytes
  }
  return {
    chosen: chosen.map((r) => r.info),
    scope: { count: dated.length + undatedInScope.length, bytes: scopeBytes },
    kept: dated.length - deletable.length,
    remainingBytes: remaining,
    overBy: rules.maxTotal !== null ? Math.max(0, remaining - rules.maxTotal) : 0,
    undated,
    broken,
  }
}

/**
 * The rows of `dated` (oldest first) that --keep-last does not protect, still oldest first.
 * Groups are keyed in a Map by the field's value text; the missing field is its own group.
 */
function protect(dated: Row[], keepLast: PruneRules['keepLast']): Row[] {
  if (keepLast === null) return dated
  const counts = new Map<string, number>()
  let missing = 0
  const isKept = new Uint8Array(dated.length)
  for (let i = dated.length - 1; i >= 0; i--) {
    const row = dated[i] as Row
    let group: string | undefined
    if (keepLast.per !== null) group = groupValueKey(metadataValue(row.metadata, keepLast.per))
    else group = ''
    const seen = group === undefined ? missing : (counts.get(group) ?? 0)
    if (seen < keepLast.n) isKept[i] = 1
    if (group === undefined) missing = seen + 1
    else counts.set(group, seen + 1)
  }
  return dated.filter((_, i) => isKept[i] === 0)
}

/**
 * The delete plan of `chosen` as the listing describes them, the same shape `rm` prints: the
 * sidecar first, then the payload files. Deleting re-plans every key from the store (see
 * store-delete.ts), so a file that changed since the listing is never removed on its word.
 */
export function planFromListing(root: string, chosen: readonly ArtifactInfo[]): DeletePlan {
  const entries: DeletePlanEntry[] = new Array<DeletePlanEntry>(chosen.length)
  let bytes = 0
  for (let i = 0; i < chosen.length; i++) {
    const info = chosen[i] as ArtifactInfo
    const files: DeletePlanEntry['files'] = [
      { path: sidecarPath(info.key), bytes: info.sidecarBytes ?? 0, role: 'sidecar' },
    ]
    for (const f of info.payload.files)
      files.push({ path: f.path, bytes: f.bytes, role: 'payload' })
    const entryBytes = artifactBytes(info)
    entries[i] = { key: info.key, files, bytes: entryBytes }
    bytes += entryBytes
  }
  return {
    root,
    dryRun: true,
    entries,
    bytes,
    deleted: [],
    cancelled: false,
  }
}
