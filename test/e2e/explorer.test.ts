import { existsSync, promises as fs } from 'node:fs'
import path from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RunningServer } from '../../electron/server/http-server.js'
import { CacheStore } from '../../electron/engine/store.js'
import { FIXTURE_EXPECTED, fixtureCopy } from '../helpers/temp.js'
import { UI_TIMEOUT_MS } from '../helpers/timeouts.js'
import { e2eUnavailable, launchChromium, screenshot, SCREENSHOTS, serveCache } from './harness.js'

// Every key of the fixture cache is a row.
const KEY_COUNT = Object.keys(
  (JSON.parse(await fs.readFile(FIXTURE_EXPECTED, 'utf8')) as { artifacts: object }).artifacts,
).length

const unavailable = e2eUnavailable()
if (unavailable && !process.env.CI) console.warn(`End-to-end tests skipped: ${unavailable}`)
// In CI, Chromium and the build are installed by .ci/run: a missing one is a failure, not a skip.
const skip = Boolean(unavailable) && !process.env.CI

let browser: Browser
const servers: RunningServer[] = []
// Uncaught errors in any page fail the suite at the end.
const pageErrors: string[] = []

beforeAll(async () => {
  if (skip) return
  if (unavailable) throw new Error(`End-to-end tests cannot run: ${unavailable}`)
  await fs.mkdir(SCREENSHOTS, { recursive: true })
  browser = await launchChromium()
})

afterAll(async () => {
  expect(pageErrors).toEqual([])
  await browser?.close()
  for (const s of servers) await s.close()
})

/** A fresh copy of the Python-written cache, served, and a page open on it with rows shown. */
async function openExplorer(
  readonly = false,
): Promise<{ page: Page; cache: string; server: RunningServer }> {
  const cache = await fixtureCopy()
  const server = await serveCache(cache, readonly)
  servers.push(server)
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } })
  page.setDefaultTimeout(UI_TIMEOUT_MS)
  page.on('pageerror', (err) => pageErrors.push(`${err.message}`))
  await page.goto(server.url)
  await row(page, 'stations.csv').waitFor()
  return { page, cache, server }
}

const row = (page: Page, key: string) =>
  page.locator(`tr.key-row:has(span.key-text:text-is(${JSON.stringify(key)}))`)
const keysShown = (page: Page) => page.locator('tr.key-row span.key-text').allInnerTexts()

