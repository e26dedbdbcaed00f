/**
 * Listing an object-store cache without a request per object: one recursive listing of the
 * root gives every sidecar's ETag and every payload's size (a request per page of 1,000; key
 * ranges side by side when the index knows where the last listing's pages ended), and
 * only sidecars the local index does not hold at that ETag are fetched, with bounded
 * concurrency. Local folders keep their own path (store-list.ts): there a stat costs what a
 * read does, so neither the root listing nor the index would save anything.
 */
import type { ArtifactInfo, PayloadFile } from '../../shared/store-types.js'
import type { Backend, ObjectMeta } from './backend/backend.js'
import { KeyNotFoundError, toErrorShape } from './errors.js'
import { keyFromSidecarPath, METADATA_DIR, sidecarNameProblem } from './keys.js'
import { ownerOf } from './ownership.js'
import { decodeSidecar } from './sidecar.js'
import { SidecarIndex } from './sidecar-index.js'
import { EntryFailure, getManyText } from './store-bulk.js'
import { listInRanges, splitPointsOf } from './list-ranges.js'

/** How far a listing got: objects listed so far, then sidecars read (of `total`). */
export interface ListProgress {
  phase: 'listing' | 'sidecars'
  done: number
  /** Sidecars to read; null while listing (an object store does not say how many there are). */
  total: number | null
}

/** Objects between two progress reports while listing: an S3 or GCS listing page. */
const PROGRESS_EVERY = 1000

/** What one listing of the root says: every sidecar, and the payload objects of every key. */
export interface RootListing {
  /** Every name a sidecar gives (valid keys and broken names), sorted. */
  names: string[]
  /** The listing entry of each name's sidecar. */
  sidecars: Map<string, ObjectMeta>
  /** The payload objects of each valid key, sorted by path (none: no entry). */
  payloads: Map<string, ObjectMeta[]>
  /** Where the next listing of this root splits into ranges (kept in the sidecar index). */
  splits: string[]
}

/** Whether listings should use the root listing and the sidecar index (object stores). */
export function listsWithMetadata(backend: Backend): boolean {
  return !/^(file|folder):/.test(backend.url)
}

/**
 * Lists the whole root once; sizes and ETags come from the listing pages, never a head. With
 * `splits` (the previous listing's, see RootListing.splits) the root is listed as key ranges
 * at once; the listing is the same with any splits, or none (one range, page after page).
 */
export async function listRoot(
  backend: Backend,
  onProgress?: (p: ListProgress) => void,
  splits: readonly string[] = [],
): Promise<RootListing> {
  const sidecars = new Map<string, ObjectMeta>()
  const others: ObjectMeta[] = []
  let listed = 0
  const points = backend.listsKeyRanges === true ? splits : []
  const all = await listInRanges(backend, points, () => {
    if (++listed % PROGRESS_EVERY === 0)
      onProgress?.({ phase: 'listing', done: listed, total: null })
  })
  for (const m of all) {
    if (m.path.startsWith(`${METADATA_DIR}/`)) {
      const name = keyFromSidecarPath(m.path)
      if (name !== undefined) sidecars.set(name, m)
    } else others.push(m)
  }
  onProgress?.({ phase: 'listing', done: listed, total: null })
  const names = [...sidecars.keys()].sort()
  const keys = new Set(names.filter((n) => sidecarNameProblem(n) === null))
  // Ownership as payloadObjects decides it: an object at the key itself is the payload;
  // otherwise the files under key/ that no more specific key owns.
  const exact = new Map<string, ObjectMeta>()
  const under = new Map<string, ObjectMeta[]>()
  for (const m of others) {
    const owner = ownerOf(m.path, keys)
    if (owner === undefined) continue
    if (owner === m.path) exact.set(owner, m)
    else {
      const list = under.get(owner)
      if (list) list.push(m)
      else under.set(owner, [m])
    }
  }
  const payloads = new Map<string, ObjectMeta[]>()
  for (const key of keys) {
    const single = exact.get(key)
    const files = single ? [single] : under.get(key)
    if (files)
      payloads.set(
        key,
        files.sort((a, b) => (a.path < b.path ? -1 : 1)),
      )
  }
  return { names, sidecars, payloads, splits: splitPointsOf(all) }
}

