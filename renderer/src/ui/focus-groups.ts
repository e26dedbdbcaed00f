import { useEffect, type RefObject } from 'react'

// What counts as a member of a group: its enabled buttons and disclosure summaries.
const MEMBERS = 'button:not(:disabled), summary'

const MOVES: Record<string, 'prev' | 'next' | 'first' | 'last'> = {
  ArrowUp: 'prev',
  ArrowDown: 'next',
  Home: 'first',
  End: 'last',
}

/**
 * Makes each element matching `groupSelector` under `ref` one tab stop: Tab enters a group at
 * the member last focused there (else the pressed one, else the first), and the arrows, Home
 * and End move inside it. A long facet list then costs one Tab, not one per value. The
 * members are found in the DOM, so the components that render them need not know.
 */
export function useFocusGroups(ref: RefObject<HTMLElement | null>, groupSelector: string) {
  useEffect(() => {
    const root = ref.current
    if (!root) return
    const last = new WeakMap<Element, HTMLElement>()
    const members = (group: Element) =>
      [...group.querySelectorAll<HTMLElement>(MEMBERS)].filter(
        (m) => m.closest(groupSelector) === group,
      )
    const groupOf = (el: Element | null) => el?.closest(groupSelector) ?? null
    const apply = () => {
      for (const group of root.querySelectorAll(groupSelector)) {
        const all = members(group)
        const remembered = last.get(group)
        const stop =
          (remembered && all.includes(remembered) ? remembered : undefined) ??
          all.find((m) => m.getAttribute('aria-pressed') === 'true') ??
          all[0]
        for (const m of all) {
          const want = m === stop ? 0 : -1
          if (m.tabIndex !== want) m.tabIndex = want
        }
      }
    }
    const onFocusIn = (e: FocusEvent) => {
      const target = e.target as HTMLElement
      const group = groupOf(target)
      if (group && members(group).includes(target)) {
        last.set(group, target)
        apply()
      }
    }
    const onKeyDown = (e: KeyboardEvent) => {
      const move = MOVES[e.key]
      const target = e.target as HTMLElement
      const group = groupOf(target)
      if (!move || !group || e.altKey || e.ctrlKey || e.metaKey) return
      const all = members(group)
      const at = all.indexOf(target)
      if (at === -1) return
      const to = { prev: at - 1, next: at + 1, first: 0, last: all.length - 1 }[move]
      const next = all[Math.max(0, Math.min(all.length - 1, to))]
      e.preventDefault()
      next?.focus()
    }
    apply()
    // Facets re-render as filters change: new members get their tab index as they appear.
    const observer = new MutationObserver(apply)
    observer.observe(root, {
      childList: true,
      subtree: true,
      attributes: true,
      attributeFilter: ['aria-pressed', 'disabled'],
    })
    root.addEventListener('focusin', onFocusIn)
    root.addEventListener('keydown', onKeyDown)
    return () => {
      observer.disconnect()
      root.removeEventListener('focusin', onFocusIn)
      root.removeEventListener('keydown', onKeyDown)
    }
  }, [ref, groupSelector])
}
