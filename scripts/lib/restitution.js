// Restitution over a range (seed 001's question at chain scale): blocks A..B replayed forward
// under a changed rule, the counterfactual state carried from block to block, and per subnet and
// per validator what the chain paid, what the changed rule would have paid, and the difference.
//
// What is carried: the hook's own state, as the difference between the counterfactual world and
// the chain after each block: each subnet's pending emission, the emission pallet's totals
// (issued, recycled), the unclaimed ledger's total, the reserve carry, the balances the hook mints
// into, each subnet's scaling inputs (ERP, RootProp) and last epoch, and the active tine. What is
// not carried is taken from the chain at each block: what extrinsics did (stakes, settings,
// tines, feeds, claims, transfers, fees), on the assumption that they would have been the same.
// A block's counterfactual inputs are therefore the chain's inputs plus the carried differences.

import { encodeAddress } from './address.js';

import { replayBlock } from './model.js';
import { nativeDividends } from './verify.js';

const of = (events, key) => events.filter((e) => `${e.section}.${e.method}` === key);
const add = (map, key, amount) => map.set(key, (map.get(key) ?? 0n) + amount);
const nonNeg = (v) => (v < 0n ? 0n : v);

/** What one block's events (the chain's, or a replay's) paid, recycled and withheld. */
function amountsOf (events) {
  const subnetDividends = new Map(); // netuid -> native dividends paid or credited
  const subnetRecycled = new Map(); // netuid -> root dividends recycled by the hard cap
  const validators = new Map(); // "netuid validator" -> native dividends
  for (const e of nativeDividends(events)) {
    const amount = BigInt(e.data.alpha) + BigInt(e.data.root);
    add(subnetDividends, e.data.netuid, amount);
    add(validators, `${e.data.netuid} ${e.data.validator}`, amount);
  }
  const recycled = new Map(); // reason -> amount
  for (const e of of(events, 'emission.Recycled')) {
    add(recycled, e.data.reason, BigInt(e.data.amount));
    if (e.data.reason === 'HardCap') add(subnetRecycled, e.data.netuid, BigInt(e.data.amount));
  }
  const distributed = of(events, 'emission.BlockEmissionDistributed')[0]?.data ?? null;
  return {
    subnetDividends,
    subnetRecycled,
    validators,
    recycled,
    issued: BigInt(distributed?.issued ?? 0),
    withheld: BigInt(distributed?.withheld ?? 0),
    toSubnets: BigInt(distributed?.toSubnets ?? 0)
  };
}

/** The chain's own per-subnet deliveries of a block: pending after − before + paid + capped. */
function chainDeliveries (snapshot, amounts) {
  const before = snapshot.inputs.pendingEmission;
  const after = snapshot.outputs.storage.pendingEmission;
  const out = new Map();
  const netuids = new Set([...Object.keys(before), ...Object.keys(after)].map(Number));
  for (const n of netuids) {
    const v = BigInt(after[n] ?? 0) - BigInt(before[n] ?? 0) + (amounts.subnetDividends.get(n) ?? 0n) + (amounts.subnetRecycled.get(n) ?? 0n);
    if (v !== 0n) out.set(n, v);
  }
  return out;
}

