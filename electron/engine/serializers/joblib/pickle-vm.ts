import { NotSupportedError } from '../../errors.js'
import { PySet, PyTuple } from '../../pyvalue.js'
import { ByteReader, corrupt } from './byte-reader.js'
import { checkLimit, type PickleLimits } from './limits.js'
import { PickleBudget } from './pickle-budget.js'
import { HIGHEST_PROTOCOL, OP, opcodeName } from './pickle-opcodes.js'
import { runDataOpcode } from './pickle-data-ops.js'
import { describe, Placeholder, PythonGlobal } from './python-refs.js'
import { buildObject, callGlobal, newObject } from './safe-globals.js'

/** What whitelisted globals may use while the machine runs (see safe-globals.ts). */
export interface VmContext {
  readonly reader: ByteReader
  readonly limits: PickleLimits
  /** True in a joblib file's own stream, where NumpyArrayWrapper's BUILD reads inline bytes. */
  readonly joblibArrays: boolean
  /** Byte offset of the opcode being run, for messages. */
  readonly at: number
  /** What the pickle has spent of its limits (array data is counted here too). */
  readonly budget: PickleBudget
  /** Unpickles a complete pickle that starts at the reader's position (object arrays). */
  loadNested(): unknown
}

/**
 * A pickle virtual machine that never imports or calls anything: globals are names, only the
 * whitelist in safe-globals.ts gives some of them meaning, and everything else becomes an
 * inert Placeholder. Opcodes that only move data live in pickle-data-ops.ts.
 */
export class PickleVM implements VmContext {
  stack: unknown[] = []
  private readonly metastack: unknown[][] = []
  private readonly memo = new Map<number, unknown>()
  /** Objects BUILD replaced (array wrappers by arrays), so later memo reads see the result. */
  private readonly replaced = new WeakMap<object, unknown>()
  private frameEnd = 0
  at = 0

  constructor(
    readonly reader: ByteReader,
    readonly limits: PickleLimits,
    readonly joblibArrays: boolean,
    readonly budget: PickleBudget = new PickleBudget(limits),
  ) {}

  /** Runs opcodes up to and including STOP and returns the value it leaves. */
  load(): unknown {
    for (;;) {
      this.at = this.reader.pos
      const op = this.reader.u8('opcode')
      this.budget.spendWork(1)
      if (op === OP.STOP) return this.pop()
      if (!runDataOpcode(this, op)) this.runControlOpcode(op)
    }
  }

  /** Unpickles a nested pickle with a fresh stack and memo, as joblib's object arrays need. */
  loadNested(): unknown {
    return new PickleVM(this.reader, this.limits, false, this.budget).load()
  }

  /** Pushes a value just made, counting it against the stack, value and memory limits. */
  push(value: unknown): void {
    this.budget.spendNew(value)
    this.pushRef(value)
  }

  /** Pushes one more reference to an existing value (memo GET, DUP). */
  pushExisting(value: unknown): void {
    this.budget.spendSlots(1)
    this.pushRef(value)
  }

  private pushRef(value: unknown): void {
    if (this.stack.length >= this.limits.maxStackDepth) {
      checkLimit(
        'maxStackDepth',
        this.stack.length + 1,
        this.limits.maxStackDepth,
        'pickle stack depth',
      )
    }
    if (++this.budget.values > this.limits.maxValues) {
      checkLimit('maxValues', this.budget.values, this.limits.maxValues, 'values in the pickle')
    }
    this.stack.push(value)
  }

  /** Pops the top value; an empty stack means the pickle is corrupt. */
  pop(): unknown {
    if (this.stack.length === 0)
      throw corrupt(this.at, `${opcodeName(this.opAt())} on an empty stack`)
    return this.stack.pop()
  }

  /** The top value, left in place. */
  top(): unknown {
    if (this.stack.length === 0)
      throw corrupt(this.at, `${opcodeName(this.opAt())} on an empty stack`)
    return this.stack[this.stack.length - 1]
  }

  /** Opens a MARK: the current stack is set aside until the matching pop. */
  mark(): void {
    if (this.metastack.length >= this.limits.maxMarkDepth) {
      checkLimit(
        'maxMarkDepth',
        this.metastack.length + 1,
        this.limits.maxMarkDepth,
        'MARK nesting',
      )
    }
    this.metastack.push(this.stack)
    this.stack = []
  }

  /** Closes the innermost MARK and returns the values pushed since it. */
  popMark(): unknown[] {
    const outer = this.metastack.pop()
    if (!outer) throw corrupt(this.at, `${opcodeName(this.opAt())} without a MARK`)
    const items = this.stack
    this.stack = outer
    return items
  }

  /** Stores the top value in the memo under `index`. */
  memoPut(index: number): void {
    if (!this.memo.has(index)) {
      if (this.memo.size >= this.limits.maxMemoEntries) {
        checkLimit('maxMemoEntries', this.memo.size + 1, this.limits.maxMemoEntries, 'memo entries')
      }
      this.budget.spendMemoEntry()
    }
    this.memo.set(index, this.top())
  }

  /** MEMOIZE: stores the top value under the next free index. */
  memoize(): void {
    this.memoPut(this.memo.size)
  }

  /** Pushes a memo entry, as replaced by BUILD if it was. */
  memoGet(index: number): void {
    if (!this.memo.has(index)) throw corrupt(this.at, `memo has no entry ${index}`)
    const value = this.memo.get(index)
    const swapped =
      typeof value === 'object' && value !== null ? this.replaced.get(value) : undefined
    this.pushExisting(swapped ?? value)
  }

