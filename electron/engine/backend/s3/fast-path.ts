/**
 * The two requests a listing makes by the thousand, signed here (sigv4.ts) and sent over
 * node:http with keep-alive, around the SDK's middleware stack: small whole-object GETs
 * (sidecars, for getManyText), where the SDK spent 1.5-3 ms of CPU per GET, and ListObjectsV2
 * pages (list-xml.ts), where it spent about 60 ms per page of 1,000 keys. Only the plain case
 * is served here: a 200 with a small body (a page this reader takes word for word), or a 404
 * NoSuchKey. Anything else (a redirect, a refusal, a server error, a network failure, a big
 * object, an unusual page) answers FALLBACK and the caller asks the SDK, which retries and
 * maps errors exactly as for every other request. The endpoint comes from the SDK's own
 * endpoint rules and the keys from the client's own credential provider; any doubt in that
 * setup (an endpoint from the environment, a non-SigV4 bucket) means no fast path at all.
 */
import http from 'node:http'
import https from 'node:https'
import type { S3Client } from '@aws-sdk/client-s3'
import type { S3Settings } from './options.js'
import { parseListPage, type ListPage } from './list-xml.js'
import { amzDate, encodeKeyPath, getHeaders, uriEncode, type SigningCredentials } from './sigv4.js'

/** Answered when the fast path does not decide: the caller asks the SDK instead. */
export const FALLBACK: unique symbol = Symbol('fallback')

/** Bodies up to this size are read here; a bigger object goes the SDK's way. */
export const FAST_MAX_BYTES = 1 << 20
/**
 * Listing pages up to this size are read here: 1,000 keys of S3's longest (1,024 bytes), every
 * byte escaped, fit; a bigger answer goes the SDK's way.
 */
export const FAST_MAX_LIST_BYTES = 16 << 20
// As the SDK client's handler (client.ts): a dead endpoint or a stalled answer gives up.
const CONNECT_TIMEOUT_MS = 30_000
const IDLE_TIMEOUT_MS = 120_000
// getManyText keeps at most 32 in flight; room for two bulk calls at once.
const MAX_SOCKETS = 64
// Temporary keys are asked again this long before they expire.
const REFRESH_BEFORE_MS = 5 * 60_000
// An error body is read up to this much, for its <Code>.
const MAX_ERROR_BYTES = 16 * 1024

interface ProvidedCredentials extends SigningCredentials {
  expiration?: Date
}

/** What the SDK client's resolved config offers (the parts used here). */
interface ClientConfig {
  region: () => Promise<string>
  credentials: () => Promise<ProvidedCredentials>
  endpointProvider: (params: Record<string, unknown>) => {
    url: URL
    properties?: { authSchemes?: { name?: string; signingName?: string; signingRegion?: string }[] }
  }
  endpoint?: () => Promise<{ protocol: string; hostname: string; port?: number; path: string }>
  isCustomEndpoint?: boolean
  forcePathStyle?: boolean
  useAccelerateEndpoint?: boolean
  useFipsEndpoint: () => Promise<boolean>
  useDualstackEndpoint: () => Promise<boolean>
  serviceConfiguredEndpoint?: () => Promise<unknown>
  systemClockOffset?: number
}

/** One object's bytes, undefined when S3 says NoSuchKey, or FALLBACK. */
export type FastAnswer = Uint8Array | undefined | typeof FALLBACK

/** What one ListObjectsV2 request asks: full keys, not paths under a root. */
export interface ListPageRequest {
  prefix: string
  startAfter?: string
  continuationToken?: string
}

/** GETs of whole small objects and listing pages in one bucket, signed here; see above. */
export class FastPath {
  private creds: Promise<ProvidedCredentials> | undefined
  /** Set when an answer says the setup is wrong (a redirect, a refusal): the SDK from then on. */
  private off = false
  private readonly agent: http.Agent

  private constructor(
    private readonly config: ClientConfig,
    private readonly base: URL,
    private readonly region: string,
    private readonly service: string,
    private readonly settings: S3Settings,
  ) {
    const options = { keepAlive: true, maxSockets: MAX_SOCKETS }
    this.agent = base.protocol === 'https:' ? new https.Agent(options) : new http.Agent(options)
  }

  /**
   * The fast path for `bucket` through `client`'s endpoint, or undefined when this setup is
   * one it does not handle (then every GET goes the SDK's way).
   */
  static async open(
    client: S3Client,
    settings: S3Settings,
    bucket: string,
  ): Promise<FastPath | undefined> {
    try {
      const config = client.config as unknown as ClientConfig
      // An endpoint from AWS_ENDPOINT_URL_S3 or a profile's services section: the SDK's affair.
      if (config.serviceConfiguredEndpoint && (await config.serviceConfiguredEndpoint()))
        return undefined
      const region = await config.region()
      let endpoint: string | undefined
      if (config.isCustomEndpoint && config.endpoint) {
        const e = await config.endpoint()
        endpoint = `${e.protocol}//${e.hostname}${e.port ? `:${e.port}` : ''}${e.path}`
      }
      const resolved = config.endpointProvider({
        Bucket: bucket,
        Region: region,
        UseFIPS: await config.useFipsEndpoint(),
        UseDualStack: await config.useDualstackEndpoint(),
        ForcePathStyle: config.forcePathStyle ?? false,
        Accelerate: config.useAccelerateEndpoint ?? false,
        Endpoint: endpoint,
      })
      const scheme = resolved.properties?.authSchemes?.[0]
      if (scheme?.name !== 'sigv4' || !/^https?:$/.test(resolved.url.protocol)) return undefined
      if (resolved.url.search !== '' || resolved.url.username !== '') return undefined
      const signingRegion = scheme.signingRegion ?? region
      return new FastPath(config, resolved.url, signingRegion, scheme.signingName ?? 's3', settings)
    } catch {
      return undefined
    }
  }

