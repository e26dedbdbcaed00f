import { ESLint } from 'eslint'
import { describe, expect, it } from 'vitest'
import { REPO } from '../helpers/temp.js'

const eslint = new ESLint({ cwd: REPO })

async function messages(code: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath })
  return (result?.messages ?? []).map((m) => m.message)
}

describe('lint rules that keep the architecture', () => {
  it('forbid ipcMain/ipcRenderer outside the bridge and the preload', async () => {
    const code = "import { ipcRenderer } from 'electron'\nexport const x = ipcRenderer\n"
    expect((await messages(code, 'renderer/src/sneaky.ts')).join()).toMatch(/typed IPC channel map/)
    expect((await messages(code, 'electron/main/window-extra.ts')).join()).toMatch(
      /typed IPC channel map/,
    )
  })
  it('forbid electron and react imports in the engine', async () => {
    const code =
      "import { app } from 'electron'\nimport React from 'react'\nexport const x = [app, React]\n"
    const found = await messages(code, 'electron/engine/sneaky.ts')
    expect(found.filter((m) => /restricted/.test(m))).toHaveLength(2)
  })

  it('forbid timing code in tests', async () => {
    const code = 'const t = performance.now()\nexport const slow = performance.now() - t > 400\n'
    expect((await messages(code, 'test/unit/sneaky.test.ts')).join()).toMatch(
      /Tests assert no wall-clock time/,
    )
    expect(await messages(code, 'bench/sneaky.ts')).toEqual([])
  })

  describe('layers: imports go down, never up or sideways', () => {
    // [importing file, import source, allowed]
    const cases: [string, string, boolean][] = [
      ['electron/engine/sneaky.ts', '../ipc/router.js', false],
      ['electron/engine/sneaky.ts', '../server/static.js', false],
      ['electron/engine/sneaky.ts', '../main/window.js', false],
      ['electron/engine/sneaky.ts', '../cli/format.js', false],
      ['electron/engine/serializers/csv/sneaky.ts', '../../../../renderer/src/state/sort', false],
      ['electron/engine/sneaky.ts', '../../shared/ipc.js', false],
      ['electron/engine/sneaky.ts', '../../shared/errors.js', true],
      ['electron/engine/serializers/csv/sneaky.ts', '../../table/table-json.js', true],
      ['electron/cli/commands/sneaky.ts', '../../main/electron-binary.js', false],
      ['electron/cli/commands/sneaky.ts', '../../server/http-server.js', false],
      ['electron/cli/commands/sneaky.ts', '../../ipc/session.js', false],
      ['electron/cli/commands/serve.ts', '../../server/http-server.js', false],
      ['electron/cli/commands/sneaky.ts', '../../engine/store.js', true],
      ['electron/ipc/sneaky.ts', '../main/main.js', false],
      ['electron/ipc/sneaky.ts', '../server/http-server.js', false],
      ['electron/ipc/sneaky.ts', '../../renderer/src/ipc/transport', false],
      ['electron/ipc/sneaky.ts', '../engine/store.js', true],
      ['electron/server/sneaky.ts', '../main/window.js', false],
      ['electron/server/sneaky.ts', '../ipc/router.js', true],
      ['electron/main/sneaky.ts', '../server/static.js', false],
      ['electron/main/sneaky.ts', '../ipc/session.js', true],
      ['shared/sneaky.ts', '../electron/engine/errors.js', false],
      ['renderer/src/state/sneaky.ts', '../../../bench/chromium-flags.json', false],
      ['renderer/src/state/sneaky.ts', '../../../electron/engine/errors.js', false],
      ['renderer/src/state/sneaky.ts', '../ipc/transport', true],
      ['renderer/src/state/sneaky.ts', '../../../shared/ipc', true],
    ]
    it.each(cases)('%s importing %s: allowed %s', async (file, source, allowed) => {
      const found = await messages(`import * as m from '${source}'\nexport const x = m\n`, file)
      const layered = found.filter((m) => / may not import /.test(m))
      expect(layered).toHaveLength(allowed ? 0 : 1)
    })

    it('only serve may load the server and the IPC layer, and only lazily', async () => {
      const lazy =
        "export const load = async () => [await import('../../server/http-server.js'), " +
        "await import('../../ipc/session.js')]\n"
      expect(await messages(lazy, 'electron/cli/commands/serve.ts')).toEqual([])
      const other = await messages(lazy, 'electron/cli/commands/ls.ts')
      expect(other).toHaveLength(2)
      expect(other[0]).toMatch(/electron\/cli may not import electron\/server .*serve\.ts/)
    })

    it('says what to do', async () => {
      const [engine] = await messages(
        "import type { Preview } from '../../shared/ipc.js'\nexport type P = Preview\n",
        'electron/engine/sneaky.ts',
      )
      expect(engine).toMatch(/engine may not import the IPC channel map .*define what it needs/)
      const [main] = await messages(
        "import { CSP } from '../server/static.js'\nexport const c = CSP\n",
        'electron/main/sneaky.ts',
      )
      expect(main).toMatch(/move what it shares with browser mode into shared\//)
    })
  })
})
