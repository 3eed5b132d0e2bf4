import { decodeStrictBase64 } from './strict-base64';

export type Credential =
  | { kind: 'key'; key: string }
  | { kind: 'basic'; username: string; key: string }
  | { kind: 'none' };

const NONE: Credential = Object.freeze({ kind: 'none' });

// Far above any real header (Basic with a long id and a key is under 200); bounds the work an
// attacker can make us do before the key parser rejects the value.
const MAX_HEADER_LENGTH = 1024;

// Accepts `Bearer <key>`, a bare `<key>` (seed 003 sends `Authorization: <key>`) and
// `Basic base64(id:key)`. Only extracts: whether the key is well-formed is parseApiKey's job.
export function extractCredential(header: string | undefined | null): Credential {
  if (typeof header !== 'string' || header.length > MAX_HEADER_LENGTH) return NONE;
  const value = header.trim();
  const space = value.indexOf(' ');
  if (space < 0) return bareCredential(value);
  const token = value.slice(space + 1).trim();
  if (token === '' || token.includes(' ')) return NONE;
  switch (value.slice(0, space).toLowerCase()) {
    case 'bearer':
      return { kind: 'key', key: token };
    case 'basic':
      return basicCredential(token);
    default:
      return NONE;
  }
}

function bareCredential(value: string): Credential {
  const lower = value.toLowerCase();
  // A scheme with its token missing is not a key.
  if (value === '' || lower === 'bearer' || lower === 'basic') return NONE;
  return { kind: 'key', key: value };
}

// RFC 7617: the user-id cannot contain ':', the password can, so split at the first colon.
function basicCredential(encoded: string): Credential {
  const decoded = decodeStrictBase64(encoded);
  if (decoded === undefined) return NONE;
  const colon = decoded.indexOf(':');
  if (colon <= 0 || colon === decoded.length - 1) return NONE;
  return { kind: 'basic', username: decoded.slice(0, colon), key: decoded.slice(colon + 1) };
}
