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

import { Keyring } from '@polkadot/keyring';
import { u8aToHex } from '@polkadot/util';

import { setCode } from './lib/tx.js';
import { connectOrExit } from './lib/client.js';

const USAGE = 'usage: node upgrade.js <runtime.wasm> [--url ws://...] [--suri //Alice]';
const opts = { url: 'ws://127.0.0.1:9944', suri: '//Alice', rest: [] };
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  if (argv[i] === '--help' || argv[i] === '-h') {
    console.log(USAGE);
    process.exit(0);
  } else if (argv[i] === '--url' || argv[i] === '--suri') {
    if (i + 1 >= argv.length) {
      console.error(`${argv[i]} needs a value\n${USAGE}`);
      process.exit(2);
    }
    opts[argv[i].slice(2)] = argv[++i];
  } else opts.rest.push(argv[i]);
}
if (opts.rest.length !== 1) {
  console.error(USAGE);
  process.exit(2);
}
if (!fs.existsSync(opts.rest[0])) {
  console.error(`error: no file ${opts.rest[0]}`);
  process.exit(2);
}
const code = u8aToHex(fs.readFileSync(opts.rest[0]));
const api = await connectOrExit(opts.url, { timeoutMs: Number(process.env.EMISSION_CONNECT_TIMEOUT_MS ?? 15_000), requireEmission: false });
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
