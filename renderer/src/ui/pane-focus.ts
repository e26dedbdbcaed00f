/** The panes F6 cycles through, in order; each pane slot carries `data-pane="<name>"`. */
export const PANES = ['sidebar', 'table', 'detail'] as const

/** One pane's name. */
export type PaneName = (typeof PANES)[number]

// Where the focus lands in a pane, the first selector that matches: the rows' tab stop in the
// table, the pane itself for the detail (it scrolls with the arrows), the sidebar's first stop.
const CONTROL = 'button:not([disabled]):not([tabindex="-1"]), select:not([disabled]), summary'
const ENTRY: Record<PaneName, string[]> = {
  sidebar: [CONTROL],
  table: ['tr[tabindex="0"]', CONTROL],
  detail: ['.detail-pane'],
}

/** The element of `pane` that F6 focuses, or the pane slot itself when it has none. */
export function paneEntry(slot: HTMLElement): HTMLElement {
  const selectors = ENTRY[slot.dataset.pane as PaneName] ?? [CONTROL]
  for (const selector of selectors) {
    const found = slot.querySelector<HTMLElement>(selector)
    if (found) return found
  }
  return slot
}

/**
 * Moves the focus to the next shown pane (the previous one with `backwards`), as F6 does in
 * browsers and editors; from outside the panes it starts at the first (or last). Returns
 * false when no pane is shown.
 */
export function cyclePaneFocus(root: ParentNode, backwards: boolean): boolean {
  const slots = [...root.querySelectorAll<HTMLElement>('[data-pane]')].filter(
    (s) => !s.closest('[hidden]'),
  )
  if (slots.length === 0) return false
  const active = document.activeElement
  const at = slots.findIndex((s) => active !== null && s.contains(active))
  const next =
    at === -1
      ? backwards
        ? slots.length - 1
        : 0
      : (at + (backwards ? -1 : 1) + slots.length) % slots.length
  paneEntry(slots[next] as HTMLElement).focus()
  return true
}
