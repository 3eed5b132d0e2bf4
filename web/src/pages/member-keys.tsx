import { PATHS } from '../api/paths';
import type { KeyView, MemberView, Page } from '../api/types';
import { ErrorNote } from '../components/error-note';
import { KeysTable } from '../components/keys-table';
import { Modal } from '../components/modal';
import { LoadMore, usePagedList } from '../components/paged-list';
import { api } from '../session';

const PAGE_SIZE = 100;

/** A member's personal keys (every status), page by page. */
export function MemberKeysModal({ member, onClose }: { member: MemberView; onClose: () => void }) {
  const list = usePagedList<KeyView>(
    (cursor) =>
      api.get<Page<KeyView>>(PATHS.memberKeys(member.userId), { limit: PAGE_SIZE, cursor }),
    [member.userId],
  );
  return (
    <Modal title={`Keys of ${member.displayName}`} onClose={onClose}>
      <p class="muted">
        Personal keys of <code>{member.userId}</code>, in every status. The member revokes one under
        My keys (anyone holding it can revoke it by its value); removing the member revokes them
        all.
      </p>
      {list.error ? (
        <ErrorNote error={list.error} />
      ) : list.loading && list.items.length === 0 ? (
        <p class="muted" role="status">
          Loading…
        </p>
      ) : (
        <>
          <KeysTable keys={list.items} label={`Keys of ${member.displayName}`} />
          <LoadMore list={list} />
        </>
      )}
      <div class="actions">
        <button type="button" class="primary" onClick={onClose}>
          Done
        </button>
      </div>
    </Modal>
  );
}
