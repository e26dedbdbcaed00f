// @vitest-environment jsdom
// The object preview tree shows what Python holds: 2**70 as its exact digits (not
// 1.1805916207174113e+21) after the preview crosses the browser transport's JSON, and a
// missing datetime as NaT (not NaN). The value goes engine -> wire JSON -> tree, as in
// `xpersist serve` (it lives in test/ipc because it crosses engine, wire and renderer).
import { promises as fs } from 'node:fs'
import path from 'node:path'
import { cleanup, render, screen, within } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'
import { ArrayGrid } from '../../renderer/src/preview/ArrayGrid'
import { ObjectTree } from '../../renderer/src/preview/ObjectTree'
import { previewArtifact } from '../../electron/engine/preview.js'
import { stringifyJson } from '../../electron/engine/pyvalue-json.js'
import { CacheStore } from '../../electron/engine/store.js'
import { fixtureCopy, REPO, tempDir } from '../helpers/temp.js'

afterEach(cleanup)

/** Python's joblib.dump of a value, previewed in a cache as its key 'v'. */
async function previewOverTheWire(value: unknown): Promise<unknown> {
  const store = await CacheStore.open(await tempDir())
  await store.put('v', value, { serializer: 'joblib' })
  return previewKey(store)
}

/** The Python-written dict of write_pickled_frames.py's exact_values(), previewed. */
async function previewPythonValues(): Promise<unknown> {
  const cache = await fixtureCopy()
  // run-config is a joblib key; its payload becomes the Python-written dict.
  await fs.copyFile(
    path.join(REPO, 'test/fixtures/tables/pickled/1.5.3/exact_values.joblib'),
    path.join(cache, 'run-config'),
  )
  return previewKey(await CacheStore.open(cache), 'run-config')
}

async function previewKey(store: CacheStore, key = 'v'): Promise<unknown> {
  const preview = await previewArtifact(store, key)
  // What http-server.ts sends and HttpTransport reads back (response.json()).
  const wire = JSON.parse(stringifyJson(preview)) as { kind: string; value: unknown }
  expect(wire.kind).toBe('object')
  return wire.value
}

describe('exact values in the object tree', () => {
  it('shows ints beyond 2^53 with every digit after the wire', async () => {
    const value = await previewOverTheWire(
      new Map<string, unknown>([
        ['big', 2n ** 70n],
        ['neg', -(2n ** 70n)],
        ['small', 12],
        ['items', [2n ** 64n + 1n]],
      ]),
    )
    render(<ObjectTree value={value} />)
    const tree = screen.getByTestId('preview-tree')
    expect(within(tree).getByText('1180591620717411303424')).toBeTruthy()
    expect(within(tree).getByText('-1180591620717411303424')).toBeTruthy()
    expect(within(tree).getByText('12')).toBeTruthy()
    expect(tree.textContent).not.toMatch(/e\+21/)
  })

  it('shows a missing datetime as NaT and a day-unit datetime without a time', async () => {
    const value = await previewPythonValues()
    render(<ObjectTree value={value} />)
    const tree = screen.getByTestId('preview-tree')
    // Expand both arrays: they open on their grids (datetimes do not plot).
    for (const b of within(tree).getAllByRole('button', { name: /Expand/ })) b.click()
    const text = (await screen.findAllByText('NaT', {}, { timeout: 10_000 })).length
    expect(text).toBe(2)
    expect(tree.textContent).toContain('2020-01-01T00:00:00')
    expect(tree.textContent).toContain('2020-01-01')
    expect(tree.textContent).not.toContain('2020-01-01T00:00:00.000')
    expect(tree.textContent).not.toMatch(/NaN/)
    expect(within(tree).getByText('1180591620717411303424')).toBeTruthy()
  })

  it('names missing values as numpy prints them in a grid', () => {
    render(<ArrayGrid shape={[3]} values={[null, 1.5, null]} dtype="float64" />)
    expect(screen.getAllByText('NaN')).toHaveLength(2)
    cleanup()
    render(<ArrayGrid shape={[1]} values={[null]} dtype="object" />)
    expect(screen.getByText('None')).toBeTruthy()
  })
})
