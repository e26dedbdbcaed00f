import type { Artifact } from './artifact.js'
import type { ErrorShape } from './errors.js'

/** What `on_duplicate_key` does when a put finds the key already there. */
export type OnDuplicateKey = 'skip' | 'overwrite' | 'raise_error'

/** One stored object of a payload, relative to the cache root. */
export interface PayloadFile {
  path: string
  bytes: number
}

/** A key's listing row: its sidecar (or why it could not be read) and its payload's size. */
export interface ArtifactInfo {
  key: string
  artifact: Artifact | null
  /**
   * Set when the row is broken (its sidecar is unreadable or a link, its name is no valid key,
   * its payload is a link or sits under a file): it shows as broken instead of failing the list.
   * For a name that is no valid key, `key` is that raw name, for display only.
   */
  error: ErrorShape | null
  payload: { files: PayloadFile[]; bytes: number }
  /** The sidecar object's size, when the listing read or listed it (not for broken names). */
  sidecarBytes?: number
  /**
   * Bytes payload files and sidecar take on a local disk (st_blocks * 512 summed), when the
   * listing statted them all; absent on object stores, where `size` is what is stored.
   */
  allocatedBytes?: number
}

/** A sidecar and the version it was read at, for conflict-checked updates. */
export interface ArtifactEntry {
  artifact: Artifact
  /** Content hash of the sidecar bytes; changes whenever anybody rewrites it. */
  version: string
}

/** What a delete removes (or, for a dry run, would remove), key by key. */
export interface DeletePlan {
  /** The cache location the paths are relative to. */
  root: string
  dryRun: boolean
  entries: DeletePlanEntry[]
  /** Total bytes freed. */
  bytes: number
  /** Paths actually removed (empty for a dry run). */
  deleted: string[]
  /** True when a cancel stopped the run between keys; `deleted` says how far it got. */
  cancelled: boolean
  /** Set when the artifacts move to the trash instead of being deleted. */
  trash?: TrashMove
}

/** Where a delete into the trash moves things, and what moving them costs. */
export interface TrashMove {
  /** The trash entry (`.xpersist-trash/<id>/`); null in a dry run, where the run picks it. */
  id: string | null
  /** 'rename' on local disk (no bytes copied); 'copy' on object stores (a copy, then a delete). */
  method: 'rename' | 'copy'
  /** What the copies cost: objects and bytes read and written again (0 for a rename). */
  copyObjects: number
  copyBytes: number
}

/** One entry of the trash: what one delete moved there. */
export interface TrashEntry {
  id: string
  /** When it was made (from the id), ISO 8601 UTC. */
  createdAt: string
  /** The artifacts it holds (keys with a sidecar in it), sorted. */
  keys: string[]
  /** Every object in it (sidecars, payloads, its manifest) and their bytes. */
  objects: number
  bytes: number
}

/** What restoring from a trash entry does, key by key; a key written since is refused. */
export interface TrashRestorePlan {
  root: string
  id: string
  dryRun: boolean
  entries: {
    key: string
    /** Payload files and sidecar, as they will be in the cache. */
    files: PayloadFile[]
    bytes: number
    /** Why this key is not restored (it exists now, a file is in the way), or null. */
    refused: string | null
  }[]
  /** Keys actually restored (empty for a dry run). */
  restored: string[]
  move: Omit<TrashMove, 'id'>
}

/** What emptying the trash deletes, entry by entry. */
export interface TrashEmptyPlan {
  root: string
  dryRun: boolean
  entries: TrashEntry[]
  objects: number
  bytes: number
  /** Entries actually deleted (empty for a dry run). */
  emptied: string[]
}

/** A prune: the delete plan `rm` prints, and what the retention rules found. */
export interface PrunePlan extends DeletePlan {
  prune: {
    /** Rows the listing had. */
    listed: number
    /** Artifacts the filters selected, and their payload + sidecar bytes. */
    scope: { count: number; bytes: number }
    /** Artifacts of the scope protected by --keep-last. */
    kept: number
    /** The scope's bytes once the plan has run. */
    remainingBytes: number
    maxTotal: number | null
    /** How far the scope stays above maxTotal when protected or undated artifacts fill it. */
    overBy: number
    /** Keys without a readable created_at that time rules could not judge: kept. */
    undated: string[]
    /** Keys whose sidecar or payload cannot be read safely: never pruned (see doctor). */
    broken: string[]
    /**
     * Keys chosen from the listing whose sidecar was rewritten (or removed) before --yes got to
     * them: kept, since the rules never judged them as they are now. Empty for a dry run.
     */
    changed: string[]
  }
}

/** One key's part of a delete plan: sidecar first, then payload files. */
export interface DeletePlanEntry {
  key: string
  files: (PayloadFile & { role: 'sidecar' | 'payload' | 'orphan' })[]
  bytes: number
}

/** Problems `doctor` finds. */
export interface DoctorReport {
  root: string
  /** Sidecars whose payload is missing. */
  missingPayload: string[]
  /** Payload objects no sidecar claims (including temp files of interrupted writes). */
  orphans: PayloadFile[]
  /**
   * Payload objects no sidecar claims yet, younger than PENDING_CREATE_MS (10 minutes): a
   * create in flight whose sidecar comes next. Neither orphans nor cleaned; no problem.
   */
  beingWritten: PayloadFile[]
  /**
   * Entries that cannot be read safely, with the reason: unreadable or linked sidecars, sidecar
   * names that are no valid key (`key` is then the raw name), payloads that are links.
   */
  brokenSidecars: { key: string; error: ErrorShape }[]
  /** Keys whose serializer no registry knows. */
  unknownSerializers: { key: string; serializer: string }[]
  /** Sidecars whose `key` field differs from their file name. */
  keyMismatches: { key: string; recorded: string }[]
  /**
   * Why the folder is not treated as a cache (no metadata folder, or no sidecar in it), or null.
   * When set, nothing was checked and nothing is an orphan: no file here is provably xpersist's.
   */
  notACache: string | null
  /** Writes whose process died halfway (a lock left behind), and what repairing them does. */
  interrupted: InterruptedWrite[]
  ok: boolean
}

/** A write whose process died halfway, found by the lock (journal) it left behind. */
export interface InterruptedWrite {
  /** The lock object, relative to the cache root. */
  lock: string
  /** The key being written; null for an unreadable lock or a leftover repair claim. */
  key: string | null
  op: 'put' | 'metadata' | 'delete' | 'trash' | 'restore' | null
  /** What repairing it does, in words. */
  repair: string
}

/** What repairing interrupted writes does (or, for a dry run, would do). */
export interface RepairPlan {
  root: string
  dryRun: boolean
  entries: InterruptedWrite[]
  /** Locks actually repaired and removed (empty for a dry run). */
  repaired: string[]
}
