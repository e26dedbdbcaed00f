import type { CommandContext } from '../args.js'
import { UsageError } from '../args.js'
import type { Dataset } from '../../engine/dataset/model.js'
import {
  checkSliceSize,
  findVariable,
  isDatasetValue,
  pickMember,
} from '../../engine/dataset-access.js'
import { datasetOps } from '../../engine/dataset-ops.js'
import { closeLoaded, type CacheStore } from '../../engine/store.js'
import { datasetText, sliceText, statsText } from '../dataset-text.js'
import { parseSliceSpec, selectionOf } from '../slice-spec.js'
import { visibleText } from '../../../shared/visible-text.js'

/** Elements `--slice` prints at most (as the explorer's slice channel, by default). */
export const MAX_SLICE_ELEMENTS = 1_000_000

/** `show` of a dataset or collection: structure (text or JSON), one slice, or statistics. */
export async function showDataset(
  store: CacheStore,
  key: string,
  { values, out, outJson }: CommandContext,
): Promise<number> {
  const slice = values.slice as string | undefined
  const stats = values.stats as string | undefined
  const member = values.member as string | undefined
  if (slice !== undefined && stats !== undefined) {
    throw new UsageError('give --slice or --stats, not both')
  }
  const value = await store.get(key)
  if (!isDatasetValue(value)) {
    throw new UsageError(`'${key}' is not a dataset; --slice, --stats and --member need one`)
  }
  try {
    const what = slice !== undefined ? '--slice' : stats !== undefined ? '--stats' : '--member'
    const names = { member: '--member', variable: what }
    if (slice === undefined && stats === undefined) {
      const whole = value.kind === 'collection' && member === undefined
      if (values.json) {
        const totalBytes = (await store.payloadFiles(key)).reduce((a, f) => a + f.bytes, 0)
        const { collectionPreview, datasetPreview } =
          await import('../../engine/dataset/dataset-json.js')
        const preview =
          whole && value.kind === 'collection'
            ? await collectionPreview(value, { totalBytes })
            : await datasetPreview(pickMember(value, member, names), { totalBytes })
        outJson(JSON.stringify(preview))
      } else if (whole && value.kind === 'collection') {
        const parts: string[] = []
        for (const [name, ds] of value.datasets) parts.push(`${name}:\n${await datasetText(ds)}`)
        out(parts.join('\n\n'))
      } else out(await datasetText(pickMember(value, member, names)))
      return 0
    }
    const ds = pickMember(value, member, names)
    if (slice !== undefined) return await printSlice(ds, slice, values.json === true, out, outJson)
    return await printStats(ds, stats!, values.json === true, out, outJson)
  } finally {
    await closeLoaded(value)
  }
}

async function printSlice(
  ds: Dataset,
  text: string,
  json: boolean,
  out: (s: string) => void,
  outJson: (s: string) => void,
): Promise<number> {
  const spec = parseSliceSpec(text)
  const names = { member: '--member', variable: '--slice' }
  const variable = findVariable(ds, spec.variable, names)
  const selection = selectionOf(spec, variable)
  checkSliceSize(variable, selection, MAX_SLICE_ELEMENTS, names)
  const ops = await datasetOps()
  const result = await ops.sliceVariable(ds, spec.variable, selection, {
    maxElements: MAX_SLICE_ELEMENTS,
  })
  if (json) outJson(JSON.stringify(result))
  else out(sliceText(result, new Map([...ds.coords].map(([k, v]) => [k, v.dtype]))))
  return 0
}

async function printStats(
  ds: Dataset,
  name: string,
  json: boolean,
  out: (s: string) => void,
  outJson: (s: string) => void,
): Promise<number> {
  const variable = findVariable(ds, name, { member: '--member', variable: '--stats' })
  const ops = await datasetOps()
  const tty = process.stderr.isTTY === true
  const progress = ({ done, total }: { done: number; total: number }) => {
    const pct = total > 0 ? Math.floor((100 * done) / total) : 100
    if (tty) process.stderr.write(`\rstatistics of ${visibleText(name)}: ${pct}%`)
  }
  const result = await ops.variableStats(variable, { onProgress: progress })
  if (tty) process.stderr.write('\r\x1b[K')
  if (json) outJson(JSON.stringify(result))
  else out(statsText(result, variable))
  return 0
}
