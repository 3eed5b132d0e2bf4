/** A REST answer: the status, the parsed body (null when empty), and the body as sent. */
export interface RestReply<T> {
  status: number;
  body: T;
  text: string;
}

/** One request to the gateway at `baseUrl` with `key` as the bearer; a body is sent as JSON. */
export async function request<T>(
  baseUrl: string,
  key: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<RestReply<T>> {
  const headers: Record<string, string> = { authorization: `Bearer ${key}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: (text === '' ? null : JSON.parse(text)) as T, text };
}
