import type { DeletePlanData } from '../../../shared/ipc'
import type { Transport } from '../ipc/transport'
import { createAppStore } from './app-store'
import { createCleanupStore } from './cleanup-store'
import { createCopyStore } from './copy-store'
import { createDeleteStore, type DeleteTarget } from './delete-store'
import { createDeriver, type DerivedView } from './derive'
import { createDetailStore } from './detail-store'
import { cleanTarget, createDoctorStore } from './doctor-store'
import { createEditorStore, type MetadataDraft } from './editor-store'
import { createListingStore } from './listing-store'
import { createPreviewStore } from './preview-store'
import { createPutStore } from './put-store'
import { createSelectionStore } from './selection-store'
import { createTableViewStore } from './table-view-store'
import { createTrashStore } from './trash-store'
import { createUsageStore } from './usage-store'
import { createViewStore } from './view-store'

/** Options for tests: the delete poll interval, and the clock. */
export interface ExplorerOptions {
  pollMs?: number
  now?: () => number
  /** The Clean up dialog's pause after typing before it plans. */
  debounceMs?: number
}

/** Keys whose every planned file is among the deleted paths: those are gone for good. */
export function deletedKeys(plan: DeletePlanData): string[] {
  const gone = new Set(plan.deleted)
  return plan.entries
    .filter((e) => e.files.length > 0 && e.files.every((f) => gone.has(f.path)))
    .map((e) => e.key)
}

/**
 * Every store of the explorer, wired together: opening a cache lists it, the cursor row loads
 * its detail and preview, a saved edit refreshes the row, a finished delete refreshes the
 * listing. Built on any Transport, so tests run it on a FakeTransport without rendering.
 */
