// Writes a Zarr store through a Target: every object with the store's put mode, chunks a few
// at a time (memory holds a few encoded chunks, not the whole store encoded), metadata after
// the chunks it describes, consolidated metadata last; then, on overwrite, removes the objects
// of the old payload the new one does not have, so the key never ends as a mix of two stores.
import { ownedBy } from '../../ownership.js'
import type { Target } from '../../serializers/serializer.js'
import { listKeys } from '../../store-list.js'
import type { EncodedDataset } from '../model.js'
import { layoutV2, layoutV3, type ZarrObject } from './zarr-layout.js'
import { attrToJson, dumpZarrJson, type JsonObject } from './zarr-json.js'

/** How to write: Zarr format (2 as xarray 2023.1 does by default) and consolidation. */
export interface WriteZarrOptions {
  zarrFormat?: 2 | 3
  /** Write consolidated metadata (.zmetadata, or inline in the v3 root); xarray's default. */
  consolidated?: boolean
}

/** Chunks encoded and written at once. */
const CONCURRENCY = 4

/** Writes `ds` as a Zarr store at `target` (values and CF attributes already encoded). */
export async function writeZarr(
  ds: EncodedDataset,
  target: Target,
  options: WriteZarrOptions = {},
): Promise<void> {
  await writeZarrGroups([['', ds]], target, { rootGroup: false, ...options })
}

/**
 * Writes datasets as groups of one store (`''` is the root itself), consolidating them all at
 * the root: xcollection's layout, and a single dataset's.
 */
export async function writeZarrGroups(
  groups: [string, EncodedDataset][],
  target: Target,
  options: WriteZarrOptions & { rootGroup: boolean },
): Promise<void> {
  const v3 = options.zarrFormat === 3
  const consolidated = options.consolidated ?? true
  const objects: ZarrObject[] = []
  if (!v3) {
    if (options.rootGroup) objects.push({ rel: '.zgroup', doc: { zarr_format: 2 } })
    for (const [name, ds] of groups) objects.push(...layoutV2(ds, name ? `${name}/` : ''))
  } else {
    const inline: JsonObject = Object.create(null)
    let rootAttrs: EncodedDataset['attrs'] = new Map()
    for (const [name, ds] of groups) {
      const g = name ? `${name}/` : ''
      const { objects: arrays, arrays: metas } = layoutV3(ds, g)
      if (name) {
        const doc = v3Group(ds.attrs, null)
        objects.push({ rel: `${g}zarr.json`, doc })
        inline[name] = doc
      } else rootAttrs = ds.attrs
      for (const [a, meta] of metas) inline[g + a] = meta
      objects.push(...arrays)
    }
    objects.push({ rel: 'zarr.json', doc: v3Group(rootAttrs, consolidated ? inline : null) })
  }
  // A single-object payload (an earlier netCDF put of this key) would stand where the
  // store's folder must go; it is this key's own, so it goes first.
  if (await target.backend.head(target.path)) await target.backend.delete(target.path)
  await putAll(
    target,
    objects.filter((o) => o.bytes),
  )
  const docs = objects.filter((o) => o.doc !== undefined)
  // Leaf metadata first, the root group last: a reader finds the root only once all is there.
  docs.sort((a, b) =>
    a.rel.includes('/') === b.rel.includes('/') ? 0 : a.rel.includes('/') ? -1 : 1,
  )
  await putAll(
    target,
    docs.map((o) => ({ rel: o.rel, bytes: async () => encodeDoc(o.doc, v3) })),
  )
  const written = new Set(objects.map((o) => o.rel))
  if (!v3 && consolidated) {
    const metadata: JsonObject = Object.create(null)
    for (const o of docs) metadata[o.rel] = o.doc
    await putAll(target, [
      {
        rel: '.zmetadata',
        bytes: async () => encodeDoc({ metadata, zarr_consolidated_format: 1 }, false),
      },
    ])
    written.add('.zmetadata')
  }
  await removeStale(target, written)
}

function v3Group(attrs: EncodedDataset['attrs'], inline: JsonObject | null): JsonObject {
  const attributes: JsonObject = Object.create(null)
  for (const [k, v] of attrs) attributes[k] = attrToJson(v)
  const doc: JsonObject = { attributes, zarr_format: 3 }
  doc.consolidated_metadata = inline
    ? { kind: 'inline', must_understand: false, metadata: inline }
    : null
  doc.node_type = 'group'
  return doc
}

function encodeDoc(doc: unknown, v3: boolean): Uint8Array {
  return v3
    ? dumpZarrJson(doc, { sortKeys: false, indent: 2 })
    : dumpZarrJson(doc, { sortKeys: true, indent: 4 })
}

async function putAll(target: Target, objects: ZarrObject[]): Promise<void> {
  let next = 0
  const worker = async () => {
    while (next < objects.length) {
      const o = objects[next++] as ZarrObject
      const bytes = await (o.bytes as () => Promise<Uint8Array>)()
      await target.backend.put(`${target.path}/${o.rel}`, bytes, { mode: target.putMode })
    }
  }
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, objects.length) }, worker))
}

/**
 * Deletes what an earlier payload of this key left that the new one does not have: only
 * objects this key owns (a key nested under this one keeps its files), only under its prefix.
 */
async function removeStale(target: Target, written: ReadonlySet<string>): Promise<void> {
  const prefix = `${target.path}/`
  const stale: string[] = []
  for await (const m of target.backend.list(prefix)) {
    if (!written.has(m.path.slice(prefix.length))) stale.push(m.path)
  }
  if (stale.length === 0) return
  const keys = new Set(await listKeys(target.backend))
  for (const path of stale) {
    if (ownedBy(path, target.path, keys)) await target.backend.delete(path)
  }
}
