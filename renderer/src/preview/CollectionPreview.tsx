import { useMemo, useState } from 'react'
import type { Preview } from '../../../shared/ipc'
import type { Transport } from '../ipc/transport'
import { formatBytes } from '../ui/format'
import { visibleText } from '../ui/VisibleText'
import { remoteSource } from './dataset-source'
import { DatasetPreview } from './DatasetPreview'

/** The collection kind of Preview. */
export type CollectionPreviewData = Extract<Preview, { kind: 'collection' }>

/**
 * An xcollection: a member picker (a select, so hundreds of members stay one control) and
 * the chosen member's structure, whose slices name the member.
 */
export function CollectionPreview({
  preview,
  transport,
  cacheId,
  artifactKey,
}: {
  preview: CollectionPreviewData
  transport: Transport | null
  cacheId: string | null
  artifactKey: string
}) {
  const names = useMemo(() => Object.keys(preview.datasets), [preview])
  const [member, setMember] = useState<string>(() => names[0] ?? '')
  const current = Object.hasOwn(preview.datasets, member) ? preview.datasets[member] : undefined
  const source = useMemo(
    () =>
      transport && cacheId !== null
        ? remoteSource(transport, { cacheId, key: artifactKey, member })
        : undefined,
    [transport, cacheId, artifactKey, member],
  )
  return (
    <div className="collection-preview" data-testid="preview-collection">
      <div className="ds-header">
        <label>
          <strong>xcollection</strong> member{' '}
          <select
            value={member}
            aria-label="Collection member"
            onChange={(e) => setMember(e.target.value)}
          >
            {names.map((n) => (
              <option key={n} value={n}>
                {visibleText(n)}
              </option>
            ))}
          </select>
        </label>
        <span className="muted small">
          {names.length} member{names.length === 1 ? '' : 's'}, read{' '}
          {formatBytes(preview.bytesRead)} of {formatBytes(preview.totalBytes)}
        </span>
      </div>
      {current ? (
        <DatasetPreview key={member} preview={current} source={source} />
      ) : (
        <p className="muted">This collection has no members.</p>
      )}
    </div>
  )
}
