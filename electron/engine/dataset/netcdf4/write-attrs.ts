import type { Group } from 'h5wasm'
import { InvalidArgumentError } from '../../errors.js'
import type { AttrValue } from '../model.js'

// Attributes as netCDF4-python writes them: ASCII text as one fixed-length NC_CHAR string (not
// vlen), other text as NC_STRING, a
// list of texts as NC_STRING, numbers as 1-D arrays. The model keeps no attribute types, so
// integers are written as int32 when they fit (int64 otherwise), other numbers as float64;
// the attributes whose type netCDF-C checks against the variable's (_FillValue, valid_*) take
// the variable's type.

/** Attributes that netCDF-C requires to have the variable's own type. */
const TYPED_LIKE_VARIABLE = new Set([
  '_FillValue',
  'missing_value',
  'valid_min',
  'valid_max',
  'valid_range',
])
/** h5wasm type codes of the numeric dtypes a netCDF4 variable may have. */
export const H5_DTYPES = new Map([
  ['int8', '<b'],
  ['uint8', '<B'],
  ['int16', '<h'],
  ['uint16', '<H'],
  ['int32', '<i'],
  ['uint32', '<I'],
  ['int64', '<q'],
  ['uint64', '<Q'],
  ['float32', '<f'],
  ['float64', '<d'],
])
const INT32 = 2 ** 31

/** Writes one attribute on `obj` (a dataset or the root group). */
export function writeAttr(
  obj: Group | { create_attribute: Group['create_attribute'] },
  name: string,
  value: AttrValue,
  varDtype: string | undefined,
  classic: boolean,
): void {
  const list = Array.isArray(value) ? value : [value]
  if (typeof value === 'string') {
    const size = Math.max(1, new TextEncoder().encode(value).length)
    // netCDF4-python stores non-ASCII text as NC_STRING (UTF-8), which is how h5py and so
    // h5netcdf decode it; a classic file has only NC_CHAR, UTF-8 bytes then.
    // eslint-disable-next-line no-control-regex
    const ascii = /^[\x00-\x7f]*$/.test(value)
    if (ascii) obj.create_attribute(name, value, [], `A${size}`)
    else if (classic) obj.create_attribute(name, value, [], `S${size}`)
    else obj.create_attribute(name, [value], [1], 'S')
    return
  }
  if (list.length > 0 && list.every((v) => typeof v === 'string')) {
    if (classic) throw badAttr(name, 'a list of strings, which NETCDF4_CLASSIC cannot store')
    obj.create_attribute(name, list as string[], [list.length], 'S')
    return
  }
  if (!list.every((v) => ['number', 'bigint', 'boolean'].includes(typeof v))) {
    throw badAttr(name, 'neither text nor numbers')
  }
  const nums = list.map((v) => (typeof v === 'boolean' ? Number(v) : v)) as (number | bigint)[]
  const typed = TYPED_LIKE_VARIABLE.has(name) && varDtype && H5_DTYPES.has(varDtype)
  const dtype = typed ? varDtype : numericType(nums, classic, name)
  const code = H5_DTYPES.get(dtype) as string
  const data = /64$/.test(dtype) && dtype.includes('int') ? nums.map(BigInt) : nums.map(Number)
  const array =
    dtype === 'int64'
      ? BigInt64Array.from(data as bigint[])
      : dtype === 'uint64'
        ? BigUint64Array.from(data as bigint[])
        : (data as number[])
  obj.create_attribute(name, array as number[], [nums.length], code)
}

function numericType(nums: (number | bigint)[], classic: boolean, name: string): string {
  if (nums.length === 0) return 'int32'
  if (nums.every((n) => typeof n === 'bigint' || Number.isInteger(n))) {
    const big = nums.map((n) => BigInt(n))
    if (big.every((n) => n >= -INT32 && n < INT32)) return 'int32'
    if (classic)
      throw badAttr(name, 'an integer beyond 32 bits, which NETCDF4_CLASSIC cannot store')
    if (big.every((n) => n >= -(2n ** 63n) && n < 2n ** 63n)) return 'int64'
    if (big.every((n) => n >= 0n && n < 2n ** 64n)) return 'uint64'
    throw badAttr(name, 'an integer beyond 64 bits')
  }
  return 'float64'
}

function badAttr(name: string, what: string): InvalidArgumentError {
  return new InvalidArgumentError(
    `The attribute ${name} is ${what}; netCDF attributes are text or numbers. Change or drop it.`,
  )
}
