/**
 * Snappy decoding of a stream's first bytes only: a preview that needs the first entries of a
 * dictionary page fetches a prefix of its compressed body, and every Snappy element copies
 * from output already written, so a compressed prefix decodes to an exact uncompressed
 * prefix. Decoding stops cleanly at an element cut off by the prefix's end; anything that
 * cannot be a valid stream (a copy from before the start, more output than the stream's
 * length header) throws SnappyError.
 */

/** A Snappy stream that no valid compressor writes. */
export class SnappyError extends Error {}

/** Longest Snappy length header (a varint of a 32-bit length). */
const MAX_PREAMBLE = 5

/**
 * The uncompressed bytes `input` (the first bytes of a Snappy stream of `outputLength`
 * uncompressed bytes) decodes to: at most `outputLength`. Output is allocated as it is
 * written, so a stream claiming a huge length costs only what its bytes produce.
 */
export function snappyPrefix(input: Uint8Array, outputLength: number): Uint8Array {
  let pos = 0
  let declared = 0
  for (let shift = 0; ; shift += 7) {
    if (pos >= input.length) return new Uint8Array(0) // the length header is cut off
    if (pos >= MAX_PREAMBLE) throw new SnappyError('its length header runs past 5 bytes')
    const c = input[pos++]!
    declared += (c & 0x7f) * 2 ** shift
    if (c < 0x80) break
  }
  if (declared !== outputLength) {
    throw new SnappyError(`its length header says ${declared} bytes, its page ${outputLength}`)
  }
  let out = new Uint8Array(Math.min(outputLength, Math.max(1024, input.length * 2)))
  let at = 0
  const room = (len: number): void => {
    if (at + len > outputLength) {
      throw new SnappyError(`it decodes to more than the ${outputLength} bytes it declares`)
    }
    if (at + len <= out.length) return
    const grown = new Uint8Array(Math.min(outputLength, Math.max(at + len, out.length * 2)))
    grown.set(out.subarray(0, at))
    out = grown
  }
  while (pos < input.length) {
    const tag = input[pos]!
    const kind = tag & 3
    if (kind === 0) {
      let len = (tag >>> 2) + 1
      let head = 1
      if (len > 60) {
        const extra = len - 60
        if (pos + 1 + extra > input.length) break
        len = 0
        for (let i = extra - 1; i >= 0; i--) len = len * 256 + input[pos + 1 + i]!
        len += 1
        head += extra
      }
      room(len)
      // A literal cut off by the prefix's end still gives its first bytes.
      const take = Math.min(len, input.length - pos - head)
      out.set(input.subarray(pos + head, pos + head + take), at)
      at += take
      if (take < len) {
        pos = input.length
        break
      }
      pos += head + len
      continue
    }
    const size = kind === 1 ? 2 : kind === 2 ? 3 : 5
    if (pos + size > input.length) break
    let len: number
    let offset: number
    if (kind === 1) {
      len = ((tag >>> 2) & 7) + 4
      offset = ((tag >>> 5) << 8) | input[pos + 1]!
    } else {
      len = (tag >>> 2) + 1
      offset = input[pos + 1]! | (input[pos + 2]! << 8)
      if (kind === 3) offset += (input[pos + 3]! | (input[pos + 4]! << 8)) * 65536
    }
    if (offset === 0 || offset > at) {
      throw new SnappyError(`a copy at byte ${pos} reaches ${offset} bytes back from ${at}`)
    }
    room(len)
    for (let i = 0; i < len; i++) out[at + i] = out[at - offset + i]!
    at += len
    pos += size
  }
  return out.subarray(0, at)
}
