import { All, Controller, Inject, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { VerifierNode } from '@keyward/verifier';
import { answerForwardAuth, forwardCheckOf, POSITION_HEADER, withPosition } from './forward-auth';
import { PrincipalCache } from './principal-cache';

/**
 * Forward-auth (README: The HTTP API): a reverse proxy asks, before it passes a request of its own API on,
 * whether the request's `Authorization` is a valid key (and, when configured, may do a
 * permission on a resource). Any method, answered in process by the gateway's verifier node —
 * no NATS round trip, nothing logged for an allowed request.
 *
 * Over a socket these requests are answered before Fastify by `ForwardAuthFastPath`; this route
 * is the documented one (OpenAPI) and answers whatever reaches Fastify itself (`inject`), with
 * the same decision (`answerForwardAuth`).
 *
 * - 200, no body, with `X-Keyward-Principal`, `-Principal-Kind`, `-Org`, `-Key-Id`, `-Role`,
 *   `-Permissions` for the proxy to copy onto the request (nginx `auth_request_set`, Traefik
 *   `authResponseHeaders`, Envoy `allowed_upstream_headers`);
 * - on 200, 401, 403 and 503, `X-Keyward-Position`: the store position (decimal string) the
 *   gateway's verifier node had applied when it decided (SPEC rule 13);
 * - 401 with `WWW-Authenticate: Bearer realm="keyward"` (plus `error="invalid_token"` when a
 *   credential was sent) and the error body; 403 when the key may not do it; 503 (with
 *   `Retry-After`) while the node cannot prove it is caught up (G2); 400 for a bad check, which
 *   is the proxy's configuration.
 *
 * The original request's method and URI (`X-Original-URI`, `X-Forwarded-Method`,
 * `X-Forwarded-Uri`, or Envoy's path after the prefix) decide nothing: what a location needs is
 * configured in the proxy, per location, as the check.
 */
@Controller('api/auth/v1')
export class ForwardAuthController {
  private readonly principals = new PrincipalCache();

  constructor(@Inject(VerifierNode) private readonly node: VerifierNode) {}

  @All('forward')
  forward(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.answer(request, reply, false);
  }

  /** Envoy ext_authz (HTTP) appends the original path to its `path_prefix`. */
  @All('forward/*')
  forwardPrefix(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.answer(request, reply, true);
  }

  private async answer(
    request: FastifyRequest,
    reply: FastifyReply,
    prefixForm: boolean,
  ): Promise<void> {
    const check = forwardCheckOf(
      prefixForm,
      request.query as Record<string, unknown>,
      request.headers,
    );
    const answer = await answerForwardAuth(
      this.node,
      this.principals,
      request.headers.authorization,
      check,
    );
    if (!answer.allowed) throw withPosition(answer.error, answer.position);
    const { headers } = answer.principal;
    for (let i = 0; i < headers.length; i += 2) void reply.header(headers[i], headers[i + 1]);
    if (answer.position !== null) void reply.header(POSITION_HEADER, answer.position);
    void reply.status(200).send();
  }
}
