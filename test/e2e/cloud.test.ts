// The explorer on an s3:// cache (issue 9, "An end-to-end explorer test opens an s3:// cache
// and previews a Parquet and a Zarr artifact"): moto_server on 127.0.0.1 holds a copy of the
// Python-written fixture cache under a prefix; the page is opened with no cache, the URL, the
// endpoint and dummy keys are typed into the open form, and the keys, a Parquet preview and a
// Zarr dataset preview must show. Nothing the server sends back may carry the secret.
import { PutObjectCommand } from '@aws-sdk/client-s3'
import { promises as fs } from 'node:fs'
import path from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startWorkerEngine } from '../../electron/ipc/worker-host.js'
import { startServer, type RunningServer } from '../../electron/server/http-server.js'
import { FIXTURE_CACHE, listFiles } from '../helpers/temp.js'
import { UI_TIMEOUT_MS } from '../helpers/timeouts.js'
import { MOTO_KEY, MOTO_SECRET, startMoto, type MotoServer } from '../servers/moto.js'
import { makeBucket, testS3Client } from '../servers/s3-buckets.js'
import { e2eUnavailable, launchChromium, RENDERER, screenshot, SCREENSHOTS } from './harness.js'

const unavailable = e2eUnavailable()
const skip = Boolean(unavailable) && !process.env.CI
const BUCKET = 'xp-e2e-cloud'
const PREFIX = 'team/cache'
const LOCATION = `s3://${BUCKET}/${PREFIX}`

let browser: Browser
let page: Page
let moto: MotoServer
let server: RunningServer
let keys: string[] = []
const pageErrors: string[] = []
/** Every /api answer the page got, as text: none may carry the secret. */
const answers: { url: string; body: string }[] = []

async function uploadFixture(): Promise<void> {
  await makeBucket(moto.storageOptions, BUCKET)
  const client = testS3Client(moto.storageOptions)
  try {
    for (const file of await listFiles(FIXTURE_CACHE)) {
      const body = await fs.readFile(path.join(FIXTURE_CACHE, file))
      await client.send(
        new PutObjectCommand({ Bucket: BUCKET, Key: `${PREFIX}/${file}`, Body: body }),
      )
    }
  } finally {
    client.destroy()
  }
  const sidecars = (await listFiles(path.join(FIXTURE_CACHE, 'xpersist_metadata_store'))).filter(
    (f) => f.endsWith('.artifact.json'),
  )
  keys = sidecars.map((f) => f.slice(0, -'.artifact.json'.length)).sort()
}

beforeAll(async () => {
  if (skip) return
  if (unavailable) throw new Error(`End-to-end tests cannot run: ${unavailable}`)
  await fs.mkdir(SCREENSHOTS, { recursive: true })
  moto = await startMoto()
  await uploadFixture()
  // `xpersist serve` with no cache: the user types the bucket in.
  const engine = startWorkerEngine({ mode: 'browser', initial: null, readonlyCeiling: false })
  server = await startServer(engine, { rendererDir: RENDERER, port: 0 })
  browser = await launchChromium()
  page = await browser.newPage({ viewport: { width: 1440, height: 900 } })
  page.setDefaultTimeout(UI_TIMEOUT_MS)
  page.on('pageerror', (err) => pageErrors.push(err.message))
  page.on('console', (m) => {
    if (m.type() === 'error') pageErrors.push(m.text())
  })
  page.on('response', (res) => {
    if (res.status() >= 400) pageErrors.push(`${res.status()} ${new URL(res.url()).pathname}`)
    if (!res.url().includes('/api/')) return
    void res.text().then(
      (body) => answers.push({ url: res.url(), body }),
      () => {},
    )
  })
  await page.goto(server.url)
}, UI_TIMEOUT_MS * 2)

afterAll(async () => {
  if (skip) return
  await browser?.close()
  await server?.close()
  await moto?.stop()
  expect(pageErrors).toEqual([])
})

const keyRow = (key: string) =>
  page.locator(`tr.key-row:has(span.key-text:text-is(${JSON.stringify(key)}))`)

