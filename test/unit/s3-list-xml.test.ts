// ListObjectsV2 pages read without the SDK (list-xml.ts): every page it takes must read exactly
// as the SDK reads it (a seeded differential check against the SDK's own deserializer), and
// every page it is unsure of must be handed back (undefined), never half-read.
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3'
import { HttpResponse } from '@smithy/protocol-http'
import { Readable } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { parseListPage, xmlText } from '../../electron/engine/backend/s3/list-xml.js'
import { prng } from '../helpers/prng.js'

/** The SDK's own reading of `xml` as a ListObjectsV2 answer (no network: a canned response). */
async function sdkRead(xml: string) {
  const client = new S3Client({
    region: 'us-east-1',
    endpoint: 'http://127.0.0.1:1',
    forcePathStyle: true,
    credentials: { accessKeyId: 'k', secretAccessKey: 's' },
    requestHandler: {
      handle: async () => ({
        response: new HttpResponse({
          statusCode: 200,
          headers: { 'content-type': 'application/xml' },
          body: Readable.from([Buffer.from(xml, 'utf8')]),
        }),
      }),
    },
  })
  const out = await client.send(new ListObjectsV2Command({ Bucket: 'b' }))
  return {
    Contents: (out.Contents ?? []).map((c) => ({
      Key: c.Key,
      Size: c.Size,
      LastModified: c.LastModified,
      ETag: c.ETag,
    })),
    IsTruncated: out.IsTruncated,
    ...(out.NextContinuationToken === undefined
      ? {}
      : { NextContinuationToken: out.NextContinuationToken }),
  }
}

// As S3 escapes text: the five XML entities; `numeric` also writes some characters as &#..;.
function escape(s: string, numeric: (c: string) => boolean = () => false): string {
  let out = ''
  for (const c of s) {
    if (numeric(c)) out += `&#${c.codePointAt(0)};`
    else if (c === '&') out += '&amp;'
    else if (c === '<') out += '&lt;'
    else if (c === '>') out += '&gt;'
    else if (c === '"') out += '&quot;'
    else if (c === "'") out += '&apos;'
    else out += c
  }
  return out
}

interface Obj {
  key: string
  size: number
  modified: string
  etag: string
}

function page(objects: Obj[], token?: string, numeric?: (c: string) => boolean): string {
  const contents = objects
    .map(
      (o) =>
        `<Contents><Key>${escape(o.key, numeric)}</Key><LastModified>${o.modified}</LastModified>` +
        `<ETag>${escape(o.etag)}</ETag><Size>${o.size}</Size><StorageClass>STANDARD</StorageClass></Contents>`,
    )
    .join('')
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    '<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>b</Name>' +
    `<Prefix>p/</Prefix><KeyCount>${objects.length}</KeyCount><MaxKeys>1000</MaxKeys>` +
    `<IsTruncated>${token !== undefined}</IsTruncated>` +
    (token === undefined ? '' : `<NextContinuationToken>${escape(token)}</NextContinuationToken>`) +
    `${contents}</ListBucketResult>`
  )
}

const CHARS = [...'ab/ +%=?#&<>"\';:,.-_~()!*@$', 'é', '日', '本', '😀', 'ﬁ', '\t', '\n', '\u00a0']

