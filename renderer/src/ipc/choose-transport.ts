import { ElectronTransport } from './electron-transport'
import { HttpTransport, takeTokenFromUrl } from './http-transport'
import type { Transport } from './transport'

/** The transport for this page: the Electron preload bridge when present, else browser mode. */
export function chooseTransport(win: Window = window): Transport {
  if (win.xpersist) return new ElectronTransport(win.xpersist)
  return new HttpTransport(takeTokenFromUrl(win))
}
