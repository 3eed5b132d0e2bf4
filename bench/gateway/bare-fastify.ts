import Fastify from 'fastify';

/**
 * The baseline for forward-auth: a bare Fastify route answering 200 with a small JSON body, in a
 * process of its own like the gateway. Prints its port once listening.
 */
async function main(): Promise<void> {
  const app = Fastify({ logger: false });
  app.all('/*', async () => ({ ok: true }));
  await app.listen({ port: Number(process.argv[2] ?? 0), host: '127.0.0.1' });
  console.log('bare fastify ready');
  process.once('SIGTERM', () => void app.close().then(() => process.exit(0)));
}

void main();
