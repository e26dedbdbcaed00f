/**
 * One Arrow column's cells as DataFrame.to_csv writes the equivalent pandas column (the one
 * pyarrow's to_pandas would give): ints plain, floats as numpy's str() of their own width,
 * bools True/False, datetimes per table/datetime-text.ts, dates as str(date), missing as na_rep.
 */
import { DataType, type Dictionary, type Float, type Timestamp, type Vector } from 'apache-arrow'
import { NotSupportedError } from '../../errors.js'
import { decimalsAsText, shortTypeName, timestampsAsNs } from '../../table/arrow-columns.js'
import { formatDate, formatDatetimes } from '../../table/datetime-text.js'
import { reprFloat32, reprFloat64 } from '../../table/python-float.js'

/** The to_csv options that change how a cell is spelled. */
export interface CellFormat {
  naRep: string
  floatFormat?: (x: number) => string
  dateFormat?: string
}

const MS_PER_DAY = 86_400_000

/** The column's cells, in row order. */
export function formatColumn(vector: Vector, name: string, fmt: CellFormat): string[] {
  const type = vector.type as DataType
  const each = (spell: (v: never) => string): string[] => {
    const out = new Array<string>(vector.length)
    for (let i = 0; i < vector.length; i++) {
      const v = vector.get(i) as unknown
      out[i] = v === null || v === undefined ? fmt.naRep : spell(v as never)
    }
    return out
  }
  if (DataType.isNull(type)) return new Array<string>(vector.length).fill(fmt.naRep)
  if (DataType.isInt(type)) return each((v: number | bigint) => String(v))
  if (DataType.isBool(type)) return each((v: boolean) => (v ? 'True' : 'False'))
  if (DataType.isUtf8(type) || DataType.isLargeUtf8(type)) return each((v: string) => v)
  if (DataType.isFloat(type)) {
    const precision = (type as Float).precision
    if (precision === 0) throw unsupported(name, type)
    const spell = fmt.floatFormat ?? (precision === 1 ? reprFloat32 : reprFloat64)
    // pandas treats NaN as missing: it becomes na_rep, never 'nan'.
    return each((v: number) => (Number.isNaN(v) ? fmt.naRep : spell(v)))
  }
  if (DataType.isTimestamp(type)) {
    const tz = (type as Timestamp).timezone ?? null
    return formatDatetimes(timestampsAsNs(vector), tz, fmt.naRep, fmt.dateFormat)
  }
  // Arrow dates become datetime.date objects in pandas, written with str(): no date_format.
  if (DataType.isDate(type)) {
    return each((v: number | Date) => formatDate(Math.floor(Number(v) / MS_PER_DAY)))
  }
  if (DataType.isDictionary(type)) return formatDictionary(vector as Vector<Dictionary>, name, fmt)
  // pyarrow gives decimal.Decimal objects, which to_csv writes with str() (float_format
  // does not apply to them).
  if (DataType.isDecimal(type)) {
    return decimalsAsText(vector).map((t) => (t === null ? fmt.naRep : pythonDecimalStr(t)))
  }
  throw unsupported(name, type)
}

/**
 * str(decimal.Decimal) of a decimal's exact text ('-0.05', '545119.73'): Python's rule,
 * plain while the adjusted exponent is at least -6, else scientific ('1E-8'), zero keeping
 * its scale ('0.00').
 */
export function pythonDecimalStr(text: string): string {
  const negative = text.startsWith('-')
  const body = negative ? text.slice(1) : text
  const dot = body.indexOf('.')
  const exponent = dot < 0 ? 0 : -(body.length - dot - 1)
  const digits = body.replace('.', '').replace(/^0+(?=\d)/, '')
  const left = exponent + digits.length
  const dotplace = exponent <= 0 && left > -6 ? left : 1
  let out: string
  if (dotplace <= 0) out = `0.${'0'.repeat(-dotplace)}${digits}`
  else if (dotplace >= digits.length) out = digits + '0'.repeat(dotplace - digits.length)
  else out = `${digits.slice(0, dotplace)}.${digits.slice(dotplace)}`
  if (left !== dotplace) {
    const e = left - dotplace
    out += `E${e < 0 ? '-' : '+'}${Math.abs(e)}`
  }
  return (negative ? '-' : '') + out
}

// A category column: spell each distinct value once, then look the codes up.
function formatDictionary(vector: Vector<Dictionary>, name: string, fmt: CellFormat): string[] {
  const out: string[] = []
  for (const chunk of vector.data) {
    const dictionary = chunk.dictionary
    const spelled = dictionary ? formatColumn(dictionary, name, fmt) : []
    const codes = chunk.values
    for (let j = 0; j < chunk.length; j++) {
      out.push(chunk.getValid(j) ? (spelled[Number(codes[j])] ?? fmt.naRep) : fmt.naRep)
    }
  }
  return out
}

function unsupported(name: string, type: DataType): NotSupportedError {
  return new NotSupportedError(
    `pandas.csv cannot write column '${name}' of Arrow type ${String(type)} ` +
      `(${shortTypeName(type)}); cast it to a supported type or use another serializer.`,
  )
}
