/** Natural Earth coastlines (world-atlas land-110m), loaded on first use only. */
import type { LonLatLines } from './geo'

let loading: Promise<LonLatLines> | null = null

/**
 * The 1:110m coastlines as lines of [lon, lat]. The atlas (~100 KB) and topojson-client are
 * imported dynamically, so they stay out of the start-up bundle until a map needs them.
 */
export function loadCoastlines(): Promise<LonLatLines> {
  loading ??= (async () => {
    const [{ mesh }, atlas] = await Promise.all([
      import('topojson-client'),
      import('world-atlas/land-110m.json'),
    ])
    const topology = (atlas as { default?: unknown }).default ?? atlas
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the atlas JSON is typed loosely
    const topo = topology as any
    const land = mesh(topo, topo.objects.land)
    return land.coordinates as LonLatLines
  })().catch((err: unknown) => {
    loading = null // a failed load can be retried by the next map
    throw err
  })
  return loading
}
