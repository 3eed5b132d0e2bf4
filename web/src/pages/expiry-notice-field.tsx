import { DurationFields } from './duration-fields';
import { durationText, inUnits, UNIT_SECONDS, type Unit } from './policy-units';

/** The API's bound on `expiryNoticeSeconds`: 365 days. */
const MAX_NOTICE_SECONDS = 31_536_000;

/** The warning before a key expires, as the form holds it. */
export interface NoticeInput {
  choice: 'default' | 'none' | 'warn';
  amount: string;
  unit: Unit;
}

export function noticeInputOf(seconds: number | null): NoticeInput {
  if (seconds === null) return { choice: 'default', amount: '7', unit: 'days' };
  if (seconds === 0) return { choice: 'none', amount: '7', unit: 'days' };
  const { amount, unit } = inUnits(seconds);
  return { choice: 'warn', amount: String(amount), unit };
}

/** What the API takes: null for the deployment default, 0 for no warning, else seconds. */
export function noticeSecondsOf(input: NoticeInput): number | null {
  if (input.choice === 'default') return null;
  if (input.choice === 'none') return 0;
  return Number(input.amount) * UNIT_SECONDS[input.unit];
}

export function noticeText(seconds: number | null): string {
  if (seconds === null) return 'the deployment default';
  if (seconds === 0) return 'none (only the “expired” notice)';
  return durationText(seconds);
}

/**
 * "Warn before a key expires": when `key.expiring_soon` goes out (notifications and webhooks),
 * the deployment's default, none, or a length of time up to 365 days.
 */
export function ExpiryNoticeField({
  value,
  onChange,
}: {
  value: NoticeInput;
  onChange: (value: NoticeInput) => void;
}) {
  const choose = (choice: NoticeInput['choice']) => onChange({ ...value, choice });
  return (
    <fieldset class="lifetime">
      <legend>Warn before a key expires</legend>
      <label class="check">
        <input
          type="radio"
          name="expiry-notice"
          checked={value.choice === 'default'}
          onChange={() => choose('default')}
        />
        <span>Deployment default</span>
      </label>
      <label class="check">
        <input
          type="radio"
          name="expiry-notice"
          checked={value.choice === 'none'}
          onChange={() => choose('none')}
        />
        <span>No warning</span>
      </label>
      <label class="check">
        <input
          type="radio"
          name="expiry-notice"
          checked={value.choice === 'warn'}
          onChange={() => choose('warn')}
        />
        <span>Warn this long before</span>
      </label>
      {value.choice === 'warn' ? (
        <DurationFields
          label="Warning"
          unitLabel="Warning unit"
          amount={value.amount}
          unit={value.unit}
          maxSeconds={MAX_NOTICE_SECONDS}
          onAmount={(amount) => onChange({ ...value, amount })}
          onUnit={(unit) => onChange({ ...value, unit })}
        />
      ) : null}
      <p class="muted small">
        When a key&apos;s &ldquo;expiring soon&rdquo; notification and webhook go out: up to 365
        days before its expiry. The deployment default is the operator&apos;s (7 days unless
        changed); with no warning, only the &ldquo;expired&rdquo; notice is sent. A change applies
        to keys whose warning has not gone out yet.
      </p>
    </fieldset>
  );
}
