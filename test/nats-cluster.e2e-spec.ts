import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { connect, type NatsConnection, type StreamInfo } from 'nats';
import {
  COMMAND_SUBJECTS as C,
  DEFAULT_NATS_STREAMS,
  NatsJsonClient,
  QUERY_SUBJECTS as Q,
  VERIFY_SUBJECTS,
  type IssuedKeyReply,
  type ServiceAccountReply,
  type VerifyReply,
} from '@keyward/messaging';
import { JetStreamEventStore } from '@keyward/event-store';
import { serviceAccountStream } from '@keyward/domain';
import { startSystem, type RunningSystem } from '../scripts/lib/system';
import { bootstrapOverHttp } from './support/bootstrap';
import { revocationCycle } from './support/revocation-cycle';

/**
 * Keyward on a 3-node NATS cluster (issue 16, item 6): the event and usage streams at 3
 * replicas, 2 command services, 3 verifiers and 2 projectors connected to different nodes.
 * Under write and verify load, the event stream's leader is killed with SIGKILL, then a
 * follower, each for 8 s: no acknowledged event is lost or doubled, no key is accepted after
 * its revoke replied (G1), each killed node rejoins and catches up, and every kind of request
 * succeeds again. How long each kind of request went without a success after each loss is
 * printed, with the failures by second and reason: after the leader's loss, as long as
 * nats-server takes to elect a new one (4–9 s in 2.9); after a follower's loss, the requests in
 * flight on its connections, which time out (5 s).
 */
const rootDir = resolve(__dirname, '..');
const EVENTS = DEFAULT_NATS_STREAMS.eventStream;
const WRITERS = 4;
const VERIFIERS = 4;

jest.setTimeout(240_000);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Until `check` holds (a request that fails counts as "not yet"), for at most 30 s. */
async function eventually(check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error('not recovered within 30 s');
    await sleep(250);
  }
}

