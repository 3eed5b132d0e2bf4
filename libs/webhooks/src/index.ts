export {
  addressRefusal,
  checkAddress,
  parseNetworkPolicy,
  type AddressCheck,
  type NetworkPolicy,
} from './network-policy';
export { generateWebhookSecret, WEBHOOK_SECRET_PREFIX } from './secret';
export { secretBox, type SecretBox } from './secret-box';
export {
  signWebhook,
  verifyWebhookSignature,
  WEBHOOK_HEADERS,
  type VerifyOptions,
  type WebhookSignatureHeaders,
} from './signature';
export {
  checkResolvedUrl,
  checkWebhookUrl,
  MAX_WEBHOOK_URL_LENGTH,
  type LookupFn,
  type UrlCheck,
} from './url-check';
