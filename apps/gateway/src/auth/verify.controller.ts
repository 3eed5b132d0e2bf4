import { Body, Controller, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ID_PATTERNS, PERMISSION_NAMES, type FieldError } from '@keyward/messaging';
import {
  invalidJson,
  isAllowed,
  verifiedJson,
  VerifierNode,
  type Outcome,
} from '@keyward/verifier';
import { EdgeError } from '../http/edge-error';
import { recordVerifyOutcome } from '../metrics/metrics';
import { MISSING_CREDENTIAL, NOT_SERVING, validationFailed } from './forward-auth';

const JSON_TYPE = 'application/json; charset=utf-8';

/**
 * `kw.verify` and `kw.authorize` over HTTP, for the credential in `Authorization` (Bearer, a
 * bare key, or Basic for accounts with enableBasicAuth): 200 with the same JSON as their NATS
 * `data` (`position` included: the store position the node had applied when it decided, SPEC
 * rule 13), decided in process by the gateway's verifier node. No header is 401
 * (`AUTH.MISSING_CREDENTIAL`); a node that cannot prove it is caught up answers 503 (G2)
 * rather than `{valid: false, reason: "unavailable"}`.
 */
@Controller('api/auth/v1')
export class VerifyController {
  constructor(@Inject(VerifierNode) private readonly node: VerifierNode) {}

  /** Body: none or `{}`. */
  @Post('verify')
  @HttpCode(200)
  async verify(
    @Body() body: unknown,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const fields = fieldsOf(body);
    const unknown = Object.keys(fields).map(notAllowed);
    if (unknown.length > 0) throw validationFailed(unknown);
    const outcome = await this.node.verify(credentialOf(request));
    recordVerifyOutcome(outcome.valid ? 'valid' : outcome.reason);
    if (!outcome.valid) return send(reply, refusalJson(outcome, false));
    send(reply, verifiedJson(outcome.key, outcome.position));
  }

  /** Body: `{resource, permission}`. */
  @Post('authorize')
  @HttpCode(200)
  async authorize(
    @Body() body: unknown,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const fields = fieldsOf(body);
    const errors = Object.keys(fields)
      .filter((name) => name !== 'resource' && name !== 'permission')
      .map(notAllowed);
    if (typeof fields.resource !== 'string' || !ID_PATTERNS.resource.test(fields.resource)) {
      errors.push({ field: 'resource', message: 'resource must be * or an id like db:analytics' });
    }
    if (!(PERMISSION_NAMES as readonly unknown[]).includes(fields.permission)) {
      errors.push({
        field: 'permission',
        message: `permission must be one of ${PERMISSION_NAMES.join(', ')}`,
      });
    }
    if (errors.length > 0) throw validationFailed(errors);
    const outcome = await this.node.verify(credentialOf(request));
    recordVerifyOutcome(outcome.valid ? 'valid' : outcome.reason);
    if (!outcome.valid) return send(reply, refusalJson(outcome, true));
    send(
      reply,
      verifiedJson(
        outcome.key,
        outcome.position,
        isAllowed(outcome.key, fields.resource, fields.permission),
      ),
    );
  }
}

function credentialOf(request: FastifyRequest): string {
  const authorization = request.headers.authorization;
  if (!authorization) {
    recordVerifyOutcome('missing');
    throw MISSING_CREDENTIAL;
  }
  return authorization;
}

function fieldsOf(body: unknown): Record<string, unknown> {
  if (body === undefined || body === null) return {};
  if (typeof body !== 'object' || Array.isArray(body)) {
    throw EdgeError.invalid('REQUEST.NOT_AN_OBJECT', 'request body must be a JSON object');
  }
  return body as Record<string, unknown>;
}

function notAllowed(field: string): FieldError {
  return { field, message: `property ${field} should not exist` };
}

function refusalJson(outcome: Outcome & { valid: false }, authorize: boolean): string {
  if (outcome.reason === 'unavailable') throw NOT_SERVING;
  return invalidJson(outcome.reason, outcome.position, authorize);
}

function send(reply: FastifyReply, json: string): void {
  void reply.status(200).type(JSON_TYPE).send(json);
}