/** The counterfactual world's inputs for a block: the chain's inputs plus the carried state. */
function overlay (inputs, carried) {
  if (carried === null) return inputs;
  const registered = new Set(inputs.subnets.map((s) => s.netuid));
  const pendingEmission = { ...inputs.pendingEmission };
  for (const [n, d] of carried.pending) {
    if (!registered.has(n)) continue; // removed: its pending emission went with it in both worlds
    const v = nonNeg(BigInt(pendingEmission[n] ?? 0) + d);
    if (v === 0n) delete pendingEmission[n]; else pendingEmission[n] = v.toString();
  }
  const scalingInputs = { ...inputs.scalingInputs };
  for (const [n, row] of carried.scaling) if (registered.has(n)) scalingInputs[n] = row;
  const lastEpoch = { ...inputs.lastEpoch };
  for (const [n, row] of carried.lastEpoch) if (registered.has(n)) lastEpoch[n] = row;
  const accounts = { ...inputs.accounts };
  for (const [who, d] of carried.balances) {
    const a = accounts[who] ?? { free: '0', exists: false };
    const free = nonNeg(BigInt(a.free) + d.free);
    accounts[who] = { free: free.toString(), exists: d.exists ?? a.exists };
  }
  const carry = inputs.reserveCarry ?? { depth: '0', parts: [] };
  const parts = carry.parts.map((p, i) => nonNeg(BigInt(p) + (carried.carryParts[i] ?? 0n)).toString());
  for (let i = parts.length; i < carried.carryParts.length; i++) parts.push(nonNeg(carried.carryParts[i]).toString());
  return {
    ...inputs,
    pendingEmission,
    scalingInputs,
    lastEpoch,
    accounts,
    totalIssued: nonNeg(BigInt(inputs.totalIssued) + carried.totalIssued).toString(),
    totalRecycled: nonNeg(BigInt(inputs.totalRecycled ?? 0) + carried.totalRecycled).toString(),
    unclaimedTotal: inputs.unclaimedTotal === null || inputs.unclaimedTotal === undefined
      ? inputs.unclaimedTotal
      : nonNeg(BigInt(inputs.unclaimedTotal) + carried.unclaimed).toString(),
    reserveCarry: { depth: nonNeg(BigInt(carry.depth) + carried.carryDepth).toString(), parts },
    activeTine: carried.activeTine === undefined ? inputs.activeTine : carried.activeTine
  };
}

const epochRow = (e, block) => ({
  block,
  utilization: e.utilization.toString(),
  rawRootProp: e.rawRootProp.toString(),
  effectiveRootProp: e.effectiveRootProp.toString(),
  capped: e.capped
});
const sameRow = (a, b) => JSON.stringify(a) === JSON.stringify(b);

/**
 * The state to carry after a block: the counterfactual replay's outputs less the chain's replay's
 * (both from the same block; the chain's replay is the chain's outputs, as `range` verifies).
 */
function carryAfter (snapshot, cfInputs, cf, real, previous) {
  const pending = new Map();
  for (const n of new Set([...cf.pendingAfter.keys(), ...real.pendingAfter.keys()])) {
    const d = (cf.pendingAfter.get(n) ?? 0n) - (real.pendingAfter.get(n) ?? 0n);
    if (d !== 0n) pending.set(n, d);
  }
  const scaling = new Map();
  for (const [n, row] of cf.scalingInputsAfter) {
    const r = real.scalingInputsAfter.get(n);
    if (!r || r.erp !== row.erp || r.rootProp !== row.rootProp) scaling.set(n, { erp: row.erp.toString(), rootProp: row.rootProp.toString() });
  }
  // Each subnet's last epoch: the counterfactual's where it differs from the chain's.
  const lastEpoch = new Map(previous ? [...previous.lastEpoch] : []);
  for (const e of cf.epochs) {
    const r = real.epochs.find((x) => x.netuid === e.netuid);
    const row = epochRow(e, snapshot.block.number);
    if (r && sameRow(epochRow(r, snapshot.block.number), row)) lastEpoch.delete(e.netuid);
    else lastEpoch.set(e.netuid, row);
  }
  const balances = new Map();
  for (const [who, a] of cf.balancesAfter) {
    const r = real.balancesAfter.get(who) ?? { free: 0n, exists: false };
    if (a.free !== r.free || a.exists !== r.exists) balances.set(who, { free: a.free - r.free, exists: a.exists !== r.exists ? a.exists : undefined });
  }
  const carryParts = [];
  const n = Math.max(cf.reserveCarryAfter.parts.length, real.reserveCarryAfter.parts.length);
  for (let i = 0; i < n; i++) carryParts.push((cf.reserveCarryAfter.parts[i] ?? 0n) - (real.reserveCarryAfter.parts[i] ?? 0n));
  // The active tine: the counterfactual's when its fork kept another one.
  let activeTine;
  if (cf.activeTineAfter !== real.activeTineAfter) {
    const id = cf.activeTineAfter;
    activeTine = id === null ? null : (cfInputs.activeTine?.id === id ? cfInputs.activeTine : cfInputs.tines.find((t) => t.id === id) ?? null);
  } else {
    activeTine = undefined;
  }
  return {
    pending,
    scaling,
    lastEpoch,
    balances,
    totalIssued: cf.totalIssuedAfter - real.totalIssuedAfter,
    totalRecycled: cf.totalRecycledAfter - real.totalRecycledAfter,
    unclaimed: (cf.unclaimedTotalAfter ?? 0n) - (real.unclaimedTotalAfter ?? 0n),
    carryDepth: cf.reserveCarryAfter.depth - real.reserveCarryAfter.depth,
    carryParts,
    activeTine
  };
}

