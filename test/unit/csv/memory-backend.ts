/**
 * The engine's in-memory backend, recording every `get` so tests can check that previews read
 * through byte ranges instead of the whole object.
 */
import type { ByteRange } from '../../../electron/engine/backend/backend.js'
import { MemoryBackend as EngineMemoryBackend } from '../../../electron/engine/backend/memory.js'
import type { Target } from '../../../electron/engine/serializers/serializer.js'

/** A MemoryBackend whose `gets` logs each read as [path, range]. */
export class MemoryBackend extends EngineMemoryBackend {
  readonly gets: [string, ByteRange | undefined][] = []

  override async get(path: string, range?: ByteRange): Promise<Uint8Array | undefined> {
    this.gets.push([path, range])
    return super.get(path, range)
  }
}

/** A target at `path` in `backend`, written race-safely as the store would. */
export function memoryTarget(backend: MemoryBackend, path: string): Target {
  return { backend, path, putMode: 'create' }
}
