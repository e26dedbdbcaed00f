import type { RandomReader } from '../../backend/backend.js'
import { CorruptPayloadError, LimitExceededError } from '../../errors.js'
import type { Target } from '../../serializers/serializer.js'

// h5wasm's HDF5 runs in WebAssembly on an Emscripten file system. The ESM build is used, not
// 'h5wasm/node': that one maps the host disk in raw (NODERAWFS), so HDF5 would open paths
// itself, following links and bypassing the backend's checks. Here every file HDF5 sees is a
// node in the in-memory file system under /xp: either a lazy file whose reads go to the
// backend's RandomReader at the offsets HDF5 asks for, or a copy of the object's bytes.

type H5wasm = typeof import('h5wasm').default
/** The loaded library: the high-level API, its Emscripten module and file system. */
export interface H5 {
  readonly h5: H5wasm
  readonly M: Awaited<H5wasm['ready']>
  readonly FS: Awaited<H5wasm['ready']>['FS']
}

const DIR = '/xp'
// Objects from stores without random reads are copied into WebAssembly-side memory whole; past
// this size a preview would cost too much memory, so it is refused with a clear error.
export const COPY_LIMIT = 256 * 1024 * 1024

let loading: Promise<H5> | undefined
let counter = 0

/** Loads h5wasm once; HDF5 errors then throw (with HDF5's own error stack) instead of printing. */
export function loadH5(): Promise<H5> {
  loading ??= import('h5wasm').then(async (mod) => {
    const h5 = mod.default
    const M = await h5.ready
    M.activate_throwing_error_handler()
    M.FS.mkdir(DIR)
    return { h5, M, FS: M.FS }
  })
  return loading
}

/** A fresh name for a file in the WebAssembly file system. */
export function scratchPath(): string {
  return `${DIR}/f${++counter}.h5`
}

/** A file mounted for HDF5 to read, and how to take it down again. */
export interface Mounted {
  readonly fsPath: string
  /** What the read checks refused, if anything: a better reason than HDF5's "read failed". */
  problem(): string | undefined
  /** Removes the file system entry and closes the backend handle; safe to call twice. */
  release(): Promise<void>
}

/**
 * Makes the payload readable by HDF5: lazily through `openRead` where the backend has it (so a
 * 2-D slice of a 1 GB file reads only its chunks and the metadata on the way), else a copy of
 * the object, refused past COPY_LIMIT. `counted` is told every byte taken from the backend.
 */
export async function mountTarget(
  h: H5,
  target: Target,
  counted: (n: number) => void,
): Promise<Mounted> {
  const fsPath = scratchPath()
  if (target.backend.openRead) {
    const reader = await target.backend.openRead(target.path)
    if (!reader) throw missingPayload(target)
    const problem = mountReader(h, fsPath, reader, counted)
    return mounted(h, fsPath, problem, () => reader.close())
  }
  const meta = await target.backend.head(target.path)
  if (!meta) throw missingPayload(target)
  if (meta.size > COPY_LIMIT) {
    throw new LimitExceededError(
      `${target.path} is ${meta.size} bytes, too big to preview from ${target.backend.url}: ` +
        `NetCDF4 files from this kind of store are copied into memory, up to ` +
        `${COPY_LIMIT / 2 ** 20} MiB. Download it and open it from a local cache folder.`,
    )
  }
  const bytes = await target.backend.get(target.path)
  if (!bytes) throw missingPayload(target)
  counted(bytes.length)
  // Served through the same lazy node, so the checks on what HDF5 reads apply to copies too.
  const problem = mountReader(h, fsPath, bytesReader(bytes), () => {})
  return mounted(h, fsPath, problem, async () => {})
}

function bytesReader(bytes: Uint8Array): RandomReader {
  return {
    size: bytes.length,
    readSync: (buffer, position) => {
      const part = bytes.subarray(position, position + buffer.length)
      buffer.set(part)
      return part.length
    },
    close: async () => {},
  }
}

function mounted(
  h: H5,
  fsPath: string,
  problem: () => string | undefined,
  closeSource: () => Promise<void>,
): Mounted {
  let done = false
  return {
    fsPath,
    problem,
    release: async () => {
      if (done) return
      done = true
      removeFile(h, fsPath)
      await closeSource()
    },
  }
}