/** Sums over the range, for one world. */
function totals () {
  return {
    subnetEmission: new Map(),
    subnetDividends: new Map(),
    subnetRecycled: new Map(),
    validators: new Map(),
    recycled: new Map(),
    issued: 0n,
    withheld: 0n,
    toSubnets: 0n
  };
}

function accumulate (t, amounts, deliveries) {
  for (const [k, v] of deliveries) add(t.subnetEmission, k, v);
  for (const key of ['subnetDividends', 'subnetRecycled', 'validators', 'recycled']) {
    for (const [k, v] of amounts[key]) add(t[key], k, v);
  }
  t.issued += amounts.issued;
  t.withheld += amounts.withheld;
  t.toSubnets += amounts.toSubnets;
}

/**
 * Replay `snapshots` (consecutive blocks, oldest first) forward with `optionsFor(inputs)` as the
 * changed rule, carrying the counterfactual state. Returns the chain's sums (from the chain's
 * events and storage), the counterfactual's sums (from the replay), the fork decisions that
 * differ, and each subnet's ERP after the range in both worlds.
 */
export function replayForward (snapshots, optionsFor) {
  const actual = totals();
  const counterfactual = totals();
  const forks = [];
  let carried = null;
  let previous = null;
  for (const snapshot of snapshots) {
    if (previous && snapshot.block.parentHash !== previous.block.hash) {
      throw new Error(`block #${snapshot.block.number} does not follow #${previous.block.number}: a range must be consecutive`);
    }
    const chainAmounts = amountsOf(snapshot.outputs.events);
    accumulate(actual, chainAmounts, chainDeliveries(snapshot, chainAmounts));
    const inputs = overlay(snapshot.inputs, carried);
    const cf = replayBlock({ ...snapshot, inputs }, optionsFor(inputs));
    const cfAmounts = amountsOf(cf.events);
    accumulate(counterfactual, cfAmounts, new Map([...cf.amounts].filter(([, v]) => v !== 0n)));
    const real = replayBlock(snapshot);
    if (cf.fork && real.fork && cf.fork.kept !== real.fork.kept) {
      forks.push({ block: snapshot.block.number, actual: real.fork.kept, counterfactual: cf.fork.kept });
    }
    carried = carryAfter(snapshot, inputs, cf, real, carried);
    previous = snapshot;
  }
  // Each subnet's ERP after the range: the chain's (its storage), the counterfactual's (carried).
  const erp = new Map();
  if (previous) {
    const chainErp = previous.outputs.storage.scalingInputs;
    for (const [n, row] of Object.entries(chainErp)) {
      const c = carried.scaling.get(Number(n));
      erp.set(Number(n), { actual: BigInt(row.erp), counterfactual: BigInt(c ? c.erp : row.erp) });
    }
  }
  return { actual, counterfactual, forks, erp };
}

/** Rows of actual / counterfactual / diff over the union of two maps' keys. */
function diffRows (a, c, keys = null) {
  const all = keys ?? [...new Set([...a.keys(), ...c.keys()])];
  return all.map((k) => {
    const x = a.get(k) ?? 0n;
    const y = c.get(k) ?? 0n;
    return { key: k, actual: x, counterfactual: y, diff: y - x };
  });
}

/**
 * The restitution report: per subnet (emission received, dividends paid, root dividends recycled
 * by the hard cap), per validator and subnet (native dividends), Σ owed net and positive only, and
 * the summary (issued, withheld, distributed, recycled by reason). `netuid` keeps one subnet.
 */
