// The fork at a turn's close (`pallets/emission/src/math/fork.rs` and the turn close of
// `impls.rs`): each tine's reading aggregated from the feeders, its measure, the winner, and the
// floor gate that lets it land.

import { BILLION, U128_MAX, fixedI128FromRational, fixedI128Mul, i128SatAdd, satAdd, satSub } from '../fixed.js';
import { big } from './emission.js';
import { floorWouldHold } from './floor.js';
import { blockEmission } from './schedule.js';

/** `fork::measure`: growth·w₁ + depth·w₂ + retention·w₃ in FixedI128 inner units, or null. */
export function measure (reading, weights) {
  if (!reading || reading.floorHeld !== true) return null;
  const fields = [reading.reserveGrowthPpm, reading.depthStability, reading.retention];
  const w = [weights.reserveGrowth, weights.depthStability, weights.retention];
  if (fields.some((f) => f === null || f === undefined) || w.some((x) => x === null || x === undefined)) return null;
  const growth = fixedI128FromRational(BigInt(reading.reserveGrowthPpm), 1_000_000n);
  const depth = fixedI128FromRational(BigInt(reading.depthStability), BILLION);
  const retention = fixedI128FromRational(BigInt(reading.retention), BILLION);
  const terms = [
    fixedI128Mul(growth, fixedI128FromRational(BigInt(w[0]), BILLION)),
    fixedI128Mul(depth, fixedI128FromRational(BigInt(w[1]), BILLION)),
    fixedI128Mul(retention, fixedI128FromRational(BigInt(w[2]), BILLION))
  ];
  return terms.reduce((acc, t) => i128SatAdd(acc, t), 0n);
}

const U32_MAX = 0xffff_ffffn;

const cmp = (a, b) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * `fork::choose` over candidates `{ id (hex), bornAtTurn, measure }` in storage order. The winner:
 * highest measure, then lower `bornAtTurn`, then lower id (bytes). `gate(id)` → true/false/null.
 */
export function choose (candidates, gate) {
  const measurable = candidates.filter((c) => c.measure !== null);
  if (measurable.length === 0) return { kept: null, cut: [], refused: 'NoMeasurableTine' };
  const winner = measurable.reduce((best, c) => {
    const order = cmp(c.measure, best.measure) || -cmp(c.bornAtTurn, best.bornAtTurn) || -cmp(c.id, best.id);
    return order > 0 ? c : best;
  });
  const held = gate(winner.id);
  if (held === false) return { kept: null, cut: [], refused: 'FloorWouldFall' };
  if (held !== true) return { kept: null, cut: [], refused: 'FloorUnreadable' };
  const cut = candidates
    .filter((c) => c.id !== winner.id)
    .map((c) => ({ id: c.id, gap: c.measure === null ? null : clampGap(winner.measure - c.measure) }));
  return { kept: winner.id, cut, refused: null };
}

const clampGap = (v) => i128SatAdd(v, 0n);

/** The lower median (the ⌈k/2⌉-th smallest of k), or null below `quorum` values. */
function lowerMedian (values, quorum) {
  if (values.length === 0 || values.length < quorum) return null;
  const sorted = [...values].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return sorted[Math.floor((sorted.length - 1) / 2)];
}

/**
 * `fork::aggregate` over the submissions of the current feeders: each field the lower median of
 * the submissions that have it (`floorHeld` ordered false < true), null below the quorum.
 */
export function aggregate (submissions, feeders, quorum) {
  const from = submissions.filter((s) => feeders.includes(s.feeder)).map((s) => s.reading);
  const field = (name, conv) => lowerMedian(from.map((r) => r[name]).filter((v) => v !== null && v !== undefined).map(conv), quorum);
  const growth = field('reserveGrowthPpm', BigInt);
  return {
    reserveGrowthPpm: growth === null ? null : growth.toString(),
    depthStability: field('depthStability', Number),
    floorHeld: field('floorHeld', Boolean),
    retention: field('retention', Number)
  };
}

/** A tine's config, as compared when a fork keeps it (fee, split, floor pull, depth feed). */
const configOf = (t) => ({ feeBps: t.feeBps, split: t.split, floorPull: t.floorPull, depthFeed: t.depthFeed });
const sameConfig = (a, b) => Boolean(a && b) && JSON.stringify(configOf(a)) === JSON.stringify(configOf(b));

