// ESLint rule `xpersist/layers`: which folder may import which. The layers, bottom up:
// shared/ (used by all); electron/engine/ (a plain Node library); electron/ipc/ (the handler
// table over the engine); electron/server/ and electron/main/ (the two hosts of the handler
// table); electron/cli/ (over the engine; only `serve` loads the IPC layer and the server,
// lazily); renderer/ (shared/ and itself only). An import that reaches up or sideways is an
// error. Paths are resolved, so renderer/src/ipc is not mistaken for electron/ipc.
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')

// The IPC channel map is in shared/ (the renderer needs it) but is the IPC layer's contract:
// the engine must not depend on it.
const CHANNEL_MAP = /^shared\/ipc(\.[cm]?[jt]s)?$/

const FOLDERS = [
  ['shared/', 'shared'],
  ['electron/engine/', 'engine'],
  ['electron/ipc/', 'ipc'],
  ['electron/server/', 'server'],
  ['electron/main/', 'main'],
  ['electron/cli/', 'cli'],
  ['renderer/', 'renderer'],
]

/** What each layer may import (itself included), and why not the rest. */
const LAYERS = {
  shared: {
    may: ['shared', 'channel map'],
    why: 'shared/ is the bottom layer every other one uses; move what it needs into shared/',
  },
  engine: {
    may: ['engine', 'shared'],
    why: 'the engine is a plain library under the IPC layer, the hosts and the UI; define what it needs in the engine (as electron/engine/preview-types.ts) or in shared/',
  },
  ipc: {
    may: ['ipc', 'engine', 'shared', 'channel map'],
    why: 'the IPC layer is hosted by electron/main and electron/server and imports neither; move what both need into the IPC layer or below',
  },
  server: {
    may: ['server', 'ipc', 'engine', 'shared', 'channel map'],
    why: 'browser mode hosts the handler table; move what it shares with the Electron main into shared/ (as shared/csp.ts)',
  },
  main: {
    may: ['main', 'ipc', 'engine', 'shared', 'channel map'],
    why: 'the Electron main process hosts the handler table; move what it shares with browser mode into shared/ (as shared/csp.ts)',
  },
  cli: {
    may: ['cli', 'engine', 'shared'],
    why: 'the CLI runs on the engine without Electron or the UI; only electron/cli/commands/serve.ts loads the IPC layer and the server, with await import(), so no other command loads them',
  },
  renderer: {
    may: ['renderer', 'shared', 'channel map'],
    why: 'the UI runs in a page: it imports shared/ and its own files, and reaches the engine only through renderer/src/ipc',
  },
}

// `serve` may load these, lazily, so no other command (nor --help) loads them.
const SERVE = 'electron/cli/commands/serve.ts'
const SERVE_LAZY = ['ipc', 'server', 'channel map']

function layerOf(rel) {
  for (const [prefix, layer] of FOLDERS) if (rel.startsWith(prefix)) return layer
  return null
}

function describe(layer) {
  if (layer === 'channel map') return 'the IPC channel map (shared/ipc.ts)'
  if (layer === 'elsewhere') return 'a file outside the product layers'
  return FOLDERS.find(([, l]) => l === layer)?.[0].replace(/\/$/, '') ?? layer
}

/** The rule. */
export default {
  meta: {
    type: 'problem',
    docs: { description: 'Imports go down the layers, never up or sideways.' },
    schema: [],
  },
  create(context) {
    const file = path.relative(ROOT, context.filename).split(path.sep).join('/')
    const from = layerOf(file)
    if (!from) return {}
    function check(node, source, lazy) {
      if (typeof source !== 'string' || !source.startsWith('.')) return
      const resolved = path.resolve(path.dirname(context.filename), source)
      const target = path.relative(ROOT, resolved).split(path.sep).join('/')
      if (target.startsWith('../') || path.isAbsolute(target)) return
      // Inside the checkout but in no layer (test/, bench/, scripts/...): never product code's.
      const to = CHANNEL_MAP.test(target) ? 'channel map' : (layerOf(target) ?? 'elsewhere')
      if (LAYERS[from].may.includes(to)) return
      if (lazy && file === SERVE && SERVE_LAZY.includes(to)) return
      context.report({
        node,
        message: `${describe(from)} may not import ${describe(to)} ('${source}'): ${LAYERS[from].why}.`,
      })
    }
    return {
      ImportDeclaration: (n) => check(n, n.source.value, false),
      ExportNamedDeclaration: (n) => n.source && check(n, n.source.value, false),
      ExportAllDeclaration: (n) => check(n, n.source.value, false),
      ImportExpression: (n) => n.source.type === 'Literal' && check(n, n.source.value, true),
    }
  },
}
