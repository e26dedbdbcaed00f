import path from 'node:path'
import type { Command } from '../args.js'

/** `xpersist demo`: writes a small demo cache using every implemented serializer. */
export const demo: Command = {
  usage: 'demo <dir>',
  summary: 'write a demo cache into a new or empty folder (tables, pickles, arrays, results)',
  options: {},
  minPositionals: 1,
  maxPositionals: 1,
  async run({ positionals, out }) {
    const { writeDemoCache } = await import('../../engine/demo.js')
    const dir = path.resolve(positionals[0] as string)
    const keys = await writeDemoCache(dir)
    out(`Wrote ${keys.length} artifacts to ${dir}. Try: xpersist ls ${positionals[0]} --long`)
    return 0
  },
}
