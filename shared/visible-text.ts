/**
 * Control and invisible formatting characters made visible. Keys, metadata and cells are other
 * people's strings: a raw ESC sequence would drive the terminal, and a right-to-left override
 * shows `invoice\u202egpj.exe` as "invoiceexe.jpg". Both the CLI's text output and the explorer
 * show such characters as escapes (`\u202e`), named in the explorer's tooltip.
 */

// C0 controls, DEL and C1 controls; the Arabic letter mark; zero-width and directional marks;
// line/paragraph separators and bidi embeddings/overrides; word joiner, invisible operators and
// bidi isolates; the zero-width no-break space (BOM). Matching controls is the point here.
/** One control, bidi or zero-width character (also what the metadata editor keeps escaped). */
export const INVISIBLE =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/
const INVISIBLE_ALL = new RegExp(INVISIBLE.source, 'g')

const NAMES = new Map<number, string>([
  [0x00, 'NULL'],
  [0x07, 'BELL'],
  [0x08, 'BACKSPACE'],
  [0x09, 'TAB'],
  [0x0a, 'LINE FEED'],
  [0x0d, 'CARRIAGE RETURN'],
  [0x1b, 'ESCAPE'],
  [0x7f, 'DELETE'],
  [0x061c, 'ARABIC LETTER MARK'],
  [0x200b, 'ZERO WIDTH SPACE'],
  [0x200c, 'ZERO WIDTH NON-JOINER'],
  [0x200d, 'ZERO WIDTH JOINER'],
  [0x200e, 'LEFT-TO-RIGHT MARK'],
  [0x200f, 'RIGHT-TO-LEFT MARK'],
  [0x2028, 'LINE SEPARATOR'],
  [0x2029, 'PARAGRAPH SEPARATOR'],
  [0x202a, 'LEFT-TO-RIGHT EMBEDDING'],
  [0x202b, 'RIGHT-TO-LEFT EMBEDDING'],
  [0x202c, 'POP DIRECTIONAL FORMATTING'],
  [0x202d, 'LEFT-TO-RIGHT OVERRIDE'],
  [0x202e, 'RIGHT-TO-LEFT OVERRIDE'],
  [0x2060, 'WORD JOINER'],
  [0x2066, 'LEFT-TO-RIGHT ISOLATE'],
  [0x2067, 'RIGHT-TO-LEFT ISOLATE'],
  [0x2068, 'FIRST STRONG ISOLATE'],
  [0x2069, 'POP DIRECTIONAL ISOLATE'],
  [0xfeff, 'ZERO WIDTH NO-BREAK SPACE'],
])

const SHORT = new Map<number, string>([
  [0x09, '\\t'],
  [0x0a, '\\n'],
  [0x0d, '\\r'],
])

/** True when `text` holds a character that visibleText would escape. */
export function hasInvisible(text: string): boolean {
  return INVISIBLE.test(text)
}

/** The escape shown for one invisible character: `\n`, `\x1b`, `\u202e`. */
export function escapeChar(ch: string): string {
  const code = ch.charCodeAt(0)
  const short = SHORT.get(code)
  if (short !== undefined) return short
  const hex = code.toString(16).padStart(code < 0x100 ? 2 : 4, '0')
  return code < 0x100 ? `\\x${hex}` : `\\u${hex}`
}

/** The Unicode name of an invisible character, for tooltips: "RIGHT-TO-LEFT OVERRIDE". */
export function charName(ch: string): string {
  const code = ch.charCodeAt(0)
  const hex = code.toString(16).toUpperCase().padStart(4, '0')
  return `U+${hex} ${NAMES.get(code) ?? 'CONTROL CHARACTER'}`
}

/** `text` with every control, bidi and zero-width character replaced by its escape. */
export function visibleText(text: string): string {
  return INVISIBLE.test(text) ? text.replace(INVISIBLE_ALL, escapeChar) : text
}

/** Like visibleText, but line breaks stay line breaks: for multi-line terminal output. */
export function visibleLines(text: string): string {
  return INVISIBLE.test(text) ? text.split('\n').map(visibleText).join('\n') : text
}

/** One run of a string: plain text, or one invisible character with its escape and name. */
export type TextPart = { text: string } | { text: string; escape: string; name: string }

/** `text` split into plain runs and invisible characters, for UIs that style the escapes. */
export function visibleParts(text: string): TextPart[] {
  if (!INVISIBLE.test(text)) return [{ text }]
  const parts: TextPart[] = []
  let last = 0
  for (const m of text.matchAll(INVISIBLE_ALL)) {
    if (m.index > last) parts.push({ text: text.slice(last, m.index) })
    parts.push({ text: m[0], escape: escapeChar(m[0]), name: charName(m[0]) })
    last = m.index + 1
  }
  if (last < text.length) parts.push({ text: text.slice(last) })
  return parts
}
