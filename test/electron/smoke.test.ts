import { electronBinary } from '../../electron/main/electron-binary.js'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { fixtureCopy, REPO } from '../helpers/temp.js'

const { binary, reason } = electronBinary(REPO)
if (!binary) console.warn(`Electron smoke test skipped: ${reason}`)

describe.skipIf(!binary)('Electron app (smoke)', () => {
  it('opens a window on a cache, lists its keys, and exposes only the typed bridge', async () => {
    const { _electron } = await import('playwright-core')
    const app = await _electron.launch({
      executablePath: binary as string,
      args: [path.join(REPO, 'dist', 'electron', 'main', 'main.js'), await fixtureCopy()],
    })
    try {
      const page = await app.firstWindow()
      await page.getByTestId('key-table').getByText('stations.csv').waitFor({ timeout: 20_000 })
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
  }, 60_000)
})
