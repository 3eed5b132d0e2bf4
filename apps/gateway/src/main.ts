import 'reflect-metadata';
import { loadConfig } from './config';
import { createGateway } from './create-gateway';

async function main(): Promise<void> {
  const config = loadConfig();
  const app = await createGateway(config);
  await app.listen(config.port, config.host);
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  // Process supervisors (npm run up, the tests) wait for this exact line.
  console.log(
    `keyward-gateway ready url=http://127.0.0.1:${port} nats=${config.nats.servers.join(',')} pid=${process.pid}`,
  );
}

main().catch((error: unknown) => {
  console.error('keyward-gateway failed to start:', error);
  process.exit(1);
});
