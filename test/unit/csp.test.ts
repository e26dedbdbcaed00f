import { readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { CSP } from '../../shared/csp.js'
import { REPO } from '../helpers/temp.js'

describe('the explorer page has one CSP', () => {
  it("renderer/index.html's meta tag is shared/csp.ts without frame-ancestors", () => {
    const html = readFileSync(path.join(REPO, 'renderer', 'index.html'), 'utf8')
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]*)"/.exec(html)?.[1]
    expect(meta).toBe(CSP.replace(/; frame-ancestors 'none'$/, ''))
  })
})
