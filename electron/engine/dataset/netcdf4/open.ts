import type { File as H5File } from 'h5wasm'
import { CorruptPayloadError, NotSupportedError, XpersistError } from '../../errors.js'
import type { Target } from '../../serializers/serializer.js'
import type { NdArray, Selection, SourceDataset, SourceVariable } from '../model.js'
import { normalizeSelection } from '../selection.js'
import { describeH5Error, loadH5, mountTarget, type H5, type Mounted } from './h5.js'
import { readStructure, type VarSpec } from './structure.js'
import { readHyperslab } from './values.js'

/** Opens a NetCDF4/HDF5 payload: metadata now, each read only the hyperslab it selects. */
export async function openSource(target: Target): Promise<SourceDataset> {
  const h = await loadH5()
  let bytes = 0
  const mounted = await mountTarget(h, target, (n) => (bytes += n))
  let file: H5File
  try {
    file = new h.h5.File(mounted.fsPath, 'r')
  } catch (e) {
    await mounted.release()
    throw corrupt(target, 'is not a readable NetCDF4/HDF5 file', mounted.problem() ?? e)
  }
  const handle = new Handle(h, file, mounted)
  let structure
  try {
    structure = readStructure(h, file.file_id)
  } catch (e) {
    await handle.close()
    throw corrupt(target, 'has unreadable metadata', handle.mounted.problem() ?? e)
  }
  return {
    dims: structure.dims,
    variables: structure.variables.map((v) => variable(h, target, handle, v)),
    attrs: structure.attrs,
    notes: structure.notes,
    unlimitedDims: structure.unlimitedDims,
    bytesRead: () => bytes,
    close: () => handle.close(),
  }
}

/** The open HDF5 file and its file system entry; closed once. */
class Handle {
  closed = false
  constructor(
    readonly h: H5,
    readonly file: H5File,
    readonly mounted: Mounted,
  ) {}

  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    try {
      this.file.close()
    } catch {
      // HDF5 refusing to close a damaged file must not keep the descriptor open
    } finally {
      await this.mounted.release()
    }
  }
}

function variable(h: H5, target: Target, handle: Handle, v: VarSpec): SourceVariable {
  const read = async (selection?: Selection, signal?: AbortSignal): Promise<NdArray> => {
    signal?.throwIfAborted()
    if (handle.closed) {
      throw new NotSupportedError(`${target.path} was closed; open it again to read ${v.name}.`)
    }
    if (v.missingFilter) {
      throw new NotSupportedError(
        `${v.name} in ${target.path} is compressed with the HDF5 filter ${v.missingFilter}, ` +
          `which xpersist's HDF5 build does not include; read it with Python xarray.`,
      )
    }
    const sel = normalizeSelection(v.shape, selection, v.dims)
    let data
    try {
      data = readHyperslab(h, handle.file.file_id, v.path, v.meta, sel.ranges)
    } catch (e) {
      if (e instanceof XpersistError) throw e
      throw corrupt(target, `has unreadable data in ${v.name}`, handle.mounted.problem() ?? e)
    }
    return { dtype: v.dtype, shape: sel.shape, data }
  }
  return {
    name: v.name,
    dims: v.dims,
    attrs: v.attrs,
    encoding: v.encoding,
    array: {
      shape: v.shape,
      dtype: v.dtype,
      ...(v.chunks ? { chunks: v.chunks } : {}),
      read,
    },
  }
}

function corrupt(target: Target, what: string, e: unknown): XpersistError {
  if (e instanceof XpersistError) return e
  const why = typeof e === 'string' ? e : describeH5Error(e)
  return new CorruptPayloadError(`The NetCDF4 payload ${target.path} ${what}: ${why}.`, {
    cause: e,
  })
}
