// The page's scheme handler: serves the built renderer's files with the CSP, and nothing
// outside its folder however the path is spelled.
import { promises as fs } from 'node:fs'
import path from 'node:path'
import { beforeAll, describe, expect, it, vi } from 'vitest'
import { appFileResponse, isAppPageUrl } from '../../electron/main/app-protocol.js'
import { CSP } from '../../shared/csp.js'
import { tempDir } from '../helpers/temp.js'

vi.mock('electron', () => import('./fake-electron.js'))

let root: string

beforeAll(async () => {
  const dir = await tempDir('xp-app-scheme-')
  root = path.join(dir, 'renderer')
  await fs.mkdir(path.join(root, 'assets'), { recursive: true })
  await fs.writeFile(path.join(root, 'index.html'), '<!doctype html><title>x</title>')
  await fs.writeFile(path.join(root, 'assets', 'index-abc.js'), 'export {}')
  // What a traversal would reach: a sibling of the served folder, and one that shares its prefix.
  await fs.writeFile(path.join(dir, 'secret.txt'), 'secret')
  await fs.mkdir(path.join(dir, 'renderer-evil'))
  await fs.writeFile(path.join(dir, 'renderer-evil', 'x.js'), 'secret')
})

describe('the xpersist-app scheme', () => {
  it('serves index.html with the CSP header, nosniff and its content type', async () => {
    for (const url of ['xpersist-app://app/index.html', 'xpersist-app://app/']) {
      const res = await appFileResponse(root, url)
      expect(res.status, url).toBe(200)
      expect(res.headers.get('content-security-policy')).toBe(CSP)
      expect(res.headers.get('x-content-type-options')).toBe('nosniff')
      expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8')
      expect(await res.text()).toBe('<!doctype html><title>x</title>')
    }
    const js = await appFileResponse(root, 'xpersist-app://app/assets/index-abc.js?v=1')
    expect(js.status).toBe(200)
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8')
  })

  it('refuses every spelling of a path outside the renderer folder', async () => {
    const escapes = [
      'xpersist-app://app/..%2fsecret.txt',
      'xpersist-app://app/..%2Fsecret.txt',
      'xpersist-app://app/assets/..%2f..%2fsecret.txt',
      'xpersist-app://app/%2e%2e%2fsecret.txt',
      'xpersist-app://app/..%5csecret.txt',
      'xpersist-app://app/assets%5c..%5c..%5csecret.txt',
      'xpersist-app://app/..%2frenderer-evil/x.js',
      `xpersist-app://app/${encodeURIComponent(path.join(root, '..', 'secret.txt'))}`,
      'xpersist-app://app/index.html%00.js',
      'xpersist-app://app/%E0%A4%A',
      'xpersist-app://other/index.html',
      'file:///etc/passwd',
      'xpersist-app://app/missing.js',
      'xpersist-app://app/assets',
    ]
    for (const url of escapes) {
      const res = await appFileResponse(root, url)
      expect(res.status, url).toBe(404)
      expect(await res.text(), url).toBe('not found')
    }
  })

  it('calls only the renderer page itself the app page', () => {
    expect(isAppPageUrl('xpersist-app://app/index.html')).toBe(true)
    expect(isAppPageUrl('xpersist-app://app/index.html?x=1#y')).toBe(true)
    for (const url of [
      undefined,
      '',
      'not a url',
      'xpersist-app://app/',
      'xpersist-app://evil/index.html',
      'xpersist-app://u:p@app/index.html',
      'https://app/index.html',
      'file:///index.html',
    ]) {
      expect(isAppPageUrl(url), String(url)).toBe(false)
    }
  })
})
