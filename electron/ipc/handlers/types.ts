import type { Channel, ParsedRequestOf, ResponseOf } from '../../../shared/ipc.js'
import type { ExplorerSession } from '../session.js'

/**
 * One channel's handler: a validated request in, a response out (or an engine error thrown).
 * `signal` aborts when the caller no longer wants the answer (an HTTP client went away).
 */
export type Handler<C extends Channel> = (
  request: ParsedRequestOf<C>,
  session: ExplorerSession,
  signal: AbortSignal,
) => Promise<ResponseOf<C>>

/** Handlers for a subset of the channels. */
export type HandlerTable<C extends Channel = Channel> = { [K in C]: Handler<K> }
