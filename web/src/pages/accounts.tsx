import { useState } from 'preact/hooks';
import { PATHS } from '../api/paths';
import type { Page, ServiceAccountView, VerifiedKey } from '../api/types';
import { StatusBadge } from '../components/badges';
import { ErrorNote } from '../components/error-note';
import { LoadMore, usePagedList } from '../components/paged-list';
import { count, relative } from '../format';
import { href, navigate } from '../router';
import { api } from '../session';
import { CreateAccountModal } from './create-account';

/** Service accounts: filter by name and status, page through, create one. */
export function AccountsPage({
  query,
  identity,
}: {
  query: URLSearchParams;
  identity: VerifiedKey;
}) {
  const namePrefix = query.get('name') ?? '';
  const status = query.get('status') ?? 'active';
  const [name, setName] = useState(namePrefix);
  const [creating, setCreating] = useState(false);
  const list = usePagedList<ServiceAccountView>(
    (cursor) =>
      api.get<Page<ServiceAccountView>>(PATHS.accounts, {
        namePrefix: namePrefix || undefined,
        status,
        limit: 50,
        cursor,
      }),
    [namePrefix, status],
  );
  const items = list.items;
  const filter = (next: { name?: string; status?: string }) =>
    navigate('accounts', {
      name: next.name ?? namePrefix,
      status: (next.status ?? status) === 'active' ? undefined : (next.status ?? status),
    });
  return (
    <section>
      <div class="page-head">
        <h1>Service accounts</h1>
        <button type="button" class="primary" onClick={() => setCreating(true)}>
          Create service account
        </button>
      </div>
      <form
        class="toolbar"
        role="search"
        onSubmit={(event) => {
          event.preventDefault();
          filter({ name: name.trim() });
        }}
      >
        <label class="field inline">
          <span>Name starts with</span>
          <input
            type="search"
            value={name}
            maxLength={100}
            onInput={(event) => setName(event.currentTarget.value)}
          />
        </label>
        <label class="field inline">
          <span>Status</span>
          <select
            value={status}
            onChange={(event) => filter({ name: name.trim(), status: event.currentTarget.value })}
          >
            <option value="active">active</option>
            <option value="deleted">deleted</option>
            <option value="all">all</option>
          </select>
        </label>
        <button type="submit">Filter</button>
      </form>
      <ErrorNote error={list.error} />
      {list.loading && items.length === 0 ? <p>Loading…</p> : null}
      {!list.loading && !list.error && items.length === 0 ? (
        <p class="empty">
          {namePrefix
            ? `No ${status === 'all' ? '' : status + ' '}account starts with “${namePrefix}”.`
            : 'No service accounts yet.'}
        </p>
      ) : null}
      {items.length > 0 ? (
        <div class="table-wrap" tabIndex={0} role="region" aria-label="Service accounts">
          <table>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Status</th>
                <th scope="col">Role</th>
                <th scope="col">Resources</th>
                <th scope="col">Active keys</th>
                <th scope="col">Last used</th>
              </tr>
            </thead>
            <tbody>
              {items.map((account) => (
                <tr key={account.id}>
                  <th scope="row">
                    <a href={href(`accounts/${account.id}`)}>{account.name}</a>
                    {account.description ? (
                      <div class="muted small">{account.description}</div>
                    ) : null}
                  </th>
                  <td>
                    <StatusBadge status={account.status} />
                  </td>
                  <td>{account.role}</td>
                  <td>
                    {account.resources.map((resource) => (
                      <code key={resource} class="resource">
                        {resource}
                      </code>
                    ))}
                  </td>
                  <td>{count(account.activeKeys)}</td>
                  <td>{relative(account.lastUsed)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <LoadMore list={list} />
      {creating ? (
        <CreateAccountModal
          identity={identity}
          onClose={() => setCreating(false)}
          onCreated={(id) => {
            setCreating(false);
            navigate(`accounts/${id}`);
          }}
        />
      ) : null}
    </section>
  );
}
