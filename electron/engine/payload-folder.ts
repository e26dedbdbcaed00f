import { promises as fs } from 'node:fs'
import path from 'node:path'
import { MAX_DEPTH } from '../../shared/limits.js'
import { InvalidArgumentError, LimitExceededError } from './errors.js'

/** One file of a folder payload: its '/'-separated path inside the folder, and where it is. */
export interface FolderFile {
  rel: string
  abs: string
  bytes: number
}

/** A checked folder payload: every regular file under it, sorted, and their total size. */
export interface FolderPayload {
  root: string
  files: FolderFile[]
  bytes: number
}

/** Files a folder payload may hold (a Zarr store of a large dataset has tens of thousands). */
export const MAX_FOLDER_FILES = 1_000_000

/**
 * Walks a folder to be stored byte for byte. Only folders and regular files are taken: a
 * symbolic link or a special file (socket, FIFO, device) is refused by name, since storing it
 * would either leak what it points to or hang the reader.
 */
export async function walkPayloadFolder(root: string): Promise<FolderPayload> {
  const files: FolderFile[] = []
  let bytes = 0
  const visit = async (dir: string, rel: string, depth: number): Promise<void> => {
    if (depth > MAX_DEPTH) {
      throw new LimitExceededError(
        `${dir} nests folders more than ${MAX_DEPTH} deep; a Zarr store never does.`,
      )
    }
    const entries = await fs.readdir(dir, { withFileTypes: true })
    for (const e of entries) {
      const abs = path.join(dir, e.name)
      const name = rel ? `${rel}/${e.name}` : e.name
      if (e.isSymbolicLink()) {
        throw new InvalidArgumentError(
          `${abs} is a symbolic link; a folder payload must hold only real files and folders. ` +
            `Copy the folder without links (cp -rL) and put the copy.`,
        )
      }
      if (e.isDirectory()) {
        await visit(abs, name, depth + 1)
      } else if (e.isFile()) {
        const st = await fs.lstat(abs)
        if (!st.isFile()) throw special(abs)
        files.push({ rel: name, abs, bytes: st.size })
        bytes += st.size
        if (files.length > MAX_FOLDER_FILES) {
          throw new LimitExceededError(
            `${root} holds more than ${MAX_FOLDER_FILES.toLocaleString('en-US')} files; ` +
              `put refuses folders that large.`,
          )
        }
      } else {
        throw special(abs)
      }
    }
  }
  const st = await fs.lstat(root).catch(() => null)
  if (!st) throw new InvalidArgumentError(`No folder ${root}. Check the path.`)
  if (st.isSymbolicLink()) {
    throw new InvalidArgumentError(`${root} is a symbolic link; give the folder itself.`)
  }
  await visit(root, '', 0)
  files.sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0))
  return { root, files, bytes }
}

function special(abs: string): InvalidArgumentError {
  return new InvalidArgumentError(
    `${abs} is not a regular file (a socket, FIFO or device); a folder payload must hold only ` +
      `real files and folders. Remove it and put the folder again.`,
  )
}
