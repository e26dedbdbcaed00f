import { useId, useRef } from 'react'
import { useStore } from 'zustand'
import { useExplorer } from '../state/hooks'
import { autoSerializer, folderFromPick, type OnDuplicate } from '../state/put-store'
import { ActionButton } from './ActionButton'
import { Dialog } from './Dialog'
import { formatBytes, plural } from './format'
import { ErrorNote } from './Spinner'

const POLICIES: { value: OnDuplicate; label: string }[] = [
  { value: 'raise_error', label: 'Refuse: keep the existing artifact and say so' },
  { value: 'skip', label: 'Skip: keep the existing artifact quietly' },
  { value: 'overwrite', label: 'Overwrite the existing artifact' },
]

/** The Put dialog: a file, its key, serializer, duplicate policy and metadata. */
export function PutDialog() {
  const { put, app } = useExplorer()
  const s = useStore(put, (x) => x)
  const info = useStore(app, (x) => x.info)
  const cache = useStore(app, (x) => x.cache)
  const ids = { file: useId(), key: useId(), ser: useId(), dup: useId(), meta: useId() }
  const folderInput = useRef<HTMLInputElement>(null)
  const fileInput = useRef<HTMLInputElement>(null)
  if (!s.open || !cache) return null
  // A folder is a Zarr store (or a collection of them): the engine reads which from its content.
  const auto = s.file?.folder
    ? 'xarray.zarr or xcollection'
    : s.file
      ? autoSerializer(s.file.name)
      : null
  const problem = s.problem()
  // Only what this build can write from what was picked (older main sides: every serializer).
  const writable = info?.writable?.[s.file?.folder ? 'folder' : 'file'] ?? info?.serializers ?? []

  // The file is streamed to the server on submit, never read into the page as base64.
  const onFile = (files: FileList | null) => {
    const file = files?.[0]
    // One choice at a time: the other input forgets its pick, so neither shows a stale one.
    if (folderInput.current) folderInput.current.value = ''
    put.getState().setFile(file ? { name: file.name, bytes: file.size, blob: file } : null)
  }

  // The browser gives each file's path under the chosen folder; the host's paths stay unseen.
  const onFolder = (files: FileList | null) => {
    const picked = folderFromPick(Array.from(files ?? []))
    if (fileInput.current) fileInput.current.value = ''
    if (typeof picked === 'string') put.setState({ error: picked })
    else put.getState().setFile(picked)
  }
  const sending = s.submitting && s.progress && s.file?.files ? s.progress : null

  return (
    <Dialog
      title="Put a file into the cache"
      testId="put-dialog"
      onClose={() => put.getState().hide()}
      footer={
        <>
          <button type="button" onClick={() => put.getState().hide()}>
            Cancel
          </button>
          <ActionButton
            className="primary"
            disabledReason={s.submitting ? 'Storing…' : problem}
            onClick={() => void put.getState().submit(cache.cacheId)}
          >
            {s.submitting ? 'Storing…' : 'Put'}
          </ActionButton>
        </>
      }
    >
      <div className="form-grid">
        <label htmlFor={ids.file}>File</label>
        <div>
          {info?.mode === 'electron' ? (
            <>
              <button id={ids.file} type="button" onClick={() => void put.getState().pickFile()}>
                Choose file…
              </button>{' '}
              <button type="button" onClick={() => void put.getState().pickFile(true)}>
                Choose Zarr folder…
              </button>
            </>
          ) : (
            <>
              <input
                id={ids.file}
                ref={fileInput}
                type="file"
                onChange={(e) => onFile(e.target.files)}
              />{' '}
              <button type="button" onClick={() => folderInput.current?.click()}>
                Choose Zarr folder…
              </button>
              <input
                ref={folderInput}
                type="file"
                hidden
                aria-label="Zarr folder"
                data-testid="put-folder-input"
                // React has no typed prop for it; the attribute makes the picker choose a folder.
                {...{ webkitdirectory: '' }}
                onChange={(e) => onFolder(e.target.files)}
              />
            </>
          )}
          {s.file && (
            <span className="muted small">
              {' '}
              {s.file.name}, {formatBytes(s.file.bytes)}
              {s.file.files ? `, ${plural(s.file.files.length, 'file')}` : ''}
            </span>
          )}
          {sending && s.file?.files && (
            <div className="small" role="status" data-testid="put-progress">
              <progress max={s.file.bytes || 1} value={sending.bytes} /> Sent {sending.files} of{' '}
              {plural(s.file.files.length, 'file')} ({formatBytes(sending.bytes)} of{' '}
              {formatBytes(s.file.bytes)}){' '}
              <button type="button" onClick={() => put.getState().cancelUpload()}>
                Stop upload
              </button>
            </div>
          )}
        </div>
        <label htmlFor={ids.key}>Key</label>
        <input
          id={ids.key}
          type="text"
          value={s.key}
          placeholder="experiments/run-1/stations.csv"
          spellCheck={false}
          onChange={(e) => put.getState().setKey(e.target.value)}
        />
        <label htmlFor={ids.ser}>Serializer</label>
        <select
          id={ids.ser}
          value={s.serializer}
          onChange={(e) => put.getState().setSerializer(e.target.value)}
        >
          <option value="auto">auto{s.file ? ` (${auto ?? 'cannot tell'})` : ''}</option>
          {writable.map((name) => (
            <option key={name} value={name}>
              {name}
            </option>
          ))}
        </select>
        <label htmlFor={ids.dup}>If the key exists</label>
        <select
          id={ids.dup}
          value={s.onDuplicate}
          onChange={(e) => put.getState().setOnDuplicate(e.target.value as OnDuplicate)}
        >
          {POLICIES.map((p) => (
            <option key={p.value} value={p.value}>
              {p.label}
            </option>
          ))}
        </select>
        <label htmlFor={ids.meta}>Metadata (JSON)</label>
        <div>
          <textarea
            id={ids.meta}
            className={s.check.ok ? 'json-editor' : 'json-editor invalid'}
            aria-invalid={!s.check.ok}
            rows={4}
            spellCheck={false}
            value={s.metadataText}
            onChange={(e) => put.getState().setMetadataText(e.target.value)}
          />
          {!s.check.ok && (
            <p className="field-error" role="status">
              {s.check.message}
            </p>
          )}
        </div>
      </div>
      {s.error && <ErrorNote title="Not stored:">{s.error}</ErrorNote>}
    </Dialog>
  )
}
