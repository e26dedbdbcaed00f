// Mutated sidecars, pickles and CSVs: every outcome is a value or an XpersistError (the
// closed set), never a TypeError, RangeError or hang. Bounded by count and seeded, so a
// failure names the mutation that caused it and replays exactly.
import { deflateSync } from 'node:zlib'
import { describe, expect, test } from 'vitest'
import { XpersistError } from '../../electron/engine/errors.js'
import { pyToJson, stringifyJson } from '../../electron/engine/pyvalue-json.js'
import { readPandasCsv } from '../../electron/engine/serializers/csv/read-csv.js'
import { readJoblib } from '../../electron/engine/serializers/joblib/joblib-reader.js'
import { decodeSidecar, encodeSidecar } from '../../electron/engine/sidecar.js'
import { fixture } from './joblib/helpers.js'
import { prng } from '../helpers/prng.js'

const MUTATIONS = 300

const INTERESTING = [
  0x00, 0xff, 0x7f, 0x80, 0x22, 0x2c, 0x0a, 0x5b, 0x7b, 0x28, 0x2e, 0x94, 0x68, 0x85, 0x5d, 0x7d,
]

/** One to four random edits: flip, overwrite, insert, delete, a run of one byte, a repeated slice. */
function mutate(good: Uint8Array, rand: (n: number) => number): Uint8Array {
  let bytes = Array.from(good)
  for (let edits = 1 + rand(4); edits > 0; edits--) {
    const at = rand(bytes.length + 1)
    switch (rand(6)) {
      case 0:
        bytes[at] = (bytes[at] ?? 0) ^ (1 << rand(8))
        break
      case 1:
        bytes[at] = INTERESTING[rand(INTERESTING.length)]!
        break
      case 2:
        bytes.splice(at, 0, rand(256))
        break
      case 3:
        bytes.splice(at, 1 + rand(8))
        break
      case 4:
        // A long run of one byte: deep nesting ('[', '(', TUPLE1) or a long token.
        bytes.splice(
          at,
          0,
          ...new Array<number>(1 + rand(3000)).fill(INTERESTING[rand(INTERESTING.length)]!),
        )
        break
      default: {
        const piece = bytes.slice(at, at + 1 + rand(32))
        const copies = new Array<number[]>(1 + rand(64)).fill(piece).flat()
        bytes = [...bytes.slice(0, at), ...copies, ...bytes.slice(at)]
      }
    }
  }
  return Uint8Array.from(bytes.slice(0, good.length * 8 + 4000))
}

function outcomeOf(fn: () => unknown): unknown {
  try {
    fn()
    return 'value'
  } catch (err) {
    return err
  }
}

function fuzz(name: string, good: Uint8Array, seed: number, read: (b: Uint8Array) => unknown) {
  const rand = prng(seed)
  for (let i = 0; i < MUTATIONS; i++) {
    const bad = mutate(good, rand)
    const outcome = outcomeOf(() => read(bad))
    if (outcome !== 'value') {
      expect(outcome, `${name} mutation ${i} (seed ${seed})`).toBeInstanceOf(XpersistError)
    }
  }
}

describe('fuzzed parsers end in a value or an XpersistError', () => {
  test('sidecars (decode, then re-encode what decoded)', () => {
    const good = fixture('sample-cache/xpersist_metadata_store/daily-obs.artifact.json')
    fuzz('sidecar', good, 1, (b) => encodeSidecar(decodeSidecar(b, 'fuzz')))
  })

  test('pickles (read, then the JSON form shown by show and the explorer)', () => {
    const good = fixture('joblib/mixed.joblib')
    fuzz('pickle', good, 2, (b) => stringifyJson(pyToJson(readJoblib(b))))
  })

  test('zlib joblib files (mutated inside the compression, then compressed)', () => {
    const raw = fixture('sample-cache/vec-f8')
    fuzz('zlib pickle', raw, 3, (b) => pyToJson(readJoblib(deflateSync(b))))
  })

  test('CSVs', () => {
    const good = fixture('sample-cache/daily-obs')
    fuzz('csv', good, 4, (b) => readPandasCsv(b, { index_col: 0, parse_dates: true }))
  })
})
