/** Makes and empties buckets on a test S3 server with the SDK directly (not the backend under test). */
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3'

/** A plain SDK client for a loopback server's s3fs-style options (key, secret, endpoint_url). */
export function testS3Client(options: Record<string, unknown>): S3Client {
  return new S3Client({
    endpoint: options.endpoint_url as string,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: {
      accessKeyId: options.key as string,
      secretAccessKey: options.secret as string,
    },
  })
}

/**
 * Creates `bucket`, retrying while a just-started server is still settling (SeaweedFS answers
 * HTTP a moment before its filer accepts writes). An existing bucket is fine.
 */
export async function makeBucket(options: Record<string, unknown>, bucket: string): Promise<void> {
  const client = testS3Client(options)
  let last: unknown
  try {
    for (let attempt = 0; attempt < 60; attempt++) {
      try {
        await client.send(new CreateBucketCommand({ Bucket: bucket }))
        return
      } catch (err) {
        const name = (err as { name?: string }).name
        if (name === 'BucketAlreadyOwnedByYou' || name === 'BucketAlreadyExists') return
        // A client error (a bad name, refused credentials) will not pass by waiting.
        const status = (err as { $metadata?: { httpStatusCode?: number } }).$metadata
          ?.httpStatusCode
        if (status !== undefined && status >= 400 && status < 500) throw err
        last = err
        await new Promise((r) => setTimeout(r, 500))
      }
    }
  } finally {
    client.destroy()
  }
  throw new Error(`Could not create bucket ${bucket}: ${String(last)}`)
}
