import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { Module, type INestApplicationContext, type Provider, type Type } from '@nestjs/common';
import { MODULE_METADATA } from '@nestjs/common/constants';
import { NestFactory } from '@nestjs/core';
import { InMemoryEventStore } from '@keyward/event-store';
import {
  COMMAND_SUBJECTS,
  type BootstrapOrganizationReply,
  type RevocationReply,
} from '@keyward/messaging';
import { callContextFrom, type CallContext } from '@keyward/transport';
import { CommandModule } from '../src/command.module';
import { loadConfig } from '../src/config';
import { BootstrapOrganizationHandler } from '../src/organizations/bootstrap-organization/bootstrap-organization.handler';
import { RevocationPropagation } from '../src/revocation/revocation-propagation';
import { VerifierRoster } from '../src/revocation/verifier-roster';
import { CLOCK, CONFIG, EVENT_STORE } from '../src/tokens';

/**
 * The command service's handlers and providers, as CommandModule lists them, on an
 * InMemoryEventStore: handler tests run in the unit project, without a nats-server.
 *
 * Two collaborators talk to NATS rather than to the store: VerifierRoster (listens to verifier
 * heartbeats) and RevocationPropagation (asks every live verifier to confirm a revocation).
 * With no verifier running, the real one confirms at once; here a fake does the same and
 * records what it was asked, so tests can see that a revocation asks for confirmation.
 */
export interface InMemoryCommandService {
  store: InMemoryEventStore;
  operatorToken: string;
  /** Revocation replies the handlers asked verifiers to confirm, in order. */
  confirmedRevocations: RevocationReply[];
  get<T>(type: Type<T>): T;
  /** A call as the transport would build it from NATS headers, for `handle(body, call)`. */
  call(subject: string, body: unknown, headers?: CallHeaders): CallContext;
  /** Creates an org, its admin and the admin's key through BootstrapOrganizationHandler. */
  bootstrap(orgId: string): Promise<BootstrapOrganizationReply>;
  close(): Promise<void>;
}

export interface CallHeaders {
  authorization?: string;
  operatorToken?: string;
  idempotencyKey?: string;
}

/** Every revocation is confirmed at once, as with no live verifier. */
class ConfirmedAtOnce {
  constructor(readonly confirmedRevocations: RevocationReply[]) {}

  async confirmed(reply: RevocationReply): Promise<RevocationReply> {
    this.confirmedRevocations.push(reply);
    return reply;
  }
}

/** The providers that need NATS are left out; RevocationPropagation is replaced below. */
const NEEDS_NATS: readonly unknown[] = [VerifierRoster, RevocationPropagation];

function commandModuleOn(
  store: InMemoryEventStore,
  operatorToken: string,
  confirmedRevocations: RevocationReply[],
): Type<unknown> {
  const controllers = Reflect.getMetadata(MODULE_METADATA.CONTROLLERS, CommandModule) as Type[];
  const providers = (
    Reflect.getMetadata(MODULE_METADATA.PROVIDERS, CommandModule) as Provider[]
  ).filter((provider) => !NEEDS_NATS.includes(provider));
  @Module({
    controllers,
    providers: [
      ...providers,
      { provide: CONFIG, useValue: loadConfig({ KEYWARD_OPERATOR_TOKEN: operatorToken }) },
      { provide: CLOCK, useValue: { now: () => Date.now() } },
      { provide: EVENT_STORE, useValue: store },
      { provide: RevocationPropagation, useValue: new ConfirmedAtOnce(confirmedRevocations) },
    ],
  })
  class InMemoryCommandModule {}
  return InMemoryCommandModule;
}

export async function startInMemoryCommandService(): Promise<InMemoryCommandService> {
  const store = new InMemoryEventStore();
  const operatorToken = randomBytes(16).toString('hex');
  const confirmedRevocations: RevocationReply[] = [];
  const app: INestApplicationContext = await NestFactory.createApplicationContext(
    commandModuleOn(store, operatorToken, confirmedRevocations),
    { logger: false },
  );
  const call = (subject: string, body: unknown, headers: CallHeaders = {}): CallContext => ({
    ...callContextFrom(undefined, subject, body),
    ...headers,
  });
  return {
    store,
    operatorToken,
    confirmedRevocations,
    get: (type) => app.get(type),
    call,
    bootstrap(orgId) {
      const body = {
        orgId,
        name: `Org ${orgId}`,
        admin: { userId: 'admin', displayName: 'Admin' },
      };
      return app
        .get(BootstrapOrganizationHandler)
        .handle(body, call(COMMAND_SUBJECTS.bootstrapOrganization, body, { operatorToken }));
    },
    async close() {
      await app.close();
      await store.close();
    },
  };
}

export const bearer = (secret: string | undefined): string => `Bearer ${secret ?? ''}`;
