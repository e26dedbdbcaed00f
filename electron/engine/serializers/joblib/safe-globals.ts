import { numpyDtypeName } from '../../ndarray-json.js'
import { NdArray, PySet, PyTuple, PythonObject } from '../../pyvalue.js'
import { corrupt } from './byte-reader.js'
import { executesCode } from './code-exec.js'
import { PendingWrapper, readWrappedArray } from './joblib-array.js'
import { arrayByteLength, decodeArray, objectArray, parseShape } from './numpy-decode.js'
import { NumpyDtype } from './numpy-dtype.js'
import type { VmContext } from './pickle-vm.js'
import { intValue } from './pickle-text.js'
import { Placeholder, PythonGlobal } from './python-refs.js'

/**
 * The whitelist: the only globals whose REDUCE / NEWOBJ / BUILD mean anything. Each builds a
 * value-model object from plain data; none imports, calls or evaluates anything. Every other
 * global yields an inert Placeholder, so `posix.system` is a name and nothing more.
 */
type Call = (args: unknown[], ctx: VmContext) => unknown

const ARRAY_CLASSES = new Set(['numpy.ndarray', 'numpy.matrix', 'numpy.memmap'])

const CALLS: Record<string, Call> = {
  'numpy.dtype': ([spec], ctx) => {
    if (typeof spec !== 'string') throw corrupt(ctx.at, 'numpy.dtype needs a type string')
    return new NumpyDtype(spec)
  },
  'numpy.core.multiarray._reconstruct': ([cls]) => {
    if (cls instanceof PythonGlobal && ARRAY_CLASSES.has(cls.pythonClass)) return new PendingArray()
    // An ndarray subclass we do not model: keep its name, BUILD keeps its state.
    return new Placeholder(cls instanceof PythonObject ? cls.pythonClass : 'numpy.ndarray', [])
  },
  'numpy.core.multiarray.scalar': ([dtype, data], ctx) => numpyScalar(dtype, data, ctx),
  'numpy.core.numeric._frombuffer': ([buf, dtype, shape, order], ctx) =>
    arrayFromBytes(dtype, shape, order === 'F', buf, ctx),
  'builtins.set': ([items]) => new PySet(items === undefined ? [] : listOf(items)),
  'builtins.frozenset': ([items]) => new PySet(items === undefined ? [] : listOf(items), true),
  'builtins.bytearray': (args, ctx) => toBytes(args, ctx),
  'builtins.bytes': (args, ctx) => toBytes(args, ctx),
  '_codecs.encode': (args, ctx) => toBytes(args, ctx),
  'collections.OrderedDict': ([items]) => new Map(items === undefined ? [] : pairs(items)),
  // Protocol 0-1 objects: _reconstructor(cls, object, state) is cls.__new__ in disguise.
  'copyreg._reconstructor': ([cls, , state], ctx) => {
    const obj = newObject(cls, [], undefined, ctx)
    if (obj instanceof Placeholder && state !== null) obj.state.args.push(state)
    return obj
  },
}

/** An ndarray that `_reconstruct` made and whose BUILD (`__setstate__`) has not run yet. */
export class PendingArray extends PythonObject {
  constructor() {
    super('numpy.ndarray')
  }
}

/** REDUCE, INST and OBJ: `fn(*args)` for whitelisted functions, a Placeholder otherwise. */
export function callGlobal(fn: unknown, args: unknown[], ctx: VmContext): unknown {
  if (fn instanceof PythonGlobal) {
    const call = Object.hasOwn(CALLS, fn.canonical) ? CALLS[fn.canonical] : undefined
    if (call) return call(args, ctx)
    if (executesCode(fn.module, fn.name))
      return new Placeholder(fn.pythonClass, args, undefined, true)
    return newObject(fn, args, undefined, ctx)
  }
  // Calling what a code-running call returned (getattr(os, 'system')('id')) runs code too.
  if (fn instanceof PythonObject) {
    return new Placeholder(`${fn.pythonClass}()`, args, undefined, fn.executesCode)
  }
  throw corrupt(ctx.at, `cannot call ${typeof fn === 'object' ? 'a container' : typeof fn}`)
}

/** NEWOBJ / NEWOBJ_EX: `cls.__new__(cls, *args)` for whitelisted classes, a Placeholder otherwise. */
export function newObject(
  cls: unknown,
  args: unknown[],
  kwargs: Map<unknown, unknown> | undefined,
  ctx: VmContext,
): unknown {
  if (!(cls instanceof PythonGlobal)) {
    if (cls instanceof PythonObject) return new Placeholder(cls.pythonClass, args, kwargs)
    throw corrupt(ctx.at, 'NEWOBJ needs a class')
  }
  switch (cls.canonical) {
    case 'joblib.numpy_pickle.NumpyArrayWrapper':
      if (ctx.joblibArrays) return new PendingWrapper()
      break
    case 'collections.OrderedDict':
      return new Map()
    case 'builtins.set':
      return new PySet([])
    case 'builtins.frozenset':
      return new PySet(args[0] === undefined ? [] : listOf(args[0]), true)
  }
  return new Placeholder(cls.pythonClass, args, kwargs)
}

