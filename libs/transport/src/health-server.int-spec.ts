import { startHealthServer } from './health-server';

describe('health server', () => {
  it('answers /healthz always, /readyz by the readiness check, and 404 otherwise', async () => {
    let ready = false;
    const server = await startHealthServer(0, { ready: () => ready });
    const status = async (path: string) =>
      (await fetch(`http://127.0.0.1:${server.port}${path}`)).status;
    try {
      expect(await status('/healthz')).toBe(200);
      expect(await status('/readyz')).toBe(503);
      ready = true;
      expect(await status('/readyz')).toBe(200);
      expect(await status('/metrics-nope')).toBe(404);
    } finally {
      await server.close();
    }
  });
});
