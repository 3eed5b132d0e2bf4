import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { checkAddress, type NetworkPolicy } from '@keyward/webhooks';

/** Every address a name resolves to (the system resolver by default). */
export type ResolveAll = (
  hostname: string,
  callback: (error: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void,
) => void;

/** A webhook host that resolves only to addresses the policy refuses: nothing is connected. */
export class AddressRefusedError extends Error {
  readonly code = 'WEBHOOK_ADDRESS_REFUSED';
}

const systemResolve: ResolveAll = (hostname, callback) =>
  dnsLookup(hostname, { all: true, verbatim: true }, callback);

/**
 * The `lookup` of every webhook connection (SSRF defence, no DNS rebinding): the name is
 * resolved at connect time, every address is checked against the network policy, and the socket
 * is handed only the addresses that passed, so it can only connect to one of those. A name with
 * no allowed address fails the attempt before any connection.
 */
export function pinnedLookup(policy: NetworkPolicy, resolve: ResolveAll = systemResolve) {
  const lookup: LookupFunction = (hostname, options, callback) => {
    resolve(hostname, (error, addresses) => {
      if (error) return callback(error, []);
      const wanted = addresses.filter((a) => !options.family || a.family === options.family);
      const allowed: LookupAddress[] = [];
      const refused: string[] = [];
      for (const address of wanted) {
        const check = checkAddress(address.address, policy);
        if (check.ok) allowed.push(address);
        else refused.push(check.message);
      }
      if (allowed.length === 0) {
        const why = refused.length > 0 ? refused.join('; ') : 'no address';
        return callback(new AddressRefusedError(`${hostname} resolves to ${why}`), []);
      }
      if (options.all) callback(null, allowed);
      else callback(null, allowed[0].address, allowed[0].family);
    });
  };
  return lookup;
}
