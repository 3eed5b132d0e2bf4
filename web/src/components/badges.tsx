import type { PrincipalView } from '../api/types';

export function StatusBadge({ status }: { status: string }) {
  return <span class={`badge status-${status}`}>{status}</span>;
}

interface Principal {
  kind: PrincipalView['kind'] | 'operator' | string;
  id: string | null;
  name?: string | null;
  active?: boolean | null;
}

const KIND_LABEL: Record<string, string> = {
  member: 'member',
  serviceAccount: 'service account',
  operator: 'operator',
  leakReport: 'leak report',
  system: 'system',
};

/** A principal shown as itself: its kind, its name (or id), and "inactive" when it is gone. */
export function PrincipalChip({ principal }: { principal: Principal | null }) {
  if (!principal) return <span class="muted">—</span>;
  const label = principal.name ?? principal.id ?? 'operator';
  return (
    <span class="principal">
      <span class={`kind kind-${principal.kind}`}>
        {KIND_LABEL[principal.kind] ?? principal.kind}
      </span>{' '}
      <span class="principal-name" title={principal.id ?? undefined}>
        {label}
      </span>
      {principal.active === false ? <span class="badge inactive">inactive</span> : null}
    </span>
  );
}
