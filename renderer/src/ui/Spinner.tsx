import { VisibleLines, VisibleText } from './VisibleText'

/** A small busy indicator with a text for screen readers and for anyone who reads it. */
export function Spinner({ label = 'Loading…' }: { label?: string }) {
  return (
    <span className="spinner-wrap" role="status">
      <span className="spinner" aria-hidden="true" />
      <span>
        <VisibleText text={label} />
      </span>
    </span>
  )
}

/** An inline error in the engine's words (which quote keys: their control characters show). */
export function ErrorNote({ children, title }: { children: React.ReactNode; title?: string }) {
  return (
    <div className="error-note" role="alert">
      {title && <strong>{title} </strong>}
      {typeof children === 'string' ? <VisibleLines text={children} /> : children}
    </div>
  )
}
