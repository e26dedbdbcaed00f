/** A small busy indicator with a text for screen readers and for anyone who reads it. */
export function Spinner({ label = 'Loading…' }: { label?: string }) {
  return (
    <span className="spinner-wrap" role="status">
      <span className="spinner" aria-hidden="true" />
      <span>{label}</span>
    </span>
  )
}

/** An inline error in the engine's words. */
export function ErrorNote({ children, title }: { children: React.ReactNode; title?: string }) {
  return (
    <div className="error-note" role="alert">
      {title && <strong>{title} </strong>}
      {children}
    </div>
  )
}
