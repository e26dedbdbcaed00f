import { useStore } from 'zustand'
import type { ResponseOf } from '../../../shared/ipc'
import { useExplorer } from '../state/hooks'
import { plural } from './format'

/** What the first page's wait says: objects listed so far, then artifacts and sidecars read. */
export function listingProgressText(progress: ResponseOf<'cache.listProgress'>): string {
  if (progress === null || (progress.phase === 'listing' && progress.done === 0)) {
    return 'Listing the cache…'
  }
  const n = (x: number) => x.toLocaleString('en-US')
  // While listing, the store counts the objects seen (payload files too, on an object store):
  // artifacts are known only once their sidecars are counted.
  if (progress.phase === 'listing') return `Listing… ${plural(progress.done, 'object')} found`
  const total = progress.total ?? progress.done
  return `Listing… ${plural(total, 'artifact')}, reading sidecars ${n(progress.done)} of ${n(total)}`
}

/**
 * The wait before a cache's first rows (a big bucket lists for a while): a bar that fills
 * once the sidecars are being read, indeterminate before that, and the counts in words.
 */
export function ListingProgress() {
  const { listing } = useExplorer()
  const progress = useStore(listing, (s) => s.progress)
  const determinate = progress?.phase === 'sidecars' && progress.total
  return (
    <div className="listing-wait" role="status" aria-live="polite" data-testid="listing-wait">
      {determinate ? (
        <progress max={progress.total ?? 1} value={progress.done} />
      ) : (
        <progress aria-label="Listing, size not known yet" />
      )}
      <span>{listingProgressText(progress)}</span>
    </div>
  )
}
