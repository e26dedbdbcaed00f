// Lint rules: typescript-eslint's recommended set, plus the IPC ban the explorer relies on
// and the layers (lint/layers.js: which folder may import which).
import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import globals from 'globals'
import layers from './lint/layers.js'

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'dist/',
      '.venv-interop/',
      '.venv-zarr3/',
      '.venv-servers/',
      'test/fixtures/',
      'build/output/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
    },
  },
  {
    // ipcMain/ipcRenderer only in the bridge and the preload; everything else goes through
    // the typed channel map.
    files: ['**/*.{ts,tsx,cts,js,mjs}'],
    ignores: ['electron/main/ipc-bridge.ts', 'electron/main/preload.cts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'electron',
              importNames: ['ipcMain', 'ipcRenderer'],
              message:
                'Use the typed IPC channel map (shared/ipc.ts) through electron/main/ipc-bridge.ts.',
            },
          ],
        },
      ],
      'no-restricted-properties': [
        'error',
        { object: 'electron', property: 'ipcMain', message: 'Use electron/main/ipc-bridge.ts.' },
        { object: 'electron', property: 'ipcRenderer', message: 'Use electron/main/preload.cts.' },
      ],
    },
  },
  {
    // The explorer UI runs in a browser page: browser globals, and it reaches the engine only
    // through the typed IPC transport (renderer/src/ipc), never Electron, Node or the engine.
    files: ['renderer/**', 'test/renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'electron',
              message:
                'The renderer uses the typed IPC channel map (shared/ipc.ts) through renderer/src/ipc.',
            },
          ],
          patterns: [
            { group: ['node:*'], message: 'The renderer runs in a browser page: no Node modules.' },
            {
              group: ['**/electron/**'],
              message: 'The renderer reaches the engine only through renderer/src/ipc.',
            },
          ],
        },
      ],
    },
  },
  {
    // The engine is a plain Node library: no Electron, no React.
    files: [
      'electron/engine/**',
      'electron/cli/**',
      'electron/ipc/**',
      'electron/server/**',
      'shared/**',
    ],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: ['electron', 'react', 'react-dom'], patterns: ['react-*'] },
      ],
    },
  },
  {
    // A test that times itself fails on a loaded CI machine with no defect: count work, or
    // measure in bench/.
    files: ['test/**'],
    rules: {
      'no-restricted-globals': [
        'error',
        {
          name: 'performance',
          message:
            'Tests assert no wall-clock time: count the work instead (see test/renderer/derive.test.ts), or measure in bench/.',
        },
      ],
    },
  },
  {
    files: ['electron/**', 'shared/**', 'renderer/**'],
    plugins: { xpersist: { rules: { layers } } },
    rules: { 'xpersist/layers': 'error' },
  },
)
