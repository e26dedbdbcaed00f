// Lint rules: typescript-eslint's recommended set, plus the IPC ban the explorer relies on.
import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import globals from 'globals'

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', '.venv-interop/', 'test/fixtures/', 'build/output/'] },
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
    // The explorer UI runs in a browser page: browser globals, and it reaches the engine only
    // through the typed IPC transport (renderer/src/ipc), never Electron or Node directly.
    files: ['renderer/**', 'test/renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: ['electron'], patterns: ['node:*', '**/electron/engine/**'] },
      ],
    },
  },
  {
    // The engine is a plain Node library: no Electron, no React.
    files: ['electron/engine/**', 'electron/cli/**', 'shared/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: ['electron', 'react', 'react-dom'], patterns: ['react-*'] },
      ],
    },
  },
)
