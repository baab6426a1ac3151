// SS58 addresses for the tool's rows, memoized: a range prints the same few validators in every
// block, and encoding one (base58 with a checksum) cost more than verifying it.

import { encodeAddress as encode } from '@polkadot/keyring';

const cache = new Map();

/** The SS58 address (generic prefix 42) of a 0x account id, as `@polkadot/keyring` encodes it. */
export function encodeAddress (who) {
  let address = cache.get(who);
  if (address === undefined) {
    address = encode(who);
    if (cache.size >= 65_536) cache.clear();
    cache.set(who, address);
  }
  return address;
}
