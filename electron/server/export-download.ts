/**
 * Sends a finished export as a download: an attachment with its suggested name (quoted so no
 * name can break the header), then removes the temp file, whether or not the client got it all.
 */
import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import type { ServerResponse } from 'node:http'
import { removeExport } from '../engine/table/query/export.js'

/** The Content-Disposition value for `name`: an ASCII fallback and the exact UTF-8 name. */
export function attachmentHeader(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]|["\\%;]/g, '_')
  const exact = encodeURIComponent(name).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  )
  return `attachment; filename="${ascii}"; filename*=UTF-8''${exact}`
}

/** Streams the export file to `res` and removes it afterwards. */
export async function sendExport(
  file: { path: string; name: string },
  res: ServerResponse,
  headers: Record<string, string>,
): Promise<void> {
  try {
    const { size } = await stat(file.path)
    res.writeHead(200, {
      ...headers,
      'Content-Type': file.name.endsWith('.csv')
        ? 'text/csv; charset=utf-8'
        : 'application/octet-stream',
      'Content-Length': String(size),
      'Content-Disposition': attachmentHeader(file.name),
    })
    await new Promise<void>((resolve) => {
      const stream = createReadStream(file.path)
      stream.on('error', () => {
        res.destroy()
        resolve()
      })
      res.on('close', resolve)
      stream.pipe(res)
    })
  } finally {
    await removeExport(file.path)
  }
}
