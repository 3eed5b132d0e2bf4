import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { COMMAND_SUBJECTS as C, type LeakReportReply } from '@keyward/messaging';
import { KeywardBus } from '../bus/keyward-bus';
import { Edge, type EdgeCall } from '../http/edge-call';
import { LeakReportReplySchema } from '../openapi/leak-report.schema';
import { LEAK_REPORT_BODY_LIMIT, sortLeakReport } from './leak-report-body';

/**
 * docs/product-rules.md rule 11: anyone who found Keyward keys (a secret scanner) reports them
 * here, without a credential. The answer is the same counts whatever existed.
 */
@ApiTags('keys')
@Controller('api/key/v1')
export class LeakReportController {
  constructor(private readonly bus: KeywardBus) {}

  @Post('leaked')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Report leaked keys (public, for secret scanners)',
    description:
      'A JSON array of up to 1,000 values found exposed (or `{"keys": [...]}`); no credential ' +
      '(an Authorization header is ignored). Every value that is an active Keyward key is ' +
      'revoked with reason `leaked`; the 202 comes once every verifier refuses them, and says ' +
      'how many values were received and how many were not Keyward keys — never which ' +
      `existed. Bodies up to ${LEAK_REPORT_BODY_LIMIT / 1024} KiB; rate-limited per client IP.`,
  })
  @ApiBody({
    schema: { type: 'array', maxItems: 1000, items: { type: 'string' } },
    description: 'The values found',
  })
  @ApiAcceptedResponse({ type: LeakReportReplySchema })
  async report(@Body() body: unknown, @Edge() edge: EdgeCall): Promise<LeakReportReply> {
    const sorted = sortLeakReport(body);
    // Only where the report came from goes on: no credential, no Idempotency-Key.
    const call: EdgeCall = { correlationId: edge.correlationId, source: edge.source };
    const reply = await this.bus.call<LeakReportReply>(
      C.reportLeakedKeys,
      { keys: sorted.keys },
      call,
    );
    return { received: sorted.received, malformed: sorted.malformed + reply.malformed };
  }
}
