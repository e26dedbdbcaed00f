// Loaded with `node --import` by test/cli/csv-page-imports.test.ts: prints each module the
// process loads ("module-log <url>") on stderr, so a test can tell which libraries a command
// pulled in.
import { register } from 'node:module'

const hooks = `
export async function load(url, context, next) {
  const result = await next(url, context)
  if (!url.startsWith('node:')) process.stderr.write('module-log ' + url + '\\n')
  return result
}
`
register('data:text/javascript,' + encodeURIComponent(hooks))
