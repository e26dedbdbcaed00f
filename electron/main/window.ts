import { BrowserWindow } from 'electron'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { APP_INDEX_URL } from './app-protocol.js'

const here = path.dirname(fileURLToPath(import.meta.url))
/** The compiled preload (CommonJS: sandboxed preloads cannot be ES modules). */
export const PRELOAD = path.join(here, 'preload.cjs')

/**
 * The explorer window: context isolation, sandbox, no Node in the page, no <webview>, the
 * preload as the only bridge. Its page comes from our own scheme, not file://; navigation
 * and new windows are refused by the guards every web contents gets (security.ts).
 */
export function createWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 1440,
    height: 900,
    title: 'xpersist explorer',
    show: false,
    webPreferences: {
      preload: PRELOAD,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      webviewTag: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      spellcheck: false,
    },
  })
  win.once('ready-to-show', () => win.show())
  void win.loadURL(APP_INDEX_URL)
  return win
}
