import {
  NATS_USERS,
  natsPermissions,
  type NatsStreamNames,
  type NatsUser,
  type NatsUserPermissions,
} from './nats-permissions';

/** The environment variable that holds a user's password in deploy/ (`$KEYWARD_…_NATS_PASSWORD`). */
export function natsPasswordVariable(user: NatsUser): string {
  return `KEYWARD_${user.toUpperCase().replace(/-/g, '_')}_NATS_PASSWORD`;
}

export interface NatsAuthorizationOptions {
  streams?: NatsStreamNames;
  /** The config token for each password: a `$VARIABLE` reference, or the password itself. */
  password: (user: NatsUser) => { variable: string } | { value: string };
}

const HEADER = `# Generated from libs/messaging (nats-permissions.ts) by \`npm run nats:permissions\`;
# do not edit by hand: a test fails when this file and the code disagree.
#
# One NATS user per Keyward service, each allowed only the subjects it needs. Every request is
# still authenticated by its Authorization header; these permissions stop anyone else on the
# bus from forging events or usage, answering kw.verify, or reading another user's replies.
#   - \`allow_responses\` lets a service answer the requests it receives, one reply each.
#   - Each user's replies arrive on its own inbox prefix (_INBOX_<user>), which only it may read.
#   - internal-client is for the deployment's other services: commands, queries, verify,
#     authorize, health and notifications (live, or replayed from their stream), nothing else;
#     the one command only the notifier sends (disable-failing) is denied to every caller.
#   - operator has full access, for maintenance tools (stream inspection, backups); no service
#     uses it.
`;

/** A nats-server `authorization` block for every Keyward user. */
export function renderNatsAuthorization(options: NatsAuthorizationOptions): string {
  const permissions = natsPermissions(options.streams);
  const users = NATS_USERS.map((user) =>
    renderUser(user, options.password(user), permissions[user]),
  );
  return `${HEADER}\nauthorization {\n  users: [\n${users.join('\n')}\n  ]\n}\n`;
}

function renderUser(
  user: NatsUser,
  password: { variable: string } | { value: string },
  permissions: NatsUserPermissions,
): string {
  const secret = 'variable' in password ? `$${password.variable}` : JSON.stringify(password.value);
  const lines = [`    {`, `      user: ${user}`, `      password: ${secret}`];
  if (permissions) {
    lines.push(
      `      permissions: {`,
      permissions.denyPublish?.length
        ? `        publish: { allow: ${list(permissions.publish, 10)}, deny: ${list(permissions.denyPublish, 10)} }`
        : `        publish: { allow: ${list(permissions.publish, 10)} }`,
      `        subscribe: { allow: ${list(permissions.subscribe, 10)} }`,
      ...(permissions.allowResponses ? [`        allow_responses: true`] : []),
      `      }`,
    );
  }
  lines.push(`    }`);
  return lines.join('\n');
}

function list(subjects: string[], indent: number): string {
  const pad = ' '.repeat(indent);
  return `[\n${subjects.map((s) => `${pad}  ${JSON.stringify(s)}`).join('\n')}\n${pad}]`;
}
