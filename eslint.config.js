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
