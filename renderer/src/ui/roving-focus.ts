import { useEffect, type RefObject } from 'react'

// What the arrows visit: enabled, shown buttons and disclosure summaries (not hidden in closed ones).
const MEMBERS = 'button:not(:disabled), summary'

/**
 * Makes everything under `ref` one tab stop (roving focus): Tab enters at the control last
 * focused there (else the first), ArrowUp/ArrowDown step through every control, PageUp and
 * PageDown jump to the previous or next `sectionSelector`, Home and End go to the ends. A
 * sidebar of long facet lists then costs one Tab, not one per value. The controls are found
 * in the DOM, so the components that render them need not know.
 */
export function useRovingFocus(ref: RefObject<HTMLElement | null>, sectionSelector: string) {
  useEffect(() => {
    const root = ref.current
    if (!root) return
    let last: HTMLElement | null = null
    const members = () =>
      [...root.querySelectorAll<HTMLElement>(MEMBERS)].filter((m) => {
        // A hidden control cannot take the focus: stepping onto it would leave the focus stuck.
        if (m.closest('[hidden]')) return false
        const closed = m.closest('details:not([open])')
        return !closed || m.parentElement === closed // a closed disclosure shows its summary only
      })
    const apply = () => {
      const all = members()
      const stop = last && all.includes(last) ? last : all[0]
      // Controls in a closed disclosure too: out of tab order whenever it opens.
      for (const m of root.querySelectorAll<HTMLElement>(MEMBERS)) {
        const want = m === stop ? 0 : -1
        if (m.tabIndex !== want) m.tabIndex = want
      }
    }
    const onFocusIn = (e: FocusEvent) => {
      const target = e.target as HTMLElement
      if (target.matches(MEMBERS)) {
        last = target
        apply()
      }
    }
    const onKeyDown = (e: KeyboardEvent) => {
      if (e.altKey || e.ctrlKey || e.metaKey) return
      const all = members()
      const at = all.indexOf(e.target as HTMLElement)
      if (at === -1) return
      const sectionStart = (i: number) => {
        const section = all[i]?.closest(sectionSelector)
        return all.findIndex((m) => m.closest(sectionSelector) === section)
      }
      let to: number
      if (e.key === 'ArrowDown') to = at + 1
      else if (e.key === 'ArrowUp') to = at - 1
      else if (e.key === 'Home') to = 0
      else if (e.key === 'End') to = all.length - 1
      else if (e.key === 'PageDown') {
        const here = all[at]?.closest(sectionSelector)
        to = all.findIndex((m, i) => i > at && m.closest(sectionSelector) !== here)
        if (to === -1) to = all.length - 1
      } else if (e.key === 'PageUp') {
        const start = sectionStart(at)
        to = start < at ? start : sectionStart(Math.max(0, start - 1))
      } else return
      e.preventDefault()
      all[Math.max(0, Math.min(all.length - 1, to))]?.focus()
    }
    apply()
    // Facets re-render as filters change: new controls get their tab index as they appear.
    const observer = new MutationObserver(apply)
    observer.observe(root, {
      childList: true,
      subtree: true,
      attributes: true,
      attributeFilter: ['disabled', 'open'],
    })
    root.addEventListener('focusin', onFocusIn)
    root.addEventListener('keydown', onKeyDown)
    return () => {
      observer.disconnect()
      root.removeEventListener('focusin', onFocusIn)
      root.removeEventListener('keydown', onKeyDown)
    }
  }, [ref, sectionSelector])
}
