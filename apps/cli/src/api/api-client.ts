import { EXIT, exitCodeOfStatus, type ExitCode } from '../exit-codes';

/** The API's error body (SPEC §4): a stable code, a message, and the fields at fault. */
export interface ApiErrorBody {
  code: string;
  message: string;
  details?: { field: string; problem: string }[];
}

/** A request the CLI could not complete: what to print and the exit code to end with. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode,
    readonly code?: string,
    readonly details?: ApiErrorBody['details'],
  ) {
    super(message);
  }
}

export interface ApiTarget {
  /** The gateway's base URL, e.g. http://127.0.0.1:8080. */
  url: string;
  /** The API key sent as `Authorization: Bearer …`; absent for calls that need none. */
  key?: string;
  /** Sent instead of a key (bootstrap only). */
  operatorToken?: string;
}

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

/** The gateway's REST API over fetch: JSON in and out, the error body turned into a CliError. */
export class ApiClient {
  constructor(private readonly target: ApiTarget) {}

  get url(): string {
    return this.target.url;
  }

  async call<T>(method: Method, path: string, body?: unknown): Promise<T> {
    const response = await this.send(method, path, body);
    if (response.status === 204) return undefined as T;
    return (await response.json()) as T;
  }

  /** The raw response, for streams (audit export); refusals still become a CliError. */
  async send(method: Method, path: string, body?: unknown): Promise<Response> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.target.key) headers.authorization = `Bearer ${this.target.key}`;
    if (this.target.operatorToken) headers['keyward-operator-token'] = this.target.operatorToken;
    if (body !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    try {
      response = await fetch(new URL(path, this.target.url), {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        redirect: 'error',
      });
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      const why = cause?.code ?? cause?.message ?? (error as Error).message;
      throw new CliError(
        `cannot reach the gateway at ${this.target.url} (${why})`,
        EXIT.unavailable,
      );
    }
    if (response.ok) return response;
    throw await errorOf(response);
  }
}

async function errorOf(response: Response): Promise<CliError> {
  const exitCode = exitCodeOfStatus(response.status);
  const text = await response.text();
  try {
    const body = JSON.parse(text) as Partial<ApiErrorBody>;
    if (typeof body.code === 'string' && typeof body.message === 'string') {
      return new CliError(body.message, exitCode, body.code, body.details);
    }
  } catch {
    // Not our error body (a proxy in between?): report the status.
  }
  return new CliError(`the gateway answered ${response.status} ${response.statusText}`, exitCode);
}
