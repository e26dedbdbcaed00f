/**
 * Named retention rule sets, saved per cache in the user's config folder (beside the recent
 * caches), never inside a cache: a cache may be read-only, shared, or someone else's. The
 * file holds arrays, read into Maps: cache URLs and set names are the user's strings and
 * never key a plain object. Bounded in bytes, caches and sets; written whole to a temp file
 * and renamed over the old one, so a crash leaves the old file or the new, never half of one.
 * Rule sets hold rules only: no storage option, key or token is ever written here.
 */
import { randomBytes } from 'node:crypto'
import { promises as fs } from 'node:fs'
import path from 'node:path'
import { z } from 'zod'
import { InvalidArgumentError, LimitExceededError } from '../engine/errors.js'
import type { RuleSet } from '../../shared/rule-set.js'
import { SavedRuleSetSchema, type SavedRuleSet } from '../../shared/rule-set-schema.js'

/** How much the file may hold. */
export const SAVED_RULES_LIMITS = {
  /** Rule sets of one cache. */
  setsPerCache: 50,
  /** Caches with rule sets; saving for one more forgets the one saved to longest ago. */
  caches: 200,
  /** The file is not read past this. */
  fileBytes: 4_000_000,
}

const FileSchema = z.object({
  version: z.literal(1),
  caches: z.array(z.object({ url: z.string().min(1).max(4096), sets: z.array(z.unknown()) })),
})

/** Cache URL -> (set name -> set); caches saved to most recently first. */
type Sets = Map<string, Map<string, SavedRuleSet>>

/** The saved-rules file (null: kept in memory only, as tests and hosts without one do). */
export class SavedRules {
  private memory: Sets = new Map()
  /** Saves in this process run one at a time: none reads the file while another writes it. */
  private queue: Promise<unknown> = Promise.resolve()

  constructor(readonly file: string | null) {}

  /** The rule sets saved for a cache, by name. */
  async list(url: string): Promise<SavedRuleSet[]> {
    const sets = await this.read()
    return listOf(sets.get(url))
  }

  /** Saves (or replaces) `name` for the cache at `url`; the cache's sets after it. */
  save(url: string, name: string, rules: RuleSet, now: Date = new Date()): Promise<SavedRuleSet[]> {
    return this.change((sets) => {
      const mine = new Map(sets.get(url) ?? [])
      if (!mine.has(name) && mine.size >= SAVED_RULES_LIMITS.setsPerCache)
        throw new LimitExceededError(
          `This cache already has ${SAVED_RULES_LIMITS.setsPerCache} saved rule sets; ` +
            `delete one before saving '${name}'.`,
        )
      mine.set(name, { name, rules, savedAt: now.toISOString() })
      sets.delete(url)
      const next: Sets = new Map([[url, mine], ...sets])
      for (const old of [...next.keys()].slice(SAVED_RULES_LIMITS.caches)) next.delete(old)
      return { sets: next, answer: listOf(mine) }
    })
  }

  /** Forgets `name` for the cache at `url`; the cache's sets after it. */
  remove(url: string, name: string): Promise<SavedRuleSet[]> {
    return this.change((sets) => {
      const mine = new Map(sets.get(url) ?? [])
      if (!mine.delete(name))
        throw new InvalidArgumentError(`There is no saved rule set '${name}' for this cache.`)
      const next = new Map(sets)
      if (mine.size === 0) next.delete(url)
      else next.set(url, mine)
      return { sets: next, answer: listOf(mine) }
    })
  }

  private change(
    edit: (sets: Sets) => { sets: Sets; answer: SavedRuleSet[] },
  ): Promise<SavedRuleSet[]> {
    const run = async () => {
      // Read just before writing: another window's save since our last read is kept.
      const { sets, answer } = edit(await this.read(true))
      await this.write(sets)
      return answer
    }
    const done = this.queue.then(run, run)
    this.queue = done.catch(() => {})
    return done
  }

  private async read(forWrite = false): Promise<Sets> {
    if (this.file === null) return this.memory
    let text: string
    try {
      const handle = await fs.open(this.file, 'r')
      try {
        const { size } = await handle.stat()
        if (size > SAVED_RULES_LIMITS.fileBytes)
          return unreadable(this.file, 'it is too big', forWrite)
        text = await handle.readFile('utf8')
      } finally {
        await handle.close()
      }
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return new Map()
      throw err
    }
    let parsed
    try {
      parsed = FileSchema.safeParse(JSON.parse(text))
    } catch {
      return unreadable(this.file, 'it is not valid JSON', forWrite)
    }
    if (!parsed.success) return unreadable(this.file, 'it is not a saved-rules file', forWrite)
    const sets: Sets = new Map()
    for (const cache of parsed.data.caches) {
      if (sets.has(cache.url)) continue
      const mine = new Map<string, SavedRuleSet>()
      for (const raw of cache.sets.slice(0, SAVED_RULES_LIMITS.setsPerCache)) {
        // A set this build cannot read (edited by hand, a newer build) is left out, not fatal.
        const set = SavedRuleSetSchema.safeParse(raw)
        if (set.success && !mine.has(set.data.name)) mine.set(set.data.name, set.data)
      }
      if (mine.size > 0) sets.set(cache.url, mine)
      if (sets.size >= SAVED_RULES_LIMITS.caches) break
    }
    return sets
  }

  private async write(sets: Sets): Promise<void> {
    if (this.file === null) {
      this.memory = sets
      return
    }
    const body = {
      version: 1,
      caches: [...sets].map(([url, mine]) => ({ url, sets: [...mine.values()] })),
    }
    const text = JSON.stringify(body, null, 2)
    if (Buffer.byteLength(text) > SAVED_RULES_LIMITS.fileBytes)
      throw new LimitExceededError(
        'The saved rule sets would not fit in their file; delete some before saving more.',
      )
    await fs.mkdir(path.dirname(this.file), { recursive: true })
    const tmp = `${this.file}.${randomBytes(6).toString('hex')}.tmp`
    try {
      await fs.writeFile(tmp, text, { mode: 0o600, flag: 'wx' })
      await fs.rename(tmp, this.file)
    } catch (err) {
      await fs.rm(tmp, { force: true })
      throw err
    }
  }
}

function listOf(mine: ReadonlyMap<string, SavedRuleSet> | undefined): SavedRuleSet[] {
  return [...(mine?.values() ?? [])].sort((a, b) =>
    a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
  )
}

/** Listing shows nothing from a file it cannot read; saving over it is refused (it is kept). */
function unreadable(file: string, why: string, forWrite: boolean): Sets {
  if (!forWrite) return new Map()
  throw new InvalidArgumentError(
    `The saved rule sets in ${file} cannot be read (${why}), so nothing was saved; ` +
      `move that file away to start a new one.`,
  )
}
