import { pyFloatRepr } from '../../../shared/pyjson.js'
import { InvalidArgumentError } from '../errors.js'

/**
 * Python's `str.format(**kwargs)` for location templates: `{name}`, `{name.attr}`,
 * `{name[key]}`, `{{`/`}}`, conversions `!s !r !a` and the format-spec mini-language for
 * strings, ints and floats. Positional fields (`{}`, `{0}`) have nothing to refer to here.
 */
export function pyFormat(template: string, kwargs: Record<string, unknown>): string {
  let out = ''
  let i = 0
  while (i < template.length) {
    const c = template[i] as string
    if (c === '{' && template[i + 1] === '{') {
      out += '{'
      i += 2
    } else if (c === '}' && template[i + 1] === '}') {
      out += '}'
      i += 2
    } else if (c === '}') {
      throw bad(template, "a single '}' must be written '}}'")
    } else if (c === '{') {
      const end = closingBrace(template, i)
      out += replaceField(template, template.slice(i + 1, end), kwargs)
      i = end + 1
    } else {
      out += c
      i++
    }
  }
  return out
}

function bad(template: string, why: string): InvalidArgumentError {
  return new InvalidArgumentError(`Location template ${JSON.stringify(template)}: ${why}.`)
}

function closingBrace(template: string, open: number): number {
  let depth = 0
  for (let j = open; j < template.length; j++) {
    if (template[j] === '{') depth++
    else if (template[j] === '}' && --depth === 0) return j
  }
  throw bad(template, "a '{' is never closed")
}

function replaceField(template: string, field: string, kwargs: Record<string, unknown>): string {
  const m = /^([^!:]*)(?:!([rsa]))?(?::(.*))?$/s.exec(field)
  if (!m) throw bad(template, `cannot read the field {${field}}`)
  const [, name = '', conversion, rawSpec = ''] = m
  const value = lookup(template, name, kwargs)
  const spec = rawSpec.includes('{') ? pyFormat(rawSpec, kwargs) : rawSpec
  if (conversion === 'r' || conversion === 'a') return formatValue(pyRepr(value), spec)
  if (conversion === 's') return formatValue(pyStr(value), spec)
  return formatValue(value, spec)
}

function lookup(template: string, name: string, kwargs: Record<string, unknown>): unknown {
  const m = /^([^.[]*)(.*)$/s.exec(name) as RegExpExecArray
  const root = m[1] as string
  if (root === '' || /^\d+$/.test(root)) {
    throw bad(template, `positional field {${root}} has no value here; name it, like {task_name}`)
  }
  if (!Object.hasOwn(kwargs, root)) {
    throw bad(
      template,
      `it needs '${root}', which is not among ${Object.keys(kwargs).sort().join(', ') || 'the (no) values given'}`,
    )
  }
  let value: unknown = kwargs[root]
  const rest = m[2] as string
  for (const part of rest.matchAll(/\.([^.[]+)|\[([^\]]*)\]/g)) {
    const key = (part[1] ?? part[2]) as string
    const container = value as Record<string, unknown> | unknown[] | Map<unknown, unknown> | null
    if (container instanceof Map)
      value = container.get(/^\d+$/.test(key) ? Number(key) : key) ?? container.get(key)
    else if (container !== null && typeof container === 'object' && Object.hasOwn(container, key))
      value = (container as Record<string, unknown>)[key]
    else throw bad(template, `'${root}${rest}' has no '${key}'`)
  }
  return value
}

/** Python's str() of a plain value. */
export function pyStr(v: unknown): string {
  if (typeof v === 'string') return v
  return pyRepr(v)
}

/** Python's repr() of a plain value. */
export function pyRepr(v: unknown): string {
  if (v === null || v === undefined) return 'None'
  if (v === true) return 'True'
  if (v === false) return 'False'
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : pyFloatRepr(v)
  if (typeof v === 'bigint') return v.toString()
  if (typeof v === 'string') return `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`
  if (Array.isArray(v)) return `[${v.map(pyRepr).join(', ')}]`
  if (v instanceof Date) return v.toISOString()
  if (typeof v === 'object') {
    return `{${Object.entries(v)
      .map(([k, x]) => `${pyRepr(k)}: ${pyRepr(x)}`)
      .join(', ')}}`
  }
  return String(v)
}

const SPEC = /^(?:(.)?([<>=^]))?([+\- ])?(#)?(0)?(\d+)?([,_])?(?:\.(\d+))?([bcdeEfFgGnosxX%])?$/s

function formatValue(value: unknown, spec: string): string {
  if (spec === '') return pyStr(value)
  const m = SPEC.exec(spec)
  if (!m) throw new InvalidArgumentError(`Invalid format spec ':${spec}' in a location template.`)
  const [, fillChar, alignChar, sign = '-', , zero, widthText, grouping, precText, type] = m
  const isNumber =
    typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean'
  let body: string
  if (!isNumber) {
    if (type && type !== 's')
      throw new InvalidArgumentError(`Format code '${type}' needs a number, got ${pyRepr(value)}.`)
    body = pyStr(value)
    if (precText !== undefined) body = body.slice(0, Number(precText))
  } else {
    body = formatNumber(
      Number(value),
      typeof value === 'bigint' ? value : undefined,
      type,
      precText,
      grouping,
    )
  }
  let prefix = ''
  if (isNumber) {
    if (body.startsWith('-')) {
      prefix = '-'
      body = body.slice(1)
    } else if (sign === '+' || sign === ' ') prefix = sign
  }
  const width = Number(widthText ?? 0)
  const align = alignChar ?? (zero ? '=' : isNumber ? '>' : '<')
  const fill = fillChar ?? (zero && !alignChar ? '0' : ' ')
  const pad = Math.max(0, width - prefix.length - body.length)
  if (align === '=') return prefix + fill.repeat(pad) + body
  const full = prefix + body
  if (align === '<') return full + fill.repeat(pad)
  if (align === '^')
    return fill.repeat(Math.floor(pad / 2)) + full + fill.repeat(Math.ceil(pad / 2))
  return fill.repeat(pad) + full
}

function formatNumber(
  x: number,
  big: bigint | undefined,
  type: string | undefined,
  precText: string | undefined,
  grouping: string | undefined,
): string {
  const prec = precText === undefined ? undefined : Number(precText)
  let s: string
  switch (type) {
    case 'd':
    case 'n':
      s = big !== undefined ? big.toString() : String(Math.trunc(x))
      break
    case 'b':
    case 'o':
    case 'x':
    case 'X':
      s = (big ?? BigInt(Math.trunc(x))).toString({ b: 2, o: 8, x: 16, X: 16 }[type])
      if (type === 'X') s = s.toUpperCase()
      break
    case 'f':
    case 'F':
      s = x.toFixed(prec ?? 6)
      break
    case 'e':
    case 'E':
      s = x.toExponential(prec ?? 6).replace(/e([+-])(\d)$/, 'e$10$2')
      if (type === 'E') s = s.toUpperCase()
      break
    case '%':
      s = `${(x * 100).toFixed(prec ?? 6)}%`
      break
    case 'g':
    case 'G':
      s = String(Number(x.toPrecision(prec || 6)))
      break
    default:
      s = prec !== undefined ? String(Number(x.toPrecision(prec || 1))) : pyRepr(big ?? x)
  }
  if (grouping) {
    const [int = '', frac] = s.split('.')
    s = int.replace(/\B(?=(\d{3})+(?!\d))/g, grouping) + (frac !== undefined ? `.${frac}` : '')
  }
  return s
}
