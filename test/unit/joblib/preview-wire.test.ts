// The object preview keeps what JSON.parse would round or hide: Python ints beyond 2^53 go
// over the wire as {"__int__": digits} (the browser transport parses replies with
// JSON.parse, which turned 2**70 into 1.1805916207174113e+21), datetimes stay ISO text with
// NaT as null. The renderer side is test/renderer/exact-tree.test.tsx.
import { promises as fs } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { previewArtifact } from '../../../electron/engine/preview.js'
import { stringifyJson } from '../../../electron/engine/pyvalue-json.js'
import { CacheStore } from '../../../electron/engine/store.js'
import { fixtureCopy, REPO } from '../../helpers/temp.js'

/** The preview of a Python-written joblib payload as the browser transport reads it. */
async function previewOverTheWire(payload: string): Promise<Record<string, unknown>> {
  const cache = await fixtureCopy()
  // run-config is a joblib key; its payload becomes the Python-written value.
  await fs.copyFile(path.join(REPO, payload), path.join(cache, 'run-config'))
  const preview = await previewArtifact(await CacheStore.open(cache), 'run-config')
  // What http-server.ts sends and HttpTransport reads back (response.json()).
  const wire = JSON.parse(stringifyJson(preview)) as { kind: string; value: unknown }
  expect(wire.kind).toBe('object')
  return wire.value as Record<string, unknown>
}

describe('object preview over the wire', () => {
  it('keeps every digit of ints beyond 2^53 and leaves small ints numbers', async () => {
    const v = await previewOverTheWire('test/fixtures/tables/pickled/1.5.3/exact_values.joblib')
    expect(v.big).toEqual({ __int__: '1180591620717411303424' })
    expect(v.neg).toEqual({ __int__: '-1180591620717411303424' })
    expect(v.small).toBe(12)
  })

  it('sends datetimes as ISO text, NaT as null, and day units without a time', async () => {
    const v = await previewOverTheWire('test/fixtures/tables/pickled/3.1.1/exact_values.joblib')
    expect(v.times).toEqual({
      dtype: 'datetime64[ns]',
      shape: [2],
      values: ['2020-01-01T00:00:00', null],
    })
    expect(v.days).toEqual({ dtype: 'datetime64[D]', shape: [2], values: ['2020-01-01', null] })
  })

  it.each(['1.5.3', '2.2.3', '3.1.1'])(
    'pandas %s: pickled dates, datetimes, Timestamps and NaT carry their value',
    async (version) => {
      const v = await previewOverTheWire(
        `test/fixtures/tables/pickled/${version}/exact_values.joblib`,
      )
      expect(v.date).toEqual({ __datetime__: '2020-01-31' })
      expect(v.datetime).toEqual({ __datetime__: '2020-01-31T12:30:01.000005' })
      expect(v.utc).toEqual({ __datetime__: '2020-01-31T00:00:00Z' })
      expect(v.timestamp).toEqual({ __datetime__: '2020-01-31T12:00:00.123456789' })
      expect(v.paris).toEqual({ __datetime__: '2020-01-30T23:00:00Z Europe/Paris' })
      expect(v.nat).toEqual({ __datetime__: null })
    },
  )
})
