/** One file of a folder upload: its path under the folder and its bytes. */
export interface FolderFile {
  path: string
  blob: Blob
}

/** How far a folder upload got: files and bytes sent whole. */
export interface FolderProgress {
  files: number
  bytes: number
}

/** Progress and cancel for a folder upload. */
export interface FolderUploadOptions {
  signal?: AbortSignal
  onProgress?: (progress: FolderProgress) => void
}

/** A finished folder upload: the handle for artifact.put, and what it holds. */
export interface FolderUploaded {
  handle: string
  files: number
  bytes: number
}

/** Files of a folder upload sent at once: many small chunk files, without flooding the server. */
const FOLDER_STREAMS = 4

/** A POST to the server answering the envelope's data (HttpTransport's, with the token). */
export type Post = <T>(
  url: string,
  type: string,
  body: Blob | string,
  signal?: AbortSignal,
) => Promise<T>

/**
 * Sends a folder to /api/upload-folder: the manifest (paths and sizes, which the server checks
 * whole first), then each file as its own streamed request, a few at once, then asks for the
 * folder's handle. A failure or an abort cancels the upload on the server, which removes what
 * arrived. Kept apart from HttpTransport (no DOM globals) so it is tested against the server.
 */
export async function sendFolder(
  post: Post,
  files: FolderFile[],
  options: FolderUploadOptions = {},
): Promise<FolderUploaded> {
  const { signal, onProgress } = options
  const manifest = JSON.stringify({
    files: files.map((f) => ({ path: f.path, bytes: f.blob.size })),
  })
  const started = await post<{ upload: string }>(
    '/api/upload-folder',
    'application/json',
    manifest,
    signal,
  )
  const base = `/api/upload-folder/${started.upload}`
  const done = { files: 0, bytes: 0 }
  let next = 0
  let failed = false
  const stream = async () => {
    while (!failed && next < files.length) {
      const i = next++
      const file = files[i] as FolderFile
      await post(`${base}/${i}`, 'application/octet-stream', file.blob, signal)
      done.files += 1
      done.bytes += file.blob.size
      onProgress?.({ ...done })
    }
  }
  try {
    const streams = Array.from({ length: Math.min(FOLDER_STREAMS, files.length) }, () =>
      stream().catch((err: unknown) => {
        failed = true
        throw err
      }),
    )
    await Promise.all(streams)
    return await post<FolderUploaded>(`${base}/finish`, 'application/json', '{}', signal)
  } catch (err) {
    void post(`${base}/cancel`, 'application/json', '{}').catch(() => {})
    throw err
  }
}
