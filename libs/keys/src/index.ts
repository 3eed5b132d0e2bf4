export { crc32 } from './crc32';
export { extractCredential, type Credential } from './extract-credential';
export { generateApiKey, type GeneratedApiKey } from './generate-api-key';
export { hashApiKey, hashesEqual } from './hash-api-key';
export {
  DEFAULT_KEY_ENV,
  ENV_MAX_LENGTH,
  ENV_MIN_LENGTH,
  isValidKeyEnv,
  KEY_PREFIX,
  MAX_KEY_LENGTH,
  MIN_KEY_LENGTH,
} from './key-format';
export { keyHint } from './key-hint';
export { parseApiKey, type ParsedApiKey } from './parse-api-key';
export { KEY_SCANNER_PATTERN } from './scanner-pattern';
