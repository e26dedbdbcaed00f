import { useMemo } from 'react'
import { diffMetadata, type FieldChange } from '../state/metadata-diff'
import { plural } from './format'
import { VisibleLines, VisibleText } from './VisibleText'

const LABEL: Record<FieldChange, string> = {
  added: 'only in yours',
  removed: 'only on disk',
  changed: 'differs',
  same: 'same',
}

/**
 * A save conflict field by field: each top-level additional_metadata field with its value in
 * the user's version and on disk, the ones that differ marked (added, removed, changed) and
 * listed first in a summary; the two full texts stay one click away.
 */
export function ConflictDiff({ mine, disk }: { mine: string; disk: string }) {
  const diff = useMemo(() => diffMetadata(mine, disk), [mine, disk])
  const differing = diff ? [...diff.values()].filter((f) => f.change !== 'same').length : 0
  const texts = (
    <div className="conflict-columns">
      <figure>
        <figcaption>Yours</figcaption>
        <pre data-testid="conflict-mine">
          <VisibleLines text={mine} />
        </pre>
      </figure>
      <figure>
        <figcaption>On disk now</figcaption>
        <pre data-testid="conflict-disk">
          <VisibleLines text={disk} />
        </pre>
      </figure>
    </div>
  )
  if (diff === null) return texts
  return (
    <>
      <p data-testid="conflict-summary">
        {differing === 0
          ? 'The two versions have the same fields and values.'
          : `${plural(differing, 'field')} ${differing === 1 ? 'differs' : 'differ'}:`}
      </p>
      <table className="conflict-fields" data-testid="conflict-fields">
        <thead>
          <tr>
            <th scope="col">Field</th>
            <th scope="col">Yours</th>
            <th scope="col">On disk now</th>
          </tr>
        </thead>
        <tbody>
          {[...diff].map(([name, f]) => (
            <tr key={name} className={`field-${f.change}`} data-change={f.change}>
              <th scope="row">
                <VisibleText text={name} />
                {f.change !== 'same' && <span className="change-tag">{LABEL[f.change]}</span>}
              </th>
              <td>{f.mine === undefined ? <em>absent</em> : <VisibleLines text={f.mine} />}</td>
              <td>{f.disk === undefined ? <em>absent</em> : <VisibleLines text={f.disk} />}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <details className="conflict-texts">
        <summary>Both versions in full</summary>
        {texts}
      </details>
    </>
  )
}