describe('Keyward on a 3-node JetStream cluster', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'keyward-cluster-'));
  let system: RunningSystem;
  let connection: NatsConnection;
  let client: NatsJsonClient;
  let authorization: string;
  let account: ServiceAccountReply;

  beforeAll(async () => {
    system = await startSystem({
      dataDir,
      rootDir,
      natsNodes: 3,
      commands: 2,
      verifiers: 3,
      projectors: 2,
    });
    authorization = `Bearer ${await bootstrapOverHttp(system, 'cluster')}`;
    connection = await connect({
      ...system.natsSettings('operator'),
      maxReconnectAttempts: -1,
      reconnectTimeWait: 250,
    });
    client = new NatsJsonClient(connection, 5_000);
    await client.request(
      C.setOrganizationPolicy,
      { maxActiveKeysPerPrincipal: 10_000 },
      { authorization },
    );
    account = await client.request<ServiceAccountReply>(
      C.createServiceAccount,
      { name: 'cluster-load', role: 'reader', resources: ['db:a'] },
      { authorization },
    );
  }, 120_000);
  afterAll(async () => {
    await connection?.close();
    await system?.stop();
    if (!process.env.KEYWARD_KEEP_LOGS) rmSync(dataDir, { recursive: true, force: true });
    else console.log(dataDir);
  });

  const streamInfo = async (): Promise<StreamInfo> =>
    (await connection.jetstreamManager()).streams.info(EVENTS);

  /** Until every replica of the event stream is current, the named node among them. */
  const caughtUp = async (node: string) => {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const cluster = await streamInfo()
        .then((info) => info.cluster)
        .catch(() => undefined);
      const peers = [cluster?.leader, ...(cluster?.replicas ?? []).map((r) => r.name)];
      const current = (cluster?.replicas ?? []).every((replica) => replica.current);
      if (cluster?.leader && current && peers.includes(node) && peers.length === 3) return;
      if (Date.now() > deadline)
        throw new Error(`${node} did not catch up: ${JSON.stringify(cluster)}`);
      await sleep(250);
    }
  };

  /** Issue-key writers, verify callers and revocation cycles, until `stop` resolves. */
  const load = (stop: Promise<unknown>, key: IssuedKeyReply) => {
    let running = true;
    void stop.then(() => (running = false));
    const began = Date.now();
    const acked: string[] = [];
    const outcomes: { at: number; what: string; ok: boolean; why?: string }[] = [];
    const g1: string[] = [];
    /** When each loop last finished a request (ms into the load), by loop. */
    const finished: number[] = [];
    const note = (what: string, ok: boolean, error?: unknown) =>
      outcomes.push({
        at: Date.now() - began,
        what,
        ok,
        ...(error === undefined ? {} : { why: String(error) }),
      });
    const verify = (secret: string | undefined) =>
      client.request<VerifyReply>(VERIFY_SUBJECTS.verify, { authorization: `Bearer ${secret}` });
    const writer = async (loop: number) => {
      while (running) {
        try {
          const issued = await client.request<IssuedKeyReply>(
            C.issueServiceAccountKey,
            { id: account.id },
            { authorization },
          );
          acked.push(issued.keyId);
          note('issue', true);
        } catch (error) {
          note('issue', false, error);
          await sleep(100);
        }
        finished[loop] = Date.now() - began;
      }
    };
    const verifier = async (loop: number) => {
      while (running) {
        const reply = await verify(key.secret).catch(() => undefined);
        note('verify', reply?.valid === true);
        if (!reply) await sleep(100);
        finished[loop] = Date.now() - began;
      }
    };
    const revoker = async (loop: number) => {
      while (running) {
        try {
          const cycle = await revocationCycle(client, authorization, account.id, 4);
          acked.push(cycle.keyId);
          g1.push(...cycle.violations);
          note('revoke', true);
        } catch (error) {
          note('revoke', false, error);
          await sleep(100);
        }
        finished[loop] = Date.now() - began;
      }
    };
    const loops = [
      ...Array.from({ length: WRITERS }, () => writer),
      ...Array.from({ length: VERIFIERS }, () => verifier),
      revoker,
    ];
    const done = Promise.all(loops.map((loop, index) => loop(index)));
    /**
     * Until the load is in full swing again from `since` (ms into the load): every kind of
     * request has succeeded since, and every loop has finished a request sent after it, so none
     * sent before (say, into a dead node, to time out later) is still in flight.
     */
    const steadySince = async (since: number) => {
      const deadline = Date.now() + 60_000;
      for (;;) {
        const succeeded = new Set<string>();
        for (let i = outcomes.length - 1; i >= 0 && outcomes[i].at >= since; i--)
          if (outcomes[i].ok) succeeded.add(outcomes[i].what);
        const settled = loops.every((_, index) => (finished[index] ?? -1) >= since);
        if (succeeded.size === 3 && settled) return;
        if (Date.now() > deadline)
          throw new Error(`load not steady 60 s after ${since} ms: ${[...succeeded]} succeeded`);
        await sleep(50);
      }
    };
    return { done, acked, outcomes, g1, began, steadySince };
  };

  it('survives losing the stream leader, then a follower: nothing lost or doubled, G1, rejoin', async () => {
    const key = await client.request<IssuedKeyReply>(
      C.issueServiceAccountKey,
      { id: account.id },
      { authorization },
    );
    let finish!: () => void;
    const running = load(new Promise<void>((r) => (finish = r)), key);
    const nodeIndex = (name: string) => system.natsNodes.findIndex((n) => n.name === name);
    const killed: { name: string; at: number; back: number }[] = [];
    // No fixed warm-up: the kill comes once every kind of request is being answered.
    await running.steadySince(0);

    for (const role of ['leader', 'follower'] as const) {
      const { cluster } = await streamInfo();
      const leader = cluster?.leader ?? '';
      const follower = cluster?.replicas?.[0]?.name ?? '';
      const victim = role === 'leader' ? leader : follower;
      const index = nodeIndex(victim);
      expect(index).toBeGreaterThanOrEqual(0);
      system.natsNodes[index].child.kill('SIGKILL');
      await system.natsNodes[index].exited;
      const at = Date.now() - running.began;
      await sleep(8000);
      killed.push({ name: victim, at, back: Date.now() - running.began });
      await system.startNatsNode(index);
      await caughtUp(victim);
      // The next kill (or the end of the load) once requests are answered on the healed
      // cluster and nothing sent before the rejoin is still in flight.
      await running.steadySince(Date.now() - running.began);
    }
    finish();
    await running.done;

    expect(running.g1).toEqual([]);
    // How long each kind of request failed after each loss (from the kill to the first
    // success after a failure).
    const outages: string[] = [];
    for (const { name, at } of killed) {
      for (const what of ['issue', 'verify', 'revoke']) {
        const kind = running.outcomes.filter((o) => o.what === what && o.at > at);
        const firstFailure = kind.find((o) => !o.ok);
        const recovered = firstFailure && kind.find((o) => o.ok && o.at > firstFailure.at);
        const took = firstFailure ? `${(recovered?.at ?? Infinity) - at} ms` : 'none';
        const successes = kind.filter((o) => o.ok).map((o) => o.at);
        let gap = (successes[0] ?? Infinity) - at;
        for (let i = 1; i < successes.length && successes[i - 1] < at + 8000; i++)
          gap = Math.max(gap, successes[i] - successes[i - 1]);
        outages.push(`${name} ${what}: ${took} (longest without a success ${gap} ms)`);
      }
    }
    const failed = running.outcomes.filter((o) => !o.ok).length;
    const reasons = new Map<string, number>();
    for (const o of running.outcomes.filter((x) => !x.ok && x.what !== 'verify')) {
      const k = `${o.what} at ${Math.floor(o.at / 1000)} s: ${o.why ?? ''}`;
      reasons.set(k, (reasons.get(k) ?? 0) + 1);
    }
    const kills = killed.map((k) => `${k.name} killed at ${k.at} ms`).join(', ');
    console.log(`${kills}\n${[...reasons].map(([k, n]) => `${n}× ${k}`).join('\n')}`);
    console.log(
      `cluster: ${running.outcomes.length} requests, ${failed} failed; outages: ${outages.join(', ')}`,
    );

    // With both nodes back, every kind of request succeeds again.
    await eventually(async () => {
      const fresh = await client.request<IssuedKeyReply>(
        C.issueServiceAccountKey,
        { id: account.id },
        { authorization },
      );
      running.acked.push(fresh.keyId);
      const valid = await client.request<VerifyReply>(VERIFY_SUBJECTS.verify, {
        authorization: `Bearer ${fresh.secret}`,
      });
      await client.request(
        C.revokeServiceAccountKey,
        { id: account.id, keyId: fresh.keyId },
        { authorization },
      );
      const revoked = await client.request<VerifyReply>(VERIFY_SUBJECTS.verify, {
        authorization: `Bearer ${fresh.secret}`,
      });
      return valid.valid && !revoked.valid;
    });
    const ok = running.outcomes.filter((o) => o.ok).length;
    expect(ok).toBeGreaterThan(200);

    // Every acknowledged key is in the store exactly once, whichever node answers the read.
    const store = await JetStreamEventStore.create(connection, { ownsStream: false });
    const events = await store.readStream(serviceAccountStream(account.id));
    const issued = events
      .filter((e) => e.type === 'KeyIssued')
      .map((e) => (e.data as { keyId: string }).keyId);
    expect(issued.length).toBe(new Set(issued).size);
    const stored = new Set(issued);
    expect(running.acked.filter((keyId) => !stored.has(keyId))).toEqual([]);

    // The projectors catch up with the same history: they are eventually consistent, so they
    // get a while after the load (a stalled one never would). Ten reads in a row reach both.
    const unlisted = async () => {
      const view = await client.request<ServiceAccountReply>(
        Q.getServiceAccount,
        { id: account.id },
        { authorization },
      );
      const listed = new Set(view.keys.map((k) => k.keyId));
      return running.acked.filter((keyId) => !listed.has(keyId));
    };
    const storeChecked = Date.now();
    await eventually(async () => {
      for (let read = 0; read < 10; read++) if ((await unlisted()).length > 0) return false;
      return true;
    }).catch(() => undefined);
    for (let read = 0; read < 10; read++) expect(await unlisted()).toEqual([]);
    console.log(
      `both projectors listed every acked key ${Date.now() - storeChecked} ms after the store was checked`,
    );

    // Every service is ready again.
    for (const [name, url] of Object.entries(system.readyUrls)) {
      const status = await fetch(url).then((r) => r.status);
      expect({ name, status }).toEqual({ name, status: 200 });
    }
  });
});
