import { describe, expect, it } from 'vitest'
import { visibleLines, visibleParts, visibleText } from '../../shared/visible-text.js'

describe('visibleText', () => {
  it('escapes C0/C1 controls, DEL, bidi and zero-width characters; leaves other text alone', () => {
    expect(visibleText('invoice\u202egpj.exe')).toBe('invoice\\u202egpj.exe')
    expect(visibleText('a\u001b[31mb\u0007')).toBe('a\\x1b[31mb\\x07')
    expect(visibleText('t\tn\nr\r\u007f\u0085')).toBe('t\\tn\\nr\\r\\x7f\\x85')
    expect(visibleText('\u200b\u200d\u200e\u200f\u061c\u2066\u2069\ufeff')).toBe(
      '\\u200b\\u200d\\u200e\\u200f\\u061c\\u2066\\u2069\\ufeff',
    )
    expect(visibleText('Zürich 東京 مرحبا 🙂')).toBe('Zürich 東京 مرحبا 🙂')
  })
  it('keeps line breaks as line breaks for multi-line output', () => {
    expect(visibleLines('a\u202e\nb\u001b')).toBe('a\\u202e\nb\\x1b')
  })
  it('splits text into plain runs and named escapes for the explorer', () => {
    expect(visibleParts('ab')).toEqual([{ text: 'ab' }])
    expect(visibleParts('a\u202eb')).toEqual([
      { text: 'a' },
      { text: '\u202e', escape: '\\u202e', name: 'U+202E RIGHT-TO-LEFT OVERRIDE' },
      { text: 'b' },
    ])
    expect(visibleParts('\u0001')).toEqual([
      { text: '\u0001', escape: '\\x01', name: 'U+0001 CONTROL CHARACTER' },
    ])
  })
})
