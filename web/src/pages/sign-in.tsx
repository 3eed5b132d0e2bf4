import { useState } from 'preact/hooks';
import { ErrorNote } from '../components/error-note';
import { useSubmit } from '../components/use-load';
import { signIn } from '../session';

/**
 * Sign in with a personal API key. It is kept in this tab's sessionStorage only and sent as
 * `Authorization: Bearer …`; closing the tab or signing out forgets it.
 */
export function SignIn({ endedBecause }: { endedBecause: string | null }) {
  const [key, setKey] = useState('');
  const submit = useSubmit(() => signIn(key.trim()));
  return (
    <main class="centered sign-in" id="main">
      <h1>Keyward console</h1>
      {endedBecause ? (
        <div class="error" role="alert">
          <p>You were signed out: {endedBecause}</p>
        </div>
      ) : null}
      <form
        onSubmit={(event) => {
          event.preventDefault();
          void submit.run();
        }}
      >
        <label class="field">
          <span>Your API key</span>
          <input
            type="password"
            name="key"
            autoComplete="off"
            spellcheck={false}
            required
            placeholder="kw_live_…"
            value={key}
            onInput={(event) => setKey(event.currentTarget.value)}
          />
        </label>
        <p class="hint">
          A personal key (<code>keyward me key issue</code>) or the admin key printed by{' '}
          <code>npm run up</code>. It stays in this browser tab only.
        </p>
        <ErrorNote error={submit.error} />
        <div class="actions">
          <button type="submit" class="primary" disabled={submit.busy || key.trim() === ''}>
            {submit.busy ? 'Checking…' : 'Sign in'}
          </button>
        </div>
      </form>
    </main>
  );
}
