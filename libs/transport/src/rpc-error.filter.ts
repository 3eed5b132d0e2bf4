import { Catch, Logger, type ArgumentsHost, type RpcExceptionFilter } from '@nestjs/common';
import type { NatsContext } from '@nestjs/microservices';
import { throwError, type Observable } from 'rxjs';
import { DomainError, ERROR_CODES } from '@keyward/domain';
import type { ReplyError } from '@keyward/messaging';
import { AppError } from './app-error';
import { requestRecordOf } from './observability/nats-request-log';

/** The one place that turns any thrown error into a reply error with a stable code. */
@Catch()
export class RpcErrorFilter implements RpcExceptionFilter<unknown> {
  private readonly logger = new Logger('RpcErrorFilter');

  catch(exception: unknown, host?: ArgumentsHost): Observable<never> {
    return throwError(() => this.toReplyError(exception, host));
  }

  private toReplyError(exception: unknown, host?: ArgumentsHost): ReplyError {
    if (exception instanceof DomainError) {
      return {
        code: exception.code,
        kind: ERROR_CODES[exception.code],
        message: exception.message,
        ...(exception.details ? { details: exception.details } : {}),
      };
    }
    if (exception instanceof AppError) {
      const { code, kind, message, details, fields } = exception;
      return {
        code,
        kind,
        message,
        ...(details ? { details } : {}),
        ...(fields ? { fields } : {}),
      };
    }
    // An unknown failure is logged once, with its stack: by the request's log line when the
    // request has one, here otherwise. A message never carries a secret.
    const record = host
      ? requestRecordOf(host.switchToRpc().getContext<NatsContext>().getHeaders())
      : undefined;
    if (record) record.failure = exception;
    else this.logger.error(exception instanceof Error ? exception.stack : String(exception));
    return { code: 'INTERNAL', kind: 'internal', message: 'internal error' };
  }
}
