// The only bridge between the page and the main process: a typed invoke and an event
// subscription. The page never sees ipcRenderer, Node, paths or credentials.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron'

const INVOKE_CHANNEL = 'xpersist:invoke'
const EVENT_CHANNEL = 'xpersist:event'

contextBridge.exposeInMainWorld('xpersist', {
  invoke: (channel: string, request: unknown): Promise<unknown> =>
    ipcRenderer.invoke(INVOKE_CHANNEL, channel, request),
  onEvent: (callback: (event: unknown) => void): (() => void) => {
    const listener = (_e: IpcRendererEvent, event: unknown) => callback(event)
    ipcRenderer.on(EVENT_CHANNEL, listener)
    return () => ipcRenderer.removeListener(EVENT_CHANNEL, listener)
  },
})
