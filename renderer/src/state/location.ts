/** Cache locations as the user types them: a path, file://, s3://bucket/… or gs://bucket/…. */

/** The backend protocol a location needs: 'file' for plain paths. */
export function locationProtocol(location: string): string {
  const m = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\//.exec(location.trim())
  return m ? (m[1] as string).toLowerCase() : 'file'
}

/** True for object-store locations, which take storage options (credentials stay on the main side). */
export function isRemote(location: string): boolean {
  const p = locationProtocol(location)
  return p !== 'file'
}

/** Why this build cannot open a location, naming what it can open; null when it can. */
export function protocolProblem(location: string, protocols: readonly string[]): string | null {
  const p = locationProtocol(location)
  if (protocols.includes(p)) return null
  const available = protocols.map((x) => (x === 'file' ? 'local folders' : `${x}://`))
  return (
    `This build cannot open ${p}:// caches: the ${p} backend is not available. ` +
    `It can open ${available.join(', ') || 'nothing yet'}.`
  )
}

/** Storage options text -> an object, or the reason it is not one. */
export function parseStorageOptions(
  text: string,
): { ok: true; value: Record<string, unknown> } | { ok: false; message: string } {
  if (text.trim() === '') return { ok: true, value: {} }
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (err) {
    return { ok: false, message: `Storage options are not valid JSON: ${(err as Error).message}` }
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return { ok: false, message: 'Storage options must be a JSON object, like {"anon": true}.' }
  }
  return { ok: true, value: value as Record<string, unknown> }
}
