import { promises as fs } from 'node:fs'
import type { FolderPayload } from './payload-folder.js'

// The 8-byte HDF5 signature; netCDF4 files carry it at 0 (or after a user block of 512 * 2^n).
const HDF5 = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a]
const HDF5_OFFSETS = [0, 512, 1024, 2048]

function hasAt(bytes: Uint8Array, offset: number, sig: readonly number[]): boolean {
  if (bytes.length < offset + sig.length) return false
  return sig.every((b, i) => bytes[offset + i] === b)
}

/**
 * The serializer a file's bytes are a payload of, from its first bytes: NetCDF classic
 * ('CDF\x01'), 64-bit offset ('CDF\x02') and NetCDF4 (HDF5) files are 'xarray.netcdf'.
 * `head` needs the first 2056 bytes to see an HDF5 file behind a user block.
 */
export function serializerForBytes(head: Uint8Array): string | undefined {
  if (hasAt(head, 0, [0x43, 0x44, 0x46]) && (head[3] === 1 || head[3] === 2)) {
    return 'xarray.netcdf'
  }
  if (HDF5_OFFSETS.some((o) => hasAt(head, o, HDF5))) return 'xarray.netcdf'
  return undefined
}

/** The first bytes of a file, enough for serializerForBytes. */
export async function fileHead(file: string): Promise<Uint8Array> {
  const handle = await fs.open(file, 'r')
  try {
    const buf = new Uint8Array(2056)
    const { bytesRead } = await handle.read(buf, 0, buf.length, 0)
    return buf.subarray(0, bytesRead)
  } finally {
    await handle.close()
  }
}

type Node = 'array' | 'group' | undefined

// Zarr v3 metadata is small JSON; one that is not is no zarr node.
async function v3Node(abs: string | undefined): Promise<Node> {
  if (!abs) return undefined
  const st = await fs.stat(abs)
  if (st.size > 1 << 20) return undefined
  try {
    const type = (JSON.parse(await fs.readFile(abs, 'utf8')) as { node_type?: unknown }).node_type
    return type === 'array' || type === 'group' ? type : undefined
  } catch {
    return undefined
  }
}

/**
 * The serializer a folder is a payload of: a Zarr store (v2 `.zgroup`/`.zmetadata`, v3
 * `zarr.json`) is 'xarray.zarr', unless it holds no arrays of its own, only groups that do:
 * that is how xcollection writes several datasets, so it is 'xcollection'.
 */
export async function serializerForFolder(folder: FolderPayload): Promise<string | undefined> {
  const byRel = new Map(folder.files.map((f) => [f.rel, f.abs]))
  const rootType = byRel.has('zarr.json') ? await v3Node(byRel.get('zarr.json')) : undefined
  if (!byRel.has('.zgroup') && !byRel.has('.zmetadata') && rootType !== 'group') return undefined
  const nodeOf = async (prefix: string): Promise<Node> => {
    if (byRel.has(`${prefix}.zarray`)) return 'array'
    if (byRel.has(`${prefix}.zgroup`)) return 'group'
    return v3Node(byRel.get(`${prefix}zarr.json`))
  }
  const children = (prefix: string) => {
    const names = new Set<string>()
    for (const rel of byRel.keys()) {
      if (!rel.startsWith(prefix)) continue
      const rest = rel.slice(prefix.length)
      const slash = rest.indexOf('/')
      if (slash > 0) names.add(rest.slice(0, slash))
    }
    return [...names]
  }
  let datasetGroups = 0
  for (const name of children('')) {
    const type = await nodeOf(`${name}/`)
    if (type === 'array') return 'xarray.zarr'
    if (type !== 'group') continue
    for (const inner of children(`${name}/`)) {
      if ((await nodeOf(`${name}/${inner}/`)) === 'array') {
        datasetGroups++
        break
      }
    }
  }
  return datasetGroups > 0 ? 'xcollection' : 'xarray.zarr'
}

// The serializers whose payload is a folder (a Zarr store, or a collection of them): what
// serializerForFolder can answer. Every other one stores one object.
const FOLDER_SERIALIZERS = new Set(['xarray.zarr', 'xcollection'])

/**
 * Of the registered serializers, those Put can write a picked file with (its payload is one
 * object) and those it can write a picked folder with (a Zarr store): a file put as
 * xarray.zarr, or a folder as pandas.csv, could only ever be refused.
 */
export function putSerializers(names: readonly string[]): { file: string[]; folder: string[] } {
  return {
    file: names.filter((n) => !FOLDER_SERIALIZERS.has(n)),
    folder: names.filter((n) => FOLDER_SERIALIZERS.has(n)),
  }
}
