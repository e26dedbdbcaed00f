/**
 * Page-level guards for hyparquet: a page header says how many bytes its page decompresses to,
 * and the decompressors allocate that much up front, so a damaged header claiming 2^31 bytes
 * would allocate 2 GB for a page of a few hundred. Every decompressor is wrapped to refuse an
 * output larger than the largest column chunk the (already checked) footer declares.
 */
import { snappyUncompress, type Compressors, type FileMetaData } from 'hyparquet'
import { compressors } from 'hyparquet-compressors'
import type { Target } from '../serializer.js'
import { corrupt } from './parquet-file.js'

type Decompress = (input: Uint8Array, outputLength: number) => Uint8Array

const SNAPPY: Decompress = (input, length) => {
  const out = new Uint8Array(length)
  snappyUncompress(input, out)
  return out
}

/** The decompressors a read of this file uses, each refusing a page bigger than any chunk. */
export function guardedCompressors(target: Target, metadata: FileMetaData): Compressors {
  const limit = largestChunk(metadata)
  const guarded: Compressors = {}
  const all: Record<string, Decompress | undefined> = { SNAPPY, ...compressors }
  for (const [codec, decompress] of Object.entries(all)) {
    if (!decompress) continue
    guarded[codec as keyof Compressors] = (input: Uint8Array, length: number) => {
      if (!(length >= 0) || length > limit) {
        throw corrupt(
          target,
          `has a ${codec} page claiming ${length} bytes uncompressed, more than the ` +
            `${limit} bytes of its largest column chunk`,
        )
      }
      return decompress(input, length)
    }
  }
  return guarded
}

// A page lies inside its column chunk, whose uncompressed size (headers included) the footer
// gives: the largest of them bounds every page.
function largestChunk(metadata: FileMetaData): number {
  let largest = 0
  for (const group of metadata.row_groups) {
    for (const column of group.columns) {
      const size = Number(column.meta_data?.total_uncompressed_size ?? 0)
      if (size > largest) largest = size
    }
  }
  return largest
}