/**
 * The gate for the block's fork: before spec 102, whether the depth reserve is at the floor now;
 * from 102, `floor_would_hold` over the next turn at the lowest emission a block of it can issue
 * (spec 104 on: the deficit counts the depth reserve's carry only for the active config, which any
 * other retires at this close, the gain is the sure one, and the lowest emission is also bounded by
 * the ledger's room after the turn's most). Returns `gate(id)` and what it judged by.
 */
function gateOf (ctx, out, tines) {
  const { inputs } = ctx;
  const floor = big(inputs.floor);
  const liquidity = ctx.account(ctx.accounts.depthReserve).free;
  if (!inputs.oracle) return { gate: () => (floor === null ? null : liquidity >= floor), liquidity, floor, judged: undefined };
  const sureGain = (inputs.specVersion ?? 0) >= 104;
  const deficitWith = (carried) => (floor === null ? 0n : satSub(floor, liquidity + carried));
  const deficit = deficitWith(ctx.carry.depth);
  const blocks = BigInt(inputs.turnLength);
  const outstandingNow = satSub(out.totalIssuedAfter, ctx.recycledTotal);
  const headroom = satSub(satSub(U128_MAX, BigInt(inputs.issuanceBase ?? 0)), out.totalIssuedAfter);
  const next = ctx.block + 1n > U32_MAX ? U32_MAX : ctx.block + 1n;
  const first0 = blockEmission(ctx.schedule, next, outstandingNow);
  const first = first0 < headroom ? first0 : headroom;
  const most = satAdd(0n, first * blocks);
  const last = blockEmission(ctx.schedule, ctx.block + blocks, satAdd(outstandingNow, most));
  let lowest = last < first ? last : first;
  if (sureGain && satSub(headroom, most) < lowest) lowest = satSub(headroom, most);
  const minEmission = deficit === 0n && !sureGain ? 0n : lowest;
  const gate = (id) => {
    if (floor === null) return null;
    const t = tines.find((x) => x.id === id);
    if (!sureGain) return floorWouldHold(t, deficit, minEmission, inputs.turnLength);
    return floorWouldHold(t, deficitWith(sameConfig(inputs.activeTine, t) ? ctx.carry.depth : 0n), minEmission, inputs.turnLength, true);
  };
  return { gate, liquidity, floor, judged: { deficit, minEmission, blocks: inputs.turnLength } };
}

/** Step 4: at a turn's close, the fork: the winner kept (its gate passing), the rest cut. */
export function closeTurn (ctx, out) {
  const { inputs, constants } = ctx;
  if (ctx.block < BigInt(inputs.turnStart) + BigInt(inputs.turnLength)) return;
  const turn = inputs.currentTurn;
  const tines = [...inputs.tines].sort((a, b) => cmp(a.key, b.key)).slice(0, constants.maxTines);
  const candidates = tines.map((t) => ({
    id: t.id,
    bornAtTurn: t.bornAtTurn,
    reading: inputs.oracle
      ? aggregate(inputs.oracle.submissions[t.id] ?? [], inputs.oracle.feeders, inputs.oracle.quorum)
      : inputs.readings[t.id] ?? null
  })).map((c) => ({ ...c, measure: measure(c.reading, inputs.measureWeights) }));
  const { gate, liquidity, floor, judged } = gateOf(ctx, out, tines);
  if (judged) out.gate = judged;
  const outcome = choose(candidates, gate);
  out.fork = { turn, candidates, liquidity, floor, ...outcome };
  if (outcome.kept !== null) {
    const kept = tines.find((t) => t.id === outcome.kept);
    if (!sameConfig(inputs.activeTine, kept)) {
      const carried = ctx.carry.depth + ctx.carry.parts.reduce((x, y) => x + y, 0n);
      ctx.carry = { depth: 0n, parts: [] };
      ctx.recycle(null, 'RetiredReserves', carried);
    }
    out.activeTineAfter = outcome.kept;
  }
  ctx.events.push({ section: 'emission', method: 'ForkDecided', data: { turn, kept: outcome.kept, cut: outcome.cut, refused: outcome.refused } });
  out.currentTurnAfter = turn + 1;
  out.turnStartAfter = ctx.block;
}
