/** The service-account routes' base path, shared by `keyward sa …` and `keyward key …`. */
export const SA_PATH = '/api/service-account/v1/service-account';

/** The webhook endpoint routes' base path (`keyward webhook …`). */
export const WEBHOOK_PATH = '/api/webhook/v1/endpoint';
