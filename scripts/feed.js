#!/usr/bin/env node
// Submit an oracle feeder's reading of a tine for the open turn, signed by the feeder (no sudo: on
// the dev chains the feeders are //Dave, //Eve and //Ferdie, quorum 2), and print what happened.
//
//   node feed.js --suri //Dave <tine> <growth ppm> <depth stability> <floor held> <retention>
//   node feed.js --suri //Dave bold 200000 800000000 true 900000000
//   node feed.js --suri //Eve bold null 800000000 true 900000000        # a field left out
//
// Values are JSON (`null`: not read). The turn is the chain's `emission.currentTurn` unless
// `--turn N` is given. A feeder's second submission for the same tine and turn replaces its first.
// `--url ws://...` picks the node (default ws://127.0.0.1:9944); a negative growth goes after `--`.
// Exit status 1 when the submission failed (`BadOrigin` for an account that is not a feeder), 2 on
// a usage error.

import { parseArgs } from 'node:util';

import { Keyring } from '@polkadot/keyring';

import { findEvents, submit } from './lib/tx.js';
import { connectOrExit } from './lib/client.js';

const USAGE = 'usage: node feed.js --suri //Dave <tine> <growth-ppm> <depth-stability> <floor-held> <retention> [--turn N] [--url ws://...]';

let parsed;
try {
  parsed = parseArgs({
    args: process.argv.slice(2),
    options: {
      url: { type: 'string', default: 'ws://127.0.0.1:9944' },
      suri: { type: 'string' },
      turn: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false }
    },
    allowPositionals: true,
    strict: true
  });
} catch (err) {
  console.error(`${err.message}\n${USAGE}`);
  process.exit(2);
}
const opts = parsed.values;
if (opts.help) {
  console.log(USAGE);
  process.exit(0);
}
const [tine, ...fields] = parsed.positionals;
if (!opts.suri || !tine || fields.length !== 4 || (opts.turn !== undefined && !/^\d+$/.test(opts.turn))) {
  console.error(USAGE);
  process.exit(2);
}
let values;
try {
  values = fields.map((f) => JSON.parse(f));
} catch (err) {
  console.error(`a reading field is not JSON: ${err.message}\n${USAGE}`);
  process.exit(2);
}
const api = await connectOrExit(opts.url, { timeoutMs: Number(process.env.EMISSION_CONNECT_TIMEOUT_MS ?? 15_000) });
try {
  const turn = opts.turn !== undefined ? Number(opts.turn) : (await api.query.emission.currentTurn()).toNumber();
  const signer = new Keyring({ type: 'sr25519' }).addFromUri(opts.suri);
  const { blockHash, events, dispatchError } = await submit(api, api.tx.emission.submitReading(turn, tine, ...values), signer);
  console.log(`in block ${blockHash} (turn ${turn}, feeder ${signer.address})`);
  for (const e of findEvents(events, 'emission', 'ReadingSubmitted')) {
    console.log(`  emission.ReadingSubmitted ${JSON.stringify(e.data.toHuman())}`);
  }
  if (dispatchError) {
    // `submit` decoded it: `{ section, name }`, section `system` for a `DispatchError` variant.
    const { section, name } = dispatchError;
    console.error(`submission failed: ${section === 'system' ? '' : `${section}.`}${name}`);
    process.exitCode = 1;
  }
} finally {
  await api.disconnect();
}
