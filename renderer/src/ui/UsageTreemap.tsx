import { useMemo } from 'react'
import { visibleText } from '../../../shared/visible-text'
import { useElementWidth } from '../preview/use-width'
import { squarify } from '../state/treemap'
import type { UsageGroup } from '../state/usage'
import { VisibleText } from './VisibleText'
import { formatBytes, plural } from './format'

/** The height of the treemap, in pixels; its width is the view's. */
const HEIGHT = 380
const HUES = [212, 28, 140, 280, 350, 190, 48, 100, 250, 320]

/** What a part holds, in words: its name, its sizes as the legend names them, its count. */
export function describePart(g: UsageGroup): string {
  const disk = g.disk === null ? '' : `, ${formatBytes(g.disk)} on disk`
  return (
    `${visibleText(g.label)}: ${formatBytes(g.payload)} payload + ${formatBytes(g.sidecar)} sidecar${disk}, ` +
    plural(g.count, 'artifact')
  )
}

/**
 * The parts as a squarified treemap: each a button (Enter or a click filters the table to
 * it), named for screen readers with its sizes and count; folders have a ▸ to look inside.
 */
export function UsageTreemap({
  groups,
  onPick,
  onDrill,
  canPick,
}: {
  groups: readonly UsageGroup[]
  onPick: (group: UsageGroup) => void
  onDrill: (prefix: string) => void
  canPick: (group: UsageGroup) => boolean
}) {
  const [ref, width] = useElementWidth<HTMLDivElement>(800)
  const rects = useMemo(
    () =>
      squarify(
        groups.map((g) => g.size),
        { x: 0, y: 0, w: width, h: HEIGHT },
      ),
    [groups, width],
  )
  const shown = groups.filter((g) => g.size > 0)
  return (
    <div
      ref={ref}
      className="treemap"
      role="group"
      aria-label="Treemap of bytes"
      data-testid="usage-treemap"
      style={{ height: HEIGHT }}
    >
      {shown.length === 0 && <p className="muted treemap-empty">No bytes to show here.</p>}
      {groups.map((g, i) => {
        const r = rects[i]
        if (!r || g.size <= 0) return null
        const hue = HUES[i % HUES.length] as number
        const name = describePart(g)
        const pickable = canPick(g)
        return (
          <div
            key={`${g.kind}:${g.id}`}
            className={`treemap-cell kind-${g.kind}`}
            style={{
              left: r.x,
              top: r.y,
              width: r.w,
              height: r.h,
              background: g.kind === 'others' ? undefined : `hsl(${hue} 55% 62%)`,
            }}
          >
            <button
              type="button"
              className="treemap-part"
              data-testid="usage-part"
              data-id={g.id}
              aria-label={pickable ? `${name}. Show in the table.` : name}
              title={name}
              aria-disabled={!pickable}
              onClick={() => pickable && onPick(g)}
            >
              {r.w > 46 && r.h > 16 && (
                <span className="treemap-label">
                  <VisibleText text={g.label} />
                </span>
              )}
              {r.w > 46 && r.h > 32 && <span className="treemap-size">{formatBytes(g.size)}</span>}
            </button>
            {g.kind === 'folder' && (
              <button
                type="button"
                className="treemap-drill"
                aria-label={`Look inside ${visibleText(g.id)}`}
                title={`Look inside ${visibleText(g.label)}`}
                onClick={() => onDrill(g.id)}
              >
                ▸
              </button>
            )}
          </div>
        )
      })}
    </div>
  )
}
