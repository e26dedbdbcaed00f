/**
 * fsspec's configuration environment, read as Python's fsspec (config.py `set_conf_env` and
 * `apply_config`) reads it, so a shell set up for s3fs/gcsfs opens the same caches here:
 *  - `FSSPEC_<PROTOCOL>` holds a JSON object of default storage_options for the protocol;
 *  - `FSSPEC_<PROTOCOL>_<KWARG>` sets one option (name lower-cased) to the variable's string,
 *    applied after the JSON ones;
 *  - a filesystem with several protocols (s3/s3a, gs/gcs) takes each protocol's defaults in
 *    turn, the later protocol winning;
 *  - options given explicitly replace the defaults name by name (a shallow update: an explicit
 *    client_kwargs replaces the environment's whole client_kwargs).
 * Values never reach a message: errors name the variable, never what it holds.
 */
import { InvalidArgumentError } from '../errors.js'

/** The environment read (process.env in the app and CLI; a literal in tests). */
export type Env = Readonly<Record<string, string | undefined>>

/** Storage options with the environment's defaults under them, and where each default came from. */
export interface MergedOptions {
  /** Null-prototype: names come from the user's environment. */
  options: Record<string, unknown>
  /** Option name -> the variable that set it, for options the explicit ones did not replace. */
  fromEnv: Map<string, string>
}

const PREFIX = 'FSSPEC_'

/**
 * The defaults fsspec's environment gives a filesystem serving `protocols` (in fsspec's order).
 * `booleans` names the options whose `FSSPEC_<P>_<KWARG>` string is read as true/false: fsspec
 * passes the string on, which Python would take as true even when it says "false".
 */
export function fsspecEnvDefaults(
  protocols: readonly string[],
  env: Env,
  booleans: readonly string[] = [],
): MergedOptions {
  const options: Record<string, unknown> = Object.create(null)
  const fromEnv = new Map<string, string>()
  for (const protocol of protocols) {
    const whole: string[] = []
    const single: string[] = []
    for (const name of Object.keys(env)) {
      if (!name.startsWith(PREFIX) || name.length === PREFIX.length || name[7] === '_') continue
      const rest = name.slice(PREFIX.length)
      const cut = rest.indexOf('_')
      const proto = (cut < 0 ? rest : rest.slice(0, cut)).toLowerCase()
      if (proto !== protocol) continue
      if (cut < 0) whole.push(name)
      else if (cut < rest.length - 1) single.push(name)
    }
    for (const name of whole) {
      for (const [k, v] of Object.entries(jsonObject(name, env[name] ?? ''))) {
        options[k] = v
        fromEnv.set(k, name)
      }
    }
    for (const name of single) {
      const kwarg = name.slice(PREFIX.length + protocol.length + 1).toLowerCase()
      const raw = env[name] ?? ''
      options[kwarg] = booleans.includes(kwarg) ? boolOrString(raw) : raw
      fromEnv.set(kwarg, name)
    }
  }
  return { options, fromEnv }
}

/** Explicit storage options over the environment's defaults (explicit names win). */
export function withEnvDefaults(
  explicit: Record<string, unknown>,
  defaults: MergedOptions,
): MergedOptions {
  if (typeof explicit !== 'object' || explicit === null || Array.isArray(explicit)) {
    // Not options at all: the parser reports it in its own words.
    return { options: explicit, fromEnv: new Map() }
  }
  const options: Record<string, unknown> = Object.create(null)
  const fromEnv = new Map(defaults.fromEnv)
  for (const [k, v] of Object.entries(defaults.options)) options[k] = v
  for (const [k, v] of Object.entries(explicit)) {
    options[k] = v
    fromEnv.delete(k)
  }
  return { options, fromEnv }
}

/**
 * Runs a parser on merged options; a refusal of them says which options the environment set,
 * so a user who passed none learns where the bad one came from.
 */
export function parseWithEnv<T>(
  merged: MergedOptions,
  parse: (o: Record<string, unknown>) => T,
): T {
  try {
    return parse(merged.options)
  } catch (e) {
    if (!(e instanceof InvalidArgumentError) || merged.fromEnv.size === 0) throw e
    const origins = [...merged.fromEnv].map(([k, v]) => `${k.slice(0, 60)} from ${v.slice(0, 80)}`)
    throw new InvalidArgumentError(
      `${e.message} (Some options came from the environment: ${origins.join(', ')}. ` +
        `Fix or unset the variable, or give the option explicitly.)`,
    )
  }
}

function jsonObject(name: string, raw: string): Record<string, unknown> {
  let value: unknown
  try {
    value = JSON.parse(raw)
  } catch {
    value = undefined // the parser's message quotes the text, which may hold a secret
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidArgumentError(
      `The environment variable ${name.slice(0, 80)} is not a JSON object of storage options ` +
        `(Python's fsspec ignores it with a warning): fix it, as ${name.slice(0, 80)}=` +
        `'{"endpoint_url": "http://..."}', or unset it.`,
    )
  }
  return value as Record<string, unknown>
}

function boolOrString(raw: string): boolean | string {
  const v = raw.trim().toLowerCase()
  if (v === 'true' || v === '1') return true
  if (v === 'false' || v === '0' || v === '') return false
  return raw
}
