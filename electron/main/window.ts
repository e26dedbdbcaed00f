import { BrowserWindow, shell } from 'electron'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const here = path.dirname(fileURLToPath(import.meta.url))
/** The built renderer page (dist/renderer/index.html). */
export const RENDERER_INDEX = path.resolve(here, '..', '..', 'renderer', 'index.html')
/** The compiled preload (CommonJS: sandboxed preloads cannot be ES modules). */
export const PRELOAD = path.join(here, 'preload.cjs')

/** True when `url` is our own renderer page, the only origin allowed to call the engine. */
export function isRendererUrl(url: string | undefined): boolean {
  if (!url) return false
  return url.split('#')[0]?.split('?')[0] === pathToFileURL(RENDERER_INDEX).href
}

/**
 * The explorer window: context isolation, sandbox, no Node in the page, the preload as the
 * only bridge; navigation and new windows refused (links open in the system browser).
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
      webSecurity: true,
      spellcheck: false,
    },
  })
  win.webContents.on('will-navigate', (event, url) => {
    if (!isRendererUrl(url)) event.preventDefault()
  })
  win.webContents.setWindowOpenHandler(({ url }) => {
    if (/^https:\/\//.test(url)) void shell.openExternal(url)
    return { action: 'deny' }
  })
  win.once('ready-to-show', () => win.show())
  void win.loadFile(RENDERER_INDEX)
  return win
}
