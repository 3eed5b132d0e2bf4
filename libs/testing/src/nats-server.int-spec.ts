import { existsSync } from 'node:fs';
import { connect } from 'nats';
import { findNatsServerBinary, startNatsServer } from './index';

const isRunning = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('startNatsServer', () => {
  it('finds the binary, also outside PATH', () => {
    expect(findNatsServerBinary()).toMatch(/nats-server$/);
  });

  it('starts JetStream servers on distinct free ports and removes them when stopped', async () => {
    const [one, two] = await Promise.all([startNatsServer(), startNatsServer()]);
    expect(one.port).not.toBe(two.port);
    expect(one.url).toBe(`nats://127.0.0.1:${one.port}`);
    const connection = await connect({ servers: one.url });
    const jsm = await connection.jetstreamManager();
    expect((await jsm.getAccountInfo()).streams).toBe(0);
    await connection.close();
    await Promise.all([one.stop(), two.stop()]);
    for (const server of [one, two]) {
      expect(isRunning(server.pid)).toBe(false);
      expect(existsSync(server.storeDir)).toBe(false);
    }
  });

  it('restarts on the same port and store, and stops a killed server cleanly', async () => {
    const server = await startNatsServer();
    const [port, pid] = [server.port, server.pid];
    await server.restart();
    expect([server.port, isRunning(pid), existsSync(server.storeDir)]).toEqual([port, false, true]);
    server.kill('SIGKILL');
    await server.stop();
    expect(existsSync(server.storeDir)).toBe(false);
  });

  it('runs without JetStream when asked', async () => {
    const server = await startNatsServer({ jetstream: false });
    const connection = await connect({ servers: server.url });
    await expect(connection.jetstreamManager()).rejects.toThrow();
    await connection.close();
    await server.stop();
  });
});
