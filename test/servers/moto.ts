/**
 * moto_server (an S3 emulator that honours ranges, pagination, delimiters, batch deletes and
 * If-None-Match / If-Match) on 127.0.0.1, for the S3 backend's tests.
 */
import { answers, serverBin, startServer, type RunningServer } from './server-process.js'

/** Dummy credentials: moto accepts any, and no real key ever appears in a test. */
export const MOTO_KEY = 'testing-key'
export const MOTO_SECRET = 'testing-secret-do-not-print'

/** A running moto_server. */
export interface MotoServer extends RunningServer {
  /** http://127.0.0.1:PORT */
  readonly endpoint: string
  /** s3fs-style storage_options that reach this server. */
  readonly storageOptions: Record<string, unknown>
  /** Forgets every bucket and object (moto's POST /moto-api/reset). */
  reset(): Promise<void>
}

/** Starts moto_server; stop it in afterAll. */
export async function startMoto(): Promise<MotoServer> {
  const command = serverBin('moto_server')
  const server = await startServer({
    name: 'moto',
    command,
    ports: 1,
    args: ([port]) => ['-H', '127.0.0.1', '-p', String(port)],
    ready: ([port]) => answers(`http://127.0.0.1:${port}/moto-api/`),
  })
  const endpoint = `http://127.0.0.1:${server.ports[0]}`
  return Object.assign(server, {
    endpoint,
    storageOptions: {
      key: MOTO_KEY,
      secret: MOTO_SECRET,
      endpoint_url: endpoint,
      client_kwargs: { region_name: 'us-east-1' },
    },
    async reset() {
      const res = await fetch(`${endpoint}/moto-api/reset`, { method: 'POST' })
      await res.arrayBuffer()
      if (!res.ok) throw new Error(`moto reset answered ${res.status}`)
    },
  })
}
