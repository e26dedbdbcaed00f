import { NotSupportedError } from '../../engine/errors.js'
import type { HandlerTable } from './types.js'

// The dataset channels' contract is in shared/ipc.ts; their engine side (lazy slices, streamed
// statistics in a task worker) lands with the dataset serializers. Until then both answer with
// a clear NOT_SUPPORTED rather than a wrong value.
function notYet(): never {
  throw new NotSupportedError(
    'Dataset slices and statistics are not available in this build yet; the structure view still works.',
  )
}

/** dataset.slice and dataset.stats. */
export const datasetHandlers: HandlerTable<'dataset.slice' | 'dataset.stats'> = {
  async 'dataset.slice'() {
    return notYet()
  },
  async 'dataset.stats'() {
    return notYet()
  },
}