export function report ({ actual, counterfactual, forks, erp }, { netuid = null } = {}) {
  const keep = (n) => netuid === null || Number(n) === netuid;
  const netuids = [...new Set([
    ...actual.subnetEmission.keys(), ...counterfactual.subnetEmission.keys(),
    ...actual.subnetDividends.keys(), ...counterfactual.subnetDividends.keys(),
    ...actual.subnetRecycled.keys(), ...counterfactual.subnetRecycled.keys()
  ].map(Number))].filter(keep).sort((a, b) => a - b);
  const cell = (rows, n) => rows.find((r) => r.key === n) ?? { actual: 0n, counterfactual: 0n, diff: 0n };
  const emission = diffRows(actual.subnetEmission, counterfactual.subnetEmission, netuids);
  const dividends = diffRows(actual.subnetDividends, counterfactual.subnetDividends, netuids);
  const recycled = diffRows(actual.subnetRecycled, counterfactual.subnetRecycled, netuids);
  const subnets = netuids.map((n) => ({
    netuid: n,
    emission: cell(emission, n),
    dividends: cell(dividends, n),
    recycled: cell(recycled, n),
    erp: erp.get(n) ?? null
  }));
  const validators = diffRows(actual.validators, counterfactual.validators)
    .map((r) => {
      const [n, who] = r.key.split(' ');
      return { netuid: Number(n), validator: who, actual: r.actual, counterfactual: r.counterfactual, diff: r.diff };
    })
    .filter((r) => keep(r.netuid))
    .sort((a, b) => a.netuid - b.netuid || (a.validator < b.validator ? -1 : a.validator > b.validator ? 1 : 0));
  const owedNet = validators.reduce((s, r) => s + r.diff, 0n);
  const owedPositive = validators.reduce((s, r) => s + (r.diff > 0n ? r.diff : 0n), 0n);
  const sum = (m) => [...m.values()].reduce((s, v) => s + v, 0n);
  const reasons = [...new Set([...actual.recycled.keys(), ...counterfactual.recycled.keys()])].sort();
  const summary = {
    issued: { actual: actual.issued, counterfactual: counterfactual.issued },
    withheld: { actual: actual.withheld, counterfactual: counterfactual.withheld },
    toSubnets: { actual: actual.toSubnets, counterfactual: counterfactual.toSubnets },
    distributed: { actual: sum(actual.validators), counterfactual: sum(counterfactual.validators) },
    recycled: { actual: sum(actual.recycled), counterfactual: sum(counterfactual.recycled) },
    recycledBy: reasons.map((k) => ({ reason: k, actual: actual.recycled.get(k) ?? 0n, counterfactual: counterfactual.recycled.get(k) ?? 0n }))
  };
  return { subnets, validators, owedNet, owedPositive, summary, forks };
}

/**
 * The identity: with no rule changed, the replay carried forward gives the chain's amounts. Every
 * quantity of the report whose diff is not 0 is returned (an empty list: the identity holds).
 */
export function identityDiffs (snapshots) {
  const r = report(replayForward(snapshots, () => ({})));
  const diffs = [];
  const check = (what, x) => { if (x.actual !== x.counterfactual) diffs.push(`${what}: chain ${x.actual}, replay ${x.counterfactual}`); };
  for (const s of r.subnets) {
    check(`subnet ${s.netuid} emission`, s.emission);
    check(`subnet ${s.netuid} dividends`, s.dividends);
    check(`subnet ${s.netuid} recycled by the hard cap`, s.recycled);
  }
  for (const v of r.validators) check(`subnet ${v.netuid} validator ${encodeAddress(v.validator)}`, v);
  for (const [k, x] of Object.entries(r.summary)) if (k !== 'recycledBy') check(k, x);
  for (const x of r.summary.recycledBy) check(`recycled (${x.reason})`, x);
  const quantities = r.subnets.length * 3 + r.validators.length + Object.keys(r.summary).length - 1 + r.summary.recycledBy.length;
  return { diffs, quantities };
}

/** An amount as tokens with `decimals` decimals (exact: no rounding), with its sign. */
export function units (amount, decimals, symbol = '') {
  const neg = amount < 0n;
  const a = neg ? -amount : amount;
  const scale = 10n ** BigInt(decimals);
  const frac = decimals > 0 ? `.${(a % scale).toString().padStart(decimals, '0')}` : '';
  return `${neg ? '-' : ''}${a / scale}${frac}${symbol ? ` ${symbol}` : ''}`;
}

/**
 * `--epoch NETUID:N`: the blocks whose emission epoch N of the subnet settles. Epoch N is due at
 * the block b with (b + netuid + 1) = N · (tempo + 1); the range runs from the block after epoch
 * N − 1 was due to b.
 */
export function epochBlocks (netuid, n, tempo) {
  const period = tempo + 1;
  const due = n * period - netuid - 1;
  return { from: Math.max(1, due - period + 1), to: due };
}
