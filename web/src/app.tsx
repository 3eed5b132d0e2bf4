import { useEffect, useState } from 'preact/hooks';
import { href, useRoute } from './router';
import { endSession, resume, useSession } from './session';
import { RevokeByValueModal } from './pages/revoke-by-value';
import { SignIn } from './pages/sign-in';
import { AccountsPage } from './pages/accounts';
import { AccountPage } from './pages/account';
import { PersonalKeysPage } from './pages/personal-keys';
import { MembersPage } from './pages/members';
import { RolesPage } from './pages/roles';
import { PolicyPage } from './pages/policy';
import { AuditPage } from './pages/audit';
import { WebhooksPage } from './pages/webhooks';
import { WebhookPage } from './pages/webhook';
import type { VerifiedKey } from './api/types';

interface NavItem {
  path: string;
  label: string;
  adminOnly?: boolean;
}

const NAV: NavItem[] = [
  { path: 'accounts', label: 'Service accounts' },
  { path: 'keys', label: 'My keys' },
  { path: 'members', label: 'Members', adminOnly: true },
  { path: 'roles', label: 'Roles' },
  { path: 'policy', label: 'Policy', adminOnly: true },
  { path: 'webhooks', label: 'Webhooks', adminOnly: true },
  { path: 'audit', label: 'Audit log', adminOnly: true },
];

export function App() {
  const session = useSession();
  useEffect(() => void resume(), [session.key]);
  if (!session.key) return <SignIn endedBecause={session.endedBecause} />;
  if (!session.identity) {
    return (
      <main class="centered" aria-busy="true">
        <p>Checking your key…</p>
      </main>
    );
  }
  return <Shell identity={session.identity} />;
}

function Shell({ identity }: { identity: VerifiedKey }) {
  const route = useRoute();
  const [revoking, setRevoking] = useState(false);
  const section = route.path[0] ?? 'accounts';
  const items = NAV.filter((item) => !item.adminOnly || identity.orgAdmin);
  useEffect(() => {
    const current = items.find((item) => item.path === section);
    document.title = `${current?.label ?? 'Keyward'} · Keyward console`;
  }, [section]);
  return (
    <>
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header class="top">
        <div class="brand">
          <strong>Keyward</strong> <span class="muted">{identity.orgId}</span>
        </div>
        <nav aria-label="Sections">
          <ul>
            {items.map((item) => (
              <li key={item.path}>
                <a href={href(item.path)} aria-current={item.path === section ? 'page' : undefined}>
                  {item.label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <div class="who">
          <button type="button" onClick={() => setRevoking(true)}>
            Revoke a key by value
          </button>
          <span class="muted" title={identity.principal.id}>
            {identity.principal.kind === 'member' ? 'member' : 'service account'}{' '}
            <strong>{identity.principal.id}</strong>
          </span>
          <button type="button" onClick={() => endSession(null)}>
            Sign out
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        <Page
          section={section}
          rest={route.path.slice(1)}
          query={route.query}
          identity={identity}
        />
      </main>
      {revoking ? <RevokeByValueModal onClose={() => setRevoking(false)} /> : null}
    </>
  );
}

interface PageProps {
  section: string;
  rest: string[];
  query: URLSearchParams;
  identity: VerifiedKey;
}

function Page({ section, rest, query, identity }: PageProps) {
  switch (section) {
    case 'accounts':
      return rest[0] ? (
        <AccountPage id={rest[0]} />
      ) : (
        <AccountsPage query={query} identity={identity} />
      );
    case 'keys':
      return <PersonalKeysPage />;
    case 'members':
      return <MembersPage identity={identity} />;
    case 'roles':
      return <RolesPage identity={identity} />;
    case 'policy':
      return <PolicyPage />;
    case 'audit':
      return <AuditPage query={query} />;
    case 'webhooks':
      return rest[0] ? <WebhookPage id={rest[0]} /> : <WebhooksPage />;
    default:
      return (
        <section>
          <h1>Not found</h1>
          <p>
            There is no page here. <a href={href('accounts')}>Service accounts</a>
          </p>
        </section>
      );
  }
}
