import { useEffect, useId, useRef } from 'react'
import { useStore } from 'zustand'
import type { EditorState } from '../state/editor-store'
import { useExplorer, useReadonly } from '../state/hooks'
import { ActionButton } from './ActionButton'
import { ConflictDiff } from './ConflictDiff'
import { ErrorNote } from './Spinner'
import { VisibleText } from './VisibleText'

// Why Save is disabled now, or null when it is enabled (the button and Ctrl+S agree).
function whyNotSave(state: EditorState, readonly: boolean, reason: string | null): string | null {
  const dirty = state.text !== state.original
  if (readonly) return reason
  if (!state.check.ok) return state.check.message
  if (state.saving) return 'Saving…'
  return dirty ? null : 'Nothing changed yet.'
}

/**
 * The additional_metadata editor: Python-exact JSON validated as you type, saved against the
 * version it was opened at; a conflict shows both versions, field by field, and asks which
 * to keep.
 */
export function MetadataEditor() {
  const explorer = useExplorer()
  const { editor } = explorer
  const state = useStore(editor, (s) => s)
  const { readonly, reason } = useReadonly()
  const textId = useId()
  const errorId = useId()
  const textRef = useRef<HTMLTextAreaElement>(null)
  // Opening the editor brings it into view, ready to type (it sits below the sidecar).
  useEffect(() => {
    textRef.current?.scrollIntoView?.({ block: 'nearest' })
    textRef.current?.focus({ preventScroll: true })
  }, [])
  // Ctrl+S (Cmd+S) saves while the editor is open, instead of the browser saving the page.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key.toLowerCase() !== 's' || !(e.ctrlKey || e.metaKey) || e.altKey) return
      e.preventDefault()
      const now = editor.getState()
      if (now.key !== null && !now.conflict && whyNotSave(now, readonly, reason) === null)
        void now.save()
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [editor, readonly, reason])
  if (state.key === null) return null
  const dirty = state.text !== state.original
  const stale = state.onDisk !== null && state.onDisk.version !== state.baseVersion
  const saveReason = whyNotSave(state, readonly, reason)

  return (
    <section
      className="detail-section metadata-editor"
      data-testid="metadata-editor"
      aria-label="Edit metadata"
    >
      <h3>
        <label htmlFor={textId}>additional_metadata (JSON)</label>
      </h3>
      {state.conflict ? (
        <div className="conflict" role="alert" aria-label="Conflicting versions">
          <p>
            <strong>
              <VisibleText text={state.key} />
            </strong>{' '}
            changed on disk since you opened it. Your edit was not saved. Choose which version to
            keep:
          </p>
          <ConflictDiff mine={state.conflict.mine} disk={state.conflict.disk} />
          <div className="button-row">
            <ActionButton
              className="primary"
              disabledReason={readonly ? reason : state.saving ? 'Saving…' : null}
              onClick={() => void editor.getState().keepMine()}
            >
              Keep mine (overwrite disk)
            </ActionButton>
            <button type="button" onClick={explorer.takeDiskMetadata}>
              Take the disk version
            </button>
          </div>
        </div>
      ) : (
        <>
          {state.restored && (
            <p className="draft-note" data-testid="draft-restored">
              Unsaved draft restored.
              {stale && ' The metadata changed on disk since; saving will show both versions.'}{' '}
              Revert discards it.
            </p>
          )}
          <textarea
            ref={textRef}
            id={textId}
            className={state.check.ok ? 'json-editor' : 'json-editor invalid'}
            aria-invalid={!state.check.ok}
            aria-describedby={state.check.ok ? undefined : errorId}
            spellCheck={false}
            rows={Math.min(16, Math.max(4, state.text.split('\n').length + 1))}
            value={state.text}
            readOnly={readonly}
            title={readonly ? (reason ?? undefined) : undefined}
            onChange={(e) => editor.getState().setText(e.target.value)}
          />
          {!state.check.ok && (
            <p id={errorId} className="field-error" role="status">
              {state.check.message}
            </p>
          )}
          {state.error && <ErrorNote title="Not saved:">{state.error}</ErrorNote>}
          <div className="button-row">
            <ActionButton
              className="primary"
              disabledReason={saveReason}
              onClick={() => void editor.getState().save()}
            >
              {state.saving ? 'Saving…' : 'Save metadata'}
            </ActionButton>
            <button
              type="button"
              disabled={!dirty || state.saving}
              onClick={() => editor.getState().revert()}
            >
              Revert
            </button>
            {state.saved && (
              <span className="ok-note" role="status">
                Saved.
              </span>
            )}
          </div>
        </>
      )}
    </section>
  )
}
