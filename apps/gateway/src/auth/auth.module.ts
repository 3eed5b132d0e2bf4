import { Module } from '@nestjs/common';
import { VerifierModule } from '@keyward/verifier';
import { ForwardAuthController } from './forward-auth.controller';
import { VerifyController } from './verify.controller';

/**
 * verify, authorize and forward-auth over HTTP, answered in process by a verifier node the
 * gateway hosts (the auth-verifier's own module): one more node on the roster, so every
 * revocation waits for it (G1), and it refuses everything while it cannot prove it is caught
 * up (G2). It does not join the `kw.verify` queue group: it answers HTTP only.
 */
@Module({
  imports: [VerifierModule.forRoot({ answerNats: false, hostedBy: 'gateway' })],
  controllers: [VerifyController, ForwardAuthController],
})
export class AuthModule {}
