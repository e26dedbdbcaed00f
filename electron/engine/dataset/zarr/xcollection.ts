// xcollection (2021.12.23) stores a Collection as one Zarr v2 store: a root group, one group
// per dataset written by `Dataset.to_zarr(store, group=key)`, and the consolidated .zmetadata
// of all groups at the root. open_collection lists the members with zarr's group_keys(),
// which sorts them by name; each member opens as xarray opens that group.
import { InvalidArgumentError } from '../../errors.js'
import type { Target } from '../../serializers/serializer.js'
import type { EncodedDataset, SourceDataset } from '../model.js'
import type { ZarrContext } from './zarr-array.js'
import { readGroup } from './zarr-hierarchy.js'
import { comparePython } from './zarr-json.js'
import { datasetOf } from './open-zarr.js'
import { writeZarrGroups, type WriteZarrOptions } from './write-zarr.js'

/** Opens every member of the collection at `target`, in group_keys() order; metadata only. */
export async function openCollection(
  target: Target,
  options: { consolidated?: boolean } = {},
): Promise<Map<string, SourceDataset>> {
  const docs = new Map<string, Promise<unknown>>()
  const root: ZarrContext = { target, root: target.path, bytesRead: 0, docs }
  const info = await readGroup(root, '', options.consolidated)
  const names = [...info.groups].sort(comparePython)
  const members = new Map<string, SourceDataset>()
  for (const [i, name] of names.entries()) {
    // Each member counts its own bytes; metadata read once is shared through `docs`, and the
    // root's reads are counted with the first member, so the members' sum is the whole.
    const ctx: ZarrContext = { target, root: target.path, bytesRead: i ? 0 : root.bytesRead, docs }
    members.set(name, datasetOf(ctx, await readGroup(ctx, name, options.consolidated), name))
  }
  return members
}

/** Checks a member name: one Zarr group name, as xcollection keys are. */
export function checkMemberName(name: string): void {
  if (name === '' || name.includes('/') || name.startsWith('.') || name.includes('\\')) {
    throw new InvalidArgumentError(
      `Collection member name '${name}' cannot be a Zarr group: use a non-empty name without ` +
        `'/' or '\\' that does not start with '.'.`,
    )
  }
}

/** Writes datasets as an xcollection store (Zarr v2, consolidated at the root, as Python does). */
export async function writeCollection(
  datasets: Map<string, EncodedDataset>,
  target: Target,
  options: WriteZarrOptions = {},
): Promise<void> {
  for (const name of datasets.keys()) checkMemberName(name)
  await writeZarrGroups([...datasets], target, { consolidated: true, ...options, rootGroup: true })
}
