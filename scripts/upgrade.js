#!/usr/bin/env node
// Upgrade a running chain's runtime: `sudo.sudoUncheckedWeight(system.setCode(wasm))`, signed by
// the sudo key (//Alice on the dev chains), then wait for the first block of the new runtime (the
// one that runs its migrations) and print the versions before and after.
//
//   node upgrade.js <runtime.compact.compressed.wasm> [--url ws://127.0.0.1:9944] [--suri //Alice]
//
// Exit status 1 when the call failed (for example `system.SpecVersionNeedsToIncrease`: the new
// runtime's spec_version must be higher than the running one's).

import fs from 'node:fs';

import { ApiPromise, WsProvider } from '@polkadot/api';
import { Keyring } from '@polkadot/keyring';
import { u8aToHex } from '@polkadot/util';

import { setCode } from './lib/tx.js';

const opts = { url: 'ws://127.0.0.1:9944', suri: '//Alice', rest: [] };
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  if (argv[i] === '--url') opts.url = argv[++i];
  else if (argv[i] === '--suri') opts.suri = argv[++i];
  else opts.rest.push(argv[i]);
}
if (opts.rest.length !== 1) {
  console.error('usage: node upgrade.js <runtime.wasm> [--url ws://...] [--suri //Alice]');
  process.exit(2);
}
const code = u8aToHex(fs.readFileSync(opts.rest[0]));
const api = await ApiPromise.create({ provider: new WsProvider(opts.url), noInitWarn: true });
try {
  const signer = new Keyring({ type: 'sr25519' }).addFromUri(opts.suri);
  const was = await api.rpc.state.getRuntimeVersion();
  const { block, error, version } = await setCode(api, code, signer);
  if (error) {
    console.error(`setCode in block #${block} failed: ${error.section}.${error.name} (running ${was.specName} v${was.specVersion})`);
    process.exitCode = 1;
  } else {
    console.log(`code set in block #${block}: ${was.specName} v${was.specVersion} -> ${version.specName} v${version.specVersion} (transaction version ${was.transactionVersion} -> ${version.transactionVersion}); migrations ran in block #${block + 1}`);
  }
} finally {
  await api.disconnect();
}
