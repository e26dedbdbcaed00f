import { promises as fs } from 'node:fs'
import path from 'node:path'
import { tempDir } from './temp.js'

/** Writes a Python-shaped sidecar for `key` (its payload is up to the caller). */
export async function writeSidecar(cache: string, key: string, serializer = 'joblib') {
  const file = path.join(cache, 'xpersist_metadata_store', `${key}.artifact.json`)
  await fs.mkdir(path.dirname(file), { recursive: true })
  const artifact = {
    key,
    serializer,
    load_kwargs: {},
    dump_kwargs: {},
    additional_metadata: {},
    created_at: '2026-11-26T14:43:29.476000',
  }
  await fs.writeFile(file, JSON.stringify(artifact, null, 2))
}

/** Writes `text` as the payload file `rel` of a cache. */
export async function writePayload(cache: string, rel: string, text: string) {
  await fs.mkdir(path.dirname(path.join(cache, rel)), { recursive: true })
  await fs.writeFile(path.join(cache, rel), text)
}

/** Keys nested under other keys, as issue 6 found them deleting each other's data. */
export const NESTED = {
  /** A stray sidecar `runs` without payload, over four keys with file payloads. */
  runsKeys: ['runs/2022/config', 'runs/2022/members', 'runs/old/notes', 'runs/old/scratch'],
  /** `nest/x` is a folder payload (zarr-like) that has a key `nest/x/part0` inside it. */
  nestOwn: ['nest/x/.zattrs', 'nest/x/0.0'],
}

/** A cache holding both situations of NESTED; returns its folder. */
export async function nestedKeysCache(): Promise<string> {
  const cache = path.join(await tempDir('xp-nested-'), 'cache')
  for (const key of NESTED.runsKeys) {
    await writeSidecar(cache, key)
    await writePayload(cache, key, `payload of ${key}`)
  }
  await writeSidecar(cache, 'runs') // the stray one: no payload at all
  await writeSidecar(cache, 'nest/x', 'xarray.zarr')
  for (const f of NESTED.nestOwn) await writePayload(cache, f, `chunk ${f}`)
  await writeSidecar(cache, 'nest/x/part0')
  await writePayload(cache, 'nest/x/part0', 'payload of nest/x/part0')
  return cache
}
