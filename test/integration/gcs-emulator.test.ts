// The GCS backend in use on fake-gcs-server: the emulator's known limits (asserted, so a fixed
// release shows up), a CacheStore over gs:// end to end, and the SDK loading only for gs://.
import { execFile } from 'node:child_process'
import { Storage } from '@google-cloud/storage'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { GcsBackend } from '../../electron/engine/backend/gcs/gcs.js'
import { CacheStore } from '../../electron/engine/store.js'
import { FIXTURE_CACHE, REPO } from '../helpers/temp.js'
import { startFakeGcs, type FakeGcsServer } from '../servers/fake-gcs.js'

let server: FakeGcsServer
beforeAll(async () => {
  server = await startFakeGcs()
})
afterAll(async () => {
  await server?.stop()
})
const bytes = (s: string) => new TextEncoder().encode(s)
const text = (b: Uint8Array | undefined) =>
  b === undefined ? undefined : Buffer.from(b).toString()

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = []
  for await (const x of it) out.push(x)
  return out
}

// fake-gcs-server's gaps, checked with the SDK directly so a fixed release shows up here. The
// backend does not depend on any of them: it uses single-request uploads (whose
// ifGenerationMatch the server honours, tested above), no delete or metageneration
// preconditions, and follows page tokens whatever the page holds.
describe('fake-gcs-server known limits (emulator, not GCS)', () => {
  let bucket: ReturnType<Storage['bucket']>
  beforeAll(async () => {
    const storage = new Storage({ apiEndpoint: server.endpoint, projectId: 'test-project' })
    bucket = storage.bucket(await server.newBucket())
  })
  const read = async (name: string) => (await bucket.file(name).download())[0].toString()

  it('ignores ifGenerationMatch on resumable uploads', async () => {
    await bucket.file('r').save('first', { resumable: false })
    await bucket
      .file('r')
      .save('second', { resumable: true, preconditionOpts: { ifGenerationMatch: 0 } })
    expect(await read('r')).toBe('second') // GCS would answer 412
  })

  it('ignores ifGenerationMatch on delete', async () => {
    await bucket.file('d').save('x', { resumable: false })
    await bucket.file('d').delete({ ifGenerationMatch: 12345 })
    expect((await bucket.file('d').exists())[0]).toBe(false) // GCS would answer 412
  })

  it('ignores ifMetagenerationMatch', async () => {
    await bucket.file('m').save('first', { resumable: false })
    await bucket
      .file('m')
      .save('second', { resumable: false, preconditionOpts: { ifMetagenerationMatch: 999 } })
    expect(await read('m')).toBe('second') // GCS would answer 412
  })

  it('ignores maxResults for sub-prefixes with a delimiter, repeating them on every page', async () => {
    for (const n of ['l/a', 'l/b', 'l/x/1', 'l/y/1', 'l/z/1'])
      await bucket.file(n).save('z', { resumable: false })
    const [, , first] = await bucket.getFiles({
      autoPaginate: false,
      prefix: 'l/',
      delimiter: '/',
      maxResults: 1,
    })
    const page = first as { items?: unknown[]; prefixes?: string[]; nextPageToken?: string }
    // GCS counts prefixes toward maxResults: one entry per page, each prefix once.
    expect(page.prefixes).toEqual(['l/x/', 'l/y/', 'l/z/'])
    expect(page.items).toHaveLength(1)
    const [, , second] = await bucket.getFiles({
      autoPaginate: false,
      prefix: 'l/',
      delimiter: '/',
      maxResults: 1,
      pageToken: page.nextPageToken as string,
    })
    expect((second as { prefixes?: string[] }).prefixes).toEqual(['l/x/', 'l/y/', 'l/z/'])
  })
})

describe('a CacheStore over gs:// end to end', () => {
  it('puts, gets, lists and deletes a joblib value and a CSV', async () => {
    const bucket = await server.newBucket()
    const store = await CacheStore.open(`gs://${bucket}/team/cache`, {
      storageOptions: server.storageOptions,
    })
    expect(store.readonly).toBe(false)
    expect(await store.keys()).toEqual([])
    const value = { model: 'ridge', alpha: 0.5, coefs: [1, 2, 3] }
    await store.put('models/ridge', value, { serializer: 'joblib' })
    const csv = bytes('a,b\n1,x\n2,y\n')
    await store.importPayload('tables/t.csv', csv, { serializer: 'pandas.csv' })
    expect(await store.keys()).toEqual(['models/ridge', 'tables/t.csv'])
    // Python dicts load as Maps (their keys come from the file).
    expect(await store.get('models/ridge')).toEqual(new Map(Object.entries(value)))
    const table = (await store.get('tables/t.csv')) as {
      numRows: number
      schema: { names: string[] }
    }
    expect(table.numRows).toBe(2)
    expect(table.schema.names).toEqual(expect.arrayContaining(['a', 'b']))
    expect(await store.getArtifact('tables/t.csv')).toMatchObject({ serializer: 'pandas.csv' })

    // Python's layout in the bucket: payload at <key>, sidecar beside in the metadata folder.
    const raw = await GcsBackend.open(`gs://${bucket}`, server.storageOptions)
    expect((await collect(raw.list(''))).map((m) => m.path).sort()).toEqual([
      'team/cache/models/ridge',
      'team/cache/tables/t.csv',
      'team/cache/xpersist_metadata_store/models/ridge.artifact.json',
      'team/cache/xpersist_metadata_store/tables/t.csv.artifact.json',
    ])
    expect(text(await raw.get('team/cache/tables/t.csv'))).toBe('a,b\n1,x\n2,y\n')

    await store.delete('models/ridge', { dryRun: false })
    await store.delete('tables/t.csv', { dryRun: false })
    expect(await store.keys()).toEqual([])
    expect(await collect(raw.list(''))).toEqual([])
  })
})

describe('the GCS SDK loads only for gs:// caches', () => {
  // A resolve hook reports every import of the SDK; the engine runs from dist/ as the CLI does.
  const run = (location: string, options: Record<string, unknown>) =>
    new Promise<string>((resolve, reject) => {
      const hook = `export async function resolve(s, c, n) { if (s.startsWith('@google-cloud/')) console.log('SDK ' + s); return n(s, c) }`
      const script = `
        import { register } from 'node:module'
        register('data:text/javascript,' + encodeURIComponent(${JSON.stringify(hook)}))
        const { CacheStore } = await import(${JSON.stringify(`${REPO}/dist/electron/engine/store.js`)})
        const store = await CacheStore.open(${JSON.stringify(location)}, { readonly: true, storageOptions: ${JSON.stringify(options)} })
        console.log('keys ' + (await store.keys()).length)`
      execFile(process.execPath, ['--input-type=module', '-e', script], (err, stdout, stderr) =>
        err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(stdout),
      )
    })

  it('a local cache never imports @google-cloud/storage; a gs:// one does', async () => {
    const local = await run(FIXTURE_CACHE, {})
    expect(local).toMatch(/^keys [1-9]\d*$/m)
    expect(local).not.toContain('SDK ')
    const remote = await run(`gs://${await server.newBucket()}/c`, server.storageOptions)
    expect(remote).toContain('SDK @google-cloud/storage')
    expect(remote).toMatch(/^keys 0$/m)
  })
})
