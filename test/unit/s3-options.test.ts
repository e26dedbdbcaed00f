// s3fs-style storage_options and s3:// URLs: what each option becomes, and refusals that name
// the option but never echo its value.
import { describe, expect, it } from 'vitest'
import { parseS3Options, parseS3Url } from '../../electron/engine/backend/s3/options.js'
import { storageOptionsOf } from '../../electron/cli/storage-args.js'

const refusal = (fn: () => unknown) => {
  try {
    fn()
  } catch (err) {
    return err as Error & { code?: string }
  }
  throw new Error('expected a refusal')
}

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
