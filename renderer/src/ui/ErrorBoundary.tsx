import { Component, type ErrorInfo, type ReactNode } from 'react'

interface State {
  error: Error | null
}

/** Catches a render error in its subtree and shows what happened instead of a blank window. */
export class ErrorBoundary extends Component<{ children: ReactNode; area?: string }, State> {
  override state: State = { error: null }

  static getDerivedStateFromError(error: Error): State {
    return { error }
  }

  override componentDidCatch(error: Error, info: ErrorInfo): void {
    console.error(
      `The ${this.props.area ?? 'explorer'} failed to draw:`,
      error,
      info.componentStack,
    )
  }

  override render() {
    const { error } = this.state
    if (!error) return this.props.children
    return (
      <div className="error-boundary" role="alert">
        <h2>The {this.props.area ?? 'explorer'} hit a problem it could not draw past.</h2>
        <p>{error.message}</p>
        <p>The cache itself is untouched. Try again, or reload the window if it happens again.</p>
        <button type="button" onClick={() => this.setState({ error: null })}>
          Try again
        </button>
      </div>
    )
  }
}
