import { InvalidArgumentError, KeyNotFoundError } from './errors.js'
import { validateKey } from './keys.js'
import type { CacheStore } from './store.js'

/** Which keys of a cache to copy: exact keys, glob patterns, or (both empty) every key. */
export interface KeySelection {
  keys?: string[]
  /** Glob patterns on keys: `*` and `?` stay inside one folder name, `**` crosses folders. */
  where?: string[]
}

const MAX_PATTERN = 1000

/**
 * A glob as an anchored RegExp over a whole key. `*` is any run of characters but '/', `?` one
 * such character, `**` anything including '/' (`a/**\/b` matches `a/b` too), `[abc]`, `[a-z]`
 * and `[!abc]` classes, and a backslash quotes the next character. ls has no key filter yet,
 * so this is the one `cp --where` and the explorer's "Copy to…" share.
 */
export function globToRegExp(glob: string): RegExp {
  if (glob.length === 0 || glob.length > MAX_PATTERN) {
    throw new InvalidArgumentError(
      `A key pattern must be 1 to ${MAX_PATTERN} characters, like 'runs/**' or '*.parquet'.`,
    )
  }
  let re = ''
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i] as string
    if (c === '*') {
      if (glob[i + 1] === '*') {
        i++
        // `**/` also matches no folder at all, so `a/**/b` takes `a/b`.
        if (glob[i + 1] === '/') {
          i++
          re += '(?:.*/)?'
        } else re += '.*'
      } else re += '[^/]*'
    } else if (c === '?') re += '[^/]'
    else if (c === '[') {
      const end = glob.indexOf(']', i + 2)
      if (end < 0) throw badPattern(glob, "a '[' without its closing ']'")
      let body = glob.slice(i + 1, end)
      const negate = body.startsWith('!') || body.startsWith('^')
      if (negate) body = body.slice(1)
      const escaped = body.replace(/[\\\]^]/g, (m) => `\\${m}`)
      re += negate ? `[^/${escaped}]` : `[${escaped}]`
      i = end
    } else if (c === '\\') {
      const next = glob[++i]
      if (next === undefined) throw badPattern(glob, 'a backslash at the end')
      re += escapeRegExp(next)
    } else re += escapeRegExp(c)
  }
  try {
    return new RegExp(`^${re}$`, 'u')
  } catch (err) {
    throw badPattern(glob, (err as Error).message)
  }
}

function escapeRegExp(c: string): string {
  return c.replace(/[.*+?^${}()|[\]\\/]/g, (m) => `\\${m}`)
}

function badPattern(glob: string, why: string): InvalidArgumentError {
  return new InvalidArgumentError(
    `Bad key pattern ${JSON.stringify(glob)}: ${why}. Patterns use *, ?, ** and [abc], ` +
      `e.g. 'runs/**' or '*.parquet'; put a backslash before a character meant literally.`,
  )
}

/**
 * The keys of `source` a selection names, sorted and without repeats. A named key that the
 * source lacks fails the whole call (nothing is copied), as rm does; a pattern that matches
 * nothing just adds nothing.
 */
export async function selectKeys(source: CacheStore, selection: KeySelection): Promise<string[]> {
  const named = selection.keys ?? []
  const patterns = (selection.where ?? []).map(globToRegExp)
  named.forEach((k) => validateKey(k))
  const all = await source.keys()
  if (named.length === 0 && patterns.length === 0) return all
  const have = new Set(all)
  const missing = named.filter((k) => !have.has(k))
  if (missing.length > 0) {
    const shown = missing.slice(0, 5).map((k) => `'${k}'`)
    throw new KeyNotFoundError(
      `No artifact ${shown.join(', ')}${missing.length > 5 ? ` (and ${missing.length - 5} more)` : ''} ` +
        `in ${source.url}; nothing was copied. Run 'xpersist ls' to see its keys.`,
    )
  }
  const chosen = new Set(named)
  for (const key of all) if (patterns.some((p) => p.test(key))) chosen.add(key)
  return [...chosen].sort()
}
