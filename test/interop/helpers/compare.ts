/**
 * Deep comparison of plain values that lists every difference by path, so a failing interop
 * test says which cell of which row differs instead of dumping two whole documents.
 */
import { PyFloat } from '../../../electron/engine/pyvalue.js'

/** Paths where `actual` and `expected` differ; numbers within `relTol` of each other agree. */
export function differences(actual: unknown, expected: unknown, relTol = 0): string[] {
  const out: string[] = []
  walk(actual, expected, '$', relTol, out)
  return out
}

function walk(a: unknown, e: unknown, at: string, relTol: number, out: string[]): void {
  if (typeof a === 'number' && typeof e === 'number') {
    if (!closeEnough(a, e, relTol)) out.push(`${at}: ${show(a)} != expected ${show(e)}`)
    return
  }
  if (a instanceof PyFloat && e instanceof PyFloat) return walk(a.value, e.value, at, relTol, out)
  if (Array.isArray(a) && Array.isArray(e)) {
    if (a.length !== e.length) out.push(`${at}: length ${a.length} != expected ${e.length}`)
    for (let i = 0; i < Math.min(a.length, e.length); i++)
      walk(a[i], e[i], `${at}[${i}]`, relTol, out)
    return
  }
  if (isRecord(a) && isRecord(e) && !(a instanceof PyFloat) && !(e instanceof PyFloat)) {
    for (const k of new Set([...Object.keys(a), ...Object.keys(e)])) {
      if (!(k in a)) out.push(`${at}.${k}: missing, expected ${show(e[k])}`)
      else if (!(k in e)) out.push(`${at}.${k}: ${show(a[k])} is not expected`)
      else walk(a[k], e[k], `${at}.${k}`, relTol, out)
    }
    return
  }
  if (a !== e) out.push(`${at}: ${show(a)} != expected ${show(e)}`)
}

// Zeros must agree in sign (-0.0 is a value pandas and numpy keep); others within relTol.
function closeEnough(a: number, e: number, relTol: number): boolean {
  if (Object.is(a, e)) return true
  if (a === 0 || e === 0 || relTol === 0) return false
  return Math.abs(a - e) <= relTol * Math.max(Math.abs(a), Math.abs(e))
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

function show(v: unknown): string {
  if (v instanceof PyFloat) return `PyFloat(${show(v.value)})`
  if (typeof v === 'number') return Object.is(v, -0) ? '-0' : String(v)
  if (typeof v === 'bigint') return `${v}n`
  if (v === undefined) return 'undefined'
  try {
    return JSON.stringify(v) ?? String(v)
  } catch {
    return String(v)
  }
}
