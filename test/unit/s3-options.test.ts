// s3fs-style storage_options and s3:// URLs: what each option becomes, and refusals that name
// the option but never echo its value.
import { describe, expect, it } from 'vitest'
import {
  parseS3Options,
  parseS3OptionsWithEnv,
  parseS3Url,
} from '../../electron/engine/backend/s3/options.js'
import { storageOptionsOf } from '../../electron/cli/storage-args.js'
import { refusal } from '../helpers/refusal.js'

describe('parseS3Options', () => {
  it('takes the s3fs vocabulary', () => {
    expect(parseS3Options({})).toEqual({ anon: false, requesterPays: false })
    expect(
      parseS3Options({
        key: 'K',
        secret: 'S',
        token: 'T',
        endpoint_url: 'http://127.0.0.1:9000/',
        client_kwargs: { region_name: 'eu-west-1' },
        requester_pays: true,
      }),
    ).toEqual({
      anon: false,
      requesterPays: true,
      credentials: { accessKeyId: 'K', secretAccessKey: 'S', sessionToken: 'T' },
      endpoint: 'http://127.0.0.1:9000',
      region: 'eu-west-1',
    })
    expect(parseS3Options({ anon: true })).toMatchObject({ anon: true })
    expect(parseS3Options({ profile: 'research' })).toMatchObject({ profile: 'research' })
    // s3fs's aliases and boto's client_kwargs spellings.
    expect(parseS3Options({ username: 'K', password: 'S' }).credentials).toEqual({
      accessKeyId: 'K',
      secretAccessKey: 'S',
    })
    expect(
      parseS3Options({
        client_kwargs: {
          aws_access_key_id: 'K',
          aws_secret_access_key: 'S',
          endpoint_url: 'https://s3.example.org',
        },
      }),
    ).toMatchObject({ credentials: { accessKeyId: 'K' }, endpoint: 'https://s3.example.org' })
    // Python-side cache tuning is accepted and means nothing here.
    expect(parseS3Options({ skip_instance_cache: true, use_listings_cache: false })).toEqual({
      anon: false,
      requesterPays: false,
    })
  })

  it('refuses unknown options by name', () => {
    const err = refusal(() => parseS3Options({ key: 'K', secret: 'S', colour: 1, size: 2 }))
    expect(err.code).toBe('INVALID_ARGUMENT')
    expect(err.message).toMatch(/Unknown S3 storage option: 'colour', 'size'\. S3 storage options/)
    expect(refusal(() => parseS3Options({ client_kwargs: { verify: false } })).message).toMatch(
      /in client_kwargs: 'verify'/,
    )
  })

  it('refuses contradictions and bad values without echoing secrets', () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ key: 'K-SECRETISH' }, /key and secret go together/],
      [{ secret: 'S-SECRETISH' }, /key and secret go together/],
      [{ token: 'T-SECRETISH' }, /token needs key and secret/],
      [{ key: 'K', secret: 'S', anon: true }, /anon .* cannot go with key/],
      [{ key: 'K', secret: 'S', username: 'K2' }, /key and username say the same thing/],
      [{ profile: 'p', key: 'K', secret: 'S' }, /profile and key cannot go together/],
      [{ anon: 'yes' }, /anon must be true or false/],
      [{ key: 42, secret: 'S' }, /key must be a non-empty string/],
      [{ endpoint_url: 'ftp://x' }, /must be an http\(s\):\/\/ URL/],
      [{ endpoint_url: 'not a url' }, /is not a URL/],
      [{ endpoint_url: 'http://user:pw-SECRETISH@h' }, /contains a user name or password/],
      [
        { endpoint_url: 'http://a', client_kwargs: { endpoint_url: 'http://b' } },
        /endpoint_url and client_kwargs.endpoint_url differ/,
      ],
      [{ client_kwargs: [] }, /client_kwargs must be an object/],
    ]
    for (const [options, message] of cases) {
      const err = refusal(() => parseS3Options(options))
      expect(err.code, JSON.stringify(options)).toBe('INVALID_ARGUMENT')
      expect(err.message).toMatch(message)
      expect(err.message).not.toContain('SECRETISH')
    }
  })
})

