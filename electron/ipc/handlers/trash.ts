import type { HandlerTable } from './types.js'

/** trash.list, trash.restore and trash.empty: plans unless dryRun is false; read-only is the engine's. */
export const trashHandlers: HandlerTable<'trash.list' | 'trash.restore' | 'trash.empty'> = {
  async 'trash.list'(request, session) {
    return session.cache(request.cacheId).store.trashEntries()
  },

  async 'trash.restore'(request, session) {
    const { store } = session.cache(request.cacheId)
    return store.restoreFromTrash(request.id, request.keys, { dryRun: request.dryRun })
  },

  async 'trash.empty'(request, session) {
    const { store } = session.cache(request.cacheId)
    return store.emptyTrash({
      dryRun: request.dryRun,
      ...(request.ids.length > 0 ? { ids: request.ids } : {}),
      ...(request.olderThanMs !== undefined ? { olderThanMs: request.olderThanMs } : {}),
    })
  },
}
