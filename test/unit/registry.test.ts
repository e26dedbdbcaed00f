import { promises as fs } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { Registry } from '../../electron/engine/registry.js'
import { registry as globalRegistry } from '../../electron/engine/builtins.js'
import { CacheStore } from '../../electron/engine/store.js'
import { pickSerializer } from '../../electron/engine/pick.js'
import { readPandasCsv } from '../../electron/engine/serializers/csv/read-csv.js'
import { tempDir } from '../helpers/temp.js'

// A real npm package in a temporary node_modules, declaring a serializer entry point.
async function installPackage(): Promise<string> {
  const root = await tempDir()
  const pkg = path.join(root, 'node_modules', '@acme', 'xpersist-upper')
  await fs.mkdir(path.join(pkg, 'lib'), { recursive: true })
  await fs.writeFile(
    path.join(pkg, 'package.json'),
    JSON.stringify({
      name: '@acme/xpersist-upper',
      version: '1.0.0',
      type: 'module',
      xpersist: { serializers: { 'acme.upper': './lib/upper.js' } },
    }),
  )
  await fs.writeFile(
    path.join(pkg, 'lib', 'upper.js'),
    `export default () => ({
      name: 'acme.upper',
      async dump(value, target) { await target.backend.put(target.path, new TextEncoder().encode(String(value).toUpperCase()), { mode: target.putMode }) },
      async load(target) { return new TextDecoder().decode(await target.backend.get(target.path)) },
    })`,
  )
  await fs.mkdir(path.join(root, 'node_modules', 'plain'), { recursive: true })
  await fs.writeFile(path.join(root, 'node_modules', 'plain', 'package.json'), '{"name": "plain"}')
  return path.join(root, 'node_modules')
}

describe('registry', () => {
  it('finds a serializer an installed package declares, lazily, and uses it in a store', async () => {
    const nodeModules = await installPackage()
    let scans = 0
    const registry = new Registry({ searchPaths: () => (scans++, [nodeModules]) })
    registry.serializers.register('joblib', () => ({
      name: 'joblib',
      dump: async () => {},
      load: async () => null,
    }))
    expect(registry.has('serializers', 'joblib')).toBe(true)
    expect(scans).toBe(0)
    expect(registry.has('serializers', 'acme.upper')).toBe(true)
    expect(scans).toBe(1)
    const store = await CacheStore.open(path.join(await tempDir(), 'c'), { registry })
    await store.put('k', 'shout', { serializer: 'acme.upper' })
    expect(await store.get('k')).toBe('SHOUT')
    expect(registry.serializers.names()).toEqual(['acme.upper', 'joblib'])
  })

  it('create refuses an existing registry; get and has behave as in Python', () => {
    const registry = new Registry({ searchPaths: () => [] })
    const models = registry.create('models')
    models.register('linear', () => 'y = ax + b')
    expect(registry.get('models', 'linear')()).toBe('y = ax + b')
    expect(registry.has('models', 'nope')).toBe(false)
    expect(registry.has('nope', 'linear')).toBe(false)
    expect(() => registry.create('models')).toThrow(/already exists/)
    expect(() => registry.create('serializers')).toThrow(/already exists/)
    expect(() => registry.get('nope', 'x')).toThrow(
      /Unknown registry 'nope'; known: metadata_store, models, serializers/,
    )
    expect(() => registry.get('models', 'x')).toThrow(
      /No 'x' in the 'models' registry; known: linear/,
    )
  })

  it('the global registry knows every serializer name Python writes', () => {
    for (const name of [
      'pandas.csv',
      'joblib',
      'xarray.netcdf',
      'xarray.zarr',
      'pandas.parquet',
      'xcollection',
    ]) {
      expect(globalRegistry.has('serializers', name)).toBe(true)
    }
  })
})

describe('pickSerializer', () => {
  it("picks pandas.csv for tables and joblib for everything else, as Python's 'auto'", () => {
    expect(pickSerializer(readPandasCsv(new TextEncoder().encode('a\n1\n')))).toBe('pandas.csv')
    for (const v of [1, 'x', null, [1], { a: 1 }, new Map()])
      expect(pickSerializer(v)).toBe('joblib')
  })
})
