import { createStore } from 'zustand/vanilla'
import type { PrunePlanResult } from '../../../shared/ipc'
import {
  emptyRuleSet,
  readRuleSet,
  ruleSetIsEmpty,
  type RuleIssue,
  type RuleSet,
} from '../../../shared/rule-set'
import type { SavedRuleSet } from '../../../shared/rule-set-schema'
import { errorMessage, type Transport } from '../ipc/transport'

/**
 * The Clean up dialog: retention rules as typed, read as you type with the same reader as
 * `xpersist prune` (field messages at once), planned by the engine after a pause (the count
 * and bytes are the engine's, never worked out here), saved by name for the cache, and handed
 * to the delete flow on Review.
 */
export interface CleanupState {
  open: boolean
  cacheId: string | null
  rules: RuleSet
  /** What is wrong with the rules as typed, per field; no plan is asked while any is. */
  issues: RuleIssue[]
  /** The engine's answer for the rules as they were last planned. */
  plan: PrunePlanResult | null
  planning: boolean
  error: string | null
  saved: SavedRuleSet[]
  /** The name to save under (a loaded set's, or typed). */
  name: string
  savedError: string | null
  /** Review is fetching every key on a fresh listing. */
  reviewing: boolean
  show(cacheId: string): void
  close(): void
  setRules(patch: Partial<RuleSet>): void
  setName(name: string): void
  /** Fills the form with a saved set. */
  load(name: string): void
  save(): Promise<void>
  remove(name: string): Promise<void>
  /** Plans on a fresh listing and hands every chosen key to the delete flow. */
  review(): Promise<void>
}

/** Options: the pause after typing before planning, and who takes the keys on Review. */
export interface CleanupStoreOptions {
  debounceMs?: number
  onReview: (keys: string[]) => void
}

/** The Clean up dialog's store. */
export function createCleanupStore(transport: Transport, options: CleanupStoreOptions) {
  const debounceMs = options.debounceMs ?? 300
  let timer: ReturnType<typeof setTimeout> | null = null
  // Answers to older requests than the latest are dropped: typing fast never shows stale counts.
  let asked = 0
  // The first plan after opening lists the cache; the rest reuse that listing.
  let listed = false
  const stop = () => {
    if (timer !== null) clearTimeout(timer)
    timer = null
  }

  return createStore<CleanupState>()((set, get) => {
    const plan = async () => {
      const { cacheId, rules, issues } = get()
      if (cacheId === null || issues.length > 0) return
      const mine = ++asked
      set({ planning: true })
      try {
        const result = await transport.invoke('prune.plan', { cacheId, rules, fresh: !listed })
        listed = true
        if (mine === asked && get().open) set({ plan: result, planning: false, error: null })
      } catch (err) {
        if (mine === asked) set({ planning: false, error: errorMessage(err) })
      }
    }
    const schedule = () => {
      stop()
      asked++ // an answer in flight is for rules no longer shown
      if (get().issues.length > 0 || ruleSetIsEmpty(get().rules)) {
        set({ planning: false, plan: null, error: null })
        return
      }
      set({ planning: true })
      timer = setTimeout(() => {
        timer = null
        void plan()
      }, debounceMs)
    }
    const refreshSaved = async (cacheId: string) => {
      try {
        const saved = await transport.invoke('rules.list', { cacheId })
        if (get().cacheId === cacheId) set({ saved })
      } catch (err) {
        set({ savedError: errorMessage(err) })
      }
    }

    return {
      open: false,
      cacheId: null,
      rules: emptyRuleSet(),
      issues: [],
      plan: null,
      planning: false,
      error: null,
      saved: [],
      name: '',
      savedError: null,
      reviewing: false,
      show: (cacheId) => {
        stop()
        listed = false
        const same = get().cacheId === cacheId
        set({
          open: true,
          cacheId,
          error: null,
          savedError: null,
          reviewing: false,
          plan: null,
          ...(same ? {} : { rules: emptyRuleSet(), issues: [], name: '', saved: [] }),
        })
        void refreshSaved(cacheId)
        schedule()
      },
      close: () => {
        stop()
        asked++
        set({ open: false, planning: false, reviewing: false })
      },
      setRules: (patch) => {
        const rules = { ...get().rules, ...patch }
        set({ rules, issues: readRuleSet(rules).issues })
        schedule()
      },
      setName: (name) => set({ name, savedError: null }),
      load: (name) => {
        const found = get().saved.find((s) => s.name === name)
        if (!found) return
        const rules = { ...emptyRuleSet(), ...found.rules }
        set({ rules, issues: readRuleSet(rules).issues, name: found.name, savedError: null })
        schedule()
      },
      save: async () => {
        const { cacheId, name, rules } = get()
        if (cacheId === null) return
        try {
          const saved = await transport.invoke('rules.save', { cacheId, name, rules })
          set({ saved, savedError: null, name: name.trim() })
        } catch (err) {
          set({ savedError: errorMessage(err) })
        }
      },
      remove: async (name) => {
        const { cacheId } = get()
        if (cacheId === null) return
        try {
          const saved = await transport.invoke('rules.delete', { cacheId, name })
          set({ saved, savedError: null })
        } catch (err) {
          set({ savedError: errorMessage(err) })
        }
      },
      review: async () => {
        const { cacheId, rules, issues } = get()
        if (cacheId === null || issues.length > 0 || get().reviewing) return
        stop()
        const mine = ++asked
        set({ reviewing: true, error: null })
        try {
          // A fresh listing: the keys handed on are judged as the cache is now.
          const result = await transport.invoke('prune.plan', {
            cacheId,
            rules,
            fresh: true,
            keys: 'all',
          })
          if (mine !== asked || !get().open) return
          set({ plan: result, reviewing: false, planning: false })
          if (result.keys.length === 0) return
          set({ open: false })
          options.onReview(result.keys)
        } catch (err) {
          if (mine === asked) set({ reviewing: false, error: errorMessage(err) })
        }
      },
    }
  })
}

/** The store type createCleanupStore returns. */
export type CleanupStore = ReturnType<typeof createCleanupStore>
