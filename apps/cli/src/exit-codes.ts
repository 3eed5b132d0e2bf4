/**
 * What `keyward` exits with (README: CLI). Scripts branch on these, so they never change:
 * an API error maps by its HTTP status, a failure to reach the gateway is `unavailable`.
 */
export const EXIT = {
  ok: 0,
  /** Anything not named below (an unexpected failure). */
  failure: 1,
  /** Bad arguments, or a request the API refused as invalid (400, 413, 415, 422). */
  usage: 2,
  /** No key configured, or the key is not valid (401). */
  unauthenticated: 3,
  /** The key may not do this (403). */
  forbidden: 4,
  notFound: 5,
  /** A conflict with the current state (409), such as a taken name. */
  conflict: 6,
  /** The gateway cannot be reached or cannot answer now (429, 5xx, network errors). */
  unavailable: 7,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** The exit code of an API error's HTTP status. */
export function exitCodeOfStatus(status: number): ExitCode {
  if (status === 401) return EXIT.unauthenticated;
  if (status === 403) return EXIT.forbidden;
  if (status === 404) return EXIT.notFound;
  if (status === 409) return EXIT.conflict;
  if (status === 429 || status >= 500) return EXIT.unavailable;
  if (status >= 400) return EXIT.usage;
  return EXIT.failure;
}
