import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { configOrExit, exitOnStartFailure } from '@keyward/transport';
import { loadVerifierConfig } from '@keyward/verifier';
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
  new Logger('keyward-gateway').log(
    `keyward-gateway ready url=http://127.0.0.1:${port} nats=${config.nats.servers.join(',')} pid=${process.pid}`,
  );
}

main().catch(exitOnStartFailure('keyward-gateway'));