/** BUILD: completes whitelisted objects; records state on placeholders; returns the result. */
export function buildObject(obj: unknown, state: unknown, ctx: VmContext): unknown {
  if (obj instanceof NumpyDtype) obj.applyState(state)
  else if (obj instanceof PendingArray) return arrayFromState(state, ctx)
  else if (obj instanceof PendingWrapper) return readWrappedArray(state, ctx)
  else if (obj instanceof Placeholder) obj.state.state = state
  else if (obj === null || typeof obj !== 'object') {
    throw corrupt(ctx.at, `BUILD on ${obj === null ? 'None' : typeof obj}`)
  }
  // BUILD on a dict, list or class name sets attributes we do not model: nothing to keep.
  return obj
}

/** ndarray.__setstate__: (version, shape, dtype, is_fortran, data); version is optional. */
function arrayFromState(state: unknown, ctx: VmContext): unknown {
  const items = state instanceof PyTuple ? state.items : []
  const [shape, dtype, fortran, data] = items.length === 5 ? items.slice(1) : items
  if (items.length < 4)
    throw corrupt(ctx.at, 'ndarray state is not a (shape, dtype, order, data) tuple')
  return arrayFromBytes(dtype, shape, fortran === true || fortran === 1, data, ctx)
}

/** An ndarray from numpy's own pickled pieces (bytes for plain dtypes, a list for objects). */
function arrayFromBytes(
  dtype: unknown,
  shapeValue: unknown,
  fortran: boolean,
  data: unknown,
  ctx: VmContext,
): unknown {
  if (!(dtype instanceof NumpyDtype)) throw corrupt(ctx.at, 'ndarray dtype is not a numpy.dtype')
  const shape = parseShape(shapeValue, ctx.at)
  if (dtype.hasObject) {
    if (!Array.isArray(data)) throw corrupt(ctx.at, 'object ndarray data is not a list')
    return objectArray(shape, fortran, data)
  }
  const raw = typeof data === 'string' ? fromLatin1(data) : data
  if (!(raw instanceof Uint8Array)) throw corrupt(ctx.at, 'ndarray data is not bytes')
  const expected = arrayByteLength(shape, dtype, ctx.limits)
  ctx.budget.spendArrayBytes(expected)
  if (raw.length !== expected) {
    throw corrupt(ctx.at, `ndarray data has ${raw.length} bytes, shape and dtype need ${expected}`)
  }
  return decodeArray(dtype, shape, fortran, raw)
}

/** numpy.core.multiarray.scalar(dtype, bytes): a plain JS value where one fits. */
function numpyScalar(dtype: unknown, data: unknown, ctx: VmContext): unknown {
  if (dtype instanceof NumpyDtype && dtype.hasObject) return data
  const arr = arrayFromBytes(dtype, new PyTuple([]), false, data, ctx)
  // A complex or structured scalar: named as Python names its type, e.g. numpy.complex128.
  if (!(arr instanceof NdArray))
    return new PythonObject(`numpy.${numpyDtypeName((dtype as NumpyDtype).str)}`)
  if (arr.dtype.includes('M8') || arr.dtype.includes('m8')) return arr // a 0-d array keeps the unit
  const v = arr.data[0]
  if (arr.dtype === '|b1') return v === 1
  return typeof v === 'bigint' ? intValue(v) : v
}

function toBytes([value, encoding]: unknown[], ctx: VmContext): Uint8Array {
  if (value === undefined) return new Uint8Array(0)
  if (value instanceof Uint8Array) return value.slice()
  if (Array.isArray(value) && value.every((b) => Number.isInteger(b) && b >= 0 && b < 256)) {
    return Uint8Array.from(value as number[])
  }
  if (typeof value === 'string') {
    const enc = typeof encoding === 'string' ? encoding.toLowerCase().replace('_', '-') : 'utf-8'
    if (enc === 'latin1' || enc === 'latin-1' || enc === 'iso-8859-1') return fromLatin1(value)
    if (enc === 'utf-8' || enc === 'utf8') return new TextEncoder().encode(value)
  }
  throw corrupt(ctx.at, 'bytes built from something other than bytes, a list or latin-1 text')
}

function fromLatin1(text: string): Uint8Array {
  const out = new Uint8Array(text.length)
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i) & 0xff
  return out
}

function listOf(v: unknown): unknown[] {
  if (Array.isArray(v)) return [...v]
  if (v instanceof PyTuple || v instanceof PySet) return [...v.items]
  return []
}

function pairs(v: unknown): [unknown, unknown][] {
  return listOf(v).flatMap((p) => {
    const kv = listOf(p)
    return kv.length === 2 ? [[kv[0], kv[1]] as [unknown, unknown]] : []
  })
}
