import type { Command } from 'commander';
import type {
  Page,
  WebhookDeliveryView,
  WebhookEndpointCreatedReply,
  WebhookEndpointView,
} from '@keyward/messaging';
import { CliError } from '../api/api-client';
import { WEBHOOK_PATH } from '../api/paths';
import { EXIT } from '../exit-codes';
import { note, printPage, printRecord, time, type Column } from '../output/output';
import { confirm } from './confirm';
import { contextOf, positiveInteger, queryOf, segment } from './context';
import { printSecretOnce } from './secret-output';

/**
 * `--events key.revoked,key.*` as the API's `eventTypes`: the comma-separated types and prefix
 * wildcards, or null for `all` (every type). Which names exist is the service's to say.
 */
export function eventTypesOf(text: string): string[] | null {
  if (text.trim() === 'all') return null;
  const types = text
    .split(',')
    .map((type) => type.trim())
    .filter(Boolean);
  if (types.length === 0) {
    throw new CliError(
      `--events must be "all" or comma-separated types (key.revoked,key.*), got ${JSON.stringify(text)}`,
      EXIT.usage,
    );
  }
  return types;
}

/** "enabled", or "disabled (failing)" when Keyward disabled it, so it stands out. */
export function endpointStatus(endpoint: WebhookEndpointView): string {
  if (endpoint.status === 'enabled') return 'enabled';
  return endpoint.disabledReason === 'failing' ? 'DISABLED (failing)' : 'disabled';
}

const events = (types: string[] | null) => (types === null ? 'all' : types);

/** Epoch ms (the delivery log's times) as the CLI prints epoch seconds. */
const timeMs = (ms: number | null) => (ms === null ? '' : time(ms / 1000));

const ENDPOINT_COLUMNS: Column<WebhookEndpointView>[] = [
  { header: 'id', value: (e) => e.id },
  { header: 'url', value: (e) => e.url },
  { header: 'status', value: endpointStatus },
  { header: 'events', value: (e) => events(e.eventTypes) },
  {
    header: 'last delivery',
    value: (e) =>
      e.lastDeliveryAt === null ? '' : `${e.lastDeliveryStatus} ${time(e.lastDeliveryAt)}`,
  },
  { header: 'created', value: (e) => time(e.createdAt) },
];

function endpointFields(endpoint: WebhookEndpointView): [string, unknown][] {
  return [
    ['id', endpoint.id],
    ['url', endpoint.url],
    ['description', endpoint.description],
    ['events', events(endpoint.eventTypes)],
    ['status', endpointStatus(endpoint)],
    ['failing since', endpoint.failingSince === null ? undefined : time(endpoint.failingSince)],
    [
      'last delivery',
      endpoint.lastDeliveryAt === null
        ? undefined
        : `${endpoint.lastDeliveryStatus} ${time(endpoint.lastDeliveryAt)}`,
    ],
    ['created', time(endpoint.createdAt)],
    ['updated', time(endpoint.updatedAt)],
  ];
}

const lastAttempt = (d: WebhookDeliveryView) => d.attempts[d.attempts.length - 1];

const DELIVERY_COLUMNS: Column<WebhookDeliveryView>[] = [
  { header: 'id', value: (d) => d.id },
  { header: 'type', value: (d) => d.type },
  { header: 'status', value: (d) => d.status },
  { header: 'attempts', value: (d) => d.attempts.length },
  { header: 'last code', value: (d) => lastAttempt(d)?.statusCode ?? '' },
  {
    header: 'latency',
    value: (d) => (lastAttempt(d) ? `${lastAttempt(d)!.latencyMs} ms` : ''),
  },
  { header: 'error', value: (d) => lastAttempt(d)?.error ?? '' },
  { header: 'created', value: (d) => timeMs(d.createdAt) },
  { header: 'next attempt', value: (d) => timeMs(d.nextAttemptAt) },
];

interface EndpointOptions {
  url?: string;
  description?: string;
  events?: string;
}