/** Options for describing a root listing. */
export interface DescribeOptions {
  batchSize: number
  /** Batches fetched ahead of the reader (one fetch runs at a time: the backend bounds it). */
  ahead: number
  onProgress?: (p: ListProgress) => void
}

/**
 * ArtifactInfo for every name of `listing`, in order. Sidecar fetches run one batch at a
 * time (the backend's getManyText keeps at most 32 requests in flight, so the listing never
 * exceeds that), up to `ahead` batches ahead of the reader. The index is saved at the end.
 */
export async function* describeListing(
  backend: Backend,
  listing: RootListing,
  index: SidecarIndex,
  options: DescribeOptions,
): AsyncIterable<ArtifactInfo> {
  const { names } = listing
  index.rememberSplits(listing.splits)
  let chain: Promise<unknown> = Promise.resolve()
  const window: Promise<ArtifactInfo[]>[] = []
  let next = 0
  let read = 0
  const launch = () => {
    const batch = names.slice(next, next + options.batchSize)
    next += batch.length
    const described = chain.then(async () => {
      const rows = await describeNames(backend, listing, index, batch)
      read += rows.length
      options.onProgress?.({ phase: 'sidecars', done: read, total: names.length })
      return rows
    })
    chain = described.catch(() => undefined)
    // Awaited in turn below; this only keeps a failure of a batch not yet awaited from being
    // reported as unhandled when an earlier one ends the listing first.
    described.catch(() => undefined)
    window.push(described)
  }
  try {
    while (next < names.length && window.length < options.ahead) launch()
    while (window.length > 0) {
      const rows = await (window.shift() as Promise<ArtifactInfo[]>)
      if (next < names.length) launch()
      yield* rows
    }
  } finally {
    await index.save()
  }
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true })

async function describeNames(
  backend: Backend,
  listing: RootListing,
  index: SidecarIndex,
  names: string[],
): Promise<ArtifactInfo[]> {
  const texts = new Map<string, string | Uint8Array | undefined | EntryFailure>()
  const wanted: ObjectMeta[] = []
  for (const name of names) {
    if (sidecarNameProblem(name) !== null) continue
    const meta = listing.sidecars.get(name) as ObjectMeta
    const kept = index.lookup(meta)
    if (kept === undefined) wanted.push(meta)
    else texts.set(name, kept)
  }
  if (wanted.length > 0) {
    const fetched = await getManyText(
      backend,
      wanted.map((m) => m.path),
    )
    wanted.forEach((meta, i) => {
      const got = fetched[i]
      texts.set(keyFromSidecarPath(meta.path) as string, got)
      if (typeof got === 'string') index.remember(meta, got)
      else if (got instanceof Uint8Array) {
        try {
          index.remember(meta, strictUtf8.decode(got))
        } catch {
          // not UTF-8: not kept, and decodeSidecar below says what is wrong with it
        }
      }
    })
  }
  return names.map((name) => describeName(backend, listing, name, texts.get(name)))
}

function describeName(
  backend: Backend,
  listing: RootListing,
  name: string,
  text: string | Uint8Array | undefined | EntryFailure,
): ArtifactInfo {
  const problem = sidecarNameProblem(name)
  const none = { files: [] as PayloadFile[], bytes: 0 }
  if (problem) return { key: name, artifact: null, error: toErrorShape(problem), payload: none }
  const files = (listing.payloads.get(name) ?? []).map((m) => ({ path: m.path, bytes: m.size }))
  const payload = { files, bytes: files.reduce((s, f) => s + f.bytes, 0) }
  if (text instanceof EntryFailure) return { key: name, artifact: null, error: text.error, payload }
  const meta = listing.sidecars.get(name) as ObjectMeta
  const where = `${meta.path} in ${backend.url}`
  try {
    // Fetched or kept in the index, a sidecar is validated the same way.
    if (text === undefined) throw new KeyNotFoundError(`No artifact '${name}' (no sidecar).`)
    const artifact = decodeSidecar(text, where)
    return { key: name, artifact, error: null, payload, sidecarBytes: meta.size }
  } catch (err) {
    return { key: name, artifact: null, error: toErrorShape(err), payload, sidecarBytes: meta.size }
  }
}
