// The verifier node: an in-memory key index followed from the store, answering verify and
// authorize. The auth-verifier app runs it alone; the gateway hosts one in process.
export { loadConfig as loadVerifierConfig, type VerifierConfig } from './config';
export { NATS_CONNECTION } from './tokens';
export { VerifierModule, type VerifierModuleOptions } from './verifier.module';
export { VerifierNode, type VerifierNodeOptions } from './verifier-node';
export { IndexFollower } from './follower/index-follower';
export { Freshness } from './freshness/freshness';
export { digestOfKey, KeyIndex, keyIdOf, type IndexedKey, type Owner } from './key-index/key-index';
export { RevocationFences } from './propagation/revocation-fences';
export {
  invalidJson,
  isAllowed,
  positionJson,
  Verifier,
  verifiedJson,
  type Outcome,
} from './verify/verification';
