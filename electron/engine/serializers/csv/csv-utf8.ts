/**
 * Strict UTF-8 validation of a file fed in pieces, without decoding it: node's native isUtf8
 * on each piece up to its last whole character, the few bytes of a character cut by the piece
 * boundary carried into the next. Same verdict as a fatal TextDecoder over the whole file.
 */
import { isUtf8 } from 'node:buffer'
import { CorruptPayloadError } from '../../errors.js'

/** Validates pieces in order; throws CorruptPayloadError at the first invalid byte sequence. */
export class Utf8Validator {
  private carry = new Uint8Array(0)

  /** Checks the next piece. */
  push(piece: Uint8Array): void {
    let from = 0
    if (this.carry.length > 0) {
      const need = sequenceLength(this.carry[0]!) - this.carry.length
      const take = Math.min(need, piece.length)
      const joined = new Uint8Array(this.carry.length + take)
      joined.set(this.carry)
      joined.set(piece.subarray(0, take), this.carry.length)
      from = take
      if (take < need) {
        this.carry = joined
        return
      }
      this.carry = new Uint8Array(0)
      if (!isUtf8(joined)) throw invalid()
    }
    let cut = piece.length
    for (let k = piece.length - 1; k >= Math.max(from, piece.length - 4); k--) {
      const b = piece[k]!
      if ((b & 0xc0) === 0x80) continue
      if (b >= 0xc0 && k + sequenceLength(b) > piece.length) cut = k
      break
    }
    if (!isUtf8(piece.subarray(from, cut))) throw invalid()
    this.carry = piece.slice(cut)
  }

  /** Ends the input: a character cut off at the end is invalid. */
  end(): void {
    if (this.carry.length > 0) throw invalid()
  }
}

function sequenceLength(lead: number): number {
  return lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : 2
}

function invalid(): CorruptPayloadError {
  return new CorruptPayloadError('This CSV is not valid UTF-8.')
}
