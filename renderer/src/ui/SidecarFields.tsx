import { useState } from 'react'
import { ARTIFACT_FIELDS, createdAtDate } from '../../../shared/artifact'
import type { ArtifactDetail } from '../../../shared/ipc'
import { formatAge, formatBytes, formatCell, formatLocal, plural } from './format'
import { VisibleText, visibleText } from './VisibleText'

/** The sidecar fields shown apart; any other field is listed after them. */
const KNOWN: readonly string[] = ARTIFACT_FIELDS

/** created_at as epoch ms: naive ISO times are UTC (Python wrote utcnow()), numbers are seconds. */
export function createdMs(createdAt: unknown): number | null {
  if (typeof createdAt !== 'number' && typeof createdAt !== 'string') return null
  const ms = createdAtDate(createdAt).getTime()
  return Number.isNaN(ms) ? null : ms
}

/** One name/value pair of a field list. */
export function Field({ name, children }: { name: string; children: React.ReactNode }) {
  return (
    <div className="field">
      <dt>{name}</dt>
      <dd>{children}</dd>
    </div>
  )
}

function isNaive(createdAt: unknown): boolean {
  return typeof createdAt === 'string' && !/(?:Z|[+-]\d{2}(?::?\d{2})?)$/.test(createdAt.slice(10))
}

/** A JSON value as inline code; an empty string shows as "" rather than nothing. */
export function ValueText({ value }: { value: unknown }) {
  if (value === '') return <code className="muted">""</code>
  return (
    <code>
      <VisibleText text={formatCell(value)} />
    </code>
  )
}

/** A dict as a compact key/value list; empty dicts say so. */
export function DictView({ value, label }: { value: unknown; label: string }) {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return <ValueText value={value} />
  }
  const entries = Object.entries(value as Record<string, unknown>)
  if (entries.length === 0) return <span className="muted">{'{}'} (none)</span>
  return (
    <dl className="dict-view" aria-label={label}>
      {entries.map(([k, v]) => (
        <div key={k} className="dict-entry">
          <dt>
            <VisibleText text={k} />
          </dt>
          <dd>
            <ValueText value={v} />
          </dd>
        </div>
      ))}
    </dl>
  )
}

/** The sidecar: serializer, created (local, age and as written), kwargs, metadata, extras. */
export function SidecarFields({ detail, now }: { detail: ArtifactDetail; now: number }) {
  const a = detail.artifact
  const ms = createdMs(a.created_at)
  const extras = Object.keys(a).filter((k) => !KNOWN.includes(k))
  return (
    <section className="detail-section" aria-label="Sidecar">
      <h3>Sidecar</h3>
      <dl className="fields">
        <Field name="serializer">
          <ValueText value={a.serializer} />
        </Field>
        <Field name="created">
          {ms === null ? (
            <span className="muted">unknown</span>
          ) : (
            <>
              {formatLocal(ms)} <span className="muted">({formatAge(ms, now)})</span>
            </>
          )}
          <div className="muted small">
            created_at:{' '}
            {Object.hasOwn(a, 'created_at') ? <ValueText value={a.created_at} /> : '(missing)'}
            {isNaive(a.created_at) && ' (UTC)'}
          </div>
        </Field>
        <Field name="load_kwargs">
          <DictView value={a.load_kwargs} label="load_kwargs" />
        </Field>
        <Field name="dump_kwargs">
          <DictView value={a.dump_kwargs} label="dump_kwargs" />
        </Field>
        <Field name="additional_metadata">
          <DictView value={a.additional_metadata} label="additional_metadata" />
        </Field>
        {extras.map((k) => (
          <Field key={k} name={visibleText(k)}>
            <ValueText value={a[k]} />
          </Field>
        ))}
        <Field name="sidecar">
          <code className="path">
            <VisibleText text={detail.sidecarPath} />
          </code>
        </Field>
      </dl>
    </section>
  )
}

// A Zarr payload is one file per chunk: the list starts folded so the preview stays in view.
const FOLDED_FILES = 5
const MAX_LISTED_FILES = 200

/** The payload files with their sizes, and the total; long lists start folded. */
export function PayloadFiles({ detail }: { detail: ArtifactDetail }) {
  const [unfolded, setUnfolded] = useState(false)
  const count = detail.files.length
  const foldable = count > FOLDED_FILES + 3
  const shown = detail.files.slice(0, foldable && !unfolded ? FOLDED_FILES : MAX_LISTED_FILES)
  return (
    <section className="detail-section" aria-label="Payload files">
      <h3>
        Payload{' '}
        <span className="muted small">
          {formatBytes(detail.bytes)} in {plural(count, 'file')}
        </span>
      </h3>
      {count === 0 ? (
        <p className="warning-note">
          No payload file: the sidecar points at nothing. Doctor lists this as a missing payload.
        </p>
      ) : (
        <table className="files-table">
          <tbody>
            {shown.map((f) => (
              <tr key={f.path}>
                <td>
                  <code className="path">
                    <VisibleText text={f.path} />
                  </code>
                </td>
                <td className="num">{formatBytes(f.bytes)}</td>
              </tr>
            ))}
            {count > shown.length && (
              <tr>
                <td colSpan={2} className="muted">
                  … and {count - shown.length} more files
                  {foldable && !unfolded && (
                    <>
                      {' '}
                      <button
                        type="button"
                        className="link-button"
                        onClick={() => setUnfolded(true)}
                      >
                        Show {count > MAX_LISTED_FILES ? `the first ${MAX_LISTED_FILES}` : 'all'}
                      </button>
                    </>
                  )}
                </td>
              </tr>
            )}
          </tbody>
        </table>
      )}
    </section>
  )
}

/** The Prefect order: flow, run and task first, the rest after. */
const PREFECT_ORDER = [
  'flow_name',
  'flow_run_name',
  'flow_run_id',
  'task_name',
  'task_run_name',
  'task_run_id',
  'map_index',
]

/** For pipeline results: flow, task and run up front; fields Prefect left empty in one line. */
export function PrefectSummary({ prefect }: { prefect: Record<string, unknown> }) {
  const keys = Object.keys(prefect).sort((a, b) => {
    const ia = PREFECT_ORDER.indexOf(a)
    const ib = PREFECT_ORDER.indexOf(b)
    return (ia === -1 ? 99 : ia) - (ib === -1 ? 99 : ib) || (a < b ? -1 : 1)
  })
  const isEmpty = (v: unknown) => v === '' || v === null || v === undefined
  const filled = keys.filter((k) => !isEmpty(prefect[k]))
  const empty = keys.filter((k) => isEmpty(prefect[k]))
  return (
    <section className="detail-section prefect" aria-label="Prefect result">
      <h3>Prefect result</h3>
      <dl className="fields">
        {filled.map((k) => (
          <Field key={k} name={visibleText(k)}>
            <ValueText value={prefect[k]} />
          </Field>
        ))}
      </dl>
      {empty.length > 0 && (
        <p className="muted small">
          Empty: <VisibleText text={empty.join(', ')} />
        </p>
      )}
    </section>
  )
}
