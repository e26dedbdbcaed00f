// The SigV4 signer of the sidecar fast path (sigv4.ts) against signatures botocore made
// (test/fixtures/sigv4/vectors.json, written by make_vectors.py beside it): AWS's published
// test-suite requests (get-vanilla, get-unreserved, get-utf8, get-space, query order), and
// GetObject requests as the S3 backend sends them, keys with spaces, unicode, '+' and '%'.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import {
  amzDate,
  authorization,
  canonicalRequest,
  EMPTY_PAYLOAD_HASH,
  encodeKeyPath,
  getHeaders,
  uriEncode,
} from '../../electron/engine/backend/s3/sigv4.js'

interface Vector {
  name: string
  kind: 'generic' | 's3'
  host: string
  canonical_request: string
  authorization: string
  // generic
  raw_path?: string
  query?: [string, string][]
  // s3
  base?: string
  key?: string
  path?: string
  region?: string
  token?: string | null
  requester_pays?: boolean
}
const doc = JSON.parse(
  readFileSync(new URL('../fixtures/sigv4/vectors.json', import.meta.url), 'utf8'),
) as { access_key: string; secret_key: string; date: string; cases: Vector[] }
const creds = { accessKeyId: doc.access_key, secretAccessKey: doc.secret_key }

describe('SigV4 against botocore and the AWS test suite', () => {
  it('has the published cases and the S3 ones', () => {
    expect(doc.cases.map((c) => c.name)).toEqual(
      expect.arrayContaining([
        'get-vanilla',
        'get-unreserved',
        'get-utf8',
        'get-space',
        's3-token',
      ]),
    )
  })

  for (const v of doc.cases.filter((c) => c.kind === 'generic')) {
    it(`signs ${v.name} as published`, () => {
      // The suite's paths are raw ('/example space/'); each '/'-separated part is encoded once.
      const req = {
        method: 'GET',
        path: encodeKeyPath(v.raw_path as string),
        query: v.query,
        headers: { host: v.host, 'x-amz-date': doc.date },
        payloadHash: EMPTY_PAYLOAD_HASH,
      }
      expect(canonicalRequest(req).text).toBe(v.canonical_request)
      expect(authorization(req, creds, doc.date, 'us-east-1', 'service')).toBe(v.authorization)
    })
  }

  for (const v of doc.cases.filter((c) => c.kind === 's3')) {
    it(`signs the GetObject ${v.name} as botocore does`, () => {
      const path = `${v.base}${encodeKeyPath(v.key as string)}`
      // The key quoted exactly as botocore's serializer quotes it.
      expect(path).toBe(v.path)
      const headers = getHeaders({
        host: v.host,
        path,
        creds: { ...creds, sessionToken: v.token ?? undefined },
        date: doc.date,
        region: v.region as string,
        service: 's3',
        requesterPays: v.requester_pays === true,
      })
      expect(headers.authorization).toBe(v.authorization)
      expect(headers['x-amz-date']).toBe(doc.date)
      if (v.token) expect(headers['x-amz-security-token']).toBe(v.token)
      if (v.requester_pays) expect(headers['x-amz-request-payer']).toBe('requester')
    })
  }
})

describe('SigV4 pieces', () => {
  it('encodes everything but unreserved characters, keeping / in paths only', () => {
    expect(uriEncode("a b+c!*'()/~._-")).toBe('a%20b%2Bc%21%2A%27%28%29%2F~._-')
    expect(encodeKeyPath('a b/c+d/(x)')).toBe('a%20b/c%2Bd/%28x%29')
    expect(encodeKeyPath('é/🎉')).toBe('%C3%A9/%F0%9F%8E%89')
    expect(encodeKeyPath('100%/x')).toBe('100%25/x')
  })

  it('writes the date in the basic ISO form', () => {
    expect(amzDate(Date.UTC(2015, 7, 30, 12, 36, 0, 999))).toBe('20150830T123600Z')
  })

  it('sends an anonymous request unsigned, with requester pays still there', () => {
    const headers = getHeaders({
      host: 'h',
      path: '/b/k',
      date: doc.date,
      region: 'us-east-1',
      service: 's3',
      requesterPays: true,
    })
    expect(headers).toEqual({ host: 'h', 'x-amz-request-payer': 'requester' })
  })

  it('signs with a derived key per day: another day, another signature', () => {
    const req = {
      method: 'GET',
      path: '/',
      headers: { host: 'h', 'x-amz-date': doc.date },
      payloadHash: EMPTY_PAYLOAD_HASH,
    }
    const a = authorization(req, creds, doc.date, 'us-east-1', 's3')
    const b = authorization(req, creds, '20150831T123600Z', 'us-east-1', 's3')
    expect(a).toBe(authorization(req, creds, doc.date, 'us-east-1', 's3'))
    expect(b).toContain('Credential=AKIDEXAMPLE/20150831/us-east-1/s3/aws4_request')
    expect(a.slice(-64)).not.toBe(b.slice(-64))
  })
})
