import { CorruptPayloadError, LimitExceededError } from '../../errors.js'
import {
  checkKwargs,
  readTarget,
  writeTarget,
  type Kwargs,
  type PreviewOptions,
  type Serializer,
  type Target,
} from '../serializer.js'
import { compressJoblib } from './joblib-container.js'
import { checkMmapMode, checkProtocol, parseCompress } from './joblib-kwargs.js'
import { readJoblib } from './joblib-reader.js'
import { PREVIEW_BUDGETS } from './limits.js'
import { pandasTable } from './pandas-frame.js'
import { writePickle } from './pickle-writer.js'

/** Default byte ceiling of a preview: larger payloads are refused rather than read whole. */
const DEFAULT_PREVIEW_BYTES = 64 * 1024 ** 2

/**
 * The 'joblib' serializer, Python xpersist's fallback for any value. Reads zlib, gzip and
 * uncompressed joblib files through the safe pickle machine (classes off the whitelist become
 * PythonObject placeholders; nothing is ever executed) and writes JSON-like values as the
 * protocol 4 pickle `joblib.dump` writes.
 */
function checkJoblibDumpKwargs(kwargs: Kwargs): ReturnType<typeof parseCompress> {
  checkKwargs('joblib', 'dump', kwargs, ['compress', 'protocol'])
  checkProtocol(kwargs.protocol)
  return parseCompress(kwargs.compress)
}

export const joblibSerializer: Serializer = {
  name: 'joblib',

  async dump(value: unknown, target: Target, kwargs: Kwargs): Promise<void> {
    const compression = checkJoblibDumpKwargs(kwargs)
    await writeTarget(target, compressJoblib(writePickle(value), compression))
  },

  checkDumpKwargs(kwargs: Kwargs): void {
    checkJoblibDumpKwargs(kwargs)
  },

  async load(target: Target, kwargs: Kwargs): Promise<unknown> {
    checkKwargs('joblib', 'load', kwargs, ['mmap_mode'])
    checkMmapMode(kwargs.mmap_mode)
    return framesAsTables(readJoblib(await readPayload(target)))
  },

  async preview(target: Target, options: PreviewOptions & { kwargs: Kwargs }): Promise<unknown> {
    checkKwargs('joblib', 'load', options.kwargs, ['mmap_mode'])
    checkMmapMode(options.kwargs.mmap_mode)
    const maxBytes = options.maxBytes ?? DEFAULT_PREVIEW_BYTES
    // A pickle has no index to read part of, so the bound is on the whole payload, checked first.
    const meta = await target.backend.head(target.path)
    if (meta && meta.size > maxBytes) throw previewTooLarge(meta.size, maxBytes)
    const bytes = await readPayload(target)
    if (bytes.length > maxBytes) throw previewTooLarge(bytes.length, maxBytes)
    const value = readJoblib(bytes, {
      ...PREVIEW_BUDGETS,
      maxDecompressedBytes: maxBytes,
      maxArrayBytes: maxBytes,
    })
    return framesAsTables(value)
  },
}

/** A pickled DataFrame or Series (at the top) as the Arrow table it holds; else the value. */
function framesAsTables(value: unknown): unknown {
  return pandasTable(value) ?? value
}

async function readPayload(target: Target): Promise<Uint8Array> {
  const bytes = await readTarget(target)
  if (bytes === undefined) {
    throw new CorruptPayloadError(
      `The joblib payload '${target.path}' is missing from ${target.backend.url}; ` +
        'the artifact has a sidecar but no data.',
    )
  }
  return bytes
}

function previewTooLarge(size: number, maxBytes: number): LimitExceededError {
  return new LimitExceededError(
    `This joblib payload is ${size} bytes, more than the preview limit of ${maxBytes} bytes; ` +
      'a pickle cannot be read in part. Load the artifact instead, or raise the preview limit.',
  )
}
