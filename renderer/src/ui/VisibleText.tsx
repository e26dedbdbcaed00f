import { Fragment } from 'react'
import { visibleParts, visibleText } from '../../../shared/visible-text'

/**
 * A user string (key, metadata field or value, cell, path) with its control, bidi and
 * zero-width characters shown as escapes in a distinct style, named in their tooltip: a
 * right-to-left override cannot make `invoice\u202egpj.exe` read as a .jpg.
 */
export function VisibleText({ text }: { text: string }) {
  const parts = visibleParts(text)
  if (parts.length === 1 && !('escape' in (parts[0] as object))) return <>{text}</>
  return (
    <>
      {parts.map((p, i) =>
        'escape' in p ? (
          <span key={i} className="ctrl" title={p.name}>
            {p.escape}
          </span>
        ) : (
          <Fragment key={i}>{p.text}</Fragment>
        ),
      )}
    </>
  )
}

/** Like VisibleText for multi-line text (JSON, messages): line breaks stay line breaks. */
export function VisibleLines({ text }: { text: string }) {
  const lines = text.split('\n')
  return (
    <>
      {lines.map((line, i) => (
        <Fragment key={i}>
          <VisibleText text={line} />
          {i < lines.length - 1 && '\n'}
        </Fragment>
      ))}
    </>
  )
}

/** The same for attributes (title, aria-label), where only plain text fits. */
export { visibleText }
