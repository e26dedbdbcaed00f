import { constants, deflateSync, gzipSync, inflateSync, gunzipSync } from 'node:zlib'
import { CorruptPayloadError, LimitExceededError, NotSupportedError } from '../../errors.js'

/** How joblib.dump compressed a file (or will compress one); 'none' is a bare pickle. */
export type JoblibCompression = { method: 'none' } | { method: 'zlib' | 'gzip'; level: number }

/** joblib's own magic prefixes (joblib/compressor.py), for the codecs we do not read. */
const UNSUPPORTED_PREFIXES: [string, number[]][] = [
  ['bz2', [0x42, 0x5a, 0x68]], // BZh
  ['xz', [0xfd, 0x37, 0x7a, 0x58, 0x5a]],
  ['lzma', [0x5d, 0x00]],
  ['lz4', [0x04, 0x22, 0x4d, 0x18]],
  ['joblib < 0.10 zfile', [0x5a, 0x46]], // ZF
]

function startsWith(bytes: Uint8Array, prefix: readonly number[]): boolean {
  return prefix.every((b, i) => bytes[i] === b)
}

/** Which compressor wrote a joblib file, by the same magic bytes joblib.load checks. */
export function detectCompression(bytes: Uint8Array): 'zlib' | 'gzip' | 'none' {
  if (bytes[0] === 0x78) return 'zlib'
  if (startsWith(bytes, [0x1f, 0x8b])) return 'gzip'
  for (const [name, prefix] of UNSUPPORTED_PREFIXES) {
    if (!startsWith(bytes, prefix)) continue
    const how = name.startsWith('joblib')
      ? 'with joblib older than 0.10'
      : `with compress=('${name}', ...)`
    throw new NotSupportedError(
      `This joblib file was written ${how}; xpersist-ts reads zlib and gzip joblib files. ` +
        `Re-save it with compress=3 or compress=('gzip', 3).`,
    )
  }
  return 'none'
}

/** The pickle stream inside a joblib file, inflated with a ceiling on its size. */
export function decompressJoblib(bytes: Uint8Array, maxBytes: number): Uint8Array {
  const method = detectCompression(bytes)
  if (method === 'none') {
    if (bytes.length > maxBytes) throw tooLarge(maxBytes)
    return bytes
  }
  try {
    const inflate = method === 'zlib' ? inflateSync : gunzipSync
    const out = inflate(bytes, { maxOutputLength: Math.max(1, maxBytes) })
    return new Uint8Array(out.buffer, out.byteOffset, out.byteLength)
  } catch (err) {
    if ((err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw tooLarge(maxBytes)
    throw new CorruptPayloadError(
      `The ${method}-compressed joblib file does not decompress: ${(err as Error).message}`,
      { cause: err },
    )
  }
}

function tooLarge(maxBytes: number): LimitExceededError {
  return new LimitExceededError(
    `The joblib pickle is larger than maxDecompressedBytes (${maxBytes} bytes) once ` +
      `decompressed; raise the limit if you trust this file.`,
  )
}

/** Compresses a pickle the way joblib.dump(compress=...) does: one zlib or gzip stream. */
export function compressJoblib(pickle: Uint8Array, compression: JoblibCompression): Uint8Array {
  if (compression.method === 'none') return pickle
  // joblib's BinaryZlibFile: compressobj(level, DEFLATED, wbits 15 or 31, DEF_MEM_LEVEL, 0).
  const options = { level: compression.level, memLevel: 8, strategy: constants.Z_DEFAULT_STRATEGY }
  const out =
    compression.method === 'zlib' ? deflateSync(pickle, options) : gzipSync(pickle, options)
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength)
}
