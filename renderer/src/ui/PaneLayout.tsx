import { useEffect, useState } from 'react'
import {
  PANE_LIMITS,
  PANE_SIZES_KEY,
  SPLITTER_PX,
  clampWidth,
  defaultSizes,
  fitSizes,
  parseSizes,
  type PaneSizes,
  type SidePane,
} from '../state/pane-sizes'
import { Splitter } from './Splitter'

function loadSizes(): PaneSizes {
  const fallback = defaultSizes(window.innerWidth)
  try {
    return parseSizes(window.localStorage.getItem(PANE_SIZES_KEY), fallback)
  } catch {
    return fallback // storage disabled
  }
}

function useWindowWidth(): number {
  const [width, setWidth] = useState(() => window.innerWidth)
  useEffect(() => {
    const onResize = () => setWidth(window.innerWidth)
    window.addEventListener('resize', onResize)
    return () => window.removeEventListener('resize', onResize)
  }, [])
  return width
}

/**
 * The three panes side by side with a splitter between each two: the side panes resize and
 * collapse, and their sizes are remembered across sessions. Each pane sits in a slot named
 * `data-pane` for F6 (see pane-focus.ts).
 */
export function PaneLayout({
  hidden,
  sidebar,
  center,
  detail,
}: {
  hidden: boolean
  sidebar: React.ReactNode
  center: React.ReactNode
  detail: React.ReactNode
}) {
  const [sizes, setSizes] = useState(loadSizes)
  const windowWidth = useWindowWidth()
  useEffect(() => {
    try {
      window.localStorage.setItem(PANE_SIZES_KEY, JSON.stringify(sizes))
    } catch {
      // Not remembered, still applied.
    }
  }, [sizes])
  const shown = fitSizes(sizes, windowWidth)
  const flag = (pane: SidePane) => (pane === 'sidebar' ? 'sidebarCollapsed' : 'detailCollapsed')
  const splitter = (pane: SidePane, label: string) => (
    <Splitter
      label={label}
      controls={`pane-${pane}`}
      width={shown[pane] || sizes[pane]}
      min={PANE_LIMITS[pane].min}
      max={PANE_LIMITS[pane].max}
      collapsed={sizes[flag(pane)]}
      grows={pane === 'sidebar' ? 'right' : 'left'}
      onResize={(w) => setSizes((s) => ({ ...s, [pane]: clampWidth(pane, w) }))}
      onToggle={() => setSizes((s) => ({ ...s, [flag(pane)]: !s[flag(pane)] }))}
    />
  )

  return (
    <div
      className="panes"
      hidden={hidden}
      style={{
        gridTemplateColumns: `${shown.sidebar}px ${SPLITTER_PX}px minmax(0, 1fr) ${SPLITTER_PX}px ${shown.detail}px`,
      }}
    >
      <div
        className="pane-slot"
        id="pane-sidebar"
        data-pane="sidebar"
        tabIndex={-1}
        hidden={sizes.sidebarCollapsed}
      >
        {sidebar}
      </div>
      {splitter('sidebar', 'Sidebar width')}
      <div className="pane-slot" id="pane-table" data-pane="table" tabIndex={-1}>
        {center}
      </div>
      {splitter('detail', 'Detail pane width')}
      <div
        className="pane-slot"
        id="pane-detail"
        data-pane="detail"
        tabIndex={-1}
        hidden={sizes.detailCollapsed}
      >
        {detail}
      </div>
    </div>
  )
}
