import { InvalidArgumentError } from '../errors.js'
import type { AttrMap, AttrValue, Dataset, EncodedVariable } from './model.js'

// The attribute side of CF encoding: which attribute values a file can hold, and the
// `coordinates` attributes that record non-dimension coordinates (xarray's _encode_coordinates).

/** Attribute values xarray lets through to a file (bools and None are refused, as there). */
export function checkAttr(owner: string, key: string, v: AttrValue | undefined): void {
  if (key === '') throw new InvalidArgumentError(`${owner} has an attribute with an empty name.`)
  const ok = (x: unknown): boolean =>
    typeof x === 'string' ||
    typeof x === 'number' ||
    typeof x === 'bigint' ||
    ArrayBuffer.isView(x) ||
    (Array.isArray(x) &&
      x.every((y) => typeof y === 'number' || typeof y === 'bigint' || typeof y === 'string'))
  if (!ok(v)) {
    throw new InvalidArgumentError(
      `Invalid value for attr '${key}' of ${owner}: ${JSON.stringify(v === undefined ? null : v)}. ` +
        `For serialization to netCDF files, its value must be a string, a number, or a list of them.`,
    )
  }
}

/**
 * xarray's _encode_coordinates: a non-dimension coordinate is listed in the `coordinates`
 * attribute of each data variable whose dims cover its dims, else in a global `coordinates`.
 */
export function addCoordinateAttrs(
  variables: EncodedVariable[],
  attrs: AttrMap,
  ds: Dataset,
): void {
  const nonDim = [...ds.coords.values()].filter(
    (c) => !(c.dims.length === 1 && c.dims[0] === c.name) && !c.name.includes(' '),
  )
  const written = new Set<string>()
  for (const v of variables) {
    if (v.isCoord) continue
    if (!v.attrs.has('coordinates')) {
      const mine = nonDim.filter(
        (c) => !v.dims.includes(c.name) && c.dims.every((d) => v.dims.includes(d)),
      )
      if (mine.length) v.attrs.set('coordinates', mine.map((c) => c.name).join(' '))
    }
    const text = v.attrs.get('coordinates')
    if (typeof text === 'string') text.split(/\s+/).forEach((n) => written.add(n))
  }
  const global = nonDim.map((c) => c.name).filter((n) => !written.has(n))
  if (global.length && !attrs.has('coordinates')) attrs.set('coordinates', global.join(' '))
}
