// The engine's Preview (electron/engine/preview-types.ts) and the wire's PreviewSchema
// (shared/ipc.ts) are written twice so that the engine need not import the IPC layer; this
// file holds them together: the build fails when either changes without the other.
import type { Preview as EnginePreview } from '../../engine/preview-types.js'
import type { Preview as WirePreview } from '../../../shared/ipc.js'

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false

/** True, or a type error naming this line: the engine and the wire disagree on Preview. */
export const previewContractHolds: Same<EnginePreview, WirePreview> = true