describe.skipIf(skip)('the explorer in Chromium (browser mode)', () => {
  it('opens the cache, filters by text and facet, and sorts', async () => {
    const { page } = await openExplorer()
    expect(await page.locator('tr.key-row').count()).toBe(KEY_COUNT)
    await screenshot(page, '01-listing')
    await page.getByLabel('Search keys and metadata').fill('stations')
    await expect
      .poll(() => keysShown(page))
      .toEqual(['stations-joblib', 'stations-noindex.csv', 'stations.csv'])
    await page.getByLabel('Search keys and metadata').fill('')
    await page.getByRole('button', { name: /^serializer: pandas\.csv/ }).click()
    await expect.poll(async () => (await keysShown(page)).length).toBe(4)
    await page.getByRole('button', { name: /^size/ }).click()
    // Size sorts largest first on the first click.
    await expect
      .poll(() => page.locator('tr.key-row td.col-bytes').allInnerTexts())
      .toEqual(['463 B', '295 B', '284 B', '223 B'])
    await screenshot(page, '02-filtered-sorted')
    await page
      .getByRole('button', { name: /Remove filter/ })
      .first()
      .click()
    await expect.poll(async () => (await keysShown(page)).length).toBe(KEY_COUNT)
  })

  it('previews a table, Python objects and a dataset', async () => {
    const { page } = await openExplorer()
    await row(page, 'stations.csv').click()
    const table = page.getByTestId('preview-table')
    await table.getByText('Niwot, Ridge').waitFor()
    expect(await table.innerText()).toMatch(/station_id[\s\S]*int64[\s\S]*Boulder/)
    await screenshot(page, '03-table-preview')
    await row(page, 'grid-i4').click()
    await page.getByTestId('heatmap').waitFor()
    await screenshot(page, '04-array-heatmap')
    await row(page, 'run-config').click()
    const tree = page.getByTestId('preview-tree')
    await tree.getByText(/ctrl/).first().waitFor()
    expect(await tree.innerText()).toMatch(/members[\s\S]*params/)
    await screenshot(page, '05-object-tree')
    await row(page, 'stations-joblib').click()
    // A pickled DataFrame shows as a table, read from the pickle's data.
    await page.getByTestId('preview-table').getByText('Marshall').waitFor()
    await screenshot(page, '05b-pickled-dataframe')
    // NetCDF is read now: its structure shows (test/e2e/datasets.test.ts goes further)
    await row(page, 'sst-monthly.nc').click()
    await page.getByTestId('preview-dataset').getByRole('button', { name: 'Plot sst' }).waitFor()
  })

  it('shows a big int, dates and NaT exactly in the object tree over HTTP', async () => {
    const { page, cache } = await openExplorer()
    // The Python-written dict of write_pickled_frames.py's exact_values() as a joblib key.
    await fs.copyFile(
      path.join(FIXTURE_EXPECTED, '..', 'tables/pickled/3.1.1/exact_values.joblib'),
      path.join(cache, 'run-config'),
    )
    await row(page, 'run-config').click()
    const tree = page.getByTestId('preview-tree')
    await tree.getByText('1180591620717411303424', { exact: true }).waitFor()
    const text = await tree.innerText()
    expect(text).toMatch(/date: 2020-01-31\n/)
    expect(text).toMatch(/nat: NaT/)
    expect(text).not.toMatch(/e\+21|__int__|__datetime__/)
    await screenshot(page, '05c-exact-tree')
  })

  it('edits metadata and the change is on disk; a conflicting edit is refused', async () => {
    const { page, cache } = await openExplorer()
    await row(page, 'pi').click()
    await page.getByRole('button', { name: 'Edit metadata' }).click()
    const editor = page.getByTestId('metadata-editor').locator('textarea')
    await editor.fill('{"experiment": "old", "scale": 1.0}')
    await page.getByRole('button', { name: 'Save metadata' }).click()
    await page.getByText('Saved.').waitFor()
    const sidecar = path.join(cache, 'xpersist_metadata_store', 'pi.artifact.json')
    expect(await fs.readFile(sidecar, 'utf8')).toContain(
      '"additional_metadata": {\n    "experiment": "old",\n    "scale": 1.0\n  }',
    )
    await screenshot(page, '06-metadata-saved')

    await row(page, 'greeting').click()
    await page.getByRole('button', { name: 'Edit metadata' }).click()
    // Somebody else rewrites the sidecar after the page read it.
    const store = await CacheStore.open(cache)
    await store.updateMetadata('greeting', { changed: 'on disk' })
    await page.getByTestId('metadata-editor').locator('textarea').fill('{"mine": true}')
    await page.getByRole('button', { name: 'Save metadata' }).click()
    await page.getByRole('alert', { name: 'Conflicting versions' }).waitFor()
    // Field by field: each side's fields marked; the full texts are folded below.
    const fields = page.getByTestId('conflict-fields')
    expect(await fields.locator('tr[data-change="removed"]').innerText()).toMatch(
      /changed\s+only on disk\s+absent\s+"on disk"/,
    )
    expect(await fields.locator('tr[data-change="added"]').innerText()).toMatch(
      /mine\s+only in yours\s+true\s+absent/,
    )
    expect(await page.getByTestId('conflict-disk').textContent()).toContain('"changed": "on disk"')
    expect(await page.getByTestId('conflict-mine').textContent()).toContain('"mine": true')
    expect((await store.getArtifact('greeting')).additional_metadata).toEqual({
      changed: 'on disk',
    })
    await screenshot(page, '07-metadata-conflict')
  })

  it('deletes through a dry-run plan into the trash, Undo brings it back, the Trash empties it', async () => {
    const { page, cache } = await openExplorer()
    await row(page, 'vec-f8').click()
    await page.getByRole('button', { name: 'Delete…' }).click()
    const dialog = page.getByTestId('delete-dialog')
    const plan = dialog.getByRole('table', { name: 'Delete plan' })
    await plan.getByText('xpersist_metadata_store/vec-f8.artifact.json').waitFor()
    await dialog.getByRole('region', { name: 'Plan summary' }).getByText('Serializers').waitFor()
    await screenshot(page, '08-delete-plan')
    expect(existsSync(path.join(cache, 'vec-f8'))).toBe(true)
    const confirm = dialog.getByRole('button', { name: 'Move 1 artifact to the trash' })
    expect(await confirm.isDisabled()).toBe(true)
    await dialog.getByRole('textbox').fill('2')
    expect(await confirm.isDisabled()).toBe(true)
    expect(existsSync(path.join(cache, 'vec-f8'))).toBe(true)
    await dialog.getByRole('textbox').fill('1')
    await confirm.click()
    await dialog
      .getByRole('status')
      .getByText(/Moved 1 artifact of 1 to the trash/)
      .waitFor()
    await screenshot(page, '09-delete-summary')
    expect(existsSync(path.join(cache, 'vec-f8'))).toBe(false)
    const [id] = await fs.readdir(path.join(cache, '.xpersist-trash'))
    expect(existsSync(path.join(cache, '.xpersist-trash', id!, 'vec-f8'))).toBe(true)
    await dialog.getByRole('button', { name: 'Undo' }).click()
    await dialog.getByText('Restored 1 artifact of 1 from the trash.').waitFor()
    expect(existsSync(path.join(cache, 'vec-f8'))).toBe(true)
    expect(existsSync(path.join(cache, 'xpersist_metadata_store', 'vec-f8.artifact.json'))).toBe(
      true,
    )
    await dialog.getByRole('button', { name: 'Close' }).last().click()

    // Delete it again, then look at it in the Trash and empty it for good.
    await row(page, 'vec-f8').click()
    await page.getByRole('button', { name: 'Delete…' }).click()
    await dialog.getByRole('textbox').fill('1')
    await dialog.getByRole('button', { name: 'Move 1 artifact to the trash' }).click()
    await dialog.getByText(/Moved 1 artifact of 1 to the trash/).waitFor()
    await dialog.getByRole('button', { name: 'Close' }).last().click()
    await page.getByRole('button', { name: 'Trash' }).click()
    const trash = page.getByTestId('trash-dialog')
    await trash.getByRole('table', { name: 'Trash entries' }).getByText('vec-f8').waitFor()
    await screenshot(page, '10-trash')
    await trash.getByRole('button', { name: 'Plan empty…' }).click()
    await trash.getByLabel('Type 1 to empty 1 entry').fill('1')
    await screenshot(page, '11-trash-empty-plan')
    await trash.getByRole('button', { name: 'Empty 1 entry for good' }).click()
    await trash.getByText('The trash is empty.').waitFor()
    expect(existsSync(path.join(cache, 'vec-f8'))).toBe(false)
    expect(await (await CacheStore.open(cache)).trashEntries()).toEqual([])
    expect(existsSync(path.join(cache, 'xpersist_metadata_store', 'vec-f8.artifact.json'))).toBe(
      false,
    )
  })

  it('puts a file: the page streams it to the server, and it is stored byte for byte', async () => {
    const { page, cache } = await openExplorer()
    await page.getByRole('button', { name: '+ Put' }).click()
    const dialog = page.getByRole('dialog', { name: 'Put a file into the cache' })
    const csv = 'a,b\n1,x\n2,y\n'
    await dialog
      .getByLabel('File')
      .setInputFiles({ name: 'upload.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) })
    await dialog.getByLabel('Key', { exact: true }).fill('uploads/upload.csv')
    await dialog.getByRole('button', { name: 'Put', exact: true }).click()
    await row(page, 'uploads/upload.csv').waitFor()
    expect(await fs.readFile(path.join(cache, 'uploads/upload.csv'), 'utf8')).toBe(csv)
  }, 60_000)

  it('read-only: a badge, disabled writes, and the engine refuses a delete sent anyway', async () => {
    const { page, cache, server } = await openExplorer(true)
    await page.getByTestId('readonly-badge').waitFor()
    // Served with --readonly: a ceiling the toggle cannot lift.
    expect(await page.getByRole('checkbox', { name: 'Read-only' }).isDisabled()).toBe(true)
    await row(page, 'pi').click()
    expect(await page.getByRole('button', { name: 'Delete…' }).isDisabled()).toBe(true)
    expect(await page.getByRole('button', { name: 'Edit metadata' }).isDisabled()).toBe(true)
    await screenshot(page, '10-readonly')
    const refused = await page.evaluate(async (token) => {
      type Envelope = { ok: boolean; data: any } // eslint-disable-line @typescript-eslint/no-explicit-any
      const post = (channel: string, body: unknown) =>
        fetch(`/api/invoke/${channel}`, {
          method: 'POST',
          headers: { 'X-Xpersist-Token': token },
          body: JSON.stringify(body),
        }).then((r) => r.json() as Promise<Envelope>)
      const info = await post('app.info', {})
      const opened = await post('cache.open', {
        location: info.data.initial.location,
        readonly: true,
      })
      const job = await post('delete.start', {
        cacheId: opened.data.cacheId,
        keys: ['pi'],
        confirmCount: 1,
      })
      for (;;) {
        const s = await post('job.status', { jobId: job.data.jobId })
        if (s.data.finished) return s.data.error
        await new Promise((r) => setTimeout(r, 50))
      }
    }, server.token)
    expect(refused).toMatchObject({ code: 'READ_ONLY' })
    expect(existsSync(path.join(cache, 'pi'))).toBe(true)
  })

  it('refuses API requests without the token', async () => {
    const { page } = await openExplorer()
    const status = await page.evaluate(async () => {
      const r = await fetch('/api/invoke/app.info', { method: 'POST', body: '{}' })
      return r.status
    })
    expect(status).toBe(403)
  })
})
