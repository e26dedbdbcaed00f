// Finding one variable of a stored dataset or collection for slices and statistics, with
// errors that list what is there. The CLI and the IPC handlers share this; each names the
// place the wrong name came from (`--member` or the request's `member`).
import type { Collection, Dataset, Selection, Variable } from './dataset/model.js'
import { normalizeSelection } from './dataset/selection.js'
import { InvalidArgumentError, LimitExceededError, NotSupportedError } from './errors.js'

/** Where a name came from, for messages: the CLI flag or the request field. */
export interface NameSources {
  member: string
  variable: string
}

const quoteAll = (names: Iterable<string>) =>
  [...names].map((n) => JSON.stringify(n)).join(', ') || 'none'

/** True for a value store.get returns for a dataset serializer. */
export function isDatasetValue(v: unknown): v is Dataset | Collection {
  if (v === null || typeof v !== 'object') return false
  const kind = (v as { kind?: unknown }).kind
  return (
    (kind === 'dataset' && (v as Dataset).dataVars instanceof Map) ||
    (kind === 'collection' && (v as Collection).datasets instanceof Map)
  )
}

/** The dataset a request means: the value itself, or the named member of a collection. */
export function pickMember(value: unknown, member: string | undefined, from: NameSources): Dataset {
  if (!isDatasetValue(value)) {
    throw new InvalidArgumentError(
      `This artifact is not a dataset or a collection of datasets; ${from.variable} needs one.`,
    )
  }
  if (value.kind === 'dataset') {
    if (member !== undefined) {
      throw new InvalidArgumentError(
        `This artifact is a single dataset, not a collection; leave out ${from.member}.`,
      )
    }
    return value
  }
  if (member === undefined) {
    throw new InvalidArgumentError(
      `This artifact is a collection of datasets; choose one with ${from.member} ` +
        `(its members: ${quoteAll(value.datasets.keys())}).`,
    )
  }
  const ds = value.datasets.get(member)
  if (!ds) {
    throw new InvalidArgumentError(
      `${from.member}: the collection has no member ${JSON.stringify(member)}; ` +
        `its members: ${quoteAll(value.datasets.keys())}.`,
    )
  }
  return ds
}

/** A data variable or coordinate of `ds` by name; the error lists the names there are. */
export function findVariable(ds: Dataset, name: string, from: NameSources): Variable {
  const v = ds.dataVars.get(name) ?? ds.coords.get(name)
  if (v) return v
  throw new InvalidArgumentError(
    `${from.variable}: no variable ${JSON.stringify(name)}; data variables: ` +
      `${quoteAll(ds.dataVars.keys())}; coordinates: ${quoteAll(ds.coords.keys())}.`,
  )
}

/** The NotSupported error for a build without the dataset slice and statistics engine. */
export function noDatasetOps(): NotSupportedError {
  return new NotSupportedError(
    'Dataset slices and statistics are not available in this build yet ' +
      '(the engine functions sliceVariable and variableStats are missing); the structure still shows.',
  )
}

/**
 * Refuses a slice of more than `maxElements` elements before anything is read, with the size
 * it would have and how to ask for less (a step, or an index for a dimension).
 */
export function checkSliceSize(
  variable: Variable,
  selection: Selection,
  maxElements: number,
  from: NameSources,
): void {
  const { size, ranges } = normalizeSelection(variable.shape, selection, variable.dims)
  if (size <= maxElements) return
  const widest = ranges.reduce((a, r, i) => (r.count > (ranges[a]?.count ?? 0) ? i : a), 0)
  const r = ranges[widest]!
  const step = Math.ceil(size / maxElements) * r.step
  throw new LimitExceededError(
    `${from.variable}: that slice of ${variable.name} has ${size.toLocaleString('en-US')} ` +
      `elements, over the limit of ${maxElements.toLocaleString('en-US')}. Pass a step ` +
      `(for example ${variable.dims[widest]}=${r.start}:${r.stop}:${step}) or fix more dimensions to one index.`,
  )
}
