import { useEffect, useRef, useState } from 'react'
import type { JobStatus, VariableStats } from '../../../shared/ipc'
import { errorMessage } from '../ipc/transport'
import { ErrorNote } from '../ui/Spinner'
import type { DatasetSource } from './dataset-source'
import { coordLabel } from './dataset-model'
import { formatTick } from './plot-math'
import { plural } from '../ui/format'

type Phase =
  | { phase: 'idle' }
  | { phase: 'starting' }
  | { phase: 'running'; jobId: string; done: number; total: number; cancelling: boolean }
  | { phase: 'done'; stats: VariableStats }
  | { phase: 'cancelled' }
  | { phase: 'failed'; message: string }

/** How often job.status is polled, as a fallback to pushed job events. */
export const STATS_POLL_MS = 300

function statValue(v: number | string | null): string {
  if (v === null) return '–'
  return typeof v === 'number' ? formatTick(v) : coordLabel(v)
}

/**
 * Statistics of a variable on request: 'dataset.stats' starts a job that streams over its
 * chunks; progress comes as job events (and polled job.status), Cancel stops it between chunks.
 */
export function StatsPanel({ variable, source }: { variable: string; source: DatasetSource }) {
  const [state, setState] = useState<Phase>({ phase: 'idle' })
  const stateRef = useRef(state)
  stateRef.current = state
  const stats = source.stats
  const jobId = state.phase === 'running' ? state.jobId : null

  useEffect(() => {
    if (!stats || jobId === null) return
    const apply = (s: JobStatus) => {
      const now = stateRef.current
      if (now.phase !== 'running' || now.jobId !== s.jobId) return
      if (!s.finished) setState({ ...now, done: s.done, total: s.total })
      else if (s.stats) setState({ phase: 'done', stats: s.stats })
      // A job we asked to stop may end with a "cancelled" error: that is what the user wanted.
      else if (now.cancelling) setState({ phase: 'cancelled' })
      else if (s.error) setState({ phase: 'failed', message: s.error.message })
      else setState({ phase: 'cancelled' })
    }
    const off = stats.transport.onEvent((e) => {
      if (e.type === 'job') apply(e.status)
    })
    const timer = setInterval(() => {
      stats.transport.invoke('job.status', { jobId }).then(apply, () => {
        // a missed poll is retried on the next tick; events may still arrive
      })
    }, STATS_POLL_MS)
    return () => {
      off()
      clearInterval(timer)
    }
  }, [stats, jobId])

  if (!stats) return null
  const start = async () => {
    setState({ phase: 'starting' })
    try {
      const { jobId: id } = await stats.start(variable)
      setState({ phase: 'running', jobId: id, done: 0, total: 0, cancelling: false })
    } catch (err) {
      setState({ phase: 'failed', message: errorMessage(err) })
    }
  }
  const cancel = async () => {
    if (state.phase !== 'running') return
    setState({ ...state, cancelling: true })
    try {
      const s = await stats.transport.invoke('job.cancel', { jobId: state.jobId })
      const now = stateRef.current
      if (s.finished && now.phase === 'running' && now.jobId === s.jobId)
        setState(s.stats ? { phase: 'done', stats: s.stats } : { phase: 'cancelled' })
    } catch (err) {
      setState({ phase: 'failed', message: errorMessage(err) })
    }
  }

  return (
    <div className="stats-panel" aria-label={`Statistics of ${variable}`} role="region">
      {(state.phase === 'idle' || state.phase === 'cancelled' || state.phase === 'failed') && (
        <button type="button" onClick={() => void start()}>
          Compute statistics
        </button>
      )}
      {state.phase === 'cancelled' && <span className="muted small"> Cancelled.</span>}
      {state.phase === 'starting' && <span className="muted small">Starting…</span>}
      {state.phase === 'running' && (
        <span className="stats-progress">
          <progress
            max={Math.max(1, state.total)}
            value={state.done}
            aria-label="Statistics progress"
          />{' '}
          <span className="small">
            {state.total > 0 ? `${state.done} of ${plural(state.total, 'chunk')}` : 'starting…'}
          </span>{' '}
          <button type="button" disabled={state.cancelling} onClick={() => void cancel()}>
            {state.cancelling ? 'Cancelling…' : 'Cancel'}
          </button>
        </span>
      )}
      {state.phase === 'failed' && (
        <ErrorNote title="Statistics failed:">{state.message}</ErrorNote>
      )}
      {state.phase === 'done' && (
        <dl className="stats-result" data-testid="stats-result">
          <dt>min</dt>
          <dd>{statValue(state.stats.min)}</dd>
          <dt>max</dt>
          <dd>{statValue(state.stats.max)}</dd>
          <dt>mean</dt>
          <dd>{statValue(state.stats.mean)}</dd>
          <dt>NaN</dt>
          <dd>
            {state.stats.nanCount.toLocaleString('en-US')} of{' '}
            {(state.stats.nanCount + state.stats.count).toLocaleString('en-US')}
          </dd>
        </dl>
      )}
    </div>
  )
}
