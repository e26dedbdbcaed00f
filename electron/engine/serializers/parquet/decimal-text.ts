/**
 * Decimal columns come back from the reader as exact text ('123.45'), with the pandas
 * metadata still saying 'decimal' and its precision and scale. Writing them back as text
 * would give pandas strings where it had Decimals, so they are turned back into Arrow
 * decimal128 values first.
 */
import { Decimal, makeData, makeVector, type Data, type Utf8 } from 'apache-arrow'

const DECIMAL_TEXT = /^(-?)(\d+)(?:\.(\d*))?$/

/** The column as decimal128(precision, scale), or null when a value is not such a decimal. */
export function decimalFromText(data: Data<Utf8>, precision: number, scale: number): Data | null {
  if (!Number.isInteger(precision) || !Number.isInteger(scale) || precision < 1 || precision > 38)
    return null
  if (scale < 0 || scale > precision) return null
  const strings = makeVector(data)
  const words = new Uint32Array(data.length * 4)
  // Own bitmap: a sliced column's shares its parent's buffer, at an offset.
  const nullBitmap = new Uint8Array(Math.ceil(data.length / 8))
  let nullCount = 0
  const limit = 10n ** BigInt(precision)
  for (let i = 0; i < data.length; i++) {
    const text = strings.get(i)
    if (text === null) {
      nullCount++
      continue
    }
    nullBitmap[i >> 3]! |= 1 << (i & 7)
    const m = DECIMAL_TEXT.exec(text)
    const fraction = m?.[3] ?? ''
    if (!m || fraction.length > scale) return null
    let unscaled = BigInt(m[2]! + fraction.padEnd(scale, '0'))
    if (unscaled >= limit) return null
    if (m[1]) unscaled = -unscaled
    let x = BigInt.asUintN(128, unscaled)
    for (let w = 0; w < 4; w++, x >>= 32n) words[i * 4 + w] = Number(x & 0xffffffffn)
  }
  return makeData({
    type: new Decimal(scale, precision, 128),
    length: data.length,
    nullCount,
    nullBitmap,
    data: words,
  })
}
