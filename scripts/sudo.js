#!/usr/bin/env node
// Submit a call through sudo (signed by //Alice, the dev chains' sudo key) and print what happened.
//
//   node sudo.js <section.method> [json-arg ...]      e.g.
//   node sudo.js emission.setEmissionTopSubnetProportion 500000
//   node sudo.js emission.setEmissionTopSubnetAbsoluteLimit null
//   node sudo.js emission.setEmissionSchedule '"1000000000000"' '"990000000000000000"' 1000 null
//   node sudo.js subnets.setValidating 2 5FLSigC9HGRKVhB9FiEo4Y3koPsNmBmLJbpXg2mp1hXcS59Y false
//
// Arguments are JSON (quote big integers as strings); text that is not JSON (an address) is passed as is. `--url ws://...` picks the node
// (default ws://127.0.0.1:9944), `--suri //Bob` the signer; an argument starting with '-' goes after `--`.
// Exit status 1 when the inner call failed, 2 on a usage error.

import { parseArgs } from 'node:util';

import { Keyring } from '@polkadot/keyring';

import { decodeError, findEvents, submit } from './lib/tx.js';
import { connectOrExit } from './lib/client.js';

const USAGE = 'usage: node sudo.js <section.method> [json-arg ...] [--url ws://...] [--suri //Alice]';

let parsed;
try {
  parsed = parseArgs({
    args: process.argv.slice(2),
    options: {
      url: { type: 'string', default: 'ws://127.0.0.1:9944' },
      suri: { type: 'string', default: '//Alice' },
      help: { type: 'boolean', short: 'h', default: false }
    },
    allowPositionals: true,
    // An unknown option is an error; a call argument that starts with '-' (a negative number)
    // goes after `--`.
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
const [target, ...jsonArgs] = parsed.positionals;
if (!target || !/^\w+\.\w+$/.test(target)) {
  console.error(USAGE);
  process.exit(2);
}
const [section, method] = target.split('.');
const api = await connectOrExit(opts.url, { timeoutMs: Number(process.env.EMISSION_CONNECT_TIMEOUT_MS ?? 15_000) });
try {
  const fn = api.tx[section]?.[method];
  if (!fn) throw new Error(`no call ${section}.${method} in this chain's metadata`);
  // JSON where it parses; anything else (an SS58 address, a name) is passed as the plain string.
  const args = jsonArgs.map((a) => { try { return JSON.parse(a); } catch { return a; } });
  const signer = new Keyring({ type: 'sr25519' }).addFromUri(opts.suri);
  const { blockHash, events, dispatchError } = await submit(api, api.tx.sudo.sudo(fn(...args)), signer);
  console.log(`in block ${blockHash}`);
  for (const { event } of events) {
    if (!['system', 'transactionPayment', 'balances'].includes(event.section)) {
      console.log(`  ${event.section}.${event.method} ${JSON.stringify(event.data.toHuman())}`);
    }
  }
  if (dispatchError) throw new Error(`extrinsic failed: ${dispatchError.section}.${dispatchError.name}`);
  const [sudid] = findEvents(events, 'sudo', 'Sudid');
  if (sudid.data.sudoResult.isErr) {
    const err = decodeError(api, sudid.data.sudoResult.asErr);
    console.error(`inner call failed: ${err.section}.${err.name}`);
    process.exitCode = 1;
  }
} finally {
  await api.disconnect();
}
