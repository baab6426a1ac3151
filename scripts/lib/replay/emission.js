// The block's context and its first step (`do_tick` in `pallets/emission/src/impls.rs`): the block
// emission from the schedule, the active tine's withholding (with what was carried), the filter
// chain and the split into each subnet's pending emission.

import { U128_MAX, fixedMul, satSub } from '../fixed.js';
import { filterPipeline, splitEmission } from './filters.js';
import { withhold } from './floor.js';
import { blockEmission } from './schedule.js';

/** A 0x-hex, string or number as BigInt; null stays null. */
export const big = (v) => (v === null || v === undefined ? null : BigInt(v));

/**
 * What the block's steps share: the inputs, the rules in force (`options` lift some for
 * counterfactuals), the balances the hook touches, the ledgers it moves, and the events it deposits.
 */
export function blockContext (snapshot, options) {
  const { inputs, constants, accounts } = snapshot;
  const ed = BigInt(constants.existentialDeposit);
  const ctx = {
    snapshot,
    inputs,
    constants,
    accounts,
    block: BigInt(snapshot.block.number),
    settings: options.settings ?? inputs.settings,
    hardCap: options.hardCap ?? true,
    subnetRates: options.subnetRates ?? true,
    schedule: options.schedule ?? inputs.schedule,
    events: [],
    // Balances the hook touches (free balance, and whether the account exists).
    balances: new Map(Object.entries(inputs.accounts).map(([who, a]) => [who, { free: BigInt(a.free), exists: a.exists }])),
    recycledTotal: BigInt(inputs.totalRecycled ?? 0),
    subnets: [...inputs.subnets].sort((a, b) => a.netuid - b.netuid).slice(0, constants.maxSubnets),
    pending: new Map(Object.entries(inputs.pendingEmission).map(([n, v]) => [Number(n), BigInt(v)])),
    ledger: inputs.unclaimedTotal !== undefined && inputs.unclaimedTotal !== null,
    unclaimed: null,
    totalIssued: BigInt(inputs.totalIssued),
    carry: { depth: BigInt(inputs.reserveCarry?.depth ?? 0), parts: (inputs.reserveCarry?.parts ?? []).map(BigInt) }
  };
  if (ctx.ledger) ctx.unclaimed = BigInt(inputs.unclaimedTotal);
  ctx.account = (who) => {
    if (!ctx.balances.has(who)) ctx.balances.set(who, { free: 0n, exists: false });
    return ctx.balances.get(who);
  };
  // `fungible::Mutate::mint_into` on pallet-balances: a new account needs at least the ED.
  ctx.mint = (who, amount) => {
    const a = ctx.account(who);
    if (!a.exists && amount < ed) return false;
    a.free += amount;
    a.exists = true;
    ctx.events.push({ section: 'balances', method: 'Minted', data: { who, amount } });
    return true;
  };
  ctx.tryMint = (who, amount) => (amount > 0n && ctx.mint(who, amount) ? amount : 0n);
  // `Pallet::recycle`: back to the unissued supply, evented with where it came from.
  ctx.recycle = (netuid, reason, amount) => {
    if (amount === 0n) return;
    ctx.recycledTotal += amount;
    ctx.events.push({ section: 'emission', method: 'Recycled', data: { netuid, reason, amount } });
  };
  return ctx;
}

/** The filter stages the block's emission is split by (what the runtime API previews). */
function stagesOf (ctx) {
  const { inputs } = ctx;
  const base = new Map(ctx.subnets.map((s) => [s.netuid, BigInt(s.baseWeight)]));
  const erp = new Map();
  const rootProp = new Map();
  for (const netuid of base.keys()) {
    const row = inputs.scalingInputs[netuid];
    let e = big(row?.erp) ?? 0n;
    // No hard cap: a subnet whose last epoch was capped keeps its uncapped ERP (raw × utilization).
    const last = inputs.lastEpoch[netuid];
    if (!ctx.hardCap && last && last.capped) e = fixedMul(BigInt(last.rawRootProp), BigInt(last.utilization), 32);
    erp.set(netuid, e);
    rootProp.set(netuid, big(row?.rootProp) ?? 0n);
  }
  const rates = ctx.subnetRates
    ? new Map(Object.entries(inputs.subnetRates ?? {}).map(([n, p]) => [Number(n), Number(p)]))
    : new Map();
  return filterPipeline(base, ctx.settings, erp, rootProp, rates);
}

