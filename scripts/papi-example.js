#!/usr/bin/env node
// A small typed PAPI client of the emission chain: read storage, ask the pallet's view functions,
// and (with --set) change the top-subnet proportion through sudo.
//
//   node --experimental-websocket papi-example.js [--url ws://127.0.0.1:9944] [--set <permill>] [--suri //Alice]

import { parseArgs } from 'node:util';

import { connectPapi, papiSigner } from './lib/papi.js';

const USAGE = 'usage: node --experimental-websocket papi-example.js [--url ws://...] [--set <permill>] [--suri //Alice]';
let opts;
try {
  ({ values: opts } = parseArgs({
    args: process.argv.slice(2),
    options: {
      url: { type: 'string', default: 'ws://127.0.0.1:9944' },
      set: { type: 'string' },
      suri: { type: 'string', default: '//Alice' }
    },
    strict: true
  }));
} catch (err) {
  console.error(`${err.message}\n${USAGE}`);
  process.exit(2);
}
if (opts.set !== undefined && !/^\d+$/.test(opts.set)) {
  console.error(`--set must be parts per million (an integer), got "${opts.set}"\n${USAGE}`);
  process.exit(2);
}

const { client, api } = connectPapi(opts.url);
try {
  // Storage, typed: values come back as numbers, bigints and objects named as in the metadata.
  const [issued, recycled, proportion] = await Promise.all([
    api.query.Emission.TotalIssued.getValue(),
    api.query.Emission.TotalRecycled.getValue(),
    api.query.Emission.EmissionTopSubnetProportion.getValue()
  ]);
  console.log(`total issued ${issued}, recycled ${recycled}, top proportion ${proportion} ppm`);

  // View functions: called natively (no runtime API needed).
  const shares = await api.view.Emission.preview_shares();
  console.log(`next block: emission ${shares.block_emission}, withheld ${shares.withheld}, recycled ${shares.recycled}`);
  for (const [netuid, amount] of shares.amounts) console.log(`  subnet ${netuid}: ${amount}`);
  const fork = await api.view.Emission.fork_preview();
  const name = (bytes) => Buffer.from(bytes.asBytes()).toString();
  console.log(`fork preview (turn ${fork.turn}): ${fork.refused ? `refused, ${fork.refused.type}` : `keeps ${name(fork.kept)}`}`);

  if (opts.set !== undefined) {
    const { signer } = await papiSigner(opts.suri);
    const call = api.tx.Emission.set_emission_top_subnet_proportion({ proportion: Number(opts.set) });
    const result = await api.tx.Sudo.sudo({ call: call.decodedCall }).signAndSubmit(signer);
    const sudid = result.events.find((e) => e.type === 'Sudo' && e.value.type === 'Sudid');
    const outcome = sudid?.value.value.sudo_result;
    console.log(`in block #${result.block.number}: ${outcome?.success ? 'Sudid Ok' : `failed ${JSON.stringify(outcome?.value ?? result.dispatchError)}`}`);
    if (!outcome?.success) process.exitCode = 1;
  }
} finally {
  client.destroy();
}
