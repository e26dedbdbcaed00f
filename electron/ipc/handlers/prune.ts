import path from 'node:path'
import { createdAtMs } from '../../../shared/artifact.js'
import type { PrunePlanResult } from '../../../shared/ipc.js'
import { readRuleSet, type RuleSet } from '../../../shared/rule-set.js'
import type { ArtifactInfo } from '../../../shared/store-types.js'
import { artifactBytes, filterSteps, hasRules, selectForPrune } from '../../engine/prune.js'
import { defaultSidecarIndexDir } from '../../engine/sidecar-index.js'
import type { ExplorerSession } from '../session.js'
import { SavedRules } from '../saved-rules.js'
import type { HandlerTable } from './types.js'

/** Keys a sample answer carries (the dialog shows a few; Review plan asks for all). */
export const PRUNE_SAMPLE_KEYS = 20
/** A kept listing older than this is taken again, even when the dialog asks to reuse it. */
export const PRUNE_LISTING_MS = 5 * 60_000

interface KeptListing {
  at: number
  rows: ArtifactInfo[]
}

// Per session: each cache's last listing for rules (the dialog re-plans on every keystroke
// without listing a bucket again), and the saved-rules file.
const listings = new WeakMap<ExplorerSession, Map<string, KeptListing>>()
const savedRules = new WeakMap<ExplorerSession, SavedRules>()

function keptListings(session: ExplorerSession): Map<string, KeptListing> {
  let kept = listings.get(session)
  if (!kept) {
    const mine = new Map<string, KeptListing>()
    kept = mine
    listings.set(session, mine)
    session.onClosing((cacheId) => (cacheId === null ? mine.clear() : void mine.delete(cacheId)))
  }
  return kept
}

/** The session's saved rules: beside the recent caches, in memory when there is no file. */
export function savedRulesOf(session: ExplorerSession): SavedRules {
  let rules = savedRules.get(session)
  if (!rules) {
    const recent = session.host.recentFile
    rules = new SavedRules(recent ? path.join(path.dirname(recent), 'cleanup-rules.json') : null)
    savedRules.set(session, rules)
  }
  return rules
}

async function listingFor(
  session: ExplorerSession,
  cacheId: string,
  fresh: boolean,
  signal: AbortSignal,
): Promise<KeptListing> {
  const kept = keptListings(session)
  const old = kept.get(cacheId)
  const { store } = session.cache(cacheId)
  if (!fresh && old && session.now() - old.at < PRUNE_LISTING_MS) return old
  const at = session.now()
  const rows: ArtifactInfo[] = []
  for await (const info of store.artifacts({ indexDir: defaultSidecarIndexDir() })) {
    signal.throwIfAborted()
    rows.push(info)
  }
  const listing = { at, rows }
  kept.set(cacheId, listing)
  return listing
}

/** What the rules choose from a listing, as prune.plan answers it. */
export function prunePlanOf(
  listing: readonly ArtifactInfo[],
  set: RuleSet,
  now: number,
  allKeys: boolean,
): Omit<PrunePlanResult, 'listedAt'> {
  // The request schema read the rules already; a bad one never gets here.
  const { rules } = readRuleSet(set)
  const ruled = hasRules(rules)
  const selection = ruled ? selectForPrune(listing, rules, now) : null
  const chosen = selection?.chosen ?? []
  let bytes = 0
  let oldestMs: number | null = null
  let newestMs: number | null = null
  for (const info of chosen) {
    bytes += artifactBytes(info)
    const ms = createdAtMs(info.artifact?.created_at ?? null)
    if (ms === null) continue
    if (oldestMs === null || ms < oldestMs) oldestMs = ms
    if (newestMs === null || ms > newestMs) newestMs = ms
  }
  const keys = allKeys ? chosen : chosen.slice(0, PRUNE_SAMPLE_KEYS)
  return {
    hasRules: ruled,
    listed: listing.length,
    count: chosen.length,
    bytes,
    keys: keys.map((i) => i.key),
    oldestMs,
    newestMs,
    steps: filterSteps(listing, rules.clauses, now).map((s) => ({
      rule: s.token,
      count: s.count,
    })),
    scope: selection?.scope ?? { count: 0, bytes: 0 },
    kept: selection?.kept ?? 0,
    remainingBytes: selection?.remainingBytes ?? 0,
    maxTotal: rules.maxTotal,
    overBy: selection?.overBy ?? 0,
    undated: selection?.undated.length ?? 0,
    broken: selection?.broken.length ?? 0,
  }
}

/** prune.plan and the saved rule sets (rules.list, rules.save, rules.delete). */
export const pruneHandlers: HandlerTable<
  'prune.plan' | 'rules.list' | 'rules.save' | 'rules.delete'
> = {
  async 'prune.plan'(request, session, signal) {
    const listing = await listingFor(session, request.cacheId, request.fresh, signal)
    const plan = prunePlanOf(listing.rows, request.rules, session.now(), request.keys === 'all')
    return { ...plan, listedAt: listing.at }
  },

  async 'rules.list'(request, session) {
    return savedRulesOf(session).list(session.cache(request.cacheId).store.url)
  },

  async 'rules.save'(request, session) {
    const url = session.cache(request.cacheId).store.url
    return savedRulesOf(session).save(url, request.name, request.rules, new Date(session.now()))
  },

  async 'rules.delete'(request, session) {
    const url = session.cache(request.cacheId).store.url
    return savedRulesOf(session).remove(url, request.name)
  },
}
