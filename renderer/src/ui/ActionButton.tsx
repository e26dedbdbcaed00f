import type { ButtonHTMLAttributes, ReactNode } from 'react'

/** Props: a button that, when it cannot act, is disabled and says why in a tooltip. */
export interface ActionButtonProps extends ButtonHTMLAttributes<HTMLButtonElement> {
  /** Why the button is disabled; null or undefined when it is enabled. */
  disabledReason?: string | null | undefined
  children: ReactNode
}

/**
 * A button that explains itself when disabled. Browsers show no tooltip over a disabled
 * button, so the reason sits on a wrapper too, and the button lets the pointer through to it.
 */
export function ActionButton({ disabledReason, title, className, ...rest }: ActionButtonProps) {
  const disabled = Boolean(disabledReason) || Boolean(rest.disabled)
  const button = (
    <button
      type="button"
      {...rest}
      className={className}
      disabled={disabled}
      title={disabledReason ?? title}
    />
  )
  if (!disabledReason) return button
  return (
    <span className="disabled-wrap" title={disabledReason}>
      {button}
    </span>
  )
}
