// Decimal columns (what pd.read_parquet gives as decimal.Decimal objects) are written as
// to_csv writes them, with str(Decimal). Before, the CSV writer refused them, so exporting a
// Parquet table with a decimal column to CSV failed in the explorer.
import { Decimal, makeData, makeVector, tableFromArrays, Table, Schema, Field } from 'apache-arrow'
import { describe, expect, it } from 'vitest'
import { pythonDecimalStr } from '../../../electron/engine/serializers/csv/format-cells.js'
import { writePandasCsv } from '../../../electron/engine/serializers/csv/write-csv.js'

// Expected strings from Python 3.11: [text, str(decimal.Decimal(text))].
const PYTHON: [string, string][] = [
  ['0.00', '0.00'],
  ['545119.73', '545119.73'],
  ['-0.05', '-0.05'],
  ['0.00000001', '1E-8'],
  ['0.0000001', '1E-7'],
  ['0.000001', '0.000001'],
  ['123', '123'],
  ['-123.4500', '-123.4500'],
  ['0.1', '0.1'],
  ['1000000.000000001', '1000000.000000001'],
  ['-0.000000', '-0.000000'],
  ['12345678901234567890.123456', '12345678901234567890.123456'],
  ['0', '0'],
  ['-1', '-1'],
]

describe('decimal cells in CSV', () => {
  it.each(PYTHON)('str(Decimal(%s)) is %s', (text, want) => {
    expect(pythonDecimalStr(text)).toBe(want)
  })

  it('writes a decimal(12,2) column as pandas does, missing as na_rep', () => {
    // Unscaled 54511973 and -5 with scale 2, then a null; little-endian 128-bit words.
    const words = new Uint32Array([
      54511973, 0, 0, 0, 0xfffffffb, 0xffffffff, 0xffffffff, 0xffffffff, 0, 0, 0, 0,
    ])
    const type = new Decimal(2, 12, 128)
    const data = makeData({
      type,
      length: 3,
      nullCount: 1,
      data: words,
      nullBitmap: new Uint8Array([0b011]),
    })
    const price = makeVector(data)
    const ids = tableFromArrays({ id: new Int32Array([1, 2, 3]) })
    const table = new Table(new Schema([ids.schema.fields[0]!, new Field('price', type, true)]), {
      id: ids.getChild('id')!,
      price,
    } as never)
    const text = new TextDecoder().decode(writePandasCsv(table, { index: false }))
    expect(text).toBe('id,price\n1,545119.73\n2,-0.05\n3,\n')
  })
})
