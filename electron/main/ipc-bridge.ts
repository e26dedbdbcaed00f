import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron'
import type { EngineHost } from '../ipc/engine-protocol.js'
import { isAppPageUrl } from './app-protocol.js'

/** The one ipcMain channel; everything else is routed by the channel map inside it. */
export const INVOKE_CHANNEL = 'xpersist:invoke'
/** Events pushed to the window. */
export const EVENT_CHANNEL = 'xpersist:event'

/**
 * Serves the engine's handler table over ipcMain. Every call first checks that it comes from
 * our window's top frame showing our renderer page; anything else is refused.
 */
export function bridgeIpc(
  engine: Pick<EngineHost, 'invoke' | 'onEvent'>,
  win: BrowserWindow,
): () => void {
  ipcMain.handle(
    INVOKE_CHANNEL,
    async (event: IpcMainInvokeEvent, channel: unknown, request: unknown) => {
      const frame = event.senderFrame
      const trusted =
        event.sender === win.webContents &&
        frame !== null &&
        frame.parent === null &&
        isAppPageUrl(frame.url)
      if (!trusted) {
        return {
          ok: false,
          error: { code: 'PERMISSION_DENIED', message: 'Refused: not the explorer window.' },
        }
      }
      return engine.invoke(String(channel), request)
    },
  )
  const off = engine.onEvent((e) => {
    if (!win.isDestroyed()) win.webContents.send(EVENT_CHANNEL, e)
  })
  return () => {
    off()
    ipcMain.removeHandler(INVOKE_CHANNEL)
  }
}
