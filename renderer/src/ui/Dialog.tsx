import { useEffect, useId, useRef, type ReactNode } from 'react'

// Open dialogs, oldest first: Escape belongs to the last one.
const openDialogs: symbol[] = []

/** Props of a modal dialog. */
export interface DialogProps {
  title: string
  /** Escape and the close button call it; omit it while the dialog must not close (a run). */
  onClose?: (() => void) | undefined
  children: ReactNode
  footer?: ReactNode
  testId?: string
  wide?: boolean
}

/** A modal dialog: labelled by its title, closes on Escape, keeps focus inside while open. */
export function Dialog({ title, onClose, children, footer, testId, wide }: DialogProps) {
  const titleId = useId()
  const ref = useRef<HTMLDivElement>(null)

  const closeRef = useRef(onClose)
  closeRef.current = onClose

  useEffect(() => {
    const previous = document.activeElement as HTMLElement | null
    const first = ref.current?.querySelector<HTMLElement>(
      'input:not([disabled]), textarea:not([disabled]), select:not([disabled]), button:not([disabled])',
    )
    ;(first ?? ref.current)?.focus()
    const me = Symbol('dialog')
    openDialogs.push(me)
    // Escape closes the topmost dialog wherever focus is: a step that re-renders the body
    // (plan -> progress -> summary) can drop focus to the page.
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape' || openDialogs.at(-1) !== me || !closeRef.current) return
      e.preventDefault()
      closeRef.current()
    }
    window.addEventListener('keydown', onKey)
    return () => {
      window.removeEventListener('keydown', onKey)
      openDialogs.splice(openDialogs.indexOf(me), 1)
      previous?.focus?.()
    }
  }, [])

  const onKeyDown = (e: React.KeyboardEvent) => {
    if (e.key === 'Tab' && ref.current) trapTab(e, ref.current)
  }

  return (
    <div className="dialog-backdrop">
      <div
        ref={ref}
        className={wide ? 'dialog wide' : 'dialog'}
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        data-testid={testId}
        tabIndex={-1}
        onKeyDown={onKeyDown}
      >
        <header className="dialog-header">
          <h2 id={titleId}>{title}</h2>
          {onClose && (
            <button type="button" className="icon-button" aria-label="Close" onClick={onClose}>
              ×
            </button>
          )}
        </header>
        <div className="dialog-body">{children}</div>
        {footer && <footer className="dialog-footer">{footer}</footer>}
      </div>
    </div>
  )
}

function trapTab(e: React.KeyboardEvent, root: HTMLElement): void {
  const items = [
    ...root.querySelectorAll<HTMLElement>(
      'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex="0"]',
    ),
  ]
  if (items.length === 0) return
  const first = items[0] as HTMLElement
  const last = items[items.length - 1] as HTMLElement
  if (e.shiftKey && document.activeElement === first) {
    e.preventDefault()
    last.focus()
  } else if (!e.shiftKey && document.activeElement === last) {
    e.preventDefault()
    first.focus()
  }
}
