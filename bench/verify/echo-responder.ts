import { connect } from 'nats';

/**
 * The baseline for verify over NATS: a bare NATS responder in its own process that answers
 * every request with a fixed JSON payload of the verify reply's size, in a queue group like the
 * verifier. Usage: node echo-responder.js <natsUrl> <subject> <replyBytes>
 */
async function main(): Promise<void> {
  const [url, subject, bytes] = process.argv.slice(2);
  const nc = await connect({ servers: url, noAsyncTraces: true });
  // A JSON envelope of exactly the verify reply's size, so the client decodes the same bytes.
  const filler = Math.max(0, Number(bytes) - '{"ok":true,"data":""}'.length);
  const reply = new TextEncoder().encode(`{"ok":true,"data":"${'x'.repeat(filler)}"}`);
  nc.subscribe(subject, { queue: 'echo', callback: (error, msg) => error || msg.respond(reply) });
  await nc.flush();
  console.log(`echo responder ready subject=${subject} bytes=${bytes}`);
  process.once('SIGTERM', () => void nc.drain().then(() => process.exit(0)));
}

void main();
