import { ApiError } from '../api/client';

/** The API's refusal as it states it: the message, the code, and each field at fault. */
export function ErrorNote({ error }: { error: unknown }) {
  if (!error) return null;
  const api = error instanceof ApiError ? error : null;
  const message = error instanceof Error ? error.message : String(error);
  return (
    <div class="error" role="alert">
      <p>
        {message}
        {api && api.code !== 'NETWORK' ? <code class="code">{api.code}</code> : null}
      </p>
      {api && api.details && api.details.length > 0 ? (
        <ul>
          {api.details.map((detail) => (
            <li key={detail.field + detail.problem}>
              <strong>{detail.field}</strong>: {detail.problem}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
