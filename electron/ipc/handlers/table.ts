// Table query, page and export channels. This file is the contract's placeholder on main
// while the t8-query branch writes the handlers; every channel refuses with a clear error.
import { NotSupportedError } from '../../engine/errors.js'
import type { HandlerTable } from './types.js'

function notYet(): never {
  throw new NotSupportedError('Sorting, filtering and exporting whole tables is not available yet.')
}

/** The table.* and export.save handlers. */
export const tableHandlers: Pick<
  HandlerTable,
  'table.query' | 'table.page' | 'table.export' | 'export.save'
> = {
  'table.query': notYet,
  'table.page': notYet,
  'table.export': notYet,
  'export.save': notYet,
}