// fsspec's config environment (fsspec/config.py set_conf_env + apply_config): FSSPEC_S3 is a
// JSON object of defaults, FSSPEC_S3_<KWARG> one string option applied after it, s3a after s3,
// and explicit storage_options replace them name by name.
describe('fsspec environment defaults for S3', () => {
  const withEnv = (env: Record<string, string>, options: Record<string, unknown> = {}) =>
    parseS3OptionsWithEnv(options, env)

  it('takes FSSPEC_S3 JSON, nested client_kwargs included', () => {
    const env = {
      FSSPEC_S3: JSON.stringify({
        key: 'K',
        secret: 'S',
        client_kwargs: { endpoint_url: 'http://127.0.0.1:9000', region_name: 'eu-west-1' },
      }),
    }
    expect(withEnv(env)).toEqual({
      anon: false,
      requesterPays: false,
      credentials: { accessKeyId: 'K', secretAccessKey: 'S' },
      endpoint: 'http://127.0.0.1:9000',
      region: 'eu-west-1',
    })
  })

  it('applies FSSPEC_S3_<KWARG> after FSSPEC_S3, with the name lower-cased', () => {
    const env = {
      FSSPEC_S3_ENDPOINT_URL: 'http://b:2',
      FSSPEC_S3: '{"endpoint_url": "http://a:1", "anon": true}',
    }
    expect(withEnv(env)).toMatchObject({ anon: true, endpoint: 'http://b:2' })
    expect(withEnv({ FSSPEC_S3_Anon: 'true' }).anon).toBe(true)
  })

  it('reads true/false strings as booleans, and refuses others naming the variable', () => {
    expect(withEnv({ FSSPEC_S3_ANON: 'false' }).anon).toBe(false)
    expect(withEnv({ FSSPEC_S3_REQUESTER_PAYS: 'TRUE' }).requesterPays).toBe(true)
    const err = refusal(() => withEnv({ FSSPEC_S3_ANON: 'maybe-SECRETISH' }))
    expect(err.message).toMatch(/anon must be true or false.*anon from FSSPEC_S3_ANON/)
    expect(err.message).not.toContain('SECRETISH')
  })

  it('lets s3a defaults win over s3 ones, as fsspec applies S3FileSystem protocols in order', () => {
    const env = { FSSPEC_S3A_ENDPOINT_URL: 'http://a:1', FSSPEC_S3_ENDPOINT_URL: 'http://s:1' }
    expect(withEnv(env).endpoint).toBe('http://a:1')
  })

  it('lets explicit storage_options win, replacing a whole client_kwargs', () => {
    const env = {
      FSSPEC_S3: '{"endpoint_url": "http://env:1", "client_kwargs": {"region_name": "env-1"}}',
      FSSPEC_S3_ANON: 'true',
    }
    expect(withEnv(env, { endpoint_url: 'http://mine:1', anon: false, client_kwargs: {} })).toEqual(
      { anon: false, requesterPays: false, endpoint: 'http://mine:1' },
    )
    // Explicit key and secret beside an environment anon: fsspec passes both; refused, naming
    // where anon came from.
    const err = refusal(() => withEnv(env, { key: 'K', secret: 'S-SECRETISH' }))
    expect(err.message).toMatch(/anon .* cannot go with key.*anon from FSSPEC_S3_ANON/)
    expect(err.message).not.toContain('SECRETISH')
  })

  it('ignores other protocols and variables that are not fsspec options', () => {
    const env = {
      FSSPEC_GCS_TOKEN: 'anon',
      FSSPEC_S3X_KEY: 'x',
      FSSPEC__S3_KEY: 'x',
      FSSPEC_S3_: 'x',
      AWS_ACCESS_KEY_ID: 'x',
      FSSPEC_CONFIG_DIR: '/tmp',
    }
    expect(withEnv(env)).toEqual({ anon: false, requesterPays: false })
  })

  it('refuses a FSSPEC_S3 that is not a JSON object, never quoting it', () => {
    for (const raw of ['{"secret": "SECRETISH"', '["SECRETISH"]', 'SECRETISH', 'null']) {
      const err = refusal(() => withEnv({ FSSPEC_S3: raw }))
      expect(err.code).toBe('INVALID_ARGUMENT')
      expect(err.message).toMatch(/environment variable FSSPEC_S3 is not a JSON object/)
      expect(err.message).not.toContain('SECRETISH')
    }
  })

  it('refuses unknown option names from the environment by name, with their variable', () => {
    const err = refusal(() => withEnv({ FSSPEC_S3_VERSION_AWARE: 'SECRETISH' }))
    expect(err.message).toMatch(/Unknown S3 storage option: 'version_aware'/)
    expect(err.message).toMatch(/version_aware from FSSPEC_S3_VERSION_AWARE/)
    expect(err.message).not.toContain('SECRETISH')
    const proto = refusal(() => withEnv({ FSSPEC_S3: '{"__proto__": {"anon": true}}' }))
    expect(proto.message).toMatch(/Unknown S3 storage option: '__proto__'/)
  })
})

describe('parseS3Url', () => {
  it('splits bucket and prefix', () => {
    expect(parseS3Url('s3://bkt')).toEqual({ bucket: 'bkt', prefix: '' })
    expect(parseS3Url('s3://bkt/')).toEqual({ bucket: 'bkt', prefix: '' })
    expect(parseS3Url('s3://bkt/a/b/')).toEqual({ bucket: 'bkt', prefix: 'a/b' })
    expect(parseS3Url('S3://bkt/a')).toEqual({ bucket: 'bkt', prefix: 'a' })
  })

  it('refuses what is not a cache URL', () => {
    for (const url of ['s3://', 's3:///x', 's3://b/a//c', 's3://b/../c', 's3://b/x?v=1']) {
      expect(refusal(() => parseS3Url(url)).code, url).toBe('INVALID_ARGUMENT')
    }
  })
})

describe('the CLI storage-options flags', () => {
  it('parse JSON and the endpoint shorthand', () => {
    expect(storageOptionsOf({})).toEqual({})
    expect(storageOptionsOf({ 'storage-options': '{"anon": true}' })).toEqual({ anon: true })
    expect(storageOptionsOf({ 'endpoint-url': 'http://h:1' })).toEqual({
      endpoint_url: 'http://h:1',
    })
  })

  it('refuse malformed JSON without quoting it', () => {
    const err = refusal(() => storageOptionsOf({ 'storage-options': '{"secret": "SECRETISH"' }))
    expect(err.message).toMatch(/--storage-options is not valid JSON/)
    expect(err.message).not.toContain('SECRETISH')
    expect(refusal(() => storageOptionsOf({ 'storage-options': '[1]' })).message).toMatch(
      /takes a JSON object/,
    )
    expect(
      refusal(() =>
        storageOptionsOf({
          'storage-options': '{"endpoint_url": "http://a"}',
          'endpoint-url': 'http://b',
        }),
      ).message,
    ).toMatch(/--endpoint-url and endpoint_url in --storage-options differ/)
  })
})
