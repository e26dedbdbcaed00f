// Float spelling against values numpy 1.24 / Python 3.11 printed (astype(str), '%' formatting).
import { describe, expect, it } from 'vitest'
import {
  floatFormatter,
  reprFloat32,
  reprFloat64,
  shortestFloat32,
} from '../../../electron/engine/table/python-float.js'

describe('reprFloat64 is Python repr()', () => {
  it.each([
    [21, '21.0'],
    [0.1, '0.1'],
    [1e-5, '1e-05'],
    [0.0001, '0.0001'],
    [1.2345678901234568e17, '1.2345678901234568e+17'],
    [1e16, '1e+16'],
    [9999999999999998, '9999999999999998.0'],
    [-0, '-0.0'],
    [5e-324, '5e-324'],
    [1.7976931348623157e308, '1.7976931348623157e+308'],
    [-3.25, '-3.25'],
    [1 / 3, '0.3333333333333333'],
    [Infinity, 'inf'],
    [-Infinity, '-inf'],
  ])('%s -> %s', (x, s) => expect(reprFloat64(x)).toBe(s))
})

describe('reprFloat32 is numpy str() of a float32', () => {
  it.each([
    [28.4282, '28.4282'],
    [1e-4, '1e-04'],
    [0.1, '0.1'],
    [3.4028234663852886e38, '3.4028235e+38'],
    [16777216, '16777216.0'],
    [123456789, '123456790.0'],
    [1e16, '1e+16'],
    // Exact ties between two shortest spellings go to the even digit, as numpy's Dragon4 does.
    [-3186380.25, '-3186380.2'],
    [0.000244140625, '0.00024414062'],
    [381805.625, '381805.62'],
  ])('%s -> %s', (x, s) => expect(reprFloat32(Math.fround(x))).toBe(s))

  it('gives JSON the shortest float32 decimal', () => {
    expect(shortestFloat32(Math.fround(28.4282))).toBe(28.4282)
    expect(shortestFloat32(Math.fround(-0.1))).toBe(-0.1)
  })
})

describe('floatFormatter is printf with exact half-even rounding', () => {
  it.each([
    ['%.2f', 0.125, '0.12'],
    ['%.2f', 0.375, '0.38'],
    ['%.3f', 1.2345678901234568e17, '123456789012345680.000'],
    ['%.0f', 2.5, '2'],
    ['%.0f', -0.4, '-0'],
    ['%.3e', 1.5, '1.500e+00'],
    ['%e', 1e-5, '1.000000e-05'],
    ['%.2E', 12345, '1.23E+04'],
    ['%.1e', 9.96, '1.0e+01'],
    ['%f', 1 / 3, '0.333333'],
    // What pandas 1.5's to_csv(float_format=...) wrote for these values.
    ['%.3g', 1e20, '1e+20'],
    ['%.3g', 0.0001234, '0.000123'],
    ['%.3g', -0, '-0'],
    ['%.3g', 123456789, '1.23e+08'],
    ['%g', 0.0001234, '0.0001234'],
    ['%g', 123456789, '1.23457e+08'],
    ['%g', 1.5, '1.5'],
    ['%.0g', 1.5, '2'],
    ['%.0g', 2.5, '2'],
    ['%.0g', 0.125, '0.1'],
    ['%G', 1e20, '1E+20'],
    ['%G', Infinity, 'INF'],
    ['%g', 100000, '100000'],
    ['%g', 1000000, '1e+06'],
    ['%d', 1.5, '1'],
    ['%d', -2.7, '-2'],
    ['%d', 1e20, '100000000000000000000'],
    ['%i', -0, '0'],
  ])('%s of %s -> %s', (spec, x, s) => expect(floatFormatter(spec)(x)).toBe(s))

  it('refuses forms it does not implement, and inf as an integer', () => {
    for (const spec of ['{:.2f}', '%10.2f', '%+.2f', '%.2d', '%s', '%.2f%%', '%.101f']) {
      expect(() => floatFormatter(spec)).toThrow(/float_format must be one of '%.Nf'/)
    }
    expect(() => floatFormatter('%d')(Infinity)).toThrow(/cannot convert float inf to integer/)
  })
})