export function createExplorer(transport: Transport, options: ExplorerOptions = {}) {
  const now = options.now ?? Date.now
  const view = createViewStore(now)
  const listing = createListingStore(transport)
  const selection = createSelectionStore()
  const detail = createDetailStore(transport)
  const preview = createPreviewStore(transport)
  const tableView = createTableViewStore(transport, {
    ...(options.pollMs !== undefined ? { pollMs: options.pollMs } : {}),
  })
  const doctor = createDoctorStore(transport)
  const usage = createUsageStore()
  const deriver = createDeriver()
  const cacheId = () => app.getState().cache?.cacheId ?? null

  let openedLocation: string | null = null
  // Unsaved metadata drafts of the caches not open now, by location: never applied to another
  // cache's keys, and back when their cache is opened again.
  const draftsByLocation = new Map<string, ReadonlyMap<string, MetadataDraft>>()
  const app = createAppStore(transport, (cache) => {
    if (listing.getState().cacheId === cache.cacheId) return
    const previous = openedLocation
    openedLocation = cache.location
    void listing.getState().load(cache.cacheId)
    tableView.getState().close()
    usage.getState().close()
    if (cache.location !== previous) {
      view.getState().clearFilters()
      usage.getState().setDrill('')
      selection.getState().clear() // which closes the editor
      const theirs = draftsByLocation.get(cache.location) ?? new Map<string, MetadataDraft>()
      draftsByLocation.delete(cache.location)
      const mine = editor.getState().swapDrafts(theirs)
      if (previous !== null && mine.size > 0) draftsByLocation.set(previous, mine)
      return
    }
    // The read-only toggle reopened the same cache: keep filters, selection and the detail,
    // reloaded under the new cache id.
    const key = selection.getState().current
    if (key !== null) {
      void detail.getState().load(cache.cacheId, key)
      void preview.getState().load(cache.cacheId, key, 0)
    }
  })
  const editor = createEditorStore(transport, (saved) => {
    if (detail.getState().key === saved.key) detail.getState().replace(saved)
    listing
      .getState()
      .patchMetadata(saved.key, saved.artifact.additional_metadata as Record<string, unknown>)
  })
  const put = createPutStore(transport, async (key) => {
    await listing.getState().refresh()
    selection.getState().selectOnly(key)
  })
  const deletion = createDeleteStore(transport, {
    ...(options.pollMs !== undefined ? { pollMs: options.pollMs } : {}),
    onFinished: (result) => {
      const gone = result ? deletedKeys(result) : []
      listing.getState().removeKeys(gone)
      const current = selection.getState().current
      if (current !== null && gone.includes(current)) selection.getState().clear()
      else selection.getState().retain(new Set(listing.getState().rows.map((r) => r.key)))
      void listing.getState().refresh()
      const id = cacheId()
      if (doctor.getState().open && id !== null) void doctor.getState().run(id)
    },
    onRestored: () => void listing.getState().refresh(),
  })
  // Restoring from the Trash dialog brings keys back: the listing shows them.
  const trash = createTrashStore(transport, {
    onRestored: () => void listing.getState().refresh(),
  })

  // Copies only write to the destination: the open cache's listing stays as it is.
  const copy = createCopyStore(transport, {
    ...(options.pollMs !== undefined ? { pollMs: options.pollMs } : {}),
    keptSecrets: app.getState().keptSecretsFlags,
  })

  /** The current rows, facets and totals (memoised: cheap to call on every render). */
  const derive = (): DerivedView => {
    const { sort, filters, now: at } = view.getState()
    return deriver(listing.getState().rows, sort, filters, at)
  }

  const unsubscribers = [
    selection.subscribe((s, prev) => {
      if (s.current === prev.current) return
      // The editor belongs to one artifact; leaving it keeps its unsaved text as a draft.
      if (editor.getState().key !== s.current) editor.getState().close()
      const id = cacheId()
      if (s.current === null || id === null) {
        detail.getState().clear()
        preview.getState().clear()
      } else {
        void detail.getState().load(id, s.current)
        void preview.getState().load(id, s.current, 0)
      }
    }),
    detail.subscribe((s, prev) => {
      const d = s.detail
      const id = cacheId()
      if (!d || d === prev.detail || id === null) return
      const e = editor.getState()
      if (e.key === d.key && e.baseVersion === d.version && e.cacheId === id) return
      // Another key (from its draft, if it has one), or a newer version of this one. An
      // unsaved edit of this key is kept; saving it then meets the CONFLICT check.
      e.open(id, d)
    }),
    view.subscribe((s, prev) => {
      if (s.filters === prev.filters) return
      const sel = selection.getState()
      if (sel.selected.size === 0 && !sel.allMatching) return
      sel.retain(new Set(derive().rows.map((r) => r.key)))
    }),
    // Ages are measured against a clock that ticks once a minute; a finished listing (after
    // a put, say) restarts it so a row written a second ago is not "in the future".
    listing.subscribe((s, prev) => {
      if (prev.loading && !s.loading) view.getState().tick()
      // A complete listing (a load, a refresh, a delete) drops the drafts of keys now gone.
      const complete = !s.loading && s.error === null && s.cacheId !== null
      if (complete && (prev.loading || s.rows !== prev.rows) && editor.getState().drafts.size > 0)
        editor.getState().retainDrafts(new Set(s.rows.map((r) => r.key)))
    }),
    transport.onEvent((event) => deletion.getState().handleEvent(event)),
  ]
  const clock = setInterval(() => view.getState().tick(), 60_000)

  /** What a delete of the selection covers: all matching rows, or the selected keys. */
  const selectionTarget = (): DeleteTarget => {
    const sel = selection.getState()
    const keys = sel.allMatching ? derive().rows.map((r) => r.key) : [...sel.selected]
    return { keys, orphans: [] }
  }

  const startCopy = (keys: readonly string[]) => {
    const cache = app.getState().cache
    if (cache === null || keys.length === 0) return
    copy.getState().begin(cache.cacheId, cache.location, keys)
  }

  const startDelete = (target: DeleteTarget) => {
    const id = cacheId()
    if (id === null || (target.keys.length === 0 && target.orphans.length === 0)) return
    if (app.getState().cache?.readonly) return
    void deletion.getState().begin(id, target)
  }

  // Clean up hands the keys its rules chose to the same delete flow as "Delete all matching".
  const cleanup = createCleanupStore(transport, {
    ...(options.debounceMs !== undefined ? { debounceMs: options.debounceMs } : {}),
    onReview: (keys) => startDelete({ keys, orphans: [] }),
  })

  return {
    transport,
    app,
    /** The Clean up dialog: retention rules with live counts, saved rule sets. */
    cleanup,
    view,
    listing,
    selection,
    detail,
    preview,
    /** The full-window table view (sort, filter, export over the whole table). */
    tableView,
    /** The usage view: where the bytes are (treemap, bytes per month, largest artifacts). */
    usage,
    editor,
    put,
    deletion,
    doctor,
    /** The Copy to… dialog (destination, dry-run plan, run). */
    copy,
    /** The Trash dialog (entries, restore, empty). */
    trash,
    derive,
    /** The memoised deriver itself, for the UI's deferred filters. */
    deriveFrom: deriver,
    /** Deletes the selected rows (or all matching, when that is selected). */
    deleteSelection: () => startDelete(selectionTarget()),
    /** Deletes every row the filters let through. */
    deleteAllMatching: () => startDelete({ keys: derive().rows.map((r) => r.key), orphans: [] }),
    /** Copies the selected rows (or all matching) to another cache: the dialog asks where. */
    copySelection: () => startCopy(selectionTarget().keys),
    /** Copies one artifact to another cache. */
    copyKey: (key: string) => startCopy([key]),
    /** Deletes one artifact. */
    deleteKey: (key: string) => startDelete({ keys: [key], orphans: [] }),
    /** Cleans what doctor found: orphan files, broken sidecars, payload-less sidecars, or all. */
    cleanDoctor: (what: 'orphans' | 'broken' | 'all' | 'missing') => {
      const report = doctor.getState().report
      if (!report) return
      const all = cleanTarget(report)
      if (what === 'all') startDelete(all)
      else if (what === 'orphans') startDelete({ keys: [], orphans: all.orphans })
      else if (what === 'missing') startDelete({ keys: report.missingPayload, orphans: [] })
      else startDelete({ keys: report.brokenSidecars.map((b) => b.key), orphans: [] })
    },
    /** Reloads the detail after taking the disk version of a conflicting edit. */
    takeDiskMetadata: () => {
      editor.getState().takeDisk()
      const id = cacheId()
      const key = detail.getState().key
      if (id !== null && key !== null) void detail.getState().load(id, key)
    },
    /**
     * Opens the selected table in the full-window view (keys pane collapsed); false when
     * the selected artifact has no table preview.
     */
    openTableView: (): boolean => {
      const id = cacheId()
      const p = preview.getState()
      if (id === null || p.key === null || p.preview?.kind !== 'table') return false
      const d = detail.getState().detail
      const serializer = d && d.key === p.key ? String(d.artifact.serializer ?? '') : null
      tableView.getState().open_(id, p.key, serializer, p.preview)
      return true
    },
    /** Loads app.info and the initial cache. */
    start: () => app.getState().init(),
    /** Stops the clock, the event subscription and polling. */
    dispose: () => {
      clearInterval(clock)
      for (const off of unsubscribers) off()
      deletion.getState().close()
      copy.getState().close()
      cleanup.getState().close()
    },
  }
}

/** One explorer: its stores and the actions that span them. */
export type Explorer = ReturnType<typeof createExplorer>
