import { COMMAND_SUBJECTS, HEALTH_SUBJECTS, NOTIFY_SUBJECT_PREFIX } from './subjects';
import { NOTIFY_STREAM } from './notify-messages';
import { PROJECTOR_HEALTH_SUBJECT } from './query-messages';
import { USAGE_STREAM, USAGE_SUBJECT_PREFIX } from './usage-messages';
import { VERIFIER_SUBJECTS } from './verifier-messages';
import { VERIFY_SUBJECTS } from './verify-messages';
import { ALL_WEBHOOK_QUERY_SUBJECTS } from './webhook-messages';

/**
 * Who may do what on the bus, derived from the subjects this library defines, so the NATS
 * configuration cannot drift from the code. Every request is still authenticated by its
 * Authorization header; these permissions stop anyone on the network from forging events,
 * answering `kw.verify`, publishing usage or reading other services' replies.
 */
export const NATS_USERS = [
  'command',
  'projector',
  'verifier',
  'gateway',
  'notifier',
  'internal-client',
  'operator',
] as const;
export type NatsUser = (typeof NATS_USERS)[number];

export interface NatsStreamNames {
  /** The JetStream event stream (`KEYWARD_JETSTREAM_STREAM`) and its subject prefix. */
  eventStream: string;
  eventSubjectPrefix: string;
  usageStream: string;
  usageSubjectPrefix: string;
  /** The JetStream stream of lifecycle notifications (`KEYWARD_NOTIFY_STREAM`) on `kw.notify.>`. */
  notifyStream?: string;
}

export const DEFAULT_NATS_STREAMS: NatsStreamNames = {
  eventStream: 'KEYWARD_EVENTS',
  eventSubjectPrefix: 'kw.ev',
  usageStream: USAGE_STREAM,
  usageSubjectPrefix: USAGE_SUBJECT_PREFIX,
  notifyStream: NOTIFY_STREAM,
};

/** `null` for the operator: full access, for maintenance tools only. */
export type NatsUserPermissions = {
  publish: string[];
  /** Subjects refused even though `publish` covers them (nats-server `deny`, which wins). */
  denyPublish?: string[];
  subscribe: string[];
  /** May answer requests it receives (one reply each), whatever their reply subject. */
  allowResponses: boolean;
} | null;

/** Replies to a service's own requests arrive here; nobody else may subscribe to them. */
export function inboxPrefixFor(user: string): string {
  return `_INBOX_${user.replace(/[^A-Za-z0-9_-]/g, '_')}`;
}

/** The JetStream API calls a reader of `stream` needs: info, direct gets, ordered consumers. */
function streamReader(stream: string): string[] {
  return [
    `$JS.API.STREAM.INFO.${stream}`,
    `$JS.API.STREAM.MSG.GET.${stream}`,
    `$JS.API.DIRECT.GET.${stream}`,
    `$JS.API.DIRECT.GET.${stream}.>`,
    `$JS.API.CONSUMER.CREATE.${stream}`,
    `$JS.API.CONSUMER.CREATE.${stream}.>`,
    `$JS.API.CONSUMER.DELETE.${stream}.>`,
    `$JS.API.CONSUMER.INFO.${stream}.>`,
    `$JS.API.CONSUMER.MSG.NEXT.${stream}.>`,
    `$JS.FC.${stream}.>`,
    `$JS.ACK.${stream}.>`,
  ];
}

/** The callers' set: commands, queries, verify, authorize and health; never the store. */
const CALLER_PUBLISH = [
  'kw.cmd.>',
  'kw.query.>',
  VERIFY_SUBJECTS.verify,
  VERIFY_SUBJECTS.authorize,
  'kw.health.>',
];

/**
 * Commands only the notifier sends, refused to every caller although `kw.cmd.>` covers them:
 * disabling a failing webhook endpoint (which needs the operator token as well).
 */
const NOTIFIER_ONLY = [COMMAND_SUBJECTS.disableFailingWebhookEndpoint];

/**
 * What a consumer of the notification stream needs to replay it: stream info, ordered or named
 * (durable) consumers, their pulls, acknowledgements and flow control. Never publishing into it,
 * purging or deleting it.
 */
