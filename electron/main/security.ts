import { app, session, type Event, type WebContents } from 'electron'
import { isAppPageUrl } from './app-protocol.js'
import { openExternalIfAllowed } from './external-links.js'

/**
 * The explorer needs no camera, microphone, notifications, geolocation or anything else a
 * page can ask for: every permission request and check is answered no.
 */
export function denyAllPermissions(): void {
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) =>
    callback(false),
  )
  session.defaultSession.setPermissionCheckHandler(() => false)
}

/**
 * Guards every web contents the app ever creates (windows, and anything a page might
 * manage to make): no <webview>, no navigation away from our page in any frame, and no new
 * windows (allowlisted links go to the system browser instead).
 */
export function guardAllWebContents(): void {
  app.on('web-contents-created', (_event, contents) => guardWebContents(contents))
}

/** The guards of {@link guardAllWebContents} for one web contents. */
export function guardWebContents(contents: WebContents): void {
  contents.on('will-attach-webview', (event) => event.preventDefault())
  const refuseForeign = (event: Event<{ url: string }>) => {
    if (!isAppPageUrl(event.url)) event.preventDefault()
  }
  // will-frame-navigate covers every frame; the other two are kept for the main frame and for
  // server redirects, which will-frame-navigate does not report.
  contents.on('will-frame-navigate', refuseForeign)
  contents.on('will-navigate', refuseForeign)
  contents.on('will-redirect', refuseForeign)
  contents.setWindowOpenHandler(({ url }) => {
    openExternalIfAllowed(url)
    return { action: 'deny' }
  })
}
