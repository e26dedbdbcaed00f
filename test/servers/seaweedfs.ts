/**
 * SeaweedFS (`weed mini`: master, volume, filer and S3 gateway in one process) on 127.0.0.1,
 * a real distributed object store for the S3 backend's conformance run. Every port is picked
 * free (so parallel test files never collide), WebDAV, Iceberg and Lance are off, and the
 * gRPC sockets it writes to /tmp are removed on stop.
 */
import { promises as fs } from 'node:fs'
import path from 'node:path'
import { answers, serverBin, startServer, type RunningServer } from './server-process.js'

/** Dummy credentials of the identities file: one may do everything, one may only read. */
export const SEAWEED_KEY = 'seaweed-admin-key'
export const SEAWEED_SECRET = 'seaweed-admin-secret-do-not-print'
export const SEAWEED_READER_KEY = 'seaweed-reader-key'
export const SEAWEED_READER_SECRET = 'seaweed-reader-secret-do-not-print'

/** SeaweedFS puts each component's gRPC port at its HTTP port + 10000. */
const GRPC_OFFSET = 10_000
const COMPONENTS = ['master', 'volume', 'filer', 's3', 'admin'] as const

/** A running SeaweedFS. */
export interface SeaweedServer extends RunningServer {
  /** The S3 gateway: http://127.0.0.1:PORT */
  readonly endpoint: string
  /** s3fs-style storage_options of the full-access identity. */
  readonly storageOptions: Record<string, unknown>
  /** The same for the read-only identity (writes get 403). */
  readonly readerOptions: Record<string, unknown>
}

// Without an identities file SeaweedFS answers streamed (chunked, signed) uploads with 403.
const identities = {
  identities: [
    {
      name: 'admin',
      credentials: [{ accessKey: SEAWEED_KEY, secretKey: SEAWEED_SECRET }],
      actions: ['Admin', 'Read', 'Write', 'List', 'Tagging'],
    },
    {
      name: 'reader',
      credentials: [{ accessKey: SEAWEED_READER_KEY, secretKey: SEAWEED_READER_SECRET }],
      actions: ['Read', 'List'],
    },
  ],
}

/** Starts SeaweedFS; stop it in afterAll. */
export async function startSeaweed(): Promise<SeaweedServer> {
  const command = serverBin('weed')
  const port = (ports: number[], c: (typeof COMPONENTS)[number]) => ports[COMPONENTS.indexOf(c)]
  const server = await startServer({
    name: 'seaweedfs',
    command,
    ports: COMPONENTS.length,
    portOffset: GRPC_OFFSET,
    async prepare(dir) {
      await fs.mkdir(path.join(dir, 'data'))
      await fs.writeFile(path.join(dir, 's3.json'), JSON.stringify(identities))
    },
    args: (ports, dir) => [
      'mini',
      `-dir=${path.join(dir, 'data')}`,
      '-ip=127.0.0.1',
      '-ip.bind=127.0.0.1',
      `-s3.config=${path.join(dir, 's3.json')}`,
      ...COMPONENTS.map((c) => `-${c}.port=${port(ports, c)}`),
      '-s3.port.iceberg=0',
      '-s3.port.lance=0',
      '-webdav=false',
      '-admin.ui=false',
      '-master.telemetry=false',
      `-filer.localSocket=${path.join(dir, 'filer.sock')}`,
      `-s3.localSocket=${path.join(dir, 's3.sock')}`,
    ],
    ready: async (ports) =>
      (await answers(`http://127.0.0.1:${port(ports, 'filer')}/`)) &&
      (await answers(`http://127.0.0.1:${port(ports, 's3')}/`)),
    // Its gRPC unix sockets go to /tmp whatever TMPDIR says; a SIGKILL leaves them there.
    async cleanup(ports) {
      for (const c of COMPONENTS) {
        const sock = `/tmp/seaweedfs-${c}-grpc-${port(ports, c)! + GRPC_OFFSET}.sock`
        await fs.rm(sock, { force: true })
      }
    },
  })
  const endpoint = `http://127.0.0.1:${port(server.ports, 's3')}`
  const options = (key: string, secret: string) => ({
    key,
    secret,
    endpoint_url: endpoint,
    client_kwargs: { region_name: 'us-east-1' },
  })
  return Object.assign(server, {
    endpoint,
    storageOptions: options(SEAWEED_KEY, SEAWEED_SECRET),
    readerOptions: options(SEAWEED_READER_KEY, SEAWEED_READER_SECRET),
  })
}
