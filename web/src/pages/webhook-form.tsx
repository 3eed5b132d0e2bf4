import { useState } from 'preact/hooks';
import { PATHS } from '../api/paths';
import type { WebhookEndpointCreatedReply, WebhookEndpointView } from '../api/types';
import { FormModal } from '../components/form-modal';
import { ShownOnceModal } from '../components/secret-modal';
import { useSubmit } from '../components/use-load';
import { WEBHOOK_LIMITS } from '../../../libs/messaging/src/webhook-messages';
import { api } from '../session';
import { EVENT_GROUPS, describeEvents, eventTypesOf, type EventChoice } from './webhook-events';
import './webhooks.css';

/** The API's bounds: the form stops where the service would refuse. */
const { urlMaxLength, descriptionMaxLength } = WEBHOOK_LIMITS;

interface FormProps {
  /** Present: edit this endpoint; absent: register a new one. */
  endpoint?: WebhookEndpointView;
  onClose: () => void;
  /** Called once saved (to reload the list behind the modal). */
  onSaved: (endpoint: WebhookEndpointView) => void;
}

const sameList = (a: string[] | null, b: string[] | null) =>
  a === b || (a !== null && b !== null && a.join() === b.join());

/**
 * Register an endpoint (URL, description, events), then its signing secret once; or change
 * one, sending only the fields that changed.
 */
export function WebhookFormModal({ endpoint, onClose, onSaved }: FormProps) {
  const [url, setUrl] = useState(endpoint?.url ?? '');
  const [description, setDescription] = useState(endpoint?.description ?? '');
  const [choice, setChoice] = useState<EventChoice>(
    endpoint?.eventTypes ? new Set(endpoint.eventTypes) : null,
  );
  const [registered, setRegistered] = useState<WebhookEndpointCreatedReply | null>(null);
  const submit = useSubmit(async () => {
    const eventTypes = eventTypesOf(choice);
    if (!endpoint) {
      const reply = await api.call<WebhookEndpointCreatedReply>('POST', PATHS.webhooks, {
        url: url.trim(),
        ...(description.trim() ? { description: description.trim() } : {}),
        eventTypes,
      });
      setRegistered(reply);
      onSaved(reply);
      return;
    }
    const changes: Record<string, unknown> = {};
    if (url.trim() !== endpoint.url) changes.url = url.trim();
    if (description.trim() !== endpoint.description) changes.description = description.trim();
    if (!sameList(eventTypes, endpoint.eventTypes)) changes.eventTypes = eventTypes;
    onSaved(await api.call<WebhookEndpointView>('PATCH', PATHS.webhook(endpoint.id), changes));
  });
  if (registered) {
    return (
      <ShownOnceModal
        title="Your webhook signing secret"
        noun="secret"
        kept="Keyward keeps it sealed, to sign each delivery."
        secret={registered.secret}
        onClose={onClose}
        facts={
          <>
            <dt>Endpoint id</dt>
            <dd>
              <code>{registered.id}</code>
            </dd>
            <dt>URL</dt>
            <dd>{registered.url}</dd>
            <dt>Events</dt>
            <dd>{describeEvents(registered.eventTypes)}</dd>
          </>
        }
      >
        <p class="hint">
          Verify the <code>webhook-signature</code> header of each delivery with it (HMAC-SHA256
          over <code>webhook-id</code>, <code>webhook-timestamp</code> and the body, as in Standard
          Webhooks).
        </p>
      </ShownOnceModal>
    );
  }
  return (
    <FormModal
      title={endpoint ? 'Change webhook endpoint' : 'Register a webhook endpoint'}
      onClose={onClose}
      submit={submit}
      submitLabel={endpoint ? 'Save' : 'Register'}
      busyLabel={endpoint ? 'Saving…' : 'Registering…'}
    >
      <label class="field">
        <span>URL</span>
        <input
          type="url"
          required
          maxLength={urlMaxLength}
          value={url}
          placeholder="https://hooks.example.com/keyward"
          spellcheck={false}
          autoComplete="off"
          onInput={(event) => setUrl(event.currentTarget.value)}
        />
      </label>
      <p class="hint">
        <code>https://</code> to a public address; <code>http://</code> only to this machine, for
        development. Private and cloud metadata addresses are refused.
      </p>
      <label class="field">
        <span>Description (optional)</span>
        <input
          maxLength={descriptionMaxLength}
          value={description}
          onInput={(event) => setDescription(event.currentTarget.value)}
        />
      </label>
      <EventPicker choice={choice} onChoice={setChoice} />
    </FormModal>
  );
}

/** "All events", or types picked by family, each family also as a wildcard (future types too). */
function EventPicker({
  choice,
  onChoice,
}: {
  choice: EventChoice;
  onChoice: (choice: EventChoice) => void;
}) {
  const toggle = (value: string, on: boolean) => {
    const next = new Set(choice ?? []);
    if (on) next.add(value);
    else next.delete(value);
    onChoice(next);
  };
  return (
    <fieldset class="checks event-picker">
      <legend>Events</legend>
      <label class="check">
        <input
          type="checkbox"
          checked={choice === null}
          onChange={(event) => onChoice(event.currentTarget.checked ? null : new Set())}
        />
        <span>All events, including types added later</span>
      </label>
      {choice === null
        ? null
        : EVENT_GROUPS.map((group) => {
            const whole = choice.has(group.wildcard);
            return (
              <fieldset key={group.prefix} class="event-group">
                <legend>{group.label}</legend>
                <label class="check">
                  <input
                    type="checkbox"
                    checked={whole}
                    onChange={(event) => toggle(group.wildcard, event.currentTarget.checked)}
                  />
                  <span>
                    Every <code>{group.wildcard}</code> event
                  </span>
                </label>
                <div class="event-types">
                  {group.types.map((type) => (
                    <label class="check" key={type}>
                      <input
                        type="checkbox"
                        disabled={whole}
                        checked={whole || choice.has(type)}
                        onChange={(event) => toggle(type, event.currentTarget.checked)}
                      />
                      <code>{type}</code>
                    </label>
                  ))}
                </div>
              </fieldset>
            );
          })}
    </fieldset>
  );
}
