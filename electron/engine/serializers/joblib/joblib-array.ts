import { PythonObject } from '../../pyvalue.js'
import { corrupt } from './byte-reader.js'
import { arrayByteLength, decodeArray, parseShape } from './numpy-decode.js'
import { NumpyDtype } from './numpy-dtype.js'
import type { VmContext } from './pickle-vm.js'

/**
 * joblib's NumpyArrayWrapper between NEWOBJ and BUILD. joblib pickles this small object in
 * place of each ndarray and writes the array's bytes straight after its BUILD opcode, outside
 * any pickle opcode; BUILD is where the reader must pick them up.
 */
export class PendingWrapper extends PythonObject {
  constructor() {
    super('joblib.numpy_pickle.NumpyArrayWrapper')
  }
}

/**
 * Reads the array that follows a NumpyArrayWrapper's BUILD, as joblib's `read_array` does:
 * object arrays are a complete nested pickle; other arrays are an optional alignment padding
 * (one length byte, then that many 0xff bytes; joblib >= 1.2 writes it when the wrapper has
 * `numpy_array_alignment_bytes`) and then `prod(shape) * itemsize` raw bytes in `order`.
 */
export function readWrappedArray(state: unknown, ctx: VmContext): unknown {
  if (!(state instanceof Map)) throw corrupt(ctx.at, 'NumpyArrayWrapper state is not a dict')
  const dtype = state.get('dtype')
  if (!(dtype instanceof NumpyDtype))
    throw corrupt(ctx.at, 'NumpyArrayWrapper dtype is not a numpy.dtype')
  const shape = parseShape(state.get('shape'), ctx.at)
  const order = state.get('order')
  if (order !== 'C' && order !== 'F')
    throw corrupt(ctx.at, `NumpyArrayWrapper order is not 'C' or 'F'`)

  if (dtype.hasObject) return ctx.loadNested()

  const r = ctx.reader
  const alignment = state.get('numpy_array_alignment_bytes')
  if (alignment !== undefined && alignment !== null) {
    const padding = r.u8('array alignment padding length')
    r.take(padding, 'array alignment padding')
  }
  const length = arrayByteLength(shape, dtype, ctx.limits)
  ctx.budget.spendArrayBytes(length)
  const raw = r.take(length, `array data of shape (${shape.join(', ')})`)
  return decodeArray(dtype, shape, order === 'F', raw)
}
