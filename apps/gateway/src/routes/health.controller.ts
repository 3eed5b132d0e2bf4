import { Controller, Get, Inject, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import type { NatsConnection } from 'nats';
import { NATS_CONNECTION } from '../bus/tokens';

/** Probes on the API's own port: alive, and ready (connected to NATS). */
@Controller()
export class HealthController {
  constructor(@Inject(NATS_CONNECTION) private readonly connection: NatsConnection) {}

  @Get('healthz')
  health() {
    return { status: 'ok' };
  }

  @Get('readyz')
  ready(@Res({ passthrough: true }) reply: FastifyReply) {
    const ready = !this.connection.isClosed() && !this.connection.isDraining();
    void reply.status(ready ? 200 : 503);
    return { status: ready ? 'ok' : 'unavailable' };
  }
}