  /** Keys from the client's provider, asked again shortly before temporary ones expire. */
  private async credentials(): Promise<ProvidedCredentials> {
    const kept = this.creds && (await this.creds)
    const expires = kept?.expiration?.getTime()
    if (kept && (expires === undefined || expires - Date.now() > REFRESH_BEFORE_MS)) return kept
    const asked = this.config.credentials()
    this.creds = asked
    return asked
  }

  /** The object at `key` (the full S3 key), whole; see FastAnswer. */
  async get(key: string): Promise<FastAnswer> {
    const path = `${this.base.pathname.replace(/\/$/, '')}/${encodeKeyPath(key)}`
    const answer = await this.request(path, [], FAST_MAX_BYTES)
    if (answer === FALLBACK) return FALLBACK
    const { status, body } = answer
    if (status === 200) return body
    if (status === 404 && /<Code>NoSuchKey<\/Code>/.test(new TextDecoder().decode(body)))
      return undefined
    this.judge(status)
    return FALLBACK
  }

  /** One ListObjectsV2 page (recursive: no delimiter), or FALLBACK; see the module comment. */
  async listPage(ask: ListPageRequest): Promise<ListPage | typeof FALLBACK> {
    const query: [string, string][] = [
      ['list-type', '2'],
      ['prefix', ask.prefix],
    ]
    if (ask.continuationToken !== undefined)
      query.push(['continuation-token', ask.continuationToken])
    if (ask.startAfter !== undefined) query.push(['start-after', ask.startAfter])
    const answer = await this.request(this.base.pathname || '/', query, FAST_MAX_LIST_BYTES)
    if (answer === FALLBACK) return FALLBACK
    if (answer.status !== 200) {
      this.judge(answer.status)
      return FALLBACK
    }
    return parseListPage(new TextDecoder().decode(answer.body)) ?? FALLBACK
  }

  // A redirect or a refusal says this setup is not the one the server wants: the SDK from then
  // on. A server error or an unknown 404 (a missing bucket) is the SDK's to retry and name.
  private judge(status: number): void {
    if (status < 500 && status !== 404) this.off = true
  }

  /** A signed GET of `path` with `query` (not encoded), its body read up to `limit` bytes. */
  private async request(
    path: string,
    query: [string, string][],
    limit: number,
  ): Promise<{ status: number; body: Uint8Array } | typeof FALLBACK> {
    if (this.off) return FALLBACK
    let creds: SigningCredentials | undefined
    if (!this.settings.anon) {
      try {
        creds = await this.credentials()
      } catch {
        // No keys found: the SDK's request says so, in the closed error set.
        this.off = true
        return FALLBACK
      }
    }
    const headers = getHeaders({
      host: this.base.host,
      path,
      query,
      creds,
      date: amzDate(Date.now() + (this.config.systemClockOffset ?? 0)),
      region: this.region,
      service: this.service,
      requesterPays: this.settings.requesterPays,
    })
    const search = query.map(([k, v]) => `${uriEncode(k)}=${uriEncode(v)}`).join('&')
    return this.send(search === '' ? path : `${path}?${search}`, headers, limit)
  }

  private send(
    path: string,
    headers: Record<string, string>,
    okLimit: number,
  ): Promise<{ status: number; body: Uint8Array } | typeof FALLBACK> {
    const transport = this.base.protocol === 'https:' ? https : http
    return new Promise((resolve) => {
      const req = transport.request(
        {
          protocol: this.base.protocol,
          hostname: this.base.hostname.replace(/^\[|\]$/g, ''),
          port: this.base.port || undefined,
          method: 'GET',
          path,
          headers,
          agent: this.agent,
          timeout: CONNECT_TIMEOUT_MS,
        },
        (res) => {
          const status = res.statusCode ?? 0
          const limit = status === 200 ? okLimit : MAX_ERROR_BYTES
          const declared = Number(res.headers['content-length'] ?? 0)
          if (declared > limit) {
            res.destroy()
            return resolve(FALLBACK)
          }
          const chunks: Buffer[] = []
          let size = 0
          res.on('data', (c: Buffer) => {
            size += c.length
            if (size > limit) {
              res.destroy()
              resolve(FALLBACK)
            } else chunks.push(c)
          })
          res.on('end', () => {
            const body = new Uint8Array(size)
            let at = 0
            for (const c of chunks) {
              body.set(c, at)
              at += c.length
            }
            resolve({ status, body })
          })
          res.on('error', () => resolve(FALLBACK))
          res.on('aborted', () => resolve(FALLBACK))
        },
      )
      // The connect timeout first, then the idle one once a socket is there.
      req.on('socket', (s) => {
        if (!s.connecting) req.setTimeout(IDLE_TIMEOUT_MS)
        else s.once('connect', () => req.setTimeout(IDLE_TIMEOUT_MS))
      })
      req.on('timeout', () => req.destroy(new Error('timeout')))
      req.on('error', () => resolve(FALLBACK))
      req.end()
    })
  }

  /** Closes the sockets kept alive. */
  destroy(): void {
    this.agent.destroy()
  }
}