function notifyReplayer(stream: string): string[] {
  return [
    `$JS.API.STREAM.INFO.${stream}`,
    `$JS.API.CONSUMER.CREATE.${stream}`,
    `$JS.API.CONSUMER.CREATE.${stream}.>`,
    `$JS.API.CONSUMER.DURABLE.CREATE.${stream}.>`,
    `$JS.API.CONSUMER.INFO.${stream}.>`,
    `$JS.API.CONSUMER.DELETE.${stream}.>`,
    `$JS.API.CONSUMER.MSG.NEXT.${stream}.>`,
    `$JS.ACK.${stream}.>`,
    `$JS.FC.${stream}.>`,
  ];
}

/** Every user's permissions, for the given stream names. */
export function natsPermissions(
  streams: NatsStreamNames = DEFAULT_NATS_STREAMS,
): Record<NatsUser, NatsUserPermissions> {
  const { eventStream, eventSubjectPrefix, usageStream, usageSubjectPrefix } = streams;
  const notifyStream = streams.notifyStream ?? NOTIFY_STREAM;
  const inbox = (user: NatsUser) => `${inboxPrefixFor(user)}.>`;
  /** What a verifier node publishes: store reads, usage rollups, heartbeats. */
  const verifierNode = [
    '$JS.API.INFO',
    ...streamReader(eventStream),
    `$JS.API.STREAM.INFO.${usageStream}`,
    `$JS.API.STREAM.CREATE.${usageStream}`,
    `${usageSubjectPrefix}.>`,
    VERIFIER_SUBJECTS.heartbeat,
  ];
  return {
    command: {
      publish: [
        '$JS.API.INFO',
        ...streamReader(eventStream),
        `$JS.API.STREAM.CREATE.${eventStream}`,
        `$JS.API.STREAM.UPDATE.${eventStream}`,
        `${eventSubjectPrefix}.>`,
        VERIFY_SUBJECTS.verify,
        VERIFY_SUBJECTS.authorize,
        VERIFIER_SUBJECTS.awaitPosition,
      ],
      subscribe: [
        'kw.cmd.>',
        HEALTH_SUBJECTS.command,
        VERIFIER_SUBJECTS.heartbeat,
        inbox('command'),
      ],
      allowResponses: true,
    },
    projector: {
      publish: [
        '$JS.API.INFO',
        ...streamReader(eventStream),
        ...streamReader(usageStream),
        `$JS.API.STREAM.CREATE.${usageStream}`,
        VERIFY_SUBJECTS.verify,
        VERIFY_SUBJECTS.authorize,
      ],
      subscribe: ['kw.query.>', PROJECTOR_HEALTH_SUBJECT, inbox('projector')],
      allowResponses: true,
    },
    verifier: {
      publish: verifierNode,
      subscribe: [
        VERIFY_SUBJECTS.verify,
        VERIFY_SUBJECTS.authorize,
        VERIFIER_SUBJECTS.awaitPosition,
        inbox('verifier'),
      ],
      allowResponses: true,
    },
    // A caller, and one more verifier node (answering HTTP in process): it follows the store,
    // heartbeats, answers revocations' await-position and publishes usage, but never
    // subscribes to kw.verify or kw.authorize.
    gateway: {
      publish: [...CALLER_PUBLISH, ...verifierNode],
      denyPublish: NOTIFIER_ONLY,
      subscribe: [VERIFIER_SUBJECTS.awaitPosition, inbox('gateway')],
      allowResponses: true,
    },
    // Follows the store and publishes notifications into their stream (acknowledged, so it
    // subscribes to its inbox); answers the webhook queries (authenticating callers through
    // kw.verify) and disables a failing endpoint with the one command only it may send.
    notifier: {
      publish: [
        '$JS.API.INFO',
        ...streamReader(eventStream),
        `$JS.API.STREAM.INFO.${notifyStream}`,
        `$JS.API.STREAM.CREATE.${notifyStream}`,
        `${NOTIFY_SUBJECT_PREFIX}.>`,
        VERIFY_SUBJECTS.verify,
        ...NOTIFIER_ONLY,
      ],
      subscribe: [ALL_WEBHOOK_QUERY_SUBJECTS, inbox('notifier')],
      allowResponses: true,
    },
    // Any internal service of the deployment: call Keyward, hear its notifications live or
    // replay them from the notification stream. Plain `_INBOX.>` too, so a stock NATS client
    // works without an inbox prefix.
    'internal-client': {
      publish: [...CALLER_PUBLISH, ...notifyReplayer(notifyStream)],
      denyPublish: NOTIFIER_ONLY,
      subscribe: [`${NOTIFY_SUBJECT_PREFIX}.>`, inbox('internal-client'), '_INBOX.>'],
      allowResponses: false,
    },
    operator: null,
  };
}
