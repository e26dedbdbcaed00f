import { shell } from 'electron'

/**
 * Where a link from the page may take the user, in the system browser: https only, exact
 * origins, and a path under the given prefix. Anything else a page asks to open is dropped.
 */
export const EXTERNAL_ALLOWLIST: readonly { origin: string; pathPrefix: string }[] = [
  { origin: 'https://github.com', pathPrefix: '/NCAR/xpersist' },
  { origin: 'https://xpersist.readthedocs.io', pathPrefix: '/' },
]

/** True when `url` may be opened in the system browser. */
export function isAllowedExternalUrl(url: string): boolean {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return false
  }
  if (parsed.protocol !== 'https:' || parsed.username !== '' || parsed.password !== '') return false
  // The parsed pathname has dot segments resolved, so '/NCAR/xpersist/../../x' cannot pass.
  return EXTERNAL_ALLOWLIST.some(
    ({ origin, pathPrefix }) =>
      parsed.origin === origin &&
      (pathPrefix.endsWith('/')
        ? parsed.pathname.startsWith(pathPrefix)
        : parsed.pathname === pathPrefix || parsed.pathname.startsWith(`${pathPrefix}/`)),
  )
}

/**
 * The only way this app calls shell.openExternal: the URL must be on the allowlist (an
 * arbitrary URL can launch any registered protocol handler on the user's machine).
 */
export function openExternalIfAllowed(url: string): boolean {
  if (!isAllowedExternalUrl(url)) return false
  void shell.openExternal(url)
  return true
}