/** Removes a file system entry if it is there. */
export function removeFile(h: H5, fsPath: string): void {
  try {
    h.FS.unlink(fsPath)
  } catch {
    // already gone
  }
}

// Emscripten's own lazy files (createLazyFile) use synchronous XHR; this is the same shape: a
// MEMFS file node whose size is the object's and whose reads call the backend's reader.
function mountReader(
  h: H5,
  fsPath: string,
  reader: RandomReader,
  counted: (n: number) => void,
): () => string | undefined {
  let problem: string | undefined
  const name = fsPath.slice(DIR.length + 1)
  const FS = h.FS as unknown as EmscriptenFS
  const node = FS.createFile(DIR, name, {}, true, false)
  node.contents = { lazy: true }
  Object.defineProperty(node, 'usedBytes', { get: () => reader.size })
  node.stream_ops = {
    ...node.stream_ops,
    read: (_stream, heap, offset, length, position) => {
      if (position >= reader.size || length <= 0) return 0
      const view = new Uint8Array(heap.buffer, heap.byteOffset + offset, length)
      let n: number
      try {
        n = reader.readSync(view, position)
      } catch (e) {
        // A JavaScript error thrown through HDF5's C code would skip its cleanup; an I/O error
        // number makes HDF5 fail the call its own way, and the reason is kept for the message.
        problem = `reading it failed (${e instanceof Error ? e.message : String(e)})`
        throw new FS.ErrnoError(29) // EIO
      }
      counted(n)
      if (loopingHeap(view.subarray(0, n))) {
        problem = `a damaged global heap at byte ${position} (variable-length data) would make HDF5 loop forever`
        throw new FS.ErrnoError(29) // EIO: HDF5 fails cleanly
      }
      return n
    },
    write: () => {
      throw new FS.ErrnoError(63) // EPERM: payloads are only read here
    },
    mmap: () => {
      throw new FS.ErrnoError(43) // ENODEV: HDF5 falls back to reads
    },
  }
  return () => problem
}

// The parts of Emscripten's FS that h5wasm's typings leave out.
interface EmscriptenFS {
  createFile(parent: string, name: string, props: object, read: boolean, write: boolean): LazyNode
  ErrnoError: new (errno: number) => Error
}

interface LazyNode {
  contents: unknown
  stream_ops: {
    read: (
      stream: unknown,
      heap: Int8Array,
      offset: number,
      length: number,
      position: number,
    ) => number
    write: (...args: unknown[]) => number
    mmap: (...args: unknown[]) => unknown
  }
}

// HDF5 (1.12 and 1.14 alike; h5py hangs too) walks a global heap collection ("GCOL", where
// variable-length strings live) object by object, and a damaged free-space record of size 0
// makes that walk stand still forever. Collections are read whole, so each one HDF5 reads is
// walked here first, the same way, and refused if the walk would not end.
const GCOL = [0x47, 0x43, 0x4f, 0x4c]
function loopingHeap(b: Uint8Array): boolean {
  if (b.length < 16 || GCOL.some((c, i) => b[i] !== c)) return false
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength)
  const end = Math.min(Number(v.getBigUint64(8, true)), b.length)
  let p = 16
  while (p + 16 <= end) {
    const idx = v.getUint16(p, true)
    const size = Number(v.getBigUint64(p + 8, true))
    const need = idx > 0 ? 16 + Math.ceil(size / 8) * 8 : size
    if (need === 0) return true
    p += need
  }
  return false
}

function missingPayload(target: Target): CorruptPayloadError {
  return new CorruptPayloadError(
    `The NetCDF4 payload ${target.path} is missing from ${target.backend.url}; the artifact is ` +
      `incomplete. Delete it and put it again.`,
  )
}

/**
 * The gist of an HDF5 error stack for a user: its innermost messages ("truncated file",
 * "inflate() failed", "file signature not found"), not the 20 lines of call sites.
 */
export function describeH5Error(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e)
  const messages = [...text.matchAll(/#\d+: .*? in (\S+)\(\): (.*)$/gm)].map((m) => m[2]?.trim())
  const useful = messages.filter((m): m is string => !!m)
  if (useful.length === 0) return text.split('\n')[0]?.slice(0, 300) || 'unknown HDF5 error'
  const inner = useful.slice(-2).reverse()
  return [...new Set(inner)].join('; ').slice(0, 300)
}
