// Types for scripts/dist-stamp.js, which the test setup imports.

/** One built part of dist/. */
export interface DistPart {
  name: string
  inputs: string[]
  stamp: string
  build: [string, string[]]
  emitsDespiteErrors?: boolean
}
/** The repository root. */
export const ROOT: string
/** Each built part of dist/. */
export const PARTS: DistPart[]
/** The hash of a part's inputs as they are on disk now. */
export function inputsHash(part: DistPart): string
/** True when the part's stamp says it was built from the current inputs. */
export function isFresh(part: DistPart): boolean
/** Records that the part was just built from the current inputs. */
export function writeStamp(part: DistPart): void
/** Builds the part and stamps it; false when it was built but its tool reported errors. */
export function build(part: DistPart): boolean
