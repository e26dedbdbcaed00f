/**
 * Latitude/longitude detection (CF conventions first, names last) and the arithmetic that puts
 * coastlines, given in lon/lat degrees, onto a heatmap's own coordinate axes.
 */

/** What detection looks at: the coordinate's name and attributes (attrs may be absent). */
export interface AxisInfo {
  name: string
  attrs?: Readonly<Record<string, unknown>> | undefined
}

const LAT_UNITS = new Set([
  'degrees_north',
  'degree_north',
  'degree_n',
  'degrees_n',
  'degreen',
  'degreesn',
])
const LON_UNITS = new Set([
  'degrees_east',
  'degree_east',
  'degree_e',
  'degrees_e',
  'degreee',
  'degreese',
])
const DEGREE_UNITS = new Set(['degrees', 'degree', 'deg'])

function text(attrs: AxisInfo['attrs'], name: string): string | null {
  if (!attrs || !Object.hasOwn(attrs, name)) return null
  const v = attrs[name]
  return typeof v === 'string' ? v.trim() : null
}

function detect(info: AxisInfo, which: 'latitude' | 'longitude'): boolean {
  const standard = text(info.attrs, 'standard_name')
  // A standard_name is the strongest word: projection_y_coordinate or grid_latitude (rotated
  // pole) are not geographic latitude even when named "lat".
  if (standard !== null && standard !== '') return standard === which
  const units = text(info.attrs, 'units')?.toLowerCase() ?? null
  const own = which === 'latitude' ? LAT_UNITS : LON_UNITS
  const other = which === 'latitude' ? LON_UNITS : LAT_UNITS
  if (units !== null && own.has(units)) return true
  if (units !== null && other.has(units)) return false
  const unitsFit = units === null || units === '' || DEGREE_UNITS.has(units)
  const axis = text(info.attrs, 'axis')?.toUpperCase() ?? null
  if (axis !== null && axis !== '') return unitsFit && axis === (which === 'latitude' ? 'Y' : 'X')
  if (!unitsFit) return false
  const name = info.name.toLowerCase()
  return which === 'latitude'
    ? name === 'lat' || name === 'latitude'
    : name === 'lon' || name === 'longitude'
}

/** True when the coordinate is geographic latitude. */
export function isLatitude(info: AxisInfo): boolean {
  return detect(info, 'latitude')
}

/** True when the coordinate is geographic longitude. */
export function isLongitude(info: AxisInfo): boolean {
  return detect(info, 'longitude')
}

/** A longitude moved by whole turns into [start, start + 360), so -170 meets a 0..360 grid as 190. */
export function wrapLongitude(lon: number, start: number): number {
  return lon - 360 * Math.floor((lon - start) / 360)
}

/**
 * The fractional index of `v` along monotonic coordinate values (ascending or descending,
 * regular or not), extrapolated linearly past the ends; NaN when the coordinates are unusable.
 */
export function fractionalIndex(coords: readonly number[], v: number): number {
  const n = coords.length
  if (n === 0) return NaN
  if (n === 1) return coords[0] === v ? 0 : NaN
  const first = coords[0] as number
  const last = coords[n - 1] as number
  const up = last > first
  const before = (a: number, b: number) => (up ? a <= b : a >= b)
  let lo = 0
  let hi = n - 1
  if (before(v, first)) hi = 1
  else if (!before(v, last)) lo = n - 2
  else {
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1
      if (before(coords[mid] as number, v)) lo = mid
      else hi = mid
    }
  }
  const a = coords[lo] as number
  const b = coords[hi] as number
  return a === b ? lo : lo + (v - a) / (b - a)
}

/** Lines of [lon, lat] points, as topojson-client's mesh gives coastlines. */
export type LonLatLines = readonly (readonly (readonly number[])[])[]

/**
 * Coastlines as lines of fractional [column, row] cell indices on a grid whose columns are
 * longitudes `lons` and rows latitudes `lats`. Longitudes wrap onto the grid's range (0..360
 * grids too); a line is broken where it jumps across the wrap seam or leaves the grid, so no
 * stroke crosses the map.
 */
export function coastlineIndexLines(
  lines: LonLatLines,
  lons: readonly number[],
  lats: readonly number[],
): [number, number][][] {
  if (lons.length < 2 || lats.length < 2) return []
  const start = Math.min(lons[0] as number, lons[lons.length - 1] as number)
  const cols = lons.length
  const rows = lats.length
  // Half a cell of margin: the outermost cells reach half a step past their centres.
  const inside = (c: number, r: number) =>
    c >= -0.5 && c <= cols - 0.5 && r >= -0.5 && r <= rows - 0.5
  const out: [number, number][][] = []
  for (const line of lines) {
    let current: [number, number][] = []
    let prevLon = NaN
    for (const point of line) {
      const lon = wrapLongitude(point[0] as number, start)
      const c = fractionalIndex(lons, lon)
      const r = fractionalIndex(lats, point[1] as number)
      const seam = Math.abs(lon - prevLon) > 180
      prevLon = lon
      if (!inside(c, r) || seam || !Number.isFinite(c) || !Number.isFinite(r)) {
        if (current.length > 1) out.push(current)
        current = []
        if (!inside(c, r)) continue
      }
      current.push([c, r])
    }
    if (current.length > 1) out.push(current)
  }
  return out
}
