import { app, dialog, session as electronSession } from 'electron'
import { promises as fs } from 'node:fs'
import path from 'node:path'
import { CSP } from '../../shared/csp.js'
import { registerAppScheme, serveAppScheme } from './app-protocol.js'
import { stoppedJobText } from '../ipc/engine-protocol.js'
import { startUtilityEngine } from './engine-process.js'
import { bridgeIpc } from './ipc-bridge.js'
import { denyAllPermissions, guardAllWebContents } from './security.js'
import { createWindow } from './window.js'

// `electron dist/electron/main/main.js [cache] [--readonly]`: the cache to open first.
const args = process.argv.slice(app.isPackaged ? 1 : 2)
const initialPath = args.find((a) => !a.startsWith('--'))
const initial = initialPath
  ? { location: path.resolve(initialPath), readonly: args.includes('--readonly') }
  : null

app.enableSandbox()
// Before ready: Electron accepts a privileged scheme only then, and the guards must see every
// web contents from the first one on.
registerAppScheme()
guardAllWebContents()

void app.whenReady().then(() => {
  denyAllPermissions()
  serveAppScheme()
  // The CSP as a header too, for every response the window receives.
  electronSession.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CSP] } })
  })
  const win = createWindow()
  // The engine runs in a utility process, so the main process that answers the window never
  // parses a payload: a long preview cannot freeze navigation or cancel.
  const engine = startUtilityEngine({
    mode: 'electron',
    initial,
    readonlyCeiling: args.includes('--readonly'), // a ceiling: the window's toggle cannot lift it
    recentFile: path.join(app.getPath('userData'), 'recent.json'),
    dialogs: {
      pickFolder: async () => {
        const r = await dialog.showOpenDialog(win, { properties: ['openDirectory'] })
        return r.canceled ? null : (r.filePaths[0] ?? null)
      },
      pickFile: async (folder) => {
        const r = await dialog.showOpenDialog(win, {
          properties: [folder ? 'openDirectory' : 'openFile'],
        })
        const file = r.canceled ? undefined : r.filePaths[0]
        if (!file) return null
        // A folder's size is counted by the engine, which walks it (off this thread).
        const bytes = folder ? 0 : (await fs.stat(file)).size
        return { path: file, name: path.basename(file), bytes }
      },
      saveFile: async (name) => {
        const r = await dialog.showSaveDialog(win, { defaultPath: name })
        return r.canceled || !r.filePath ? null : r.filePath
      },
    },
  })
  const unbridge = bridgeIpc(engine, win)
  win.on('closed', unbridge)
  // Quitting (the last window closed, or Quit) waits for the engine to close: a running
  // delete stops between artifacts, as Cancel does, and what it did is logged. Then quit again.
  let closing: 'no' | 'closing' | 'closed' = 'no'
  app.on('will-quit', (event) => {
    if (closing === 'closed') return
    event.preventDefault()
    if (closing === 'closing') return
    closing = 'closing'
    void engine
      .close()
      .then((stopped) => {
        for (const job of stopped ?? []) console.log(stoppedJobText(job))
      })
      .catch((err: unknown) => console.error(`The engine did not close: ${String(err)}`))
      .finally(() => {
        closing = 'closed'
        app.quit()
      })
  })
})

app.on('window-all-closed', () => app.quit())
