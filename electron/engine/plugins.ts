import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

/**
 * Where serializer plug-ins may come from. Code runs only from packages the user chose: the
 * app's own dependencies, packages listed in the user's config file, and XPERSIST_PLUGINS;
 * each resolved from where xpersist is installed. Never from the working directory or from a
 * cache: a cache is someone else's data, and opening it must not run its code.
 */

/** The environment variable listing plug-in packages, comma-separated. */
export const PLUGINS_ENV = 'XPERSIST_PLUGINS'

// npm's rules for a package name: no path tricks ('..', '/x', 'a/b/c') can pass.
const PACKAGE_NAME = /^(?:@[a-z0-9~-][a-z0-9._~-]*\/)?[a-z0-9~-][a-z0-9._~-]*$/

/** The user's xpersist config file: `$XDG_CONFIG_HOME/xpersist/config.json` (~/.config by default). */
export function pluginConfigPath(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CONFIG_HOME || path.join(os.homedir(), '.config')
  return path.join(base, 'xpersist', 'config.json')
}

/** The folder this engine is installed in: plug-ins resolve from here, as its own imports do. */
export const ENGINE_DIR = path.dirname(fileURLToPath(import.meta.url))

/** The `dependencies` of the app's own package.json (the nearest one above `fromDir`). */
function appDependencies(fromDir: string): string[] {
  for (let dir = fromDir; ; dir = path.dirname(dir)) {
    const file = path.join(dir, 'package.json')
    if (existsSync(file)) {
      const deps = readJson(file)?.dependencies
      return deps && typeof deps === 'object' ? Object.keys(deps) : []
    }
    if (path.dirname(dir) === dir) return []
  }
}

function readJson(file: string): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'))
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : undefined
  } catch {
    return undefined
  }
}

/**
 * The package names the user chose as plug-ins: `plugins` in the config file and
 * XPERSIST_PLUGINS; `problems` collects what could not be used, for the unknown-name error.
 */
export function configuredPlugins(
  env: NodeJS.ProcessEnv = process.env,
  problems: string[] = [],
): string[] {
  const names: unknown[] = []
  const config = pluginConfigPath(env)
  if (existsSync(config)) {
    const listed = readJson(config)?.plugins
    if (Array.isArray(listed)) names.push(...listed)
    else problems.push(`${config} has no "plugins" list of package names`)
  }
  names.push(...(env[PLUGINS_ENV] ?? '').split(',').map((s) => s.trim()))
  const out: string[] = []
  for (const name of names) {
    if (name === '') continue
    if (typeof name === 'string' && PACKAGE_NAME.test(name)) out.push(name)
    else problems.push(`${JSON.stringify(name)} is not an npm package name`)
  }
  return [...new Set(out)]
}

/** Plug-in package names by default: the app's own (installed) dependencies, then the user's choice. */
export function defaultPlugins(problems: string[] = []): string[] {
  const own = appDependencies(ENGINE_DIR).filter((name) => packageDir(name, ENGINE_DIR))
  return [...new Set([...own, ...configuredPlugins(process.env, problems)])]
}

/** The folder of package `name` as Node would resolve it from `fromDir`, or undefined. */
export function packageDir(name: string, fromDir: string): string | undefined {
  if (!PACKAGE_NAME.test(name)) return undefined
  const require = createRequire(pathToFileURL(path.join(fromDir, 'noop.js')))
  for (const nodeModules of require.resolve.paths(name) ?? []) {
    const dir = path.join(nodeModules, name)
    if (existsSync(path.join(dir, 'package.json'))) return dir
  }
  return undefined
}
