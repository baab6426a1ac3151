#!/usr/bin/env node
// Print the emission state of a chain: settings, schedule, each subnet's last epoch, and the
// runtime API's share previews (in force and with the filters and the hard cap off).
//
//   node status.js [--url ws://127.0.0.1:9944]

import { parseArgs } from 'node:util';
import { connectOrExit } from './lib/client.js';


const USAGE = 'usage: node status.js [--url ws://127.0.0.1:9944]';

let opts;
try {
  ({ values: opts } = parseArgs({
    args: process.argv.slice(2),
    options: {
      url: { type: 'string', default: 'ws://127.0.0.1:9944' },
      help: { type: 'boolean', short: 'h', default: false }
    },
    strict: true
  }));
} catch (err) {
  console.error(`${err.message}\n${USAGE}`);
  process.exit(2);
}
if (opts.help) {
  console.log(USAGE);
  process.exit(0);
}
const api = await connectOrExit(opts.url, { timeoutMs: Number(process.env.EMISSION_CONNECT_TIMEOUT_MS ?? 15_000) });

/** A U64F64 share (bits) as a percentage string. */
const pct = (bits) => `${(Number(BigInt(bits) * 1_000_000n >> 64n) / 10_000).toFixed(4)} %`;
/** A U96F32 value (bits) as a decimal string. */
const fx96 = (bits) => (Number(BigInt(bits) * 1_000_000n >> 32n) / 1_000_000).toFixed(6);

try {
  const header = await api.rpc.chain.getHeader();
  console.log(`block #${header.number.toNumber()} ${header.hash.toHex()}`);
  // Every value is read at that one block: blocks keep coming while the queries run.
  const at = await api.at(header.hash);
  const q = at.query.emission;
  const [scaling, proportion, limit, schedule, issued] = await Promise.all([
    q.effectiveRootPropEmissionScaling(), q.emissionTopSubnetProportion(), q.emissionTopSubnetAbsoluteLimit(),
    q.schedule(), q.totalIssued()
  ]);
  console.log(`ERP scaling ${scaling.isTrue ? 'on' : 'off'}; top proportion ${proportion.toNumber() / 10_000} %; absolute limit ${limit.isSome ? limit.unwrap().toNumber() : 'none'}`);
  console.log(`schedule ${JSON.stringify(schedule.toHuman())}; total issued ${issued.toString()}`);
  if (q.issuanceBase) {
    // The ledger's identity (spec 105 on): Balances' total issuance against the ledgers.
    const [base, recycled, issuance, pendingTable, unclaimed, carry] = await Promise.all([
      q.issuanceBase(), q.totalRecycled(), at.query.balances.totalIssuance(), at.query.subnets.pendingEmission(),
      at.query.subnets.unclaimedTotal(), q.reserveCarry()
    ]);
    const pending = [...pendingTable.values()].reduce((x, v) => x + v.toBigInt(), 0n) + unclaimed.toBigInt();
    const carried = carry[0].toBigInt() + carry[1].reduce((x, v) => x + v.toBigInt(), 0n);
    const ledger = base.toBigInt() + issued.toBigInt() - recycled.toBigInt() - pending - carried;
    console.log(`ledger: issuance base ${base} + issued ${issued} − recycled ${recycled} − pending ${pending} − carried ${carried} = ${ledger}; Balances total issuance ${issuance} (${ledger === issuance.toBigInt() ? 'equal' : 'DIFFERENT'})`);
  }

  for (const [key, record] of await q.lastEpoch.entries()) {
    const r = record.unwrap();
    console.log(`subnet ${key.args[0].toNumber()}: epoch at #${r.block.toNumber()} utilization ${fx96(r.utilization.bits)} ERP ${fx96(r.effectiveRootProp.bits)} RootProp ${fx96(r.rootProp.bits)} capped ${r.capped.isTrue} recycled ${r.recycled.toString()}`);
  }

  const [active, lastFork, turn] = await Promise.all([q.activeTine(), q.lastFork(), q.currentTurn()]);
  const name = (bytes) => Buffer.from(bytes.toU8a(true)).toString();
  console.log(`turn ${turn.toNumber()}; active tine ${active.isSome ? name(active.unwrap()[0]) : 'none'}; tines ${(await q.tines.keys()).map((k) => name(k.args[0])).join(', ') || 'none'}`);
  if (lastFork.isSome) console.log(`last fork ${JSON.stringify(lastFork.unwrap().toHuman())}`);

  const show = (title, stages) => {
    console.log(`${title} (block emission ${stages.blockEmission.toString()}, withheld ${stages.withheld.toString()}, recycled ${stages.recycled.toString()}):`);
    for (const [netuid, bits] of stages.afterAbsoluteLimit) {
      const amount = stages.amounts.find(([n]) => n.eq(netuid))?.[1]?.toString() ?? '0';
      console.log(`  subnet ${netuid.toNumber()}: ${pct(bits.toBigInt())} → ${amount}`);
    }
  };
  show('shares in force', await at.call.emissionApi.previewShares());
  // Every filter off (ERP scaling too: base weights alone), and the settings in force with the
  // hard cap lifted (it only matters through ERP scaling).
  show('filters off (base weights only)', await at.call.emissionApi.counterfactualShares({
    erpScaling: false, topProportion: 1_000_000, absoluteLimit: null, hardCap: true
  }));
  show('settings in force, no hard cap', await at.call.emissionApi.counterfactualShares({
    erpScaling: scaling.isTrue, topProportion: proportion.toNumber(), absoluteLimit: limit.isSome ? limit.unwrap().toNumber() : null, hardCap: false
  }));
} finally {
  await api.disconnect();
}
