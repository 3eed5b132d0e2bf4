import { Catch, Logger, type RpcExceptionFilter } from '@nestjs/common';
import { throwError, type Observable } from 'rxjs';
import { DomainError, ERROR_CODES } from '@keyward/domain';
import type { ReplyError } from '@keyward/messaging';
import { AppError } from './app-error';

/** The one place that turns any thrown error into a reply error with a stable code. */
@Catch()
export class RpcErrorFilter implements RpcExceptionFilter<unknown> {
  private readonly logger = new Logger('RpcErrorFilter');

  catch(exception: unknown): Observable<never> {
    return throwError(() => this.toReplyError(exception));
  }

  private toReplyError(exception: unknown): ReplyError {
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
    // Unknown failures are logged by class and message only: a message never carries a secret.
    this.logger.error(exception instanceof Error ? exception.stack : String(exception));
    return { code: 'INTERNAL', kind: 'internal', message: 'internal error' };
  }
}
