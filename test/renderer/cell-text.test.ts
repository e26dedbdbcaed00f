// Cells as pandas prints them: the missing marker by dtype and serializer, exact big numbers,
// datetimes with a space (dates alone when the column is all midnights), floats with '.0'.
import { describe, expect, it } from 'vitest'
import { cellText, columnFormat } from '../../renderer/src/preview/cell-text'

const parquet = (type: string, cells: (string | number | boolean | null)[] = []) =>
  columnFormat(type, cells, 'pandas.parquet')

describe('cellText', () => {
  it('missing values read as pandas prints them for each dtype', () => {
    expect(cellText(null, parquet('datetime')).text).toBe('NaT')
    expect(cellText(null, parquet('date')).text).toBe('None')
    expect(cellText(null, parquet('float64')).text).toBe('NaN')
    expect(cellText(null, parquet('int64')).text).toBe('<NA>')
    expect(cellText(null, parquet('bool')).text).toBe('<NA>')
    expect(cellText(null, parquet('string')).text).toBe('None')
    expect(cellText(null, parquet('string')).missing).toBe(true)
    // read_csv: NaN for everything but parsed datetimes
    const csv = (type: string) => columnFormat(type, [], 'pandas.csv')
    expect(cellText(null, csv('string')).text).toBe('NaN')
    expect(cellText(null, csv('int64')).text).toBe('NaN')
    expect(cellText(null, csv('datetime')).text).toBe('NaT')
  })

  it('numbers and text are exact; float whole numbers keep .0', () => {
    expect(cellText('1180591620717411303424', parquet('int64')).text).toBe('1180591620717411303424')
    expect(cellText('12345678901234567890.12', parquet('string')).text).toBe(
      '12345678901234567890.12',
    )
    expect(cellText(21, parquet('float64')).text).toBe('21.0')
    expect(cellText(21, parquet('int64')).text).toBe('21')
    expect(cellText(0.1, parquet('float32')).text).toBe('0.1')
    expect(cellText(true, parquet('bool')).text).toBe('True')
  })

  it('datetimes: a space, a UTC offset, and dates alone for a column of midnights', () => {
    const times = ['2021-01-01T00:00:00', '2021-01-02T06:30:00', null]
    expect(cellText(times[1]!, parquet('datetime', times)).text).toBe('2021-01-02 06:30:00')
    expect(
      cellText('2021-03-27T21:00:00Z', parquet('datetime', ['2021-03-27T21:00:00Z'])).text,
    ).toBe('2021-03-27 21:00:00+00:00')
    const days = ['2021-01-01T00:00:00', '2021-01-02T00:00:00', null]
    expect(cellText(days[1]!, parquet('datetime', days)).text).toBe('2021-01-02')
    expect(cellText('2021-03-04', parquet('date', ['2021-03-04'])).text).toBe('2021-03-04')
  })
})
