import path from 'node:path'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { Command } from '../args.js'
import { intOption } from '../args.js'
import { InvalidArgumentError } from '../../engine/errors.js'

/** Where the built renderer lives, relative to this compiled file (dist/electron/cli/commands). */
export function rendererDir(): string {
  return path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'renderer')
}

/** `xpersist serve`: the explorer in a browser, served on 127.0.0.1 with a token. */
export const serve: Command = {
  usage: 'serve [cache] [--port P] [--readonly]',
  summary: 'open the explorer in a browser (browser mode, 127.0.0.1 only)',
  options: { port: { type: 'string', short: 'p' }, readonly: { type: 'boolean' } },
  minPositionals: 0,
  maxPositionals: 1,
  // `xpersist serve | head -1` takes the URL; the server keeps running without its reader.
  outlivesOutput: true,
  async run({ positionals, values, out }) {
    const dir = rendererDir()
    if (!existsSync(path.join(dir, 'index.html'))) {
      throw new InvalidArgumentError(
        `The explorer is not built (${dir} is missing). Run npm run build.`,
      )
    }
    const { startWorkerEngine } = await import('../../ipc/worker-host.js')
    const { startServer } = await import('../../server/http-server.js')
    const { default: os } = await import('node:os')
    const location = positionals[0] ? path.resolve(positionals[0]) : null
    // The engine runs in a worker: this thread keeps answering while a preview parses.
    // --readonly is a ceiling: nothing the page sends can open a cache writable.
    const engine = startWorkerEngine({
      mode: 'browser',
      initial: location ? { location, readonly: Boolean(values.readonly) } : null,
      readonlyCeiling: Boolean(values.readonly),
      recentFile: path.join(
        process.env.XDG_CONFIG_HOME ?? path.join(os.homedir(), '.config'),
        'xpersist',
        'recent.json',
      ),
    })
    const running = await startServer(engine, {
      port: intOption(values.port, 'port', 0),
      rendererDir: dir,
    })
    // Listen for Ctrl+C before the URL is printed: whoever reads the URL may stop us at once,
    // and a signal that arrived before the handler would end the process without closing.
    const stopped = new Promise<void>((resolve) => {
      // A running delete stops between artifacts and says how far it got (on stderr).
      const stop = () => void running.close().then(() => resolve())
      process.once('SIGINT', stop)
      process.once('SIGTERM', stop)
    })
    out(`xpersist explorer: ${running.url}`)
    out('Serving on 127.0.0.1 only; press Ctrl+C to stop.')
    await stopped
    return 0
  },
}
