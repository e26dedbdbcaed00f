/**
 * Multipart upload of one big payload (a single PutObject stops at 5 GB): parts are views of
 * the caller's bytes (no copies), a few in flight at once; a failure or cancel aborts the
 * upload once every part request has settled, so no part is left stored (AWS notes that a part
 * still in flight when the abort lands may survive it). The write's condition goes on
 * CompleteMultipartUpload, which is what makes the object visible: If-None-Match: * for a
 * create, If-Match for an if-match write.
 */
import type { S3Client } from '@aws-sdk/client-s3'
import type { S3Sdk } from './client.js'

/** Tuning of big uploads; tests set small values. Users never set these. */
export interface MultipartTuning {
  /** Payloads larger than this many bytes go multipart (default 64 MiB). */
  threshold?: number
  /** Bytes per part (default 16 MiB; raised so no upload needs more than 10,000 parts). */
  partSize?: number
  /** Part uploads in flight at once (default 4: at most 4 parts' requests open). */
  concurrency?: number
}

const MiB = 1024 * 1024
/** S3's smallest part (all but the last). */
export const MIN_PART_SIZE = 5 * MiB
const MAX_PARTS = 10_000
const DEFAULTS = { threshold: 64 * MiB, partSize: 16 * MiB, concurrency: 4 }

/** Whether a payload of `size` bytes goes multipart under `tuning`. */
export function isMultipart(size: number, tuning: MultipartTuning): boolean {
  return size > Math.max(MIN_PART_SIZE, tuning.threshold ?? DEFAULTS.threshold)
}

/** Where the upload goes and what makes it conditional. */
export interface MultipartTarget {
  sdk: S3Sdk
  client: S3Client
  bucket: string
  key: string
  conditions: { IfNoneMatch?: string; IfMatch?: string }
}

/** Thrown when the signal stopped the upload (after the upload was aborted). */
export class UploadCancelled extends Error {}

/** Uploads `data` in parts and completes it under the target's condition; returns the ETag. */
export async function putMultipart(
  target: MultipartTarget,
  data: Uint8Array,
  tuning: MultipartTuning,
  signal?: AbortSignal,
): Promise<string | undefined> {
  const { sdk, client, bucket, key } = target
  if (signal?.aborted) throw new UploadCancelled()
  const created = await client.send(
    new sdk.CreateMultipartUploadCommand({ Bucket: bucket, Key: key }),
  )
  const uploadId = created.UploadId
  if (uploadId === undefined) throw new Error('CreateMultipartUpload answered no UploadId')
  try {
    const parts = await uploadParts(target, uploadId, data, tuning, signal)
    if (signal?.aborted) throw new UploadCancelled()
    // No abort signal here: a Complete cut off halfway may still have written the object.
    const done = await client.send(
      new sdk.CompleteMultipartUploadCommand({
        Bucket: bucket,
        Key: key,
        UploadId: uploadId,
        MultipartUpload: { Parts: parts },
        ...target.conditions,
      }),
    )
    return done.ETag
  } catch (err) {
    await client
      .send(new sdk.AbortMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: uploadId }))
      .catch(() => undefined) // the first error is the one to report
    throw err
  }
}

/** Part boundaries: fixed-size parts, the last one shorter. */
function partRanges(size: number, tuning: MultipartTuning): [number, number][] {
  const wanted = Math.max(MIN_PART_SIZE, tuning.partSize ?? DEFAULTS.partSize)
  const partSize = Math.max(wanted, Math.ceil(size / MAX_PARTS))
  const ranges: [number, number][] = []
  for (let start = 0; start < size; start += partSize) {
    ranges.push([start, Math.min(size, start + partSize)])
  }
  return ranges
}

/**
 * Sends the parts, `concurrency` at a time; on the first failure (or a cancel) no new part
 * starts and the in-flight ones are waited for, so the abort that follows sees every part.
 */
async function uploadParts(
  { sdk, client, bucket, key }: MultipartTarget,
  uploadId: string,
  data: Uint8Array,
  tuning: MultipartTuning,
  signal: AbortSignal | undefined,
): Promise<{ PartNumber: number; ETag: string }[]> {
  const ranges = partRanges(data.length, tuning)
  const parts = new Array<{ PartNumber: number; ETag: string }>(ranges.length)
  let next = 0
  let failure: { err: unknown } | undefined
  const worker = async () => {
    while (failure === undefined && next < ranges.length) {
      if (signal?.aborted) {
        failure = { err: new UploadCancelled() }
        return
      }
      const i = next++
      const [start, end] = ranges[i] as [number, number]
      try {
        const out = await client.send(
          new sdk.UploadPartCommand({
            Bucket: bucket,
            Key: key,
            UploadId: uploadId,
            PartNumber: i + 1,
            Body: data.subarray(start, end),
            ContentLength: end - start,
          }),
          { abortSignal: signal },
        )
        if (out.ETag === undefined) throw new Error(`UploadPart ${i + 1} answered no ETag`)
        parts[i] = { PartNumber: i + 1, ETag: out.ETag }
      } catch (err) {
        failure ??= { err: signal?.aborted ? new UploadCancelled() : err }
      }
    }
  }
  const limit = Math.max(1, tuning.concurrency ?? DEFAULTS.concurrency)
  await Promise.all(Array.from({ length: Math.min(limit, ranges.length) }, worker))
  if (failure !== undefined) throw failure.err
  return parts
}
