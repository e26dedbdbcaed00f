import { existsSync, readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import type { Serializer } from './serializers/serializer.js'
import { InvalidArgumentError, UnknownSerializerError } from './errors.js'

/** Makes a serializer; may load its code lazily. */
export type SerializerFactory = () => Serializer | Promise<Serializer>

/** Where entry points are looked for: node_modules folders, nearest first. */
export type SearchPaths = () => string[]

function defaultSearchPaths(): string[] {
  const out: string[] = []
  for (let dir = process.cwd(); ; dir = path.dirname(dir)) {
    out.push(path.join(dir, 'node_modules'))
    if (path.dirname(dir) === dir) return out
  }
}

/**
 * One named registry of functions (like catalogue's, which Python xpersist uses). With entry
 * points on, an installed package whose package.json has
 * `"xpersist": { "<registry>": { "<name>": "<module>" } }` provides `<name>`; packages are only
 * scanned when a name is not registered in code, and their modules load on first use.
 */
export class FunctionRegistry<F extends (...args: never[]) => unknown> {
  private readonly functions = new Map<string, F>()
  private scanned = false

  constructor(
    readonly name: string,
    readonly entryPoints: boolean,
    private readonly searchPaths: SearchPaths = defaultSearchPaths,
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

  /** The function registered as `name`; UnknownSerializerError lists what is known. */
  get(name: string): F {
    if (!this.has(name)) {
      throw new UnknownSerializerError(
        `No '${name}' in the '${this.name}' registry; known: ${this.names().join(', ') || 'none'}. ` +
          `Register it with registry.${this.name}.register('${name}', factory), or install a ` +
          `package that provides it.`,
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
    for (const nodeModules of this.searchPaths()) {
      if (!existsSync(nodeModules)) continue
      for (const pkgDir of packageDirs(nodeModules)) {
        let declared: unknown
        try {
          declared = JSON.parse(readFileSync(path.join(pkgDir, 'package.json'), 'utf8'))
            ?.xpersist?.[this.name]
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
}

function packageDirs(nodeModules: string): string[] {
  const out: string[] = []
  for (const entry of readdirSync(nodeModules, { withFileTypes: true })) {
    if (entry.name.startsWith('.')) continue
    const full = path.join(nodeModules, entry.name)
    if (entry.name.startsWith('@')) {
      for (const scoped of readdirSync(full)) out.push(path.join(full, scoped))
    } else if (entry.isDirectory() || entry.isSymbolicLink()) out.push(full)
  }
  return out.filter((d) => existsSync(path.join(d, 'package.json')))
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

/** Options for a Registry: where to look for entry points. */
export interface RegistryOptions {
  searchPaths?: SearchPaths
}

/** xpersist's registries: `serializers` and `metadata_store`, plus any made with `create`. */
export class Registry {
  readonly serializers: FunctionRegistry<SerializerFactory>
  private readonly registries = new Map<string, FunctionRegistry<(...args: never[]) => unknown>>()

  constructor(private readonly options: RegistryOptions = {}) {
    this.serializers = new FunctionRegistry('serializers', true, options.searchPaths)
    this.registries.set('serializers', this.serializers)
    this.registries.set(
      'metadata_store',
      new FunctionRegistry('metadata_store', true, options.searchPaths),
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
    const reg = new FunctionRegistry(name, options.entryPoints ?? false, this.options.searchPaths)
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
