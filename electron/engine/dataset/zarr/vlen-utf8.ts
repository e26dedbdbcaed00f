// numcodecs' VLenUTF8 (v2 object arrays, v3 `string`): a count, then length-prefixed UTF-8
// items. zarrita's own decoder trusts the count and ignores the view's offset, so this one is
// registered instead: the count must equal the chunk's element count and every length must fit.
import * as zarr from 'zarrita'

/** The registry name the reader's metadata uses for the checked vlen-utf8 codec. */
export const VLEN_UTF8 = 'xpersist.vlen-utf8'

/** Encodes strings (null as '') as numcodecs' VLenUTF8 writes them. */
export function encodeVlenUtf8(items: readonly (string | null)[]): Uint8Array {
  const enc = new TextEncoder()
  const parts = items.map((s) => enc.encode(s ?? ''))
  const out = new Uint8Array(4 + parts.reduce((a, p) => a + 4 + p.byteLength, 0))
  const view = new DataView(out.buffer)
  view.setUint32(0, items.length, true)
  let pos = 4
  for (const p of parts) {
    view.setUint32(pos, p.byteLength, true)
    out.set(p, pos + 4)
    pos += 4 + p.byteLength
  }
  return out
}

/** Decodes a VLenUTF8 chunk of exactly `count` items; throws on any inconsistency. */
export function decodeVlenUtf8(bytes: Uint8Array, count: number): string[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  if (bytes.byteLength < 4) throw new Error('the vlen-utf8 chunk is shorter than its header')
  const n = view.getUint32(0, true)
  if (n !== count) throw new Error(`the vlen-utf8 chunk holds ${n} items, not the chunk's ${count}`)
  const dec = new TextDecoder()
  const out: string[] = new Array(n)
  let pos = 4
  for (let i = 0; i < n; i++) {
    if (pos + 4 > bytes.byteLength) throw new Error('the vlen-utf8 chunk is truncated')
    const len = view.getUint32(pos, true)
    pos += 4
    if (pos + len > bytes.byteLength) throw new Error('the vlen-utf8 chunk is truncated')
    out[i] = dec.decode(bytes.subarray(pos, pos + len))
    pos += len
  }
  return out
}

class CheckedVlenUtf8 {
  readonly kind = 'array_to_bytes'
  readonly #shape: number[]
  constructor(shape: number[]) {
    this.#shape = shape
  }
  static fromConfig(_: unknown, meta: { shape: number[] }): CheckedVlenUtf8 {
    return new CheckedVlenUtf8(meta.shape)
  }
  encode(chunk: { data: (string | null)[] }): Uint8Array {
    return encodeVlenUtf8(chunk.data)
  }
  decode(bytes: Uint8Array): { data: string[]; shape: number[]; stride: number[] } {
    const count = this.#shape.reduce((a, b) => a * b, 1)
    const stride = this.#shape.map((_, i) => this.#shape.slice(i + 1).reduce((a, b) => a * b, 1))
    return { data: decodeVlenUtf8(bytes, count), shape: this.#shape, stride }
  }
}

// Registered once, under a name of our own: other users of zarrita keep its codec.
;(zarr.registry as Map<string, () => unknown>).set(VLEN_UTF8, () => CheckedVlenUtf8)
