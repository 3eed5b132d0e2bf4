import { useRef } from 'preact/hooks';
import type { KeyView, Page, RevocationReply, RotatedKeyReply } from '../api/types';
import { ConfirmModal } from '../components/confirm-modal';
import { usePagedList, type PagedList } from '../components/paged-list';
import { plural } from '../format';
import { api } from '../session';
import { RotateKeyModal } from './rotate-key';

export type KeyStatusFilter = 'all' | 'active' | 'revoked' | 'expired';

const PAGE_SIZE = 100;
const COUNT_PAGE_SIZE = 1000;

/** Where one member's personal keys are: your own under /api/me, another's under /api/member. */
export interface PersonalKeyPaths {
  list: string;
  key: (keyId: string) => string;
  rotate: (keyId: string) => string;
  revokeAll: string;
}

export interface PersonalKeys {
  /** The keys shown (in `status`), page by page. */
  list: PagedList<KeyView>;
  /** Every active key, whatever the list shows: the count on "Revoke (N) Active Keys". */
  active: PagedList<KeyView>;
  /** Both lists again, until none of these keys shows as active. */
  afterRevoking: (keyIds: string[]) => void;
  /** Both lists again, until this new key shows (where its status is listed). */
  afterAdding: (keyId: string) => void;
}

/** One member's personal keys in a status, and all the active ones, read again after a change. */
export function usePersonalKeys(paths: PersonalKeyPaths, status: KeyStatusFilter): PersonalKeys {
  const list = usePagedList<KeyView>(
    (cursor) => api.get<Page<KeyView>>(paths.list, { status, limit: PAGE_SIZE, cursor }),
    [paths.list, status],
  );
  const active = usePagedList<KeyView>(
    (cursor) =>
      api.get<Page<KeyView>>(paths.list, { status: 'active', limit: COUNT_PAGE_SIZE, cursor }),
    [paths.list],
    true,
  );
  return {
    list,
    active,
    afterRevoking(keyIds) {
      const gone = (items: KeyView[]) =>
        !items.some((key) => key.status === 'active' && keyIds.includes(key.keyId));
      list.refresh(gone);
      active.refresh(gone);
    },
    afterAdding(keyId) {
      const shows = (items: KeyView[]) => items.some((key) => key.keyId === keyId);
      list.refresh(status === 'all' || status === 'active' ? shows : undefined);
      active.refresh(shows);
    },
  };
}

export type KeyAction =
  | { kind: 'revoke'; key: KeyView }
  | { kind: 'rotate'; key: KeyView }
  | { kind: 'revoke-all'; count: number };

interface KeyActionProps {
  action: KeyAction;
  paths: PersonalKeyPaths;
  keys: PersonalKeys;
  /** Whose keys, for the wording: a member's name, or null for the signed-in member's own. */
  owner: string | null;
  /** The key the console is signed in with (warned about: revoking it signs you out). */
  signedInKeyId: string | null;
  onClose: () => void;
  /** After a revocation: what to tell (the lists are read again already). */
  onRevoked: (message: string) => void;
  /** Once a successor exists (its secret is on screen until the dialog closes). */
  onRotated?: (reply: RotatedKeyReply) => void;
}

/** Revoke one, rotate one, or revoke all of a member's personal keys (yours or, as org admin, another's). */
export function PersonalKeyActionModal(props: KeyActionProps) {
  const { action, paths, keys, owner, signedInKeyId, onClose, onRevoked } = props;
  if (action.kind === 'rotate') return <RotatePersonalKey {...props} old={action.key} />;
  if (action.kind === 'revoke') {
    const { key } = action;
    return (
      <ConfirmModal
        title="Revoke this key?"
        confirmLabel="Revoke key"
        onConfirm={async () => {
          await api.call<void>('DELETE', paths.key(key.keyId));
          onRevoked(`Revoked key ${key.name || key.hint}. It is refused everywhere from now on.`);
          keys.afterRevoking([key.keyId]);
        }}
        onClose={onClose}
      >
        <p>
          Revoke <strong>{key.name || 'unnamed key'}</strong> (<code>{key.hint}</code>
          )? Every verifier refuses it before this answers, and it cannot be undone.
        </p>
        {key.keyId === signedInKeyId ? (
          <p class="warning">
            This is the key you are signed in with: the console signs you out once it is revoked.
          </p>
        ) : null}
      </ConfirmModal>
    );
  }
  const signedInWithOne =
    signedInKeyId !== null && keys.active.items.some((key) => key.keyId === signedInKeyId);
  return (
    <ConfirmModal
      title={owner ? `Revoke all active keys of ${owner}?` : 'Revoke all your active keys?'}
      confirmLabel={`Revoke ${plural(action.count, 'key')}`}
      onConfirm={async () => {
        const reply = await api.call<RevocationReply>('POST', paths.revokeAll, {});
        const count = reply.revokedKeyIds.length;
        onRevoked(
          count === 0
            ? `${owner ?? 'You'} had no active keys to revoke.`
            : `Revoked ${plural(count, 'key')}. They are refused everywhere from now on.`,
        );
        keys.afterRevoking(reply.revokedKeyIds);
      }}
      onClose={onClose}
    >
      <p>
        This revokes all {plural(action.count, 'active personal key')} of {owner ?? 'yours'} at
        once. Every verifier refuses them before this answers, and it cannot be undone.
        {owner ? ' The member stays and can be issued a new key.' : ''}
      </p>
      {signedInWithOne ? (
        <p class="warning">
          The key you are signed in with is one of them: the console signs you out afterwards.
        </p>
      ) : null}
    </ConfirmModal>
  );
}

/**
 * The rotate dialog on a personal key. Rotating the key the console is signed in with reads
 * the lists again only once the new secret has been put away: with no grace the old key is
 * refused at once, and that read would sign you out while the secret is still on screen.
 */
function RotatePersonalKey({
  old,
  paths,
  keys,
  signedInKeyId,
  onClose,
  onRotated,
}: KeyActionProps & { old: KeyView }) {
  const signedIn = old.keyId === signedInKeyId;
  const successor = useRef<RotatedKeyReply | null>(null);
  return (
    <RotateKeyModal
      path={paths.rotate(old.keyId)}
      old={old}
      onRotated={(reply) => {
        if (signedIn) successor.current = reply;
        else keys.afterAdding(reply.keyId);
        onRotated?.(reply);
      }}
      onClose={() => {
        onClose();
        if (successor.current) keys.afterAdding(successor.current.keyId);
      }}
    >
      {signedIn ? (
        <p class="warning">
          This is the key you are signed in with: once the grace period ends the console signs you
          out; sign in again with the new key.
        </p>
      ) : null}
    </RotateKeyModal>
  );
}

/** "Revoke (N) Active Keys", N counted over every page of the active keys. */
export function RevokeAllButton({ keys, onClick }: { keys: PersonalKeys; onClick: () => void }) {
  const count = keys.active.items.length;
  const known = !keys.active.loading || count > 0;
  return (
    <button type="button" class="danger" disabled={count === 0} onClick={onClick}>
      {known ? `Revoke (${count}) Active Keys` : 'Revoke Active Keys'}
    </button>
  );
}
