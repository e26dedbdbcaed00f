import { defineConfig } from 'vite'

// The explorer's renderer: built to dist/renderer, served by Electron (xpersist-app://) and by
// `xpersist serve` (browser mode). Relative base so both can load it.
export default defineConfig({
  root: 'renderer',
  base: './',
  build: { outDir: '../dist/renderer', emptyOutDir: true, sourcemap: true },
  oxc: { jsx: { runtime: 'automatic' } },
})
