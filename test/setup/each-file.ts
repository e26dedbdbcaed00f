// Runs in every test file's worker before the file: the waiting helpers' defaults (one second)
// are meant for an idle machine; on a loaded CI machine a render can take longer than that.
import { vi } from 'vitest'
import { WAIT_TIMEOUT_MS } from '../helpers/timeouts.js'

const waitFor = vi.waitFor.bind(vi)
vi.waitFor = ((callback, options) => {
  const o = typeof options === 'number' ? { timeout: options } : (options ?? {})
  return waitFor(callback, { timeout: WAIT_TIMEOUT_MS, ...o })
}) as typeof vi.waitFor

if ('document' in globalThis) {
  const { configure } = await import('@testing-library/react')
  configure({ asyncUtilTimeout: WAIT_TIMEOUT_MS })
}
