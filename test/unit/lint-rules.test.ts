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
})