/**
 * `withhold_for_active_tine`: this block's parts plus what was carried, minted where the account
 * can take it, carried on where it cannot. Returns what the block withheld (0 without a tine).
 */
function withholdForActiveTine (ctx, out) {
  const { inputs, accounts } = ctx;
  const tine = inputs.activeTine;
  if (!tine) return 0n;
  const carried = ctx.carry.depth + ctx.carry.parts.reduce((x, y) => x + y, 0n);
  // The floor's deficit before the block (spec 102 on): floor − depth reserve − carried for it.
  const floor = inputs.oracle ? big(inputs.floor) : null;
  const deficit = floor === null ? 0n : satSub(floor, ctx.account(accounts.depthReserve).free + ctx.carry.depth);
  const w = withhold(out.issued, tine.feeBps, tine.depthFeed, tine.split.map((s) => s.weight), tine.floorPull, deficit);
  if (w.withheld === 0n && carried === 0n) return 0n;
  const depthDue = w.toDepth + ctx.carry.depth;
  const depthMinted = ctx.tryMint(accounts.depthReserve, depthDue);
  let toReserves = 0n;
  const left = [];
  tine.split.forEach((s, i) => {
    const who = accounts.reserves[s.name];
    const due = w.parts[i] + (ctx.carry.parts[i] ?? 0n);
    const minted = ctx.tryMint(who, due);
    toReserves += minted;
    left.push(due - minted);
    out.reserveParts.push({ name: s.name, account: who, amount: minted });
  });
  ctx.carry = { depth: depthDue - depthMinted, parts: left };
  const carriedAfter = ctx.carry.depth + left.reduce((x, y) => x + y, 0n);
  ctx.events.push({ section: 'emission', method: 'EmissionWithheld', data: { tine: tine.id, withheld: w.withheld, toDepth: depthMinted, leaned: w.leaned, toReserves, carried: carriedAfter } });
  out.leaned = w.leaned;
  out.withheld = w.withheld;
  out.toDepth = depthMinted;
  out.toReserves = toReserves;
  return w.withheld;
}

/**
 * Step 1: the block emission (the schedule's, within the ledger's room), withheld by the active
 * tine, the rest split by the filters into each subnet's pending emission, the dust recycled.
 */
export function emitBlock (ctx) {
  const { inputs } = ctx;
  const outstanding = satSub(ctx.totalIssued, BigInt(inputs.totalRecycled ?? 0));
  // The ledger's room: no total may pass 2¹²⁸ − 1 (spec 105 on, the issuance base counts too).
  const ledgerRoom = satSub(satSub(U128_MAX, BigInt(inputs.issuanceBase ?? 0)), ctx.totalIssued);
  const scheduled = blockEmission(ctx.schedule, ctx.block, outstanding);
  const out = {
    issued: scheduled < ledgerRoom ? scheduled : ledgerRoom,
    withheld: 0n,
    toDepth: 0n,
    reserveParts: [],
    stages: stagesOf(ctx),
    amounts: new Map(),
    toSubnets: 0n,
    recycled: 0n,
    recipients: 0,
    totalIssuedAfter: ctx.totalIssued,
    epochs: [],
    fork: null,
    currentTurnAfter: inputs.currentTurn,
    turnStartAfter: BigInt(inputs.turnStart),
    activeTineAfter: inputs.activeTine ? inputs.activeTine.id : null,
    events: ctx.events
  };
  if (out.issued === 0n) return out;
  const forSubnets = out.issued - withholdForActiveTine(ctx, out);
  const split = splitEmission(forSubnets, out.stages.afterAbsoluteLimit);
  out.recycled = split.recycled;
  // `deliver_block_emission`: every non-zero amount added to the subnet's pending emission.
  for (const [netuid, amount] of split.amounts) {
    out.amounts.set(netuid, amount);
    if (amount === 0n) continue;
    ctx.pending.set(netuid, (ctx.pending.get(netuid) ?? 0n) + amount);
    out.toSubnets += amount;
    out.recipients += 1;
  }
  out.totalIssuedAfter = ctx.totalIssued + out.issued;
  ctx.recycle(null, 'Unassigned', out.recycled);
  ctx.events.push({
    section: 'emission',
    method: 'BlockEmissionDistributed',
    data: { issued: out.issued, withheld: out.withheld, toSubnets: out.toSubnets, recycled: out.recycled, recipients: out.recipients }
  });
  return out;
}
