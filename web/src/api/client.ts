import type { ApiErrorBody } from './types';

/** A refusal from the API, or a failure to reach it (status 0, code `NETWORK`). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: ApiErrorBody['details'] = [],
  ) {
    super(message);
  }
}

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

export interface ApiOptions {
  /** The credential; the session's key when absent. */
  key?: string;
  /** Called with a 401's error, unless the call is the sign-in itself. */
  onUnauthenticated?: (error: ApiError) => void;
}

/** The gateway's REST API from the browser: same origin, JSON, the key in `Authorization`. */
export class ApiClient {
  constructor(
    private readonly credential: () => string | null,
    private readonly onUnauthenticated: (error: ApiError) => void,
  ) {}

  async call<T>(
    method: Method,
    path: string,
    body?: unknown,
    options: ApiOptions = {},
  ): Promise<T> {
    const response = await this.send(method, path, body, options);
    if (response.status === 204) return undefined as T;
    return (await response.json()) as T;
  }

  get<T>(path: string, query: Record<string, string | number | undefined> = {}): Promise<T> {
    return this.call<T>('GET', withQuery(path, query));
  }

  /** The raw response (exports); refusals still throw an ApiError. */
  async send(method: Method, path: string, body?: unknown, options: ApiOptions = {}) {
    const key = options.key ?? this.credential();
    const headers: Record<string, string> = { accept: 'application/json' };
    if (key) headers.authorization = `Bearer ${key}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (method === 'POST') headers['idempotency-key'] = crypto.randomUUID();
    let response: Response;
    try {
      response = await fetch(path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        credentials: 'omit',
        cache: 'no-store',
        redirect: 'error',
      });
    } catch {
      throw new ApiError(
        0,
        'NETWORK',
        'The gateway could not be reached. Check that it is running.',
      );
    }
    if (response.ok) return response;
    const error = await errorOf(response);
    if (response.status === 401 && options.key === undefined) this.onUnauthenticated(error);
    throw error;
  }
}

export function withQuery(path: string, query: Record<string, string | number | undefined>) {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined && value !== '') params.set(name, String(value));
  }
  const search = params.toString();
  return search ? `${path}?${search}` : path;
}

async function errorOf(response: Response): Promise<ApiError> {
  const text = await response.text();
  try {
    const body = JSON.parse(text) as Partial<ApiErrorBody>;
    if (typeof body.code === 'string' && typeof body.message === 'string') {
      return new ApiError(response.status, body.code, body.message, body.details ?? []);
    }
  } catch {
    // Not the API's error body (a proxy in between?): report the status.
  }
  return new ApiError(response.status, 'HTTP', `The gateway answered ${response.status}.`);
}