describe.skipIf(skip)('an s3:// cache in the explorer (moto, browser mode)', () => {
  it('opens s3://bucket/prefix from the form with the endpoint and keys typed in', async () => {
    await page.getByLabel('Cache location').fill(LOCATION)
    const form = page.getByRole('group', { name: 'Storage options' })
    await form.waitFor()
    await form.getByLabel('Region').fill('us-east-1')
    await form.getByLabel('Credentials').selectOption('keys')
    await form.getByLabel('Access key ID').fill(MOTO_KEY)
    await form.getByLabel('Secret access key').fill(MOTO_SECRET)
    // A wrong endpoint first: the error lands in the form, naming the field to fix.
    const endpoint = form.getByLabel('Endpoint URL')
    await endpoint.fill('http://127.0.0.1:9')
    await endpoint.press('Enter')
    const alert = page.locator('.opener-error')
    await alert.waitFor()
    expect(await alert.innerText()).toMatch(/Cannot reach[\s\S]*Check the Endpoint URL field\./)
    expect(await endpoint.getAttribute('aria-invalid')).toBe('true')
    await screenshot(page, 'cloud-open-error')
    await endpoint.fill(moto.endpoint)
    expect(await alert.count()).toBe(0)
    await screenshot(page, 'cloud-open-form')
    // Enter in the secret field opens, as in any form
    await form.getByLabel('Secret access key').press('Enter')
    await keyRow('gauges.parquet').waitFor()
    expect(await page.getByTestId('footer-summary').innerText()).toMatch(
      new RegExp(`^${keys.length} artifacts`),
    )
    const shown = await page.locator('tr.key-row span.key-text').allInnerTexts()
    expect(shown.slice().sort()).toEqual(keys)
    await screenshot(page, 'cloud-keys')
  })

  it('previews a Parquet artifact read from the bucket', async () => {
    await keyRow('gauges.parquet').click()
    const table = page.getByTestId('preview-table')
    await table.waitFor()
    expect(await table.locator('tbody tr').count()).toBeGreaterThan(0)
    await screenshot(page, 'cloud-parquet')
  })

  it('previews a Zarr artifact read from the bucket', async () => {
    await keyRow('sst-monthly-chunked.zarr').click()
    const structure = page.getByTestId('preview-dataset')
    await structure.waitFor()
    const dims = await structure.getByLabel('Dimensions').innerText()
    for (const d of ['time: 6', 'lat: 4', 'lon: 5']) expect(dims).toContain(d)
    await page.getByRole('button', { name: 'Plot sst' }).click()
    await page.getByRole('img', { name: 'Heatmap of 4 × 5 values' }).waitFor()
    await screenshot(page, 'cloud-zarr')
  })

  it('never sends the secret back: not in a response, the page, or the recent list', async () => {
    // The form forgot the keys once they were sent; the main side keeps them for the session.
    await page.getByRole('button', { name: 'Storage options' }).click()
    const form = page.getByRole('group', { name: 'Storage options' })
    expect(await form.getByLabel('Secret access key').inputValue()).toBe('')
    expect(await form.getByLabel('Access key ID').inputValue()).toBe('')
    expect(await form.getByText(/kept by xpersist for this session only/).count()).toBe(1)
    await screenshot(page, 'cloud-options-kept')
    // The read-only toggle reopens the bucket with the keys the main side kept.
    await page.getByRole('checkbox', { name: 'Read-only' }).check()
    await page.getByTestId('readonly-badge').waitFor()
    await keyRow('gauges.parquet').waitFor()
    // The page again (the server's URL: the page drops its token from the address bar): the
    // recent list has the bucket with its endpoint, and the keys only on the main side.
    await page.goto(server.url)
    const recent = page.getByLabel('Recent caches')
    await recent.selectOption(LOCATION)
    await keyRow('gauges.parquet').waitFor()
    await page.getByRole('button', { name: 'Storage options' }).click()
    expect(await page.getByLabel('Endpoint URL').inputValue()).toBe(moto.endpoint)
    expect(await page.content()).not.toContain(MOTO_SECRET)
    expect(answers.length).toBeGreaterThan(10)
    const leaks = answers.filter((a) => a.body.includes(MOTO_SECRET)).map((a) => a.url)
    expect(leaks).toEqual([])
    const info = answers.filter((a) => a.url.includes('app.info')).at(-1)
    expect(info?.body).toContain(moto.endpoint)
  })
})
