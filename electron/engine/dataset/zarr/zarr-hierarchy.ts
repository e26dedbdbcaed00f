// Finds a Zarr group's arrays and attributes: from consolidated metadata when the store has
// it (one read for the whole hierarchy, as xarray's open_zarr does), else by listing the
// group's folder and reading each child's metadata. v2 (.zgroup/.zarray/.zattrs/.zmetadata)
// and v3 (zarr.json, consolidated_metadata inline in the root zarr.json) alike.
import { CorruptPayloadError } from '../../errors.js'
import type { ZarrContext } from './zarr-array.js'
import { isJsonObject, parseZarrJson, type JsonObject } from './zarr-json.js'
import { parseV2Array, parseV3Array, type ZarrArrayInfo } from './zarr-meta.js'

/** Most children a group may list (arrays and subgroups). */
const MAX_CHILDREN = 100_000

/** One group's contents. */
export interface ZarrGroupInfo {
  zarrFormat: 2 | 3
  consolidated: boolean
  attrs: JsonObject
  /** Arrays directly in the group, in listing order. */
  arrays: ZarrArrayInfo[]
  /** Names of subgroups directly in the group. */
  groups: string[]
}

/** Where a path is, for messages: the object path and the backend. */
export function describe(ctx: ZarrContext, rel: string): string {
  return `${ctx.root}/${rel} in ${ctx.target.backend.url}`
}

async function getJson(ctx: ZarrContext, rel: string): Promise<JsonObject | undefined> {
  const known = ctx.docs?.get(rel) as Promise<JsonObject | undefined> | undefined
  if (known) return known
  const read = (async () => {
    const bytes = await ctx.target.backend.get(`${ctx.root}/${rel}`)
    if (bytes === undefined) return undefined
    ctx.bytesRead += bytes.byteLength
    return parseZarrJson(bytes, describe(ctx, rel))
  })()
  ctx.docs?.set(rel, read)
  return read
}

const EMPTY = (): JsonObject => Object.create(null) as JsonObject

/**
 * Reads the group at `group` ('' for the store root) of the store at ctx.root.
 * `consolidated`: true requires consolidated metadata, false ignores it, undefined uses it
 * when present (xarray's default).
 */
export async function readGroup(
  ctx: ZarrContext,
  group: string,
  consolidated: boolean | undefined,
): Promise<ZarrGroupInfo> {
  const g = group ? `${group}/` : ''
  const [zmeta, zgroup, v3root] = await Promise.all([
    consolidated === false ? undefined : getJson(ctx, '.zmetadata'),
    getJson(ctx, `${g}.zgroup`),
    getJson(ctx, `${g}zarr.json`),
  ])
  if (zmeta !== undefined) {
    const docs = isJsonObject(zmeta.metadata) ? zmeta.metadata : undefined
    if (!docs)
      throw new CorruptPayloadError(`${describe(ctx, '.zmetadata')} has no "metadata" object.`)
    return fromV2Docs(ctx, g, docs, true)
  }
  if (zgroup !== undefined) {
    if (consolidated === true) throw noConsolidated(ctx)
    return listV2(ctx, g, zgroup)
  }
  if (v3root !== undefined) return readV3(ctx, g, v3root, consolidated)
  throw new CorruptPayloadError(
    `${describe(ctx, g || '.')} is not a Zarr group: it has no .zgroup (Zarr v2) and no ` +
      `zarr.json (Zarr v3).`,
  )
}

function noConsolidated(ctx: ZarrContext): CorruptPayloadError {
  return new CorruptPayloadError(
    `${describe(ctx, '.zmetadata')} is missing, but consolidated=True was asked for; load with ` +
      `consolidated=False to read the store without it.`,
  )
}

function childName(name: string): boolean {
  return name !== '' && !name.includes('/') && name !== '.' && name !== '..'
}

