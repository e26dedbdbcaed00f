import { electronBinary } from '../../electron/main/electron-binary.js'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { fixtureCopy, REPO } from '../helpers/temp.js'
import { UI_TIMEOUT_MS } from '../helpers/timeouts.js'

const { binary, reason } = electronBinary(REPO)
if (!binary) console.warn(`Electron smoke test skipped: ${reason}`)

describe.skipIf(!binary)('Electron app (smoke)', () => {
  it('opens a window on a cache, lists its keys, and exposes only the typed bridge', async () => {
    const { _electron } = await import('playwright-core')
    const app = await _electron.launch({
      executablePath: binary as string,
      args: [path.join(REPO, 'dist', 'electron', 'main', 'main.js'), await fixtureCopy()],
      timeout: UI_TIMEOUT_MS,
    })
    try {
      const page = await app.firstWindow({ timeout: UI_TIMEOUT_MS })
      page.setDefaultTimeout(UI_TIMEOUT_MS)
      await page.getByTestId('key-table').getByText('stations.csv').waitFor()
      const bridge = await page.evaluate(() =>
        Object.keys((globalThis as unknown as { xpersist: object }).xpersist).sort(),
      )
      expect(bridge).toEqual(['invoke', 'onEvent'])
      expect(
        await page.evaluate(() => typeof (globalThis as unknown as { require?: unknown }).require),
      ).toBe('undefined')
    } finally {
      await app.close()
    }
  })
})
