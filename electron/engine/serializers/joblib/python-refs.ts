import { PyTuple, PythonObject } from '../../pyvalue.js'

/**
 * Python 2 module names that Python 3's unpickler renames (fix_imports): protocol 0-2 pickles
 * from either Python spell builtins this way.
 */
const PY2_MODULES: Record<string, string> = {
  __builtin__: 'builtins',
  copy_reg: 'copyreg',
}

/** A class or function named by GLOBAL / STACK_GLOBAL: only its dotted name, never imported. */
export class PythonGlobal extends PythonObject {
  readonly module: string
  readonly name: string

  constructor(module: string, name: string) {
    const mod = PY2_MODULES[module] ?? module
    super(`${mod}.${name}`)
    this.module = mod
    this.name = name
  }

  /** The name the whitelist uses: numpy 2's `numpy._core` is numpy 1's `numpy.core`. */
  get canonical(): string {
    return this.pythonClass.replace(/^numpy\._core\./, 'numpy.core.')
  }
}

/** What the pickle said about an object we refuse to construct; for display only. */
export interface PlaceholderState {
  /** Positional arguments of the REDUCE / NEWOBJ that would have created it. */
  args: unknown[]
  /** Keyword arguments (NEWOBJ_EX). */
  kwargs?: Map<unknown, unknown>
  /** What BUILD would have passed to `__setstate__` (usually the instance `__dict__`). */
  state?: unknown
  /** Items a list subclass would have received (APPEND / APPENDS / ADDITEMS). */
  items?: unknown[]
  /** Items a dict subclass would have received (SETITEM / SETITEMS). */
  dictitems?: Map<unknown, unknown>
}

/**
 * An object of a class that is not on the safe list (a pandas DataFrame, a function call
 * result): never constructed, only named, with the pickle's arguments and state kept inert.
 */
export class Placeholder extends PythonObject {
  declare readonly state: PlaceholderState

  constructor(
    pythonClass: string,
    args: unknown[],
    kwargs?: Map<unknown, unknown>,
    executesCode = false,
  ) {
    super(pythonClass, kwargs ? { args, kwargs } : { args }, executesCode)
  }
}

/** A short description of a value's Python type, for messages. */
export function describe(v: unknown): string {
  if (v === null) return 'None'
  if (Array.isArray(v)) return 'a list'
  if (v instanceof Map) return 'a dict'
  if (v instanceof PyTuple) return 'a tuple'
  if (v instanceof Uint8Array) return 'bytes'
  if (typeof v === 'object' && 'pythonClass' in v) return `a ${String(v.pythonClass)}`
  return `a ${typeof v}`
}
