import { ValidationPipe, type ArgumentMetadata, type ValidationError } from '@nestjs/common';
import type { FieldError } from '@keyward/messaging';
import { AppError } from './app-error';
import { RejectedBody } from './json-envelope.deserializer';

/**
 * class-validator at the NATS edge: unknown fields, wrong types and oversize strings are all
 * refused with field-level messages before any handler runs.
 */
export class RequestValidationPipe extends ValidationPipe {
  constructor() {
    super({
      whitelist: true,
      forbidNonWhitelisted: true,
      forbidUnknownValues: true,
      transform: true,
      validationError: { target: false, value: false },
      exceptionFactory: (errors) => validationFailed(errors),
    });
  }

  /** Use on `@Payload(...)` only: it refuses anything that is not a JSON object. */
  override async transform(value: unknown, metadata: ArgumentMetadata) {
    if (value instanceof RejectedBody) {
      const { code, kind, message, details, fields } = value.error;
      throw new AppError(code, kind, message, details, fields && [...fields]);
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new AppError('REQUEST.NOT_AN_OBJECT', 'invalid', 'request body must be a JSON object');
    }
    return super.transform(value, metadata);
  }
}

function validationFailed(errors: ValidationError[]): AppError {
  const fields = flatten(errors, '');
  const summary = fields.map((f) => `${f.field}: ${f.message}`).join('; ');
  return new AppError(
    'VALIDATION.FAILED',
    'invalid',
    `invalid request: ${summary}`,
    undefined,
    fields,
  );
}

function flatten(errors: ValidationError[], prefix: string): FieldError[] {
  return errors.flatMap((error) => {
    const field = prefix ? `${prefix}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...flatten(error.children ?? [], field)];
  });
}
