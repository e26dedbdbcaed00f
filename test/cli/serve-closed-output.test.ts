// `xpersist serve | head -1`: the reader takes the URL and goes away; the server must keep
// serving (it used to take the EPIPE of its next line as `ls | head`'s cue to exit 0). Here the
// reader is gone before the server writes anything, so every line it writes meets EPIPE.
import { spawn } from 'node:child_process'
import net from 'node:net'
import { describe, expect, it } from 'vitest'
import { CLI } from '../helpers/cli.js'
import { fixtureCopy } from '../helpers/temp.js'

/** A port free right now on 127.0.0.1. */
async function freePort(): Promise<number> {
  const server = net.createServer()
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const { port } = server.address() as net.AddressInfo
  await new Promise((r) => server.close(r))
  return port
}

describe('xpersist serve without its reader', () => {
  it('keeps serving after its stdout is closed, and stops on SIGTERM with 0', async () => {
    const cache = await fixtureCopy()
    const port = await freePort()
    const child = spawn(process.execPath, [CLI, 'serve', cache, '--port', String(port)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    child.stdout.destroy()
    let stderr = ''
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()))
    let exit: number | null | undefined
    const exited = new Promise<number | null>((resolve) =>
      child.on('exit', (code) => {
        exit = code
        resolve(code)
      }),
    )
    // Ask until it answers or exits: bounded by count, not by time.
    let status = 0
    for (let attempt = 0; attempt < 300 && exit === undefined && status === 0; attempt++) {
      status = await fetch(`http://127.0.0.1:${port}/`)
        .then((r) => r.status)
        .catch(() => 0)
      if (status === 0) await new Promise((r) => setTimeout(r, 100))
    }
    expect(exit, `serve exited; stderr: ${stderr}`).toBeUndefined()
    expect(status).toBe(200)
    // Still there after its lines met the closed pipe.
    expect((await fetch(`http://127.0.0.1:${port}/`)).status).toBe(200)
    child.kill('SIGTERM')
    expect(await exited).toBe(0)
    expect(stderr).toBe('')
  })
})
