import { channels, type Channel, type Envelope } from '../../shared/ipc.js'
import { ConflictError, toErrorShape } from '../engine/errors.js'
import { forExplorer } from './explorer-wording.js'
import { artifactHandlers, metadataText } from './handlers/artifact.js'
import { cacheHandlers } from './handlers/cache.js'
import { copyHandlers } from './handlers/copy.js'
import { datasetHandlers } from './handlers/dataset.js'
import { deleteHandlers } from './handlers/delete.js'
import { pruneHandlers } from './handlers/prune.js'
import { trashHandlers } from './handlers/trash.js'
import { tableHandlers } from './handlers/table.js'
import type { HandlerTable } from './handlers/types.js'
import type { ExplorerSession } from './session.js'

/** Every channel's handler: the table Electron's ipcMain and the HTTP server both serve. */
export const handlers: HandlerTable = {
  ...cacheHandlers,
  ...artifactHandlers,
  ...datasetHandlers,
  ...deleteHandlers,
  ...pruneHandlers,
  ...trashHandlers,
  ...tableHandlers,
  ...copyHandlers,
}

function isChannel(name: string): name is Channel {
  return Object.hasOwn(channels, name)
}

/**
 * The error shape for the wire, in the explorer's words (forExplorer); ConflictError also
 * carries the version now on disk.
 */
function errorShape(err: unknown): Extract<Envelope<Channel>, { ok: false }>['error'] {
  const engine = toErrorShape(err)
  const shape = { ...engine, message: forExplorer(engine.message) }
  if (err instanceof ConflictError && err.current) {
    const current = err.current as {
      artifact: { additional_metadata: Record<string, unknown> }
      version: string
    }
    return {
      ...shape,
      current: {
        artifact: current.artifact,
        version: current.version,
        metadataText: metadataText(current.artifact.additional_metadata),
      },
    }
  }
  return shape
}

/**
 * Validates a request with the channel's zod schema, runs its handler and wraps the result
 * or the error in an envelope. Nothing but `{ code, message }` of an error crosses over.
 * `signal` aborts when the caller went away: long tasks it started are stopped.
 */
export async function invoke(
  session: ExplorerSession,
  channel: string,
  request: unknown,
  signal: AbortSignal = new AbortController().signal,
): Promise<Envelope<Channel>> {
  if (!isChannel(channel)) {
    return {
      ok: false,
      error: { code: 'INVALID_ARGUMENT', message: `Unknown channel '${channel}'.` },
    }
  }
  const parsed = channels[channel].request.safeParse(request ?? {})
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    const where = issue?.path.length ? ` at ${issue.path.join('.')}` : ''
    return {
      ok: false,
      error: {
        code: 'INVALID_ARGUMENT',
        message: `Bad ${channel} request${where}: ${issue?.message}.`,
      },
    }
  }
  try {
    const handler = handlers[channel] as (
      req: unknown,
      s: ExplorerSession,
      signal: AbortSignal,
    ) => Promise<unknown>
    const data = await handler(parsed.data, session, signal)
    return { ok: true, data } as Envelope<Channel>
  } catch (err) {
    return { ok: false, error: errorShape(err) }
  }
}
