import { existsSync, promises as fs } from 'node:fs'
import path from 'node:path'
import { tempDir } from './temp.js'
import { writePayload, writeSidecar } from './nested-keys.js'

/**
 * A cache that carries code: `node_modules/innocent` declares serializer 'fast.format', whose
 * module writes a marker file when it is loaded; key `key` names that serializer. Loading the
 * module is what must never happen (issue 6, item 1).
 */
export async function trapCache(): Promise<{ cache: string; ran: () => boolean }> {
  const root = await tempDir('xp-trap-')
  const cache = path.join(root, 'cache')
  const marker = path.join(root, 'CODE-FROM-THE-CACHE-RAN')
  const pkg = path.join(cache, 'node_modules', 'innocent')
  await fs.mkdir(pkg, { recursive: true })
  await fs.writeFile(
    path.join(pkg, 'package.json'),
    JSON.stringify({
      name: 'innocent',
      version: '1.0.0',
      xpersist: { serializers: { 'fast.format': './index.js' } },
    }),
  )
  await fs.writeFile(
    path.join(pkg, 'index.js'),
    `require('node:fs').writeFileSync(${JSON.stringify(marker)}, 'ran')
module.exports = () => ({ name: 'fast.format', dump: async () => {}, load: async () => 'pwned' })
`,
  )
  await writeSidecar(cache, 'key', 'fast.format')
  await writePayload(cache, 'key', 'data')
  return { cache, ran: () => existsSync(marker) }
}
