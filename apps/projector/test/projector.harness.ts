import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestMicroservice } from '@nestjs/common';
import { JetStreamEventStore } from '@keyward/event-store';
import {
  PROJECTOR_HEALTH_SUBJECT,
  PROJECTOR_QUEUE_GROUP,
  type ProjectorHealthReply,
} from '@keyward/messaging';
import { createNatsMicroservice, listenOnNats, natsSettingsFrom } from '@keyward/transport';
import {
  startCommandService,
  withEnv,
  type CommandServiceHarness,
} from '../../command/test/command-service.harness';
import { startVerifier, type InProcessVerifier } from '../../auth-verifier/test/verifier.harness';
import { ProjectorRuntime } from '../src/projection/projector-runtime';
import { ProjectorModule } from '../src/projector.module';

export interface ProjectorHarness extends CommandServiceHarness {
  dataDir: string;
  store: JetStreamEventStore;
  /** Resolves once the projector has applied everything committed before the call. */
  synced(): Promise<void>;
  stopAll(): Promise<void>;
}

/** The command service and the projector in this process, on one real nats-server. */
export async function startProjectorHarness(): Promise<ProjectorHarness> {
  const command = await startCommandService();
  // Queries authenticate through kw.verify, answered by a real verifier node.
  const verifier: InProcessVerifier = await startVerifier(command.nats);
  const dataDir = mkdtempSync(join(tmpdir(), 'keyward-projector-'));
  process.env.KEYWARD_PROJECTOR_DB = join(dataDir, 'projector.sqlite');
  const app: INestMicroservice = await withEnv(command.nats.env('projector'), async () => {
    const created = await createNatsMicroservice(ProjectorModule, {
      nats: natsSettingsFrom(process.env),
      queue: PROJECTOR_QUEUE_GROUP,
      name: 'keyward-projector',
      logLevel: 'error',
    });
    await created.init();
    return created;
  });
  await app.get(ProjectorRuntime).whenCaughtUp();
  await listenOnNats(app);
  const store = new JetStreamEventStore(command.operator, {
    streamName: command.streamName,
    subjectPrefix: process.env.KEYWARD_JETSTREAM_SUBJECT_PREFIX,
  });
  const synced = async () => {
    const head = await store.headPosition();
    for (let i = 0; i < 500; i++) {
      const health = await command.client.request<ProjectorHealthReply>(
        PROJECTOR_HEALTH_SUBJECT,
        {},
      );
      if (head === null || (health.position !== null && BigInt(health.position) >= head)) return;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    throw new Error('the projector did not catch up');
  };
  return {
    ...command,
    dataDir,
    store,
    synced,
    async stopAll() {
      await store.close();
      await app.close();
      await verifier.stop();
      await command.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
