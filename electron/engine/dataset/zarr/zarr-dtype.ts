// Zarr dtypes: numpy type strings in v2 ('<f4', '|S5', '|O'), data type names in v3
// ('float32', 'string'), mapped to what zarrita reads and to the model's numpy names.

/** One array's element type, in every vocabulary the reader and writer need. */
export interface ZarrDtype {
  /** numpy dtype name as the model has it: 'float32', 'int64', 'bool', '|S5', 'str', 'object'. */
  numpy: string
  /** numpy's dtype.str ('<f4', '|i1'): what xarray's encoding['dtype'] shows for zarr. */
  str: string
  /** zarrita's data type ('float32', 'v2:S5', 'v2:object', 'string'). */
  zarrita: string
  /** Bytes per element; null for variable-length strings. */
  itemSize: number | null
  /** Byte order of multi-byte numbers as stored. */
  endian: 'little' | 'big'
  kind: 'int' | 'uint' | 'float' | 'bool' | 'bytes' | 'unicode' | 'object'
}

const NUMERIC: Record<string, [string, ZarrDtype['kind']]> = {
  b1: ['bool', 'bool'],
  i1: ['int8', 'int'],
  u1: ['uint8', 'uint'],
  i2: ['int16', 'int'],
  u2: ['uint16', 'uint'],
  i4: ['int32', 'int'],
  u4: ['uint32', 'uint'],
  i8: ['int64', 'int'],
  u8: ['uint64', 'uint'],
  f4: ['float32', 'float'],
  f8: ['float64', 'float'],
}

/** Most characters a fixed-width string dtype may have (numpy allows more; no real file does). */
const MAX_CHARS = 1 << 20

/** The dtype of a v2 `.zarray` `dtype` field, or a reason it is not one this reader takes. */
export function parseV2Dtype(text: unknown): ZarrDtype | string {
  if (typeof text !== 'string') {
    return `dtype ${JSON.stringify(text)} is not a simple numpy type string (structured dtypes are not supported)`
  }
  if (text === '|O') {
    return {
      numpy: 'object',
      str: '|O',
      zarrita: 'v2:object',
      itemSize: null,
      endian: 'little',
      kind: 'object',
    }
  }
  const m = /^([<>|=])([a-zA-Z]\d*)$/.exec(text)
  if (!m) return `dtype '${text}' is not a numpy type string this reader supports`
  const [, order, code] = m as unknown as [string, string, string]
  const endian = order === '>' ? 'big' : 'little'
  const num = NUMERIC[code]
  if (num) {
    const size = Number(code.slice(1))
    const str = size === 1 ? `|${code}` : `${order === '>' ? '>' : '<'}${code}`
    return { numpy: num[0], str, zarrita: num[0], itemSize: size, endian, kind: num[1] }
  }
  const s = /^([SU])(\d+)$/.exec(code)
  if (s) {
    const n = Number(s[2])
    if (n < 1 || n > MAX_CHARS) return `dtype '${text}' has a width of ${n} characters`
    if (s[1] === 'S') {
      return {
        numpy: `|S${n}`,
        str: `|S${n}`,
        zarrita: `v2:S${n}`,
        itemSize: n,
        endian,
        kind: 'bytes',
      }
    }
    return {
      numpy: 'str',
      str: `${order === '>' ? '>' : '<'}U${n}`,
      zarrita: `v2:U${n}`,
      itemSize: 4 * n,
      endian,
      kind: 'unicode',
    }
  }
  return `dtype '${text}' is not supported (numbers, bool, fixed-width bytes or text, and vlen-utf8 objects are)`
}

const V3_NAMES: Record<string, string> = {
  bool: 'b1',
  int8: 'i1',
  uint8: 'u1',
  int16: 'i2',
  uint16: 'u2',
  int32: 'i4',
  uint32: 'u4',
  int64: 'i8',
  uint64: 'u8',
  float32: 'f4',
  float64: 'f8',
}

/** The dtype of a v3 `data_type`, or a reason it is not one this reader takes. */
export function parseV3Dtype(name: unknown, endian: 'little' | 'big'): ZarrDtype | string {
  if (name === 'string') {
    return { numpy: 'object', str: '|O', zarrita: 'string', itemSize: null, endian, kind: 'object' }
  }
  const code = typeof name === 'string' ? V3_NAMES[name] : undefined
  if (!code)
    return `data_type ${JSON.stringify(name)} is not supported (numbers, bool and string are)`
  const v2 = parseV2Dtype(`${endian === 'big' ? '>' : '<'}${code}`) as ZarrDtype
  return { ...v2, zarrita: name as string }
}

/** The v2 dtype string a writer records for a model dtype name ('float32' -> '<f4'). */
export function v2DtypeFor(numpy: string): string | undefined {
  if (numpy === 'object' || numpy === 'str') return '|O'
  if (/^\|S\d+$/.test(numpy)) return numpy
  for (const [code, [name]] of Object.entries(NUMERIC)) {
    if (name === numpy) return code.endsWith('1') ? `|${code}` : `<${code}`
  }
  return undefined
}