/** `keyward webhook list|get|register|update|disable|enable|delete|deliveries` (org admins). */
export function registerWebhooks(program: Command): void {
  const webhook = program
    .command('webhook')
    .description('webhook endpoints that receive lifecycle notifications (org admins)');

  webhook
    .command('list')
    .description('the endpoints, newest first, with status and last delivery')
    .option('--limit <n>', 'page size', positiveInteger('--limit'))
    .option('--cursor <cursor>', 'continue after a previous page')
    .action(async (options: { limit?: number; cursor?: string }, command: Command) => {
      const { api, output } = contextOf(command);
      const page = await api.call<Page<WebhookEndpointView>>(
        'GET',
        WEBHOOK_PATH + queryOf({ limit: options.limit, cursor: options.cursor }),
      );
      printPage(output, page, ENDPOINT_COLUMNS);
    });

  webhook
    .command('get <id>')
    .description('one endpoint')
    .action(async (id: string, _options: unknown, command: Command) => {
      const { api, output } = contextOf(command);
      const endpoint = await api.call<WebhookEndpointView>('GET', `${WEBHOOK_PATH}/${segment(id)}`);
      printRecord(output, endpointFields(endpoint), endpoint);
    });

  webhook
    .command('register')
    .description('register an endpoint; its signing secret is printed once')
    .requiredOption('--url <url>', 'https:// (or http:// to a loopback host, for development)')
    .option('--description <text>')
    .option(
      '--events <list>',
      'comma-separated types or wildcards (key.revoked,key.*); default all',
    )
    .action(async (options: EndpointOptions, command: Command) => {
      const { api, output } = contextOf(command);
      const reply = await api.call<WebhookEndpointCreatedReply>('POST', WEBHOOK_PATH, {
        url: options.url,
        description: options.description,
        eventTypes: options.events === undefined ? undefined : eventTypesOf(options.events),
      });
      printSecretOnce(output, reply, reply.secret, endpointFields(reply));
    });

  webhook
    .command('update <id>')
    .description('change the URL, description or event filter')
    .option('--url <url>')
    .option('--description <text>')
    .option('--events <list>', 'comma-separated types or wildcards, or "all"')
    .action(async (id: string, options: EndpointOptions, command: Command) => {
      const { api, output } = contextOf(command);
      if (Object.values(options).every((value) => value === undefined)) {
        throw new CliError('give --url, --description or --events', EXIT.usage);
      }
      const endpoint = await api.call<WebhookEndpointView>(
        'PATCH',
        `${WEBHOOK_PATH}/${segment(id)}`,
        {
          url: options.url,
          description: options.description,
          eventTypes: options.events === undefined ? undefined : eventTypesOf(options.events),
        },
      );
      printRecord(output, endpointFields(endpoint), endpoint);
    });

  for (const [action, help] of [
    ['disable', 'stop sending to an endpoint; its pending deliveries are abandoned'],
    ['enable', 'send to an endpoint again (also one disabled as failing)'],
  ] as const) {
    webhook
      .command(`${action} <id>`)
      .description(help)
      .action(async (id: string, _options: unknown, command: Command) => {
        const { api, output } = contextOf(command);
        const endpoint = await api.call<WebhookEndpointView>(
          'POST',
          `${WEBHOOK_PATH}/${segment(id)}/${action}`,
          {},
        );
        printRecord(output, endpointFields(endpoint), endpoint);
      });
  }

  webhook
    .command('delete <id>')
    .description('delete an endpoint; its pending deliveries are abandoned')
    .option('--yes', 'do not ask for confirmation')
    .action(async (id: string, options: { yes?: boolean }, command: Command) => {
      const { api } = contextOf(command);
      await confirm(`delete webhook endpoint ${id}`, options.yes);
      await api.call('DELETE', `${WEBHOOK_PATH}/${segment(id)}`);
      note(`deleted ${id}`);
    });

  webhook
    .command('deliveries <id>')
    .description("an endpoint's delivery log, newest first, with the last attempt of each")
    .option('--status <status>', 'pending, delivered, failed or abandoned')
    .option('--limit <n>', 'page size', positiveInteger('--limit'))
    .option('--cursor <cursor>', 'continue after a previous page')
    .action(
      async (
        id: string,
        options: { status?: string; limit?: number; cursor?: string },
        command: Command,
      ) => {
        const { api, output } = contextOf(command);
        const page = await api.call<Page<WebhookDeliveryView>>(
          'GET',
          `${WEBHOOK_PATH}/${segment(id)}/delivery${queryOf({ ...options })}`,
        );
        printPage(output, page, DELIVERY_COLUMNS);
      },
    );
}
