import { useEffect, useRef, useState } from 'react'
import type { DatasetSlice } from '../../../shared/ipc'
import { errorMessage, isAbort } from '../ipc/transport'
import type { DatasetSource, SliceAsk } from './dataset-source'

/** A slice being fetched: the last good answer stays while the next one loads. */
export interface SliceState {
  slice: DatasetSlice | null
  /** The ask the shown slice answers (so callers can tell which request it belongs to). */
  answered: SliceAsk | null
  loading: boolean
  error: string | null
}

/** How long a slider must rest before its slice is requested. */
export const SLICE_DEBOUNCE_MS = 120

/**
 * Fetches `ask` from the source, debounced (a moving slider asks once it rests), aborting and
 * dropping any earlier answer that arrives late; errors are kept for inline display.
 */
export function useSlice(
  source: DatasetSource,
  ask: SliceAsk | null,
  debounceMs = SLICE_DEBOUNCE_MS,
): SliceState {
  const [state, setState] = useState<SliceState>({
    slice: null,
    answered: null,
    loading: false,
    error: null,
  })
  const seq = useRef(0)
  const askKey = ask ? JSON.stringify(ask) : null
  useEffect(() => {
    if (!ask) return
    const mine = ++seq.current
    const controller = new AbortController()
    setState((s) => ({ ...s, loading: true }))
    const timer = setTimeout(() => {
      source.slice(ask, controller.signal).then(
        (slice) => {
          if (mine === seq.current) setState({ slice, answered: ask, loading: false, error: null })
        },
        (err: unknown) => {
          if (mine !== seq.current || isAbort(err)) return
          setState((s) => ({ ...s, loading: false, error: errorMessage(err) }))
        },
      )
    }, debounceMs)
    return () => {
      clearTimeout(timer)
      controller.abort()
    }
    // askKey stands for ask: a re-render with an equal ask must not re-fetch.
  }, [askKey, source, debounceMs])
  return state
}
