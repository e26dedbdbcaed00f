/** The side panes' widths in CSS pixels and whether each is collapsed. */
export interface PaneSizes {
  sidebar: number
  detail: number
  sidebarCollapsed: boolean
  detailCollapsed: boolean
}

/** One side pane. */
export type SidePane = 'sidebar' | 'detail'

/** How narrow and wide each side pane may be dragged. */
export const PANE_LIMITS: Record<SidePane, { min: number; max: number }> = {
  sidebar: { min: 140, max: 520 },
  detail: { min: 240, max: 960 },
}

/** The key table keeps at least this width; the side panes give way to it on narrow windows. */
export const CENTER_MIN = 300

/** The width of each drag handle between panes. */
export const SPLITTER_PX = 6

/** Where the sizes are remembered (localStorage), versioned so a new shape can start over. */
export const PANE_SIZES_KEY = 'xpersist.paneSizes.v1'

/** The widths a first start uses: narrower side panes on narrower windows. */
export function defaultSizes(windowWidth: number): PaneSizes {
  const [sidebar, detail] =
    windowWidth > 1400 ? [240, 440] : windowWidth > 1100 ? [210, 380] : [180, 320]
  return { sidebar, detail, sidebarCollapsed: false, detailCollapsed: false }
}

/** A width kept within the pane's limits, in whole pixels. */
export function clampWidth(pane: SidePane, width: number): number {
  const { min, max } = PANE_LIMITS[pane]
  return Math.round(Math.min(max, Math.max(min, Number.isFinite(width) ? width : min)))
}

/**
 * The widths shown in a window `width` wide: collapsed panes are 0, and open ones shrink
 * (detail first, down to its minimum, then the sidebar) so the table keeps CENTER_MIN and
 * nothing scrolls the page sideways.
 */
export function fitSizes(sizes: PaneSizes, width: number): { sidebar: number; detail: number } {
  let sidebar = sizes.sidebarCollapsed ? 0 : sizes.sidebar
  let detail = sizes.detailCollapsed ? 0 : sizes.detail
  let over = sidebar + detail + 2 * SPLITTER_PX + CENTER_MIN - width
  if (over > 0 && detail > 0) {
    const give = Math.min(over, detail - PANE_LIMITS.detail.min)
    detail -= Math.max(0, give)
    over -= Math.max(0, give)
  }
  if (over > 0 && sidebar > 0)
    sidebar -= Math.max(0, Math.min(over, sidebar - PANE_LIMITS.sidebar.min))
  return { sidebar, detail }
}

/** Sizes read back from storage; anything missing or malformed falls back to `fallback`. */
export function parseSizes(text: string | null, fallback: PaneSizes): PaneSizes {
  if (text === null || text.length > 1000) return fallback
  let raw: unknown
  try {
    raw = JSON.parse(text)
  } catch {
    return fallback
  }
  if (typeof raw !== 'object' || raw === null) return fallback
  const r = raw as Record<string, unknown>
  const width = (pane: SidePane) =>
    typeof r[pane] === 'number' ? clampWidth(pane, r[pane]) : fallback[pane]
  const flag = (name: 'sidebarCollapsed' | 'detailCollapsed') =>
    typeof r[name] === 'boolean' ? r[name] : fallback[name]
  return {
    sidebar: width('sidebar'),
    detail: width('detail'),
    sidebarCollapsed: flag('sidebarCollapsed'),
    detailCollapsed: flag('detailCollapsed'),
  }
}
