/**
 * Sort keys over typed arrays indexed by row position, so sorting N rows holds no row objects:
 * per sort column 8 bytes a row (numbers, epoch ns) or 4 (the rank of a text among the
 * column's distinct texts, which are the only strings kept), plus 1 byte of null flag; the
 * permutation itself is 4 bytes a row. Nulls (NaN, NaT) sort last in both directions, as
 * pandas' na_position='last'; ties keep file order (kind='stable').
 */
import { compareText, type ColumnKind, type KindValue } from './columns.js'

/** One sort column's keys, filled batch by batch, then compared by position. */
export class SortKey {
  private numbers: Float64Array | null = null
  private bigs: BigInt64Array | null = null
  private ids: Uint32Array | null = null
  private readonly nulls: Uint8Array
  private readonly texts = new Map<string, number>()
  private ranks: Uint32Array | null = null

  constructor(
    readonly kind: ColumnKind,
    readonly descending: boolean,
    totalRows: number,
  ) {
    this.nulls = new Uint8Array(totalRows)
    if (kind === 'datetime') this.bigs = new BigInt64Array(totalRows)
    else if (kind === 'text') this.ids = new Uint32Array(totalRows)
    else this.numbers = new Float64Array(totalRows)
  }

  /** Records the value of the row at `position`. */
  set(position: number, v: KindValue): void {
    if (v === null) {
      this.nulls[position] = 1
      return
    }
    if (this.bigs) this.bigs[position] = v as bigint
    else if (this.ids) {
      const text = v as string
      let id = this.texts.get(text)
      if (id === undefined) {
        id = this.texts.size
        this.texts.set(text, id)
      }
      this.ids[position] = id
    } else this.numbers![position] = typeof v === 'boolean' ? (v ? 1 : 0) : Number(v)
  }

  /** Turns text ids into ranks (call once, after the last set). */
  finish(): void {
    if (!this.ids) return
    const distinct = [...this.texts.keys()]
    const order = distinct.map((_, i) => i).sort((a, b) => compareText(distinct[a]!, distinct[b]!))
    this.ranks = new Uint32Array(distinct.length)
    order.forEach((id, rank) => (this.ranks![id] = rank))
    this.texts.clear()
  }

  /** Orders two rows by this key alone: nulls last, then by value in the key's direction. */
  compare(a: number, b: number): number {
    const na = this.nulls[a]!
    const nb = this.nulls[b]!
    if (na || nb) return na - nb
    let c: number
    if (this.bigs) {
      const x = this.bigs[a]!
      const y = this.bigs[b]!
      c = x < y ? -1 : x > y ? 1 : 0
    } else if (this.ranks) c = this.ranks[this.ids![a]!]! - this.ranks[this.ids![b]!]!
    else {
      // Not a subtraction: Infinity - Infinity is NaN.
      const x = this.numbers![a]!
      const y = this.numbers![b]!
      c = x < y ? -1 : x > y ? 1 : 0
    }
    return this.descending ? -c : c
  }
}

/** Sorts positions by the keys in order, ties in file order; returns the same array. */
export function sortPositions(positions: Uint32Array, keys: SortKey[]): Uint32Array {
  for (const k of keys) k.finish()
  return positions.sort((a, b) => {
    for (const k of keys) {
      const c = k.compare(a, b)
      if (c !== 0) return c
    }
    return a - b
  })
}
