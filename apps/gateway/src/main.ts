import 'reflect-metadata';
import { configOrExit } from '@keyward/transport';
import { loadConfig as loadVerifierConfig } from '../../auth-verifier/src/config';
import { loadConfig } from './config';
import { createGateway } from './create-gateway';

async function main(): Promise<void> {
  // The hosted verifier node's variables are checked here too, before anything connects.
  const config = configOrExit('keyward-gateway', () => {
    loadVerifierConfig(process.env, 'gateway');
    return loadConfig();
  });
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
