// zarr-python 2.13's chunk guess (zarr/util.py guess_chunks, adapted there from h5py): what
// xarray's to_zarr gets for an in-memory variable without encoding['chunks'], so a dataset
// written here is chunked as the same dataset written by Python.

const CHUNK_BASE = 256 * 1024
const CHUNK_MIN = 128 * 1024
const CHUNK_MAX = 64 * 1024 * 1024

/** The chunk shape zarr 2.13 picks for an array of `shape` with `typesize`-byte elements. */
export function guessChunks(shape: readonly number[], typesize: number): number[] {
  const ndims = shape.length
  const chunks = shape.map((s) => Math.max(s, 1))
  const product = () => chunks.reduce((a, b) => a * b, 1)
  const dsetSize = product() * typesize
  let target = CHUNK_BASE * 2 ** Math.log10(dsetSize / (1024 * 1024))
  if (target > CHUNK_MAX) target = CHUNK_MAX
  else if (target < CHUNK_MIN) target = CHUNK_MIN
  for (let idx = 0; ; idx++) {
    const bytes = product() * typesize
    if ((bytes < target || Math.abs(bytes - target) / target < 0.5) && bytes < CHUNK_MAX) break
    if (product() === 1) break
    const i = idx % ndims
    chunks[i] = Math.ceil((chunks[i] as number) / 2)
  }
  return chunks
}