describe('ListObjectsV2 pages read as the SDK reads them', () => {
  it('a page with escaped keys, quoted etags and a continuation token', async () => {
    const xml = page(
      [
        { key: 'p/a & b <c>.json', size: 12, modified: '2026-01-02T03:04:05.000Z', etag: '"e1"' },
        { key: "p/'q'/😀", size: 0, modified: '2026-01-02T03:04:05Z', etag: '"e2-3"' },
      ],
      'tok+/=&x',
    )
    const mine = parseListPage(xml)
    expect(mine).toEqual(await sdkRead(xml))
    expect(mine?.Contents[0]?.Key).toBe('p/a & b <c>.json')
    expect(mine?.NextContinuationToken).toBe('tok+/=&x')
  })

  it('300 random pages: the same objects, sizes, dates, etags and token as the SDK', async () => {
    const rnd = prng(17)
    for (let round = 0; round < 300; round++) {
      const objects: Obj[] = []
      const n = rnd(6)
      for (let i = 0; i < n; i++) {
        const len = 1 + rnd(12)
        let key = 'p/'
        for (let j = 0; j < len; j++) key += CHARS[rnd(CHARS.length)]
        const ms = rnd(4e9) * 1000 + rnd(1000)
        objects.push({
          key,
          size: rnd(2 ** 31) * 512 + rnd(512),
          modified: new Date(ms).toISOString().replace(rnd(2) === 0 ? /\.\d+Z$/ : /$^/, 'Z'),
          etag: `"${rnd(1e9).toString(16)}"`,
        })
      }
      const token = rnd(2) === 0 ? `t${rnd(1e6)}&+/=` : undefined
      // Some characters as numeric references, as a server may write them. Not U+00A0: the
      // SDK reads &#160; as a space (see below).
      const numeric = (c: string) => !'\n\t\u00a0'.includes(c) && rnd(10) === 0
      const xml = page(objects, token, numeric)
      const mine = parseListPage(xml)
      expect(mine, `round ${round}: ${xml}`).toEqual(await sdkRead(xml))
    }
  })

  it('&#160; is U+00A0 as XML says, where the SDK reads a space (a key it would then miss)', async () => {
    const xml = page(
      [{ key: 'p/a\u00a0b', size: 1, modified: '2026-01-02T03:04:05Z', etag: '"e"' }],
      undefined,
      (c) => c === '\u00a0',
    )
    expect(xml).toContain('p/a&#160;b')
    expect(parseListPage(xml)?.Contents[0]?.Key).toBe('p/a\u00a0b')
    expect((await sdkRead(xml)).Contents[0]?.Key).toBe('p/a b')
  })

  it('XML text: the five entities and numeric references; anything else is refused', () => {
    expect(xmlText('a&amp;b&lt;&gt;&quot;&apos;')).toBe('a&b<>"\'')
    expect(xmlText('&#x1F600;&#233;')).toBe('😀é')
    expect(xmlText('&nbsp;')).toBeUndefined()
    expect(xmlText('a & b')).toBeUndefined()
    expect(xmlText('&#xD800;')).toBeUndefined()
    expect(xmlText('&#0;')).toBeUndefined()
    expect(xmlText('&#x110000;')).toBeUndefined()
    expect(xmlText('line\r\n')).toBeUndefined()
  })
})

describe('pages it is unsure of go back to the SDK', () => {
  const ok = page([{ key: 'p/a', size: 1, modified: '2026-01-02T03:04:05.000Z', etag: '"e"' }])
  it('reads the plain page', () => {
    expect(parseListPage(ok)?.Contents).toHaveLength(1)
    expect(parseListPage(page([]))).toEqual({ Contents: [], IsTruncated: false })
  })
  const cases: [string, string][] = [
    ['CDATA', ok.replace('<Key>p/a</Key>', '<Key><![CDATA[p/a]]></Key>')],
    ['a DOCTYPE', ok.replace('<ListBucketResult', '<!DOCTYPE x><ListBucketResult')],
    ['an unknown entity', ok.replace('<Key>p/a</Key>', '<Key>p/&nbsp;</Key>')],
    ['a nested element in a key', ok.replace('<Key>p/a</Key>', '<Key>p/<b>a</b></Key>')],
    ['a repeated key', ok.replace('<Key>p/a</Key>', '<Key>p/a</Key><Key>p/b</Key>')],
    ['no key', ok.replace('<Key>p/a</Key>', '')],
    ['a size that is no number', ok.replace('<Size>1</Size>', '<Size>1e3</Size>')],
    ['no size', ok.replace('<Size>1</Size>', '')],
    ['a bad date', ok.replace('2026-01-02T03:04:05.000Z', 'yesterday')],
    ['no IsTruncated', ok.replace('<IsTruncated>false</IsTruncated>', '')],
    ['a truncated page without a token', ok.replace('>false</IsTruncated>', '>true</IsTruncated>')],
    [
      'common prefixes',
      ok.replace('<Contents>', '<CommonPrefixes><Prefix>p/x/</Prefix></CommonPrefixes><Contents>'),
    ],
    ['an unclosed Contents', ok.replace('</Contents>', '')],
    ['another document', '<?xml version="1.0"?><Error><Code>NoSuchBucket</Code></Error>'],
    ['a cut-off page', ok.slice(0, ok.length - 30)],
  ]
  it.each(cases)('%s', (_what, xml) => {
    expect(parseListPage(xml)).toBeUndefined()
  })
})
