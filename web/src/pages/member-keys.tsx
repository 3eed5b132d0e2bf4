import { useMemo, useState } from 'preact/hooks';
import { PATHS } from '../api/paths';
import type { MemberView } from '../api/types';
import { ErrorNote } from '../components/error-note';
import { KeysTable } from '../components/keys-table';
import { Modal } from '../components/modal';
import { LoadMore } from '../components/paged-list';
import { useSession } from '../session';
import {
  PersonalKeyActionModal,
  RevokeAllButton,
  usePersonalKeys,
  type KeyAction,
  type PersonalKeyPaths,
} from './personal-key-actions';

interface MemberKeysProps {
  member: MemberView;
  /** `changed`: a key was revoked or rotated here (the members' key counts are stale). */
  onClose: (changed: boolean) => void;
}

/**
 * Org admins: a member's personal keys (every status), page by page; rotate or revoke one, or
 * revoke them all (the member stays). Each action's dialog opens over this one.
 */
export function MemberKeysModal({ member, onClose }: MemberKeysProps) {
  const { userId, displayName } = member;
  const paths = useMemo<PersonalKeyPaths>(
    () => ({
      list: PATHS.memberKeys(userId),
      key: (keyId) => PATHS.memberKey(userId, keyId),
      rotate: (keyId) => PATHS.rotateMemberKey(userId, keyId),
      revokeAll: PATHS.revokeAllMemberKeys(userId),
    }),
    [userId],
  );
  const keys = usePersonalKeys(paths, 'all');
  const signedInKeyId = useSession().identity?.keyId ?? null;
  const [action, setAction] = useState<KeyAction | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [changed, setChanged] = useState(false);
  const open = (next: KeyAction) => {
    setDone(null);
    setAction(next);
  };
  const { list } = keys;
  return (
    <>
      <Modal title={`Keys of ${displayName}`} onClose={() => onClose(changed)}>
        <p class="muted">
          Personal keys of <code>{userId}</code>, in every status. Rotating one shows its
          successor&apos;s secret once, to hand over; removing the member revokes them all.
        </p>
        <div class="buttons">
          <RevokeAllButton
            keys={keys}
            onClick={() => open({ kind: 'revoke-all', count: keys.active.items.length })}
          />
        </div>
        <ErrorNote error={keys.active.error} />
        {done ? (
          <p class="success" role="status">
            {done}
          </p>
        ) : null}
        {list.error ? (
          <ErrorNote error={list.error} />
        ) : list.loading && list.items.length === 0 ? (
          <p class="muted" role="status">
            Loading…
          </p>
        ) : (
          <>
            <KeysTable
              keys={list.items}
              label={`Keys of ${displayName}`}
              onRevoke={(key) => open({ kind: 'revoke', key })}
              onRotate={(key) => open({ kind: 'rotate', key })}
            />
            <LoadMore list={list} />
          </>
        )}
        <div class="actions">
          <button type="button" class="primary" onClick={() => onClose(changed)}>
            Done
          </button>
        </div>
      </Modal>
      {action ? (
        <PersonalKeyActionModal
          action={action}
          paths={paths}
          keys={keys}
          owner={displayName}
          signedInKeyId={signedInKeyId}
          onClose={() => setAction(null)}
          onRotated={() => setChanged(true)}
          onRevoked={(message) => {
            setAction(null);
            setChanged(true);
            setDone(message);
          }}
        />
      ) : null}
    </>
  );
}
