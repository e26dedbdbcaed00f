// The loopback server harness (test/servers): each server starts on free ports, answers S3,
// and stop leaves no process, port or file behind.
import { existsSync } from 'node:fs'
import { ListBucketsCommand } from '@aws-sdk/client-s3'
import { describe, expect, it } from 'vitest'
import { startMoto } from '../servers/moto.js'
import { startSeaweed } from '../servers/seaweedfs.js'
import { makeBucket, testS3Client } from '../servers/s3-buckets.js'
import { answers } from '../servers/server-process.js'

describe.each([
  ['moto', startMoto],
  ['seaweedfs', startSeaweed],
] as const)('%s harness', (_name, start) => {
  it('starts, serves a bucket, and stops leaving nothing behind', async () => {
    const server = await start()
    try {
      await makeBucket(server.storageOptions, 'harness')
      const client = testS3Client(server.storageOptions)
      const out = await client.send(new ListBucketsCommand({}))
      client.destroy()
      expect(out.Buckets?.map((b) => b.Name)).toContain('harness')
    } finally {
      await server.stop()
    }
    expect(existsSync(server.dir)).toBe(false)
    expect(await answers(server.endpoint)).toBe(false)
    await server.stop() // twice is harmless
  })
})
