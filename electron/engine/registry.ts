import { readFileSync } from 'node:fs'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import type { Serializer } from './serializers/serializer.js'
import { InvalidArgumentError, UnknownSerializerError } from './errors.js'
import { defaultPlugins, ENGINE_DIR, packageDir, pluginConfigPath, PLUGINS_ENV } from './plugins.js'

/** Makes a serializer; may load its code lazily. */
export type SerializerFactory = () => Serializer | Promise<Serializer>

/** The plug-in package names to look in, each call (so a test can count the scans). */
export type PluginList = (problems: string[]) => string[]

/**
 * One named registry of functions (like catalogue's, which Python xpersist uses). With entry
 * points on, a plug-in package (see plugins.ts: only packages the user chose, resolved from
 * where xpersist is installed) whose package.json has
 * `"xpersist": { "<registry>": { "<name>": "<module>" } }` provides `<name>`; packages are only
 * read when a name is not registered in code, and their modules load on first use.
 */
export class FunctionRegistry<F extends (...args: never[]) => unknown> {
  private readonly functions = new Map<string, F>()
  private scanned = false
  private readonly problems: string[] = []

  constructor(
    readonly name: string,
    readonly entryPoints: boolean,
    private readonly plugins: PluginList = defaultPlugins,
    private readonly resolveFrom: string = ENGINE_DIR,
  ) {}

  /** Registers `func` under `name`, replacing an earlier one; returns it (decorator style). */
  register(name: string, func: F): F {
    this.functions.set(name, func)
    return func
  }

  /** Whether `name` is registered (in code or by an installed package). */
  has(name: string): boolean {
    if (this.functions.has(name)) return true
    this.scanEntryPoints()
    return this.functions.has(name)
  }

  /** The function registered as `name`; UnknownSerializerError says what is known and how to add it. */
  get(name: string): F {
    if (!this.has(name)) {
      const what =
        this.name === 'serializers'
          ? `serializer '${name}'`
          : `'${name}' in the '${this.name}' registry`
      const problems = this.problems.length ? ` (${this.problems.join('; ')})` : ''
      const register = `register it in code with registry.${this.name}.register('${name}', factory)`
      throw new UnknownSerializerError(
        `No ${what}; known: ${this.names().join(', ') || 'none'}. ` +
          (this.entryPoints
            ? `To add it, install a package providing it beside xpersist (npm install ` +
              `<package>) and list the package under "plugins" in ${pluginConfigPath()} or in ` +
              `${PLUGINS_ENV}${problems}, or ${register}. Plug-ins never load from the cache ` +
              `or the working directory.`
            : `To add it, ${register}.`),
      )
    }
    return this.functions.get(name) as F
  }

  /** Every registered name, sorted. */
  names(): string[] {
    this.scanEntryPoints()
    return [...this.functions.keys()].sort()
  }

  private scanEntryPoints(): void {
    if (!this.entryPoints || this.scanned) return
    this.scanned = true
    for (const pkg of this.plugins(this.problems)) {
      const pkgDir = packageDir(pkg, this.resolveFrom)
      if (!pkgDir) {
        this.problems.push(`plug-in package '${pkg}' is not installed beside xpersist`)
        continue
      }
      let declared: unknown
      try {
        declared = JSON.parse(readFileSync(path.join(pkgDir, 'package.json'), 'utf8'))?.xpersist?.[
          this.name
        ]
      } catch {
        continue // not a readable package: nothing it could declare
      }
      if (!declared || typeof declared !== 'object') continue
      for (const [name, module] of Object.entries(declared)) {
        if (this.functions.has(name) || typeof module !== 'string') continue
        this.functions.set(name, lazyFactory(pkgDir, module, name) as unknown as F)
      }
    }
  }
}

// The module's default export is a factory returning a Serializer (or a Serializer itself).
function lazyFactory(pkgDir: string, module: string, name: string): SerializerFactory {
  return async () => {
    const file = path.resolve(pkgDir, module)
    if (!file.startsWith(pkgDir + path.sep)) {
      throw new InvalidArgumentError(`Package at ${pkgDir} points '${name}' outside itself.`)
    }
    const mod = (await import(pathToFileURL(file).href)) as { default?: unknown }
    const exported = mod.default
    const serializer = typeof exported === 'function' ? await exported() : exported
    if (!serializer || typeof (serializer as Serializer).load !== 'function') {
      throw new InvalidArgumentError(
        `${file} (entry point '${name}') must export default a serializer factory.`,
      )
    }
    return serializer as Serializer
  }
}

/** Options for a Registry: which plug-in packages, resolved from where. */
export interface RegistryOptions {
  /** Plug-in package names (default: the app's dependencies, the user's config, XPERSIST_PLUGINS). */
  plugins?: PluginList
  /** The folder packages resolve from, as Node's require would (default: xpersist's own). */
  resolveFrom?: string
}

/** xpersist's registries: `serializers` and `metadata_store`, plus any made with `create`. */
export class Registry {
  readonly serializers: FunctionRegistry<SerializerFactory>
  private readonly registries = new Map<string, FunctionRegistry<(...args: never[]) => unknown>>()

  constructor(private readonly options: RegistryOptions = {}) {
    this.serializers = new FunctionRegistry(
      'serializers',
      true,
      options.plugins,
      options.resolveFrom,
    )
    this.registries.set('serializers', this.serializers)
    this.registries.set(
      'metadata_store',
      new FunctionRegistry('metadata_store', true, options.plugins, options.resolveFrom),
    )
  }

  /** Makes a new registry; an error if one of that name exists. */
  create(
    name: string,
    options: { entryPoints?: boolean } = {},
  ): FunctionRegistry<(...args: never[]) => unknown> {
    if (this.registries.has(name)) {
      throw new InvalidArgumentError(`Registry '${name}' already exists.`)
    }
    const reg = new FunctionRegistry(
      name,
      options.entryPoints ?? false,
      this.options.plugins,
      this.options.resolveFrom,
    )
    this.registries.set(name, reg)
    return reg
  }

  /** A registry by name. */
  registry(name: string): FunctionRegistry<(...args: never[]) => unknown> {
    const reg = this.registries.get(name)
    if (!reg) {
      throw new UnknownSerializerError(
        `Unknown registry '${name}'; known: ${[...this.registries.keys()].sort().join(', ')}.`,
      )
    }
    return reg
  }

  /** Whether `funcName` is in registry `registryName` (false for an unknown registry). */
  has(registryName: string, funcName: string): boolean {
    return this.registries.get(registryName)?.has(funcName) ?? false
  }

  /** The function `funcName` of registry `registryName`; errors list what is known. */
  get(registryName: string, funcName: string): (...args: never[]) => unknown {
    return this.registry(registryName).get(funcName)
  }
}
