import { promises as fs } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { invoke } from '../../electron/ipc/router.js'
import { forExplorer } from '../../electron/ipc/explorer-wording.js'
import { ExplorerSession } from '../../electron/ipc/session.js'
import { call } from '../helpers/ipc-call.js'
import { fixtureCopy, tempDir } from '../helpers/temp.js'

describe('engine errors reaching the explorer', () => {
  it('speak of the window, not of CLI flags or commands', () => {
    const cases: [string, RegExp][] = [
      [
        "Cannot put 'a': the cache at file:///c is read-only (opened read-only). Open it without --readonly / the read-only toggle to change it.",
        /\(opened read-only\)\. Turn off Read-only in the top bar to change it\.$/,
      ],
      [
        "Cannot put 'a': the cache at file:///c is read-only (the explorer was started with --readonly). Open it without --readonly / the read-only toggle to change it.",
        /started read-only, so no cache opens writable\)\. Restart it without --readonly/,
      ],
      [
        'That file is not something pandas.csv can read (bad). Choose another serializer with --serializer.',
        /Choose another serializer in the list\.$/,
      ],
      [
        "Sidecar x is not valid JSON (y). Fix or delete the file; 'xpersist doctor' lists every broken sidecar.",
        /Fix or delete the file; Doctor lists every broken sidecar\.$/,
      ],
      [
        "No artifact 'k' in file:///c: there is no sidecar k. Run 'xpersist ls' to see the keys it holds.",
        /Reopen the cache to see the keys it holds\.$/,
      ],
    ]
    for (const [cli, ui] of cases) expect(forExplorer(cli)).toMatch(ui)
    // Only the launch flag, which no button can undo, is still named.
    for (const [cli] of cases) {
      expect(forExplorer(cli).replace('without --readonly', '')).not.toMatch(/--|'xpersist /)
    }
    expect(forExplorer('a -- b')).toBe('a -- b')
  })

  it('a refused put names the serializer list; a broken sidecar row names Doctor', async () => {
    const location = await fixtureCopy()
    const session = new ExplorerSession({ mode: 'browser', initial: null })
    const { cacheId } = await call(session, 'cache.open', { location, readonly: false })
    const upload = path.join(await tempDir(), 'upload-1')
    await fs.writeFile(upload, 'not a pickle')
    const handle = session.addFileHandle(upload, true)
    const r = await invoke(session, 'artifact.put', {
      cacheId,
      key: 'x.pkl',
      serializer: 'joblib',
      metadataText: '{}',
      file: { name: 'x.pkl', handle },
    })
    expect(!r.ok && r.error.message).toMatch(/Choose another serializer in the list\.$/)

    await fs.writeFile(path.join(location, 'xpersist_metadata_store/bad.artifact.json'), '{')
    const report = await call(session, 'doctor.run', { cacheId })
    const bad = report.brokenSidecars.find((b) => b.key === 'bad')
    expect(bad?.error.message).toMatch(/Doctor lists every broken sidecar\.$/)
  })
})
