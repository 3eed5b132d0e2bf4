import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import {
  IsString,
  MaxLength,
  ValidateBy,
  ValidateIf,
  type ValidationArguments,
} from 'class-validator';
import { WEBHOOK_LIMITS } from '@keyward/messaging';
import { findInvisibleCharacter } from '@keyward/transport';

/** Validated when present: `null` is refused (it is not "leave as it is"). */
const WhenPresent = () => ValidateIf((_object: unknown, value: unknown) => value !== undefined);

/** A string; the URL rules themselves answer with `WEBHOOK.INVALID_URL` / `URL_NOT_ALLOWED`. */
export const WebhookUrl = () => IsString({ message: 'url must be a string' });

export const OptionalWebhookUrl = () => applyDecorators(WhenPresent(), WebhookUrl());

/** NFC, at most 500 characters; newline and tab allowed, no other control or invisible one. */
export const OptionalWebhookDescription = () =>
  applyDecorators(
    WhenPresent(),
    Transform(({ value }: { value: unknown }) =>
      typeof value === 'string' ? value.normalize('NFC') : value,
    ),
    IsString(),
    MaxLength(WEBHOOK_LIMITS.descriptionMaxLength),
    ValidateBy({
      name: 'webhookDescriptionCharacters',
      validator: {
        validate: (value: unknown) =>
          typeof value !== 'string' || findInvisibleCharacter(value, true) === null,
        defaultMessage: (args?: ValidationArguments) =>
          `description must not contain control or invisible characters (${findInvisibleCharacter(
            String(args?.value ?? ''),
            true,
          )})`,
      },
    }),
  );
