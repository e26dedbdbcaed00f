import { app, dialog, session as electronSession } from 'electron'
import { promises as fs } from 'node:fs'
import path from 'node:path'
import { ExplorerSession } from '../ipc/session.js'
import { CSP } from '../../shared/csp.js'
import { bridgeIpc } from './ipc-bridge.js'
import { createWindow } from './window.js'

// `electron dist/electron/main/main.js [cache] [--readonly]`: the cache to open first.
const args = process.argv.slice(app.isPackaged ? 1 : 2)
const initialPath = args.find((a) => !a.startsWith('--'))
const initial = initialPath
  ? { location: path.resolve(initialPath), readonly: args.includes('--readonly') }
  : null

app.enableSandbox()

void app.whenReady().then(() => {
  // The CSP as a header too, for every response the window receives.
  electronSession.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CSP] } })
  })
  const win = createWindow()
  const explorer = new ExplorerSession({
    mode: 'electron',
    initial,
    recentFile: path.join(app.getPath('userData'), 'recent.json'),
    pickFolder: async () => {
      const r = await dialog.showOpenDialog(win, { properties: ['openDirectory'] })
      return r.canceled ? null : (r.filePaths[0] ?? null)
    },
    pickFile: async () => {
      const r = await dialog.showOpenDialog(win, { properties: ['openFile'] })
      const file = r.canceled ? undefined : r.filePaths[0]
      if (!file) return null
      return { path: file, name: path.basename(file), bytes: (await fs.stat(file)).size }
    },
  })
  const unbridge = bridgeIpc(explorer, win)
  win.on('closed', unbridge)
})

app.on('window-all-closed', () => app.quit())
