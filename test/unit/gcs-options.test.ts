// gcsfs-style storage_options from fsspec's config environment (FSSPEC_GS / FSSPEC_GCS JSON,
// FSSPEC_GS_<KWARG> strings), under explicit ones, as fsspec's apply_config merges them.
import { promises as fs } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { parseGcsOptionsWithEnv } from '../../electron/engine/backend/gcs/options.js'
import { tempDir } from '../helpers/temp.js'
import { refusal } from '../helpers/refusal.js'

const SERVICE_ACCOUNT = {
  type: 'service_account',
  private_key: '-----BEGIN PRIVATE KEY-----\nNEVER-PRINT\n-----END PRIVATE KEY-----\n',
  private_key_id: 'id-NEVER-PRINT-1',
  client_email: 'robot@p.iam.gserviceaccount.com',
}

describe('fsspec environment defaults for GCS', () => {
  it('takes FSSPEC_GCS JSON and FSSPEC_GCS_<KWARG>, the single ones last', () => {
    const env = {
      FSSPEC_GCS_ENDPOINT_URL: 'http://127.0.0.1:4443',
      FSSPEC_GCS: '{"project": "p1", "endpoint_url": "http://127.0.0.1:1"}',
    }
    expect(parseGcsOptionsWithEnv({}, env)).toMatchObject({
      auth: { kind: 'anon' },
      project: 'p1',
      endpoint: 'http://127.0.0.1:4443',
    })
  })

  it('reads gs and gcs defaults, gcs winning, as gcsfs lists its protocols', () => {
    const env = { FSSPEC_GCS_PROJECT: 'from-gcs', FSSPEC_GS_PROJECT: 'from-gs' }
    expect(parseGcsOptionsWithEnv({}, env).project).toBe('from-gcs')
    expect(parseGcsOptionsWithEnv({}, { FSSPEC_GS_TOKEN: 'anon' }).auth).toEqual({ kind: 'anon' })
  })

  it('lets explicit storage_options win', () => {
    const env = { FSSPEC_GS: '{"token": "anon", "project": "env"}' }
    const opts = parseGcsOptionsWithEnv({ token: 'google_default' }, env)
    expect(opts.auth).toEqual({ kind: 'default' })
    expect(opts.project).toBe('env')
  })

  it('takes a service-account dict or file from the environment and keeps its secrets', async () => {
    const fromJson = parseGcsOptionsWithEnv(
      {},
      { FSSPEC_GS: JSON.stringify({ token: SERVICE_ACCOUNT }) },
    )
    expect(fromJson.auth.kind).toBe('credentials')
    expect(fromJson.secrets).toContain(SERVICE_ACCOUNT.private_key)
    const dir = await tempDir('gcs-env-')
    const file = path.join(dir, 'sa.json')
    await fs.writeFile(file, JSON.stringify(SERVICE_ACCOUNT))
    const fromFile = parseGcsOptionsWithEnv({}, { FSSPEC_GCS_TOKEN: file })
    expect(fromFile.auth).toMatchObject({ kind: 'credentials', source: `the file ${file}` })
  })

  it('refuses bad values naming the variable, never quoting a secret', () => {
    const bad = refusal(() =>
      parseGcsOptionsWithEnv(
        {},
        { FSSPEC_GCS: JSON.stringify({ token: { ...SERVICE_ACCOUNT, type: 'x' } }) },
      ),
    )
    expect(bad.message).toMatch(/needs a 'type'.*token from FSSPEC_GCS\b/)
    expect(bad.message).not.toContain('NEVER-PRINT')
    const notJson = refusal(() =>
      parseGcsOptionsWithEnv({}, { FSSPEC_GS: '{"token": "NEVER-PRINT' }),
    )
    expect(notJson.message).toMatch(/environment variable FSSPEC_GS is not a JSON object/)
    expect(notJson.message).not.toContain('NEVER-PRINT')
    const unknown = refusal(() => parseGcsOptionsWithEnv({}, { FSSPEC_GCS_CONSISTENCY: 'md5' }))
    expect(unknown.message).toMatch(
      /Unknown GCS storage_options: consistency.*FSSPEC_GCS_CONSISTENCY/,
    )
  })
})
