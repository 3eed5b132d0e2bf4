import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/**
 * The console is built into static files under dist/console and served by the gateway at
 * /console/ (apps/gateway/src/console). No server rendering, no CDN: everything it loads comes
 * from the gateway, so it works offline and under a strict Content-Security-Policy.
 */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/console/',
  publicDir: false,
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: fileURLToPath(new URL('../dist/console', import.meta.url)),
    emptyOutDir: true,
    // The CSP allows no inline script: the preload polyfill would be one more script to trust.
    modulePreload: { polyfill: false },
    // Under CSP `style-src 'self'` the CSS must be a file, never a <style> element.
    assetsInlineLimit: 0,
    sourcemap: true,
    reportCompressedSize: false,
  },
});