  private opAt(): number {
    return this.reader.bytes[this.at] ?? 0
  }

  private runControlOpcode(op: number): void {
    const r = this.reader
    switch (op) {
      case OP.PROTO: {
        const proto = r.u8('protocol')
        if (proto > HIGHEST_PROTOCOL) {
          throw new NotSupportedError(
            `Pickle protocol ${proto} is newer than this reader supports (${HIGHEST_PROTOCOL}).`,
          )
        }
        return
      }
      case OP.FRAME: {
        if (r.pos < this.frameEnd)
          throw corrupt(this.at, 'a new FRAME starts inside the previous one')
        const length = r.u64('frame length')
        if (length > BigInt(r.remaining)) {
          throw corrupt(this.at, `FRAME declares ${length} bytes but only ${r.remaining} follow`)
        }
        this.frameEnd = r.pos + Number(length)
        return
      }
      case OP.GLOBAL: {
        const module = r.textLine('GLOBAL module')
        this.push(new PythonGlobal(module, r.textLine('GLOBAL name')))
        return
      }
      case OP.STACK_GLOBAL: {
        const name = this.pop()
        const module = this.pop()
        if (typeof module !== 'string' || typeof name !== 'string') {
          throw corrupt(this.at, 'STACK_GLOBAL needs a module name and a class name (str)')
        }
        this.push(new PythonGlobal(module, name))
        return
      }
      case OP.REDUCE: {
        const args = this.popTuple('REDUCE')
        this.push(callGlobal(this.pop(), args, this))
        return
      }
      case OP.NEWOBJ: {
        const args = this.popTuple('NEWOBJ')
        this.push(newObject(this.pop(), args, undefined, this))
        return
      }
      case OP.NEWOBJ_EX: {
        const kwargs = this.pop()
        const args = this.popTuple('NEWOBJ_EX')
        if (!(kwargs instanceof Map))
          throw corrupt(this.at, 'NEWOBJ_EX keyword arguments are not a dict')
        this.push(newObject(this.pop(), args, kwargs, this))
        return
      }
      case OP.INST: {
        const module = r.textLine('INST module')
        const cls = new PythonGlobal(module, r.textLine('INST name'))
        this.push(callGlobal(cls, this.popMark(), this))
        return
      }
      case OP.OBJ: {
        const [cls, ...args] = this.popMark()
        this.push(callGlobal(cls, args, this))
        return
      }
      case OP.BUILD: {
        const state = this.pop()
        const obj = this.top()
        const out = buildObject(obj, state, this)
        if (out !== obj) {
          this.budget.spendNew(out)
          this.stack[this.stack.length - 1] = out
          if (typeof obj === 'object' && obj !== null) this.replaced.set(obj, out)
        }
        return
      }
      case OP.APPEND:
        this.extend(this.pop(), 'APPEND')
        return
      case OP.APPENDS:
        for (const item of this.popMark()) this.extend(item, 'APPENDS')
        return
      case OP.ADDITEMS:
        for (const item of this.popMark()) this.extend(item, 'ADDITEMS')
        return
      case OP.SETITEM: {
        const value = this.pop()
        this.setItem(this.pop(), value, 'SETITEM')
        return
      }
      case OP.SETITEMS: {
        const items = this.popMark()
        if (items.length % 2) throw corrupt(this.at, 'SETITEMS with an odd number of items')
        for (let i = 0; i < items.length; i += 2) this.setItem(items[i], items[i + 1], 'SETITEMS')
        return
      }
      case OP.PERSID:
      case OP.BINPERSID:
        throw new NotSupportedError(
          'This pickle uses persistent IDs (a custom persistent_id); joblib never writes them.',
        )
      case OP.EXT1:
      case OP.EXT2:
      case OP.EXT4:
        throw new NotSupportedError(
          'This pickle uses copyreg extension codes, which are not supported.',
        )
      case OP.NEXT_BUFFER:
        throw corrupt(
          this.at,
          'NEXT_BUFFER refers to out-of-band data, which joblib files never carry',
        )
      case OP.READONLY_BUFFER:
        this.top()
        return
    }
    throw corrupt(this.at, `unknown opcode ${opcodeName(op)}`)
  }

  private popTuple(op: string): unknown[] {
    const args = this.pop()
    if (!(args instanceof PyTuple)) throw corrupt(this.at, `${op} arguments are not a tuple`)
    return args.items
  }

  private extend(item: unknown, op: string): void {
    this.budget.spendSlots(1)
    const target = this.top()
    const isSet = op === 'ADDITEMS'
    if (!isSet && Array.isArray(target)) target.push(item)
    else if (isSet && target instanceof PySet && !target.frozen) target.items.push(item)
    else if (target instanceof Placeholder) (target.state.items ??= []).push(item)
    else throw corrupt(this.at, `${op} to ${describe(target)}`)
  }

  private setItem(key: unknown, value: unknown, op: string): void {
    this.budget.spendSlots(2)
    const target = this.top()
    if (target instanceof Map) target.set(key, value)
    else if (target instanceof Placeholder) (target.state.dictitems ??= new Map()).set(key, value)
    else throw corrupt(this.at, `${op} on ${describe(target)}`)
  }
}
