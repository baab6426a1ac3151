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

  if (at.call.emissionApi.supplyProjection) {
    // Spec 106 on: supply so far and where the schedule takes it.
    const p = await at.call.emissionApi.supplyProjection();
    const rate = (parts) => `${(Number(parts.toBigInt() / 1_000_000_000n) / 1e7).toFixed(7)} %`;
    const range = ([lo, hi], f = (x) => x.toString()) => (lo.eq(hi) ? f(lo) : `${f(lo)} to ${f(hi)}`);
    console.log(`supply: issued ${p.issued} − recycled ${p.recycled} = outstanding ${p.outstanding}; total issuance ${p.totalIssuance}`);
    console.log(`next block #${p.nextBlock} issues ${p.nextBlockEmission}; next decay ${p.nextDecay.isSome ? `at #${p.nextDecay.unwrap()[0]} to ${p.nextDecay.unwrap()[1]} per block` : 'none'}`);
    console.log(`next year (${p.blocksPerYear} blocks): ${range(p.yearIssuance)} issued, ${p.yearRate.isSome ? range(p.yearRate.unwrap(), rate) : 'no rate (total issuance 0)'} of today's supply`);
    const end = p.end;
    const cap = p.supplyCap.isSome ? `supply cap ${p.supplyCap.unwrap()}` : 'no supply cap';
    const ends = end.isCapReachedAt ? `reached with block #${end.asCapReachedAt.last}`
      : end.isLedgerFullAt ? `not reached: the ledger is full with block #${end.asLedgerFullAt.last}`
        : end.isEmissionEndsAt ? `never reached: emission ends at #${end.asEmissionEndsAt.block} with ${end.asEmissionEndsAt.outstanding} outstanding`
          : end.isNotWithin ? `not decided within the projection's bound (past #${end.asNotWithin.block}, ${end.asNotWithin.outstanding} outstanding)`
            : 'no schedule';
    console.log(`${cap}: ${ends}`);
    const rates = await q.subnetEmissionRates();
    if (rates.size > 0) console.log(`subnet rates: ${[...rates.entries()].map(([n, r]) => `${n}: ${r.toNumber() / 10_000_000} %`).join(', ')}`);
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
    subnetRates: false, erpScaling: false, topProportion: 1_000_000, absoluteLimit: null, hardCap: true
  }));
  show('settings in force, no hard cap', await at.call.emissionApi.counterfactualShares({
    subnetRates: true,
    erpScaling: scaling.isTrue, topProportion: proportion.toNumber(), absoluteLimit: limit.isSome ? limit.unwrap().toNumber() : null, hardCap: false
  }));
} finally {
  await api.disconnect();
}
