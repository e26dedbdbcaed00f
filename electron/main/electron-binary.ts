import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'

/**
 * The Electron binary npm installed under `root`/node_modules/electron, or why there is none.
 * Reads the package's path.txt itself: requiring 'electron' would start a download.
 */
export function electronBinary(root: string): { binary?: string; reason?: string } {
  const dir = path.join(root, 'node_modules', 'electron')
  const pathFile = path.join(dir, 'path.txt')
  if (!existsSync(dir)) return { reason: 'the electron package is not installed' }
  if (!existsSync(pathFile)) {
    return {
      reason:
        'its binary was never downloaded (npm installed the package; Electron fetches the ' +
        'binary from the internet on first launch, which this machine cannot reach)',
    }
  }
  const binary = path.join(dir, 'dist', readFileSync(pathFile, 'utf8').trim())
  return existsSync(binary) ? { binary } : { reason: `${binary} is missing` }
}