function fromV2Docs(
  ctx: ZarrContext,
  g: string,
  docs: JsonObject,
  consolidated: boolean,
): ZarrGroupInfo {
  if (!(`${g}.zgroup` in docs)) {
    throw new CorruptPayloadError(
      `${describe(ctx, '.zmetadata')} has no ${g}.zgroup: ${g || 'the root'} is not a group.`,
    )
  }
  const attrs = docs[`${g}.zattrs`]
  const arrays: ZarrArrayInfo[] = []
  const groups: string[] = []
  for (const key of Object.keys(docs)) {
    if (!key.startsWith(g)) continue
    const rest = key.slice(g.length)
    const m = /^(.*)\/\.(zarray|zgroup)$/.exec(rest)
    if (!m || !childName(m[1] as string)) continue
    const name = m[1] as string
    if (m[2] === 'zgroup') {
      groups.push(name)
      continue
    }
    const zarray = docs[key]
    const zattrs = docs[`${g}${name}/.zattrs`] ?? EMPTY()
    if (!isJsonObject(zarray) || !isJsonObject(zattrs)) {
      throw new CorruptPayloadError(
        `${describe(ctx, '.zmetadata')}: the entry for ${g}${name} is not a JSON object.`,
      )
    }
    const note = consolidated ? ' (consolidated in .zmetadata)' : ''
    arrays.push(
      parseV2Array(
        g + name,
        `${describe(ctx, `${g}${name}/.zarray`)}${note}`,
        zarray,
        zattrs,
        `${describe(ctx, `${g}${name}/.zattrs`)}${note}`,
      ),
    )
  }
  return {
    zarrFormat: 2,
    consolidated,
    attrs: isJsonObject(attrs) ? attrs : EMPTY(),
    arrays,
    groups,
  }
}

async function children(ctx: ZarrContext, g: string): Promise<string[]> {
  const prefix = `${ctx.root}/${g}`
  const listed = await ctx.target.backend.listWithDelimiter(prefix)
  if (listed.prefixes.length > MAX_CHILDREN) {
    throw new CorruptPayloadError(
      `${describe(ctx, g)} has ${listed.prefixes.length} entries, more than the ${MAX_CHILDREN} a group may have here.`,
    )
  }
  return listed.prefixes.map((p) => p.slice(prefix.length).replace(/\/$/, '')).filter(childName)
}

async function listV2(ctx: ZarrContext, g: string, zgroup: JsonObject): Promise<ZarrGroupInfo> {
  if (zgroup.zarr_format !== 2)
    throw new CorruptPayloadError(`${describe(ctx, `${g}.zgroup`)}: zarr_format is not 2.`)
  const docs: JsonObject = Object.create(null)
  docs[`${g}.zgroup`] = zgroup
  const names = await children(ctx, g)
  const [attrs, ...found] = await Promise.all([
    getJson(ctx, `${g}.zattrs`),
    ...names.map(async (name) => {
      const [zarray, zattrs, sub] = await Promise.all([
        getJson(ctx, `${g}${name}/.zarray`),
        getJson(ctx, `${g}${name}/.zattrs`),
        getJson(ctx, `${g}${name}/.zgroup`),
      ])
      return { name, zarray, zattrs, sub }
    }),
  ])
  if (attrs) docs[`${g}.zattrs`] = attrs
  for (const f of found) {
    if (f.zarray) docs[`${g}${f.name}/.zarray`] = f.zarray
    if (f.zattrs) docs[`${g}${f.name}/.zattrs`] = f.zattrs
    if (f.sub && !f.zarray) docs[`${g}${f.name}/.zgroup`] = f.sub
  }
  return fromV2Docs(ctx, g, docs, false)
}

async function readV3(
  ctx: ZarrContext,
  g: string,
  node: JsonObject,
  consolidated: boolean | undefined,
): Promise<ZarrGroupInfo> {
  if (node.zarr_format !== 3 || node.node_type !== 'group') {
    throw new CorruptPayloadError(
      `${describe(ctx, `${g}zarr.json`)} is not a Zarr v3 group (zarr_format 3, node_type "group").`,
    )
  }
  const attrs = isJsonObject(node.attributes) ? node.attributes : EMPTY()
  const cm = isJsonObject(node.consolidated_metadata) ? node.consolidated_metadata : undefined
  const inline = cm && isJsonObject(cm.metadata) && consolidated !== false ? cm.metadata : undefined
  if (consolidated === true && !inline) throw noConsolidated(ctx)
  let entries: [string, JsonObject][]
  if (inline) {
    entries = Object.entries(inline).filter(
      (e): e is [string, JsonObject] => childName(e[0]) && isJsonObject(e[1]),
    )
  } else {
    const names = await children(ctx, g)
    const docs = await Promise.all(names.map((n) => getJson(ctx, `${g}${n}/zarr.json`)))
    entries = names.flatMap((n, i) =>
      docs[i] ? [[n, docs[i] as JsonObject] as [string, JsonObject]] : [],
    )
  }
  const arrays: ZarrArrayInfo[] = []
  const groups: string[] = []
  for (const [name, meta] of entries) {
    if (meta.node_type === 'group') groups.push(name)
    else arrays.push(parseV3Array(g + name, describe(ctx, `${g}${name}/zarr.json`), meta))
  }
  return { zarrFormat: 3, consolidated: inline !== undefined, attrs, arrays, groups }
}
