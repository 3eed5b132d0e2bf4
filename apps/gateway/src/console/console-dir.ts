import { basename, join, resolve } from 'node:path';

/**
 * Where `npm run build` writes the console (web/vite.config.ts: dist/console), seen from this
 * file compiled (dist/apps/gateway/src/console) or run from source (apps/gateway/src/console).
 */
export function defaultConsoleDir(): string {
  const up = resolve(__dirname, '../../../..');
  return basename(up) === 'dist' ? join(up, 'console') : join(up, 'dist', 'console');
}
