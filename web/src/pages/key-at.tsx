import { useState } from 'preact/hooks';
import { PATHS } from '../api/paths';
import type { KeyAtView } from '../api/types';
import { PrincipalChip } from '../components/badges';
import { ErrorNote } from '../components/error-note';
import { useSubmit } from '../components/use-load';
import { dateTime, epochOfLocal } from '../format';
import { href } from '../router';
import { api } from '../session';

const REASONS: Record<string, string> = {
  not_issued_yet: 'it had not been issued yet',
  revoked: 'it had been revoked',
  expired: 'it had expired',
  account_deleted: 'its service account had been deleted',
  member_removed: 'its member had been removed',
};

/** `datetime-local` text for an epoch-seconds instant, in the browser's time zone. */
function localInput(seconds: number): string {
  const date = new Date(seconds * 1000);
  return new Date(date.getTime() - date.getTimezoneOffset() * 60_000).toISOString().slice(0, 19);
}

/**
 * Rule 12 for people: was this key valid at that moment, for whom, and which stored event
 * decided it. Answered by the API from the event store, not from the audit log's rows.
 */
export function KeyAtPanel({ initialKeyId }: { initialKeyId: string }) {
  const [keyId, setKeyId] = useState(initialKeyId);
  const [when, setWhen] = useState(() => localInput(Math.floor(Date.now() / 1000) - 1));
  const [answer, setAnswer] = useState<KeyAtView | null>(null);
  const submit = useSubmit(async () => {
    setAnswer(null);
    const time = epochOfLocal(when);
    setAnswer(await api.get<KeyAtView>(PATHS.keyAt(keyId.trim()), { time: time ?? when }));
  });
  return (
    <section aria-labelledby="key-at-title" class="key-at">
      <h2 id="key-at-title">A key at a point in time</h2>
      <p class="hint">
        Was a key valid at a past moment, for whom, and which event decided it? Answered from the
        event store.
      </p>
      <form
        class="toolbar"
        onSubmit={(event) => {
          event.preventDefault();
          void submit.run();
        }}
      >
        <label class="field inline">
          <span>Key id</span>
          <input
            value={keyId}
            required
            spellcheck={false}
            placeholder="key_…"
            onInput={(event) => setKeyId(event.currentTarget.value)}
          />
        </label>
        <label class="field inline">
          <span>At</span>
          <input
            type="datetime-local"
            step={1}
            required
            value={when}
            onInput={(event) => setWhen(event.currentTarget.value)}
          />
        </label>
        <button type="submit" class="primary" disabled={submit.busy}>
          {submit.busy ? 'Checking…' : 'Check'}
        </button>
      </form>
      <ErrorNote error={submit.error} />
      {answer ? <KeyAtAnswer answer={answer} /> : null}
    </section>
  );
}

function KeyAtAnswer({ answer }: { answer: KeyAtView }) {
  const decided = answer.decidedBy;
  return (
    <div class={answer.valid ? 'success' : 'error'} role="status" data-testid="key-at-answer">
      <p>
        <strong>{answer.valid ? 'Valid' : 'Not valid'}</strong> at {dateTime(answer.time)}
        {answer.reason ? `: ${REASONS[answer.reason] ?? answer.reason}` : ''}
        {answer.revocationReason ? ` (${answer.revocationReason})` : ''}.
      </p>
      <dl class="facts">
        <dt>Owner</dt>
        <dd>
          <PrincipalChip principal={answer.principal} />
        </dd>
        {answer.role ? (
          <>
            <dt>Role</dt>
            <dd>{answer.role}</dd>
          </>
        ) : null}
        <dt>Permissions</dt>
        <dd>{answer.permissions.join(', ') || '—'}</dd>
        <dt>Resources</dt>
        <dd>{answer.resources.join(', ') || '—'}</dd>
        <dt>Expiry then</dt>
        <dd>{answer.expiresAt === null ? 'never' : dateTime(answer.expiresAt)}</dd>
        {answer.successorKeyId ? (
          <>
            <dt>Succeeded by</dt>
            <dd>
              <code>{answer.successorKeyId}</code>
            </dd>
          </>
        ) : null}
        <dt>Decided by</dt>
        <dd>
          {decided ? (
            <>
              <code>{decided.eventType}</code> at {dateTime(decided.time)}, position{' '}
              <code>{decided.position}</code>{' '}
              <a href={href('audit', { target: answer.keyId })}>its audit entries</a>
            </>
          ) : (
            'nothing yet'
          )}
        </dd>
      </dl>
    </div>
  );
}
