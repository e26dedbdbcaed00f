// A JavaScript decoder for the Blosc chunks zarr 2 writes by default (Blosc 1 format, lz4,
// byte shuffle or none). numcodecs' wasm Blosc spends most of a chunk's time copying it in
// and out of wasm memory (about 90 ms for a 4 MB chunk); this reads it in place. Anything
// else (bitshuffle, other compressors, an inconsistent frame) returns undefined and goes to
// the wasm decoder, which stays the reference.

const DOSHUFFLE = 0x1
const MEMCPYED = 0x2
const DOBITSHUFFLE = 0x4
const DONT_SPLIT = 0x10
const LZ4_FORMAT = 1

class Malformed extends Error {}

// Blosc's shuffle planes are little-endian bytes; word writes assume the host is too.
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1

function i32(b: Uint8Array, at: number): number {
  if (at + 4 > b.byteLength) throw new Malformed()
  return (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24)) >>> 0
}

// LZ4 block format: sequences of (token, literals, offset, match); output must fill `out` exactly.
function lz4Block(
  src: Uint8Array,
  start: number,
  end: number,
  out: Uint8Array,
  o: number,
  oEnd: number,
): void {
  let ip = start
  while (ip < end) {
    const token = src[ip++]!
    let lit = token >> 4
    if (lit === 15) {
      let b: number
      do {
        if (ip >= end) throw new Malformed()
        b = src[ip++]!
        lit += b
      } while (b === 255)
    }
    if (ip + lit > end || o + lit > oEnd) throw new Malformed()
    // Short runs by hand: a subarray per run costs more than the copy (noisy data has many).
    if (lit < 64) for (let k = 0; k < lit; k++) out[o++] = src[ip++]!
    else {
      out.set(src.subarray(ip, ip + lit), o)
      ip += lit
      o += lit
    }
    if (ip >= end) break
    if (ip + 2 > end) throw new Malformed()
    const offset = src[ip]! | (src[ip + 1]! << 8)
    ip += 2
    let len = token & 15
    if (len === 15) {
      let b: number
      do {
        if (ip >= end) throw new Malformed()
        b = src[ip++]!
        len += b
      } while (b === 255)
    }
    len += 4
    let m = o - offset
    if (offset === 0 || m < 0 || o + len > oEnd) throw new Malformed()
    if (offset >= len && len >= 64) {
      out.copyWithin(o, m, m + len)
      o += len
    } else {
      for (let k = 0; k < len; k++) out[o++] = out[m++]!
    }
  }
  if (o !== oEnd) throw new Malformed()
}

function unshuffle(
  src: Uint8Array,
  dest: Uint8Array,
  at: number,
  size: number,
  typesize: number,
): void {
  const n = Math.floor(size / typesize)
  // Whole words at a time for the common 4- and 8-byte types: byte-strided writes cost about
  // 7 ms per MB, most of a zarr slice's time; assembling a word from the byte planes is ~5x faster.
  if ((typesize === 4 || typesize === 8) && LITTLE_ENDIAN && (dest.byteOffset + at) % 4 === 0) {
    const words = new Uint32Array(dest.buffer, dest.byteOffset + at, (n * typesize) / 4)
    const p1 = n
    const p2 = 2 * n
    const p3 = 3 * n
    if (typesize === 4) {
      for (let i = 0; i < n; i++) {
        words[i] =
          (src[i]! | (src[p1 + i]! << 8) | (src[p2 + i]! << 16) | (src[p3 + i]! << 24)) >>> 0
      }
    } else {
      const p4 = 4 * n
      const p5 = 5 * n
      const p6 = 6 * n
      const p7 = 7 * n
      for (let i = 0; i < n; i++) {
        words[2 * i] =
          (src[i]! | (src[p1 + i]! << 8) | (src[p2 + i]! << 16) | (src[p3 + i]! << 24)) >>> 0
        words[2 * i + 1] =
          (src[p4 + i]! | (src[p5 + i]! << 8) | (src[p6 + i]! << 16) | (src[p7 + i]! << 24)) >>> 0
      }
    }
  } else {
    for (let j = 0; j < typesize; j++) {
      const base = j * n
      for (let i = 0; i < n; i++) dest[at + i * typesize + j] = src[base + i]!
    }
  }
  const done = n * typesize
  dest.set(src.subarray(done, size), at + done)
}

/**
 * Decodes a Blosc chunk whose header was already checked (nbytes within bounds, cbytes equal
 * to its length); undefined when it is not the lz4/shuffle kind this decoder handles.
 */
export function decodeBloscLz4(data: Uint8Array): Uint8Array | undefined {
  const flags = data[2]!
  const typesize = data[3]!
  const nbytes = i32(data, 4)
  const blocksize = i32(data, 8)
  // A memcpyed chunk is the raw bytes, whatever the shuffle flags say (as c-blosc reads it).
  if (flags & MEMCPYED) {
    if (data.byteLength !== 16 + nbytes) return undefined
    return data.slice(16, 16 + nbytes)
  }
  if (flags & DOBITSHUFFLE || typesize === 0) return undefined
  if ((flags & 0xe0) >> 5 !== LZ4_FORMAT || blocksize === 0) return undefined
  try {
    const out = new Uint8Array(nbytes)
    const nblocks = Math.ceil(nbytes / blocksize)
    const shuffle = (flags & DOSHUFFLE) !== 0 && typesize > 1
    const tmp = shuffle ? new Uint8Array(blocksize) : out
    for (let j = 0; j < nblocks; j++) {
      const bsize = Math.min(blocksize, nbytes - j * blocksize)
      const leftover = bsize < blocksize
      const nsplits = !(flags & DONT_SPLIT) && !leftover ? typesize : 1
      const neblock = bsize / nsplits
      if (!Number.isInteger(neblock)) return undefined
      let ip = i32(data, 16 + 4 * j)
      const base = shuffle ? 0 : j * blocksize
      for (let s = 0; s < nsplits; s++) {
        const csize = i32(data, ip)
        ip += 4
        if (ip + csize > data.byteLength) throw new Malformed()
        const o = base + s * neblock
        if (csize === neblock) tmp.set(data.subarray(ip, ip + csize), o)
        else lz4Block(data, ip, ip + csize, tmp, o, o + neblock)
        ip += csize
      }
      if (shuffle) unshuffle(tmp, out, j * blocksize, bsize, typesize)
    }
    return out
  } catch (err) {
    if (err instanceof Malformed) return undefined
    throw err
  }
}
