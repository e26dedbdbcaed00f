import { promises as fs } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { Registry } from '../../electron/engine/registry.js'
import { registry as globalRegistry } from '../../electron/engine/builtins.js'
import { CacheStore } from '../../electron/engine/store.js'
import { pickSerializer } from '../../electron/engine/pick.js'
import { readPandasCsv } from '../../electron/engine/serializers/csv/read-csv.js'
import { tempDir } from '../helpers/temp.js'
import { trapCache } from '../helpers/trap-cache.js'
import { configuredPlugins, pluginConfigPath } from '../../electron/engine/plugins.js'
import { previewArtifact } from '../../electron/engine/preview.js'

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
  it('finds a serializer a listed package declares, lazily, and uses it in a store', async () => {
    const nodeModules = await installPackage()
    const config = await tempDir()
    await fs.mkdir(path.join(config, 'xpersist'))
    await fs.writeFile(
      path.join(config, 'xpersist', 'config.json'),
      JSON.stringify({ plugins: ['@acme/xpersist-upper'] }),
    )
    let scans = 0
    const registry = new Registry({
      plugins: (problems) => (scans++, configuredPlugins({ XDG_CONFIG_HOME: config }, problems)),
      resolveFrom: path.dirname(nodeModules),
    })
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

  it('ignores a package that is installed but not listed', async () => {
    const nodeModules = await installPackage()
    const registry = new Registry({ plugins: () => [], resolveFrom: path.dirname(nodeModules) })
    expect(registry.has('serializers', 'acme.upper')).toBe(false)
  })

  it('reads plug-in names from the config file and XPERSIST_PLUGINS, refusing path tricks', async () => {
    const config = await tempDir()
    await fs.mkdir(path.join(config, 'xpersist'))
    await fs.writeFile(
      path.join(config, 'xpersist', 'config.json'),
      JSON.stringify({ plugins: ['a-pkg', '../../evil', '@scope/b', 3] }),
    )
    const problems: string[] = []
    const env = { XDG_CONFIG_HOME: config, XPERSIST_PLUGINS: ' c ,@scope/b,/abs' }
    expect(configuredPlugins(env, problems)).toEqual(['a-pkg', '@scope/b', 'c'])
    expect(problems).toEqual([
      '"../../evil" is not an npm package name',
      '3 is not an npm package name',
      '"/abs" is not an npm package name',
    ])
    expect(pluginConfigPath({ XDG_CONFIG_HOME: config })).toBe(
      path.join(config, 'xpersist', 'config.json'),
    )
  })

  it('an unknown serializer says how to install one, naming a listed package that is missing', () => {
    const registry = new Registry({ plugins: () => ['not-installed-pkg'] })
    expect(() => registry.serializers.get('fast.format')).toThrow(
      /No serializer 'fast.format'; known: none\. To add it, install a package providing it beside xpersist \(npm install <package>\) and list the package under "plugins" in .*config\.json or in XPERSIST_PLUGINS \(plug-in package 'not-installed-pkg' is not installed beside xpersist\)/,
    )
  })
})

describe('code from a cache never runs (issue 6, item 1)', () => {
  it('a preview of a key naming a serializer packaged inside the cache loads nothing, cwd in the cache', async () => {
    const { cache, ran } = await trapCache()
    const cwd = process.cwd()
    process.chdir(cache) // the old lookup started at the working directory
    try {
      // The default plug-in sources, with the user's config and environment held empty.
      const env = {
        XDG_CONFIG_HOME: process.env.XDG_CONFIG_HOME,
        list: process.env.XPERSIST_PLUGINS,
      }
      process.env.XDG_CONFIG_HOME = cache
      delete process.env.XPERSIST_PLUGINS
      try {
        const store = await CacheStore.open('.', { readonly: true, registry: new Registry() })
        const preview = await previewArtifact(store, 'key')
        expect(preview).toMatchObject({
          kind: 'unsupported',
          serializer: 'fast.format',
          message: expect.stringMatching(/No serializer 'fast.format'.*XPERSIST_PLUGINS/),
        })
        await expect(store.get('key')).rejects.toMatchObject({ code: 'UNKNOWN_SERIALIZER' })
      } finally {
        restoreEnv('XDG_CONFIG_HOME', env.XDG_CONFIG_HOME)
        restoreEnv('XPERSIST_PLUGINS', env.list)
      }
    } finally {
      process.chdir(cwd)
    }
    expect(ran()).toBe(false)
  })
})

function restoreEnv(name: string, value: string | undefined) {
  if (value === undefined) delete process.env[name]
  else process.env[name] = value
}

describe('registry names', () => {
  it('create refuses an existing registry; get and has behave as in Python', () => {
    const registry = new Registry({ plugins: () => [] })
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
