import { useMemo } from 'react'
import { useStore } from 'zustand'
import { useDerivedView, useExplorer } from '../state/hooks'
import { VisibleText, visibleText } from './VisibleText'

/** The direct sub-folders of a folder prefix ('' is the root), from the folder counts. */
export function childFolders(folders: ReadonlyMap<string, number>, parent: string): string[] {
  const out: string[] = []
  for (const folder of folders.keys()) {
    if (!folder.startsWith(parent) || folder === parent) continue
    const rest = folder.slice(parent.length)
    if (rest.indexOf('/') === rest.length - 1) out.push(folder)
  }
  return out.sort()
}

/**
 * Key prefixes as folders, like an object-store browser: the open path expands. Counts are
 * Datasette-style: each folder, and "All keys", counts the rows the other filters (search,
 * serializer, age, metadata) let through; the open path stays listed even when it counts 0.
 */
export function FolderTree() {
  const { view } = useExplorer()
  const prefix = useStore(view, (s) => s.filters.prefix)
  const { folders: counted, anyFolder } = useDerivedView()
  const openPath = useMemo(() => {
    const parts = ['']
    for (let at = prefix.indexOf('/'); at !== -1; at = prefix.indexOf('/', at + 1)) {
      parts.push(prefix.slice(0, at + 1))
    }
    return parts
  }, [prefix])
  const folders = useMemo(() => {
    const all = new Map(counted)
    for (const folder of openPath) if (folder !== '' && !all.has(folder)) all.set(folder, 0)
    return all
  }, [counted, openPath])

  const renderLevel = (parent: string, depth: number): React.ReactNode => {
    const children = childFolders(folders, parent)
    if (children.length === 0) return null
    return (
      <ul
        className="folder-list"
        role={depth === 0 ? 'tree' : 'group'}
        aria-label={depth === 0 ? 'Folders' : undefined}
      >
        {children.map((folder) => {
          const name = folder.slice(parent.length)
          const active = folder === prefix
          const open = openPath.includes(folder)
          return (
            <li key={folder} role="treeitem" aria-expanded={open} aria-selected={active}>
              <button
                type="button"
                className={active ? 'facet-value active' : 'facet-value'}
                aria-pressed={active}
                title={visibleText(`Show keys under ${folder}`)}
                onClick={() => view.getState().setPrefix(active ? parent : folder)}
              >
                <span className="folder-name">
                  {open ? '▾' : '▸'} <VisibleText text={name} />
                </span>
                <span className="count">{(folders.get(folder) ?? 0).toLocaleString('en-US')}</span>
              </button>
              {open && renderLevel(folder, depth + 1)}
            </li>
          )
        })}
      </ul>
    )
  }

  return (
    <section className="facet" aria-label="Folders">
      <h3 className="pane-title">Folders</h3>
      <button
        type="button"
        className={prefix === '' ? 'facet-value active' : 'facet-value'}
        aria-pressed={prefix === ''}
        onClick={() => view.getState().setPrefix('')}
      >
        <span className="folder-name">All keys</span>
        <span className="count">{anyFolder.toLocaleString('en-US')}</span>
      </button>
      {renderLevel('', 0) ?? <p className="muted small">No nested keys.</p>}
    </section>
  )
}
