import { createStore } from 'zustand/vanilla'

/** Modifier keys of a click, as file browsers read them. */
export interface ClickModifiers {
  /** Extend from the anchor to here. */
  shift?: boolean
  /** Ctrl (Cmd on macOS): toggle this row, keep the rest. */
  toggle?: boolean
}

/** Which rows are selected, and which one the detail pane shows. */
export interface SelectionState {
  selected: ReadonlySet<string>
  /** Where a shift-click range starts. */
  anchor: string | null
  /** The row with the keyboard cursor; the detail pane shows it. */
  current: string | null
  /** "All N matching": every row the filters let through, however many. */
  allMatching: boolean
  /** A click on a row; `order` is the table's keys in display order. */
  click(key: string, order: readonly string[], mods?: ClickModifiers): void
  /** Arrow keys: moves the cursor by `delta` rows; with `extend`, grows the selection. */
  move(delta: number, order: readonly string[], extend?: boolean): void
  /** Selects exactly one row. */
  selectOnly(key: string): void
  selectAllMatching(): void
  /** Forgets selected keys that are no longer shown (the filters changed), and all-matching. */
  retain(visible: ReadonlySet<string>): void
  clear(): void
}

function range(order: readonly string[], from: string | null, to: string): string[] {
  const j = order.indexOf(to)
  const i = from === null ? -1 : order.indexOf(from)
  if (i === -1 || j === -1) return [to]
  return order.slice(Math.min(i, j), Math.max(i, j) + 1)
}

/** The selection store: single, shift-range, ctrl-toggle and all-matching selection. */
export function createSelectionStore() {
  return createStore<SelectionState>()((set, get) => ({
    selected: new Set(),
    anchor: null,
    current: null,
    allMatching: false,
    click: (key, order, mods = {}) => {
      const { selected, anchor } = get()
      if (mods.shift) {
        const keys = range(order, anchor, key)
        const next = mods.toggle ? new Set([...selected, ...keys]) : new Set(keys)
        set({ selected: next, current: key, allMatching: false, anchor: anchor ?? key })
      } else if (mods.toggle) {
        const next = new Set(selected)
        if (next.has(key)) next.delete(key)
        else next.add(key)
        set({ selected: next, current: key, anchor: key, allMatching: false })
      } else {
        set({ selected: new Set([key]), current: key, anchor: key, allMatching: false })
      }
    },
    move: (delta, order, extend = false) => {
      if (order.length === 0) return
      const { current, anchor } = get()
      const at = current === null ? -1 : order.indexOf(current)
      const index =
        at === -1
          ? delta > 0
            ? 0
            : order.length - 1
          : Math.min(order.length - 1, Math.max(0, at + delta))
      const key = order[index] as string
      if (extend) {
        const from = anchor ?? current ?? key
        set({
          selected: new Set(range(order, from, key)),
          current: key,
          anchor: from,
          allMatching: false,
        })
      } else {
        set({ selected: new Set([key]), current: key, anchor: key, allMatching: false })
      }
    },
    selectOnly: (key) =>
      set({ selected: new Set([key]), current: key, anchor: key, allMatching: false }),
    selectAllMatching: () => set({ allMatching: true }),
    retain: (visible) => {
      // The cursor (and so the detail pane) stays where it was; only the selection shrinks.
      const { selected } = get()
      const kept = [...selected].filter((k) => visible.has(k))
      const patch: Partial<SelectionState> = { allMatching: false }
      if (kept.length !== selected.size) patch.selected = new Set(kept)
      set(patch)
    },
    clear: () => set({ selected: new Set(), anchor: null, current: null, allMatching: false }),
  }))
}

/** The store type createSelectionStore returns. */
export type SelectionStore = ReturnType<typeof createSelectionStore>
