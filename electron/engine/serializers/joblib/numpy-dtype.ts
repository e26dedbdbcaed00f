import { PythonObject, PyTuple } from '../../pyvalue.js'
import { latin1 } from './byte-reader.js'

/** True on little-endian hosts (every platform Node ships for today); checked, not assumed. */
export const HOST_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1
const NATIVE = HOST_LITTLE_ENDIAN ? '<' : '>'

/** numpy kind+itemsize pairs whose element bytes this package turns into JavaScript values. */
const DECODED = new Set([
  'b1',
  'i1',
  'i2',
  'i4',
  'i8',
  'u1',
  'u2',
  'u4',
  'u8',
  'f2',
  'f4',
  'f8',
  'M8',
  'm8',
])
/** Kinds of any item size: fixed-width strings, and Python objects (nested pickles). */
const ANY_SIZE_KINDS = new Set(['U', 'S', 'O'])

/**
 * A `numpy.dtype(...)` the pickle built: a name only, never a numpy object. numpy pickles a dtype
 * as `dtype('f8', False, True)` followed by BUILD with its state (byte order, item size for
 * strings, datetime unit), so the fields start partial and `applyState` completes them.
 */
export class NumpyDtype extends PythonObject {
  kind: string
  itemsize: number
  byteorder: string
  /** Datetime/timedelta unit with its count, e.g. 'ns' or '10s'; '' for other kinds. */
  unit = ''
  /** Why elements of this dtype cannot be decoded (structured dtypes), if they cannot. */
  unsupported: string | undefined

  constructor(spec: string) {
    super('numpy.dtype', spec)
    const m = /^([<>|=]?)([a-zA-Z])(\d*)$/.exec(spec)
    this.byteorder = m?.[1] || '|'
    this.kind = m?.[2] ?? 'V'
    this.itemsize = m?.[3] ? Number(m[3]) : this.kind === 'b' ? 1 : 0
    if (this.kind === 'U') this.itemsize *= 4 // numpy counts characters, stores UTF-32
    if (this.kind === 'O') this.itemsize = 8
    if (!m) this.unsupported = `dtype spec '${spec}'`
  }

  /** Completes the dtype from numpy's `__setstate__` tuple (versions 3 and 4). */
  applyState(state: unknown): void {
    if (!(state instanceof PyTuple) || state.items.length < 8) return
    const [, endian, , names, , elsize, , , metadata] = state.items
    if (typeof endian === 'string') this.byteorder = endian === '=' ? NATIVE : endian
    if (names !== null && names !== undefined) this.unsupported = 'structured (record) dtypes'
    if (typeof elsize === 'number' && elsize > 0) this.itemsize = elsize
    // Version 4 datetime metadata: (user_metadata, (unit_bytes, count, 1, 1)).
    if (metadata instanceof PyTuple && metadata.items[1] instanceof PyTuple) {
      const [unit, count] = metadata.items[1].items
      const text = unit instanceof Uint8Array ? latin1(unit) : typeof unit === 'string' ? unit : ''
      this.unit = count === 1 || count === undefined ? text : `${String(count)}${text}`
    }
  }

  /** Whether array bytes of this dtype hold Python objects (a nested pickle in joblib files). */
  get hasObject(): boolean {
    return this.kind === 'O'
  }

  /** Whether `decodeArray` can turn elements into JavaScript values. */
  get decodable(): boolean {
    if (this.unsupported !== undefined) return false
    if (this.kind === 'U' && this.itemsize % 4 !== 0) return false
    return ANY_SIZE_KINDS.has(this.kind) || DECODED.has(`${this.kind}${this.itemsize}`)
  }

  /** Whether element bytes must be swapped to read them on this host. */
  get needsSwap(): boolean {
    return (
      this.itemsize > 1 && this.kind !== 'S' && this.byteorder !== '|' && this.byteorder !== NATIVE
    )
  }

  /** numpy's `dtype.str` as the data is held after decoding (native order), e.g. '<f8'. */
  get nativeStr(): string {
    const single =
      this.itemsize === 1 || this.kind === 'S' || this.kind === 'O' || this.kind === 'V'
    return this.format(single ? '|' : NATIVE)
  }

  /** numpy's `dtype.str` as written in the file, e.g. '>i4'. */
  get str(): string {
    return this.format(this.byteorder)
  }

  private format(order: string): string {
    const size = this.kind === 'O' ? '' : this.kind === 'U' ? this.itemsize / 4 : this.itemsize
    const unit = this.kind === 'M' || this.kind === 'm' ? `[${this.unit || 'generic'}]` : ''
    return `${order}${this.kind}${size}${unit}`
  }
}
