import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { NatsConnection } from 'nats';
import { VerifierNode } from '@keyward/verifier';
import { ConnectionWatch, METRICS } from '@keyward/transport';
import type { Registry } from 'prom-client';
import { NATS_CONNECTION } from '../bus/tokens';
import { HealthSchema } from '../openapi/health.schema';

/** Probes on the API's own port: alive, and ready (connected to NATS, its verifier node serving). */
@ApiTags('operations')
@Controller()
export class HealthController {
  private readonly nats: ConnectionWatch;

  constructor(
    @Inject(NATS_CONNECTION) private readonly connection: NatsConnection,
    @Inject(VerifierNode) private readonly node: VerifierNode,
    @Inject(METRICS) metrics: Registry,
  ) {
    this.nats = new ConnectionWatch(metrics).watch(connection, 'requests');
  }

  @Get('healthz')
  @ApiOperation({ summary: 'Liveness: the process answers' })
  @ApiOkResponse({ type: HealthSchema })
  health() {
    return { status: 'ok' };
  }

  @Get('readyz')
  @ApiOperation({ summary: 'Readiness: connected to NATS, its verifier node serving' })
  @ApiOkResponse({ type: HealthSchema })
  @ApiResponse({ status: 503, type: HealthSchema, description: 'Not ready' })
  ready(@Res({ passthrough: true }) reply: FastifyReply) {
    const ready = this.nats.connected() && !this.connection.isDraining() && this.node.isServing();
    void reply.status(ready ? 200 : 503);
    return { status: ready ? 'ok' : 'unavailable' };
  }
}
