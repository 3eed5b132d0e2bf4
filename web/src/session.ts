import { useEffect, useState } from 'preact/hooks';
import { ApiClient, ApiError } from './api/client';
import { PATHS } from './api/paths';
import type { InvalidKey, VerifiedKey } from './api/types';

/** sessionStorage only: the key dies with the tab, never reaches localStorage or a cookie. */
const STORAGE_KEY = 'keyward.console.key';

export interface SessionState {
  key: string | null;
  identity: VerifiedKey | null;
  /** Why the last session ended (the API's message), shown on the sign-in page. */
  endedBecause: string | null;
}

const REASONS: Record<string, string> = {
  malformed: 'That is not a Keyward key (keys look like kw_live_…).',
  unknown: 'No such key.',
  revoked: 'This key has been revoked.',
  expired: 'This key has expired.',
  account_deleted: "This key's service account has been deleted.",
  unavailable: 'Keyward cannot check keys right now; try again in a moment.',
};

let state: SessionState = {
  key: sessionStorage.getItem(STORAGE_KEY),
  identity: null,
  endedBecause: null,
};
const listeners = new Set<() => void>();

function set(next: Partial<SessionState>): void {
  state = { ...state, ...next };
  for (const listener of listeners) listener();
}

export function endSession(because: string | null): void {
  sessionStorage.removeItem(STORAGE_KEY);
  set({ key: null, identity: null, endedBecause: because });
}

/** Every request of the console goes through this client; a 401 ends the session. */
export const api = new ApiClient(
  () => state.key,
  (error) => void signedOutBecause(error.message),
);

/**
 * A 401 ends the session. The refusal says only that the credential is not valid; verify tells
 * the key's holder why (revoked, expired, its account deleted), so the sign-in page can say so.
 */
async function signedOutBecause(message: string): Promise<void> {
  const key = state.key;
  if (!key) return;
  endSession(message);
  try {
    const answer = await api.call<VerifiedKey | InvalidKey>('POST', PATHS.verify, {}, { key });
    if (!answer.valid && REASONS[answer.reason] && state.key === null) {
      set({ endedBecause: `${message}. ${REASONS[answer.reason]}` });
    }
  } catch {
    // The first message stands.
  }
}

/** Checks a key with the API before keeping it; throws an ApiError with the reason if it is refused. */
export async function signIn(key: string): Promise<void> {
  const answer = await api.call<VerifiedKey | InvalidKey>('POST', PATHS.verify, {}, { key });
  if (answer.valid && answer.principal.kind === 'serviceAccount') {
    // Seed 002: a service account exists for API access only and signs in to no UI.
    throw new ApiError(
      403,
      'CONSOLE.SERVICE_ACCOUNT_KEY',
      'This is a service account key: service accounts use the API only. Sign in with a personal key.',
    );
  }
  if (!answer.valid) {
    throw new ApiError(
      401,
      `KEY.${answer.reason.toUpperCase()}`,
      REASONS[answer.reason] ?? answer.reason,
    );
  }
  sessionStorage.setItem(STORAGE_KEY, key);
  set({ key, identity: answer, endedBecause: null });
}

/** On a reload the key is still in sessionStorage: check it again before showing anything. */
export async function resume(): Promise<void> {
  if (!state.key || state.identity) return;
  try {
    const answer = await api.call<VerifiedKey | InvalidKey>('POST', PATHS.verify, {});
    if (answer.valid) set({ identity: answer });
    else endSession(REASONS[answer.reason] ?? answer.reason);
  } catch (error) {
    endSession(error instanceof Error ? error.message : String(error));
  }
}

export function useSession(): SessionState {
  const [, rerender] = useState(0);
  useEffect(() => {
    const listener = () => rerender((n) => n + 1);
    listeners.add(listener);
    return () => void listeners.delete(listener);
  }, []);
  return state;
}
