import { channels, type Channel, type ResponseOf } from '../../shared/ipc.js'
import { invoke } from '../../electron/ipc/router.js'
import type { ExplorerSession } from '../../electron/ipc/session.js'

/**
 * Calls a channel through the router as a window would, checks the response against the
 * channel's own response schema, and throws the error shape (code and message) on failure.
 */
export async function call<C extends Channel>(
  session: ExplorerSession,
  channel: C,
  request: unknown,
): Promise<ResponseOf<C>> {
  const envelope = await invoke(session, channel, request)
  if (!envelope.ok) throw Object.assign(new Error(envelope.error.message), envelope.error)
  channels[channel].response.parse(envelope.data)
  return envelope.data as ResponseOf<C>
}
