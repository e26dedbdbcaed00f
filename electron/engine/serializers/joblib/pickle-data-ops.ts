import { PySet, PyTuple } from '../../pyvalue.js'
import { corrupt, latin1 } from './byte-reader.js'
import { checkLimit } from './limits.js'
import { OP } from './pickle-opcodes.js'
import {
  decodeLong,
  parseFloatLine,
  parseIntLine,
  parseLongLine,
  parseStringRepr,
  rawUnicodeEscape,
  utf8,
} from './pickle-text.js'
import type { PickleVM } from './pickle-vm.js'

/**
 * Runs one opcode that only moves data (constants, numbers, strings, containers, the memo and
 * the stack) and returns true; returns false for the opcodes PickleVM runs itself.
 */
export function runDataOpcode(vm: PickleVM, op: number): boolean {
  const r = vm.reader
  switch (op) {
    case OP.NONE:
      vm.push(null)
      break
    case OP.NEWTRUE:
      vm.push(true)
      break
    case OP.NEWFALSE:
      vm.push(false)
      break
    case OP.BININT:
      vm.push(r.i32('BININT'))
      break
    case OP.BININT1:
      vm.push(r.u8('BININT1'))
      break
    case OP.BININT2:
      vm.push(r.u16('BININT2'))
      break
    case OP.INT:
      vm.push(parseIntLine(r.textLine('INT'), vm.at))
      break
    case OP.LONG:
      vm.push(parseLongLine(r.textLine('LONG'), vm.at))
      break
    case OP.LONG1:
      vm.push(decodeLong(take(vm, r.u8('LONG1 length'), 'LONG1')))
      break
    case OP.LONG4:
      vm.push(decodeLong(take(vm, r.i32('LONG4 length'), 'LONG4')))
      break
    case OP.BINFLOAT:
      vm.push(r.f64be('BINFLOAT'))
      break
    case OP.FLOAT:
      vm.push(parseFloatLine(r.textLine('FLOAT'), vm.at))
      break
    case OP.STRING:
      vm.push(parseStringRepr(r.textLine('STRING'), vm.at))
      break
    // Python 2 str: joblib's unpickler decodes it as text; latin-1 keeps every byte.
    case OP.BINSTRING:
      vm.push(latin1(take(vm, r.i32('BINSTRING length'), 'BINSTRING')))
      break
    case OP.SHORT_BINSTRING:
      vm.push(latin1(take(vm, r.u8('SHORT_BINSTRING length'), 'SHORT_BINSTRING')))
      break
    case OP.UNICODE:
      vm.push(rawUnicodeEscape(r.line('UNICODE'), vm.at))
      break
    case OP.SHORT_BINUNICODE:
      vm.push(utf8(take(vm, r.u8('SHORT_BINUNICODE length'), 'SHORT_BINUNICODE'), vm.at))
      break
    case OP.BINUNICODE:
      vm.push(utf8(take(vm, r.u32('BINUNICODE length'), 'BINUNICODE'), vm.at))
      break
    case OP.BINUNICODE8:
      vm.push(utf8(take(vm, r.u64('BINUNICODE8 length'), 'BINUNICODE8'), vm.at))
      break
    case OP.SHORT_BINBYTES:
      vm.push(take(vm, r.u8('SHORT_BINBYTES length'), 'SHORT_BINBYTES').slice())
      break
    case OP.BINBYTES:
      vm.push(take(vm, r.u32('BINBYTES length'), 'BINBYTES').slice())
      break
    case OP.BINBYTES8:
      vm.push(take(vm, r.u64('BINBYTES8 length'), 'BINBYTES8').slice())
      break
    case OP.BYTEARRAY8:
      vm.push(take(vm, r.u64('BYTEARRAY8 length'), 'BYTEARRAY8').slice())
      break
    case OP.EMPTY_TUPLE:
      vm.push(new PyTuple([]))
      break
    case OP.TUPLE1:
    case OP.TUPLE2:
    case OP.TUPLE3: {
      const n = op - OP.TUPLE1 + 1
      const items = new Array<unknown>(n)
      for (let i = n - 1; i >= 0; i--) items[i] = vm.pop()
      vm.push(new PyTuple(items))
      break
    }
    case OP.TUPLE:
      vm.push(new PyTuple(vm.popMark()))
      break
    case OP.EMPTY_LIST:
      vm.push([])
      break
    case OP.LIST:
      vm.push(vm.popMark())
      break
    case OP.EMPTY_DICT:
      vm.push(new Map())
      break
    case OP.DICT: {
      const items = vm.popMark()
      if (items.length % 2) throw corrupt(vm.at, 'DICT with an odd number of items')
      const dict = new Map<unknown, unknown>()
      for (let i = 0; i < items.length; i += 2) dict.set(items[i], items[i + 1])
      vm.push(dict)
      break
    }
    case OP.EMPTY_SET:
      vm.push(new PySet([]))
      break
    case OP.FROZENSET:
      vm.push(new PySet(vm.popMark(), true))
      break
    case OP.MARK:
      vm.mark()
      break
    case OP.POP:
      // CPython pops a MARK when the stack above it is empty.
      if (vm.stack.length) vm.pop()
      else vm.popMark()
      break
    case OP.POP_MARK:
      vm.popMark()
      break
    case OP.DUP:
      vm.pushExisting(vm.top())
      break
    case OP.PUT:
      vm.memoPut(memoIndex(vm, r.textLine('PUT index')))
      break
    case OP.BINPUT:
      vm.memoPut(r.u8('BINPUT index'))
      break
    case OP.LONG_BINPUT:
      vm.memoPut(r.u32('LONG_BINPUT index'))
      break
    case OP.MEMOIZE:
      vm.memoize()
      break
    case OP.GET:
      vm.memoGet(memoIndex(vm, r.textLine('GET index')))
      break
    case OP.BINGET:
      vm.memoGet(r.u8('BINGET index'))
      break
    case OP.LONG_BINGET:
      vm.memoGet(r.u32('LONG_BINGET index'))
      break
    default:
      return false
  }
  return true
}

/** The next `length` bytes of a literal, after checking the length against the limits. */
function take(vm: PickleVM, length: number | bigint, what: string): Uint8Array {
  if (length < 0) throw corrupt(vm.at, `${what} has a negative length`)
  checkLimit('maxStringBytes', length, vm.limits.maxStringBytes, `${what} length`)
  return vm.reader.take(Number(length), what)
}

function memoIndex(vm: PickleVM, text: string): number {
  if (!/^\d{1,10}$/.test(text))
    throw corrupt(vm.at, `memo index '${text.slice(0, 20)}' is not a number`)
  return Number(text)
}
