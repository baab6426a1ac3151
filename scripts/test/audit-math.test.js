// The audit tool's BigInt maths (lib/fixed.js, lib/model.js) at its boundaries, with values worked
// out by hand from the pallet's documented rounding, and property checks over random inputs.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { ONE_32, ONE_64, U128_MAX, fixedDiv, fixedI128Mul, fixedMul, mulDivFloor, perbillMulFloor } from '../lib/fixed.js';
import {
  EXACT_DECAYS, amountForShare, blockEmission, choose, decayed, epochIsDue, filterPipeline,
  aggregate, floorWouldHold, measure, normalizeKeys, rateKeys, rootPropOf, settleEpoch, splitEmission, topProportionCount, utilization, withhold
} from '../lib/model.js';
import fs from 'node:fs';

import { Metadata, TypeRegistry } from '@polkadot/types';
import { compactToU8a, u8aConcat } from '@polkadot/util';

import { csv } from '../lib/report.js';
import { canonical, checksumOf, depthReserveAccount, factorParts, reserveAccount } from '../lib/snapshot.js';
import { exactUtilization, within } from '../lib/verify.js';
import { Skippers, compactAt, splitVec } from '../lib/scale.js';

const m = (obj) => new Map(Object.entries(obj).map(([k, v]) => [Number(k), BigInt(v)]));
const sum = (map) => [...map.values()].reduce((a, b) => a + b, 0n);

/** A small deterministic PRNG (mulberry32) for the property checks. */
function rng (seed) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('fixed-point primitives', () => {
  it('multiply floors, divide floors, overflow and division by 0 are caught', () => {
    assert.equal(fixedMul(ONE_64 / 3n, 3n * ONE_64, 64), ONE_64 - 1n);
    assert.equal(fixedMul(U128_MAX, U128_MAX, 64), U128_MAX, 'saturates');
    assert.equal(fixedDiv(ONE_64, 3n * ONE_64, 64), ONE_64 / 3n);
    assert.equal(fixedDiv(1n, 0n, 64), null);
    assert.equal(fixedDiv(U128_MAX, 1n, 64), null, 'overflow');
    assert.equal(mulDivFloor(10n, 2n, 3n), 6n);
    assert.equal(mulDivFloor(1n, 1n, 0n), null);
    assert.equal(mulDivFloor(U128_MAX, 2n, 1n), null);
    assert.equal(perbillMulFloor(333_333_333, 10n), 3n);
  });

  it('FixedI128 multiplication rounds toward zero on both signs', () => {
    const third = 333_333_333_333_333_333n;
    assert.equal(fixedI128Mul(third, 3n * 10n ** 18n), 999_999_999_999_999_999n);
    assert.equal(fixedI128Mul(-third, 3n * 10n ** 18n), -999_999_999_999_999_999n);
    assert.equal(fixedI128Mul(-1n, 1n), 0n);
  });
});

describe('filters', () => {
  it('normalize_keys: shares of 1, an all-zero map stays zero, a sum past 2^128 shifted first', () => {
    assert.deepEqual(normalizeKeys(m({ 1: 1, 2: 1 })), m({ 1: ONE_64 / 2n, 2: ONE_64 / 2n }));
    assert.deepEqual(normalizeKeys(m({ 1: 1, 2: 2 })), m({ 1: ONE_64 / 3n, 2: (2n * ONE_64) / 3n }));
    assert.deepEqual(normalizeKeys(m({ 1: 0, 2: 0 })), m({ 1: 0, 2: 0 }));
    assert.deepEqual(normalizeKeys(new Map()), new Map());
    // Σ = 2^129 − 2: shifted by 1 bit, each (2^127 − 1) of 2^128 − 2, exactly one half.
    const big = normalizeKeys(m({ 1: U128_MAX, 2: U128_MAX }));
    assert.equal(big.get(1), ONE_64 / 2n);
  });

  const keep = (settings) => ({ erpScaling: false, topProportion: 1_000_000, absoluteLimit: null, ...settings });

  it('a cut keeps ties at the cut; the pipeline normalizes the survivors', () => {
    // Top 50 % of 4 subnets keeps 2, and the tie at the second place keeps a third.
    const stages = filterPipeline(m({ 1: 3, 2: 2, 3: 2, 4: 1 }), keep({ topProportion: 500_000 }), new Map(), new Map());
    assert.deepEqual([...stages.afterTopProportion].filter(([, v]) => v > 0n).map(([n]) => n), [1, 2, 3]);
    assert.equal(stages.afterTopProportion.get(1), (3n * ONE_64) / 7n);
    // The same cut as an absolute limit of 2.
    const limited = filterPipeline(m({ 1: 3, 2: 2, 3: 2, 4: 1 }), keep({ absoluteLimit: 2 }), new Map(), new Map());
    assert.deepEqual(limited.afterAbsoluteLimit, stages.afterTopProportion);
  });

  it('top proportion: max(ceil(n · p), 1), 100 % unchanged; absolute limit counts non-zero shares', () => {
    assert.equal(topProportionCount(3, 500_000), 2);
    assert.equal(topProportionCount(3, 333_333), 1);
    assert.equal(topProportionCount(3, 333_334), 2);
    assert.equal(topProportionCount(0, 1), 1);
    assert.equal(topProportionCount(1024, 1_000_000), 1024);
    const base = m({ 1: 5, 2: 0, 3: 1 });
    const none = filterPipeline(base, keep({}), new Map(), new Map()).afterAbsoluteLimit;
    assert.deepEqual(none, m({ 1: (5n * ONE_64) / 6n, 2: 0, 3: ONE_64 / 6n }));
    assert.deepEqual(filterPipeline(base, keep({ absoluteLimit: 2 }), new Map(), new Map()).afterAbsoluteLimit, none, '2 non-zero shares, limit 2');
    assert.deepEqual(filterPipeline(base, keep({ absoluteLimit: 1 }), new Map(), new Map()).afterAbsoluteLimit, m({ 1: ONE_64, 2: 0, 3: 0 }));
  });

  it('the pipeline with ERP scaling uses min(ERP, RootProp) and drops a missing entry to 0', () => {
    const stages = filterPipeline(m({ 1: 100, 2: 60, 3: 30 }), { erpScaling: true, topProportion: 1_000_000, absoluteLimit: null },
      m({ 1: ONE_32 / 2n, 2: ONE_32 }), m({ 1: ONE_32, 2: ONE_32 / 4n }));
    // 100 · 1/2 = 50 and 60 · 1/4 = 15: 50/65 and 15/65; subnet 3 has no ERP.
    assert.equal(stages.afterErpScaling.get(3), 0n);
    // Decided on exact keys and normalized once: floor(2⁶⁴ · 50/65) = floor(2⁶⁴ · 10/13).
    assert.equal(stages.afterErpScaling.get(1), ONE_64 * 10n / 13n);
    assert.equal(stages.afterErpScaling.get(2), ONE_64 * 3n / 13n);
  });

  it('rates come before the filters: 0 % is out of the cut, 50 % halves the key; none set leaves the keys', () => {
    const off = { erpScaling: false, topProportion: 1_000_000, absoluteLimit: null };
    const rates = new Map([[3, 0], [2, 500_000_000]]);
    const stages = filterPipeline(m({ 1: 100, 2: 60, 3: 30 }), off, new Map(), new Map(), rates);
    // Keys 100·10⁹, 30·10⁹, 0: 10/13 and 3/13.
    assert.equal(stages.base.get(3), ONE_64 * 30n / 190n);
    assert.deepEqual(stages.afterRate, m({ 1: ONE_64 * 10n / 13n, 2: ONE_64 * 3n / 13n, 3: 0 }));
    assert.deepEqual(stages.afterAbsoluteLimit, stages.afterRate);
    // With at most one subnet, the largest (subnet 1) survives; subnet 3 at 0 % is never kept.
    const one = filterPipeline(m({ 1: 10, 2: 10, 3: 30 }), { ...off, absoluteLimit: 1 }, new Map(), new Map(), new Map([[3, 0]]));
    assert.deepEqual(one.afterAbsoluteLimit, m({ 1: ONE_64 / 2n, 2: ONE_64 / 2n, 3: 0 }), 'subnets 1 and 2 tie at the cut');
    // Rates of subnets not in the set change nothing (the keys keep their values).
    const keys = m({ 1: 7, 2: 9 });
    assert.equal(rateKeys(keys, new Map([[5, 0]])), keys);
    assert.deepEqual(rateKeys(keys, new Map([[2, 1]])), m({ 1: 7_000_000_000, 2: 9 }));
  });

  it('the exact reference renormalizes after every stage: rates, ERP, ties kept at a cut', async () => {
    const { exactStages, exactAmount } = await import('../lib/reference.js');
    const off = { erpScaling: false, topProportion: 1_000_000, absoluteLimit: null };
    const weights = new Map([[1, 100n], [2, 60n], [3, 30n]]);
    let st = exactStages(weights, off, new Map(), new Map(), new Map([[3, 0n]]));
    assert.deepEqual(st.afterRate, new Map([[1, [5n, 8n]], [2, [3n, 8n]], [3, [0n, 1n]]]));
    assert.equal(exactAmount(1_000n, st.afterAbsoluteLimit.get(1)), 625n);
    // ERP: subnet 1 at min(1/2, 1) and subnet 2 at min(1, 1/4): 50 : 15, subnet 3 without a value.
    st = exactStages(weights, { ...off, erpScaling: true }, new Map([[1, ONE_32 / 2n], [2, ONE_32]]), new Map([[1, ONE_32], [2, ONE_32 / 4n]]));
    assert.deepEqual(st.afterErpScaling, new Map([[1, [10n, 13n]], [2, [3n, 13n]], [3, [0n, 1n]]]));
    // A third each (not exact in binary), a limit of 1: all three tie at the cut and are kept.
    st = exactStages(new Map([[1, 7n], [2, 7n], [3, 7n]]), { ...off, absoluteLimit: 1 }, new Map(), new Map());
    assert.deepEqual(st.afterAbsoluteLimit, new Map([[1, [1n, 3n]], [2, [1n, 3n]], [3, [1n, 3n]]]));
    // Top 50 % of 3: ceil(1.5) = 2, the cut at 60: subnets 1 and 2, 100/160 and 60/160.
    st = exactStages(weights, { ...off, topProportion: 500_000 }, new Map(), new Map());
    assert.deepEqual(st.afterTopProportion, new Map([[1, [5n, 8n]], [2, [3n, 8n]], [3, [0n, 1n]]]));
  });

  it('normalizing keys past 2^128 shifts them by the excess bits first, as the runtime does', () => {
    // Two keys of 2^127 + 1 and one of 2^126: the sum needs 129 bits, so every key is shifted right
    // by 1: 2^126, 2^126, 2^125; shares 2/5, 2/5, 1/5 of 2^64, floored.
    const big = (1n << 127n) + 1n;
    const shares = normalizeKeys(new Map([[1, big], [2, big], [3, 1n << 126n]]));
    assert.deepEqual(shares, new Map([[1, ONE_64 * 2n / 5n], [2, ONE_64 * 2n / 5n], [3, ONE_64 / 5n]]));
  });

  it('split: floor per subnet in netuid order, the dust recycled, never more than the amount', () => {
    const { amounts, recycled } = splitEmission(1_000_000_000_000n, normalizeKeys(m({ 1: 100, 2: 60, 3: 30 })));
    assert.deepEqual(amounts, m({ 1: 526_315_789_473n, 2: 315_789_473_684n, 3: 157_894_736_842n }));
    assert.equal(recycled, 1n);
    assert.equal(amountForShare(7n, ONE_64 * 2n), 7n, 'a share above 1 counts as 1');
  });
});

describe('schedule, epochs, fork', () => {
  it('block emission decays per epoch of the schedule and stops at the supply cap', () => {
    const schedule = { initial: '1000000000000', decayFactor: '990000000000000000', epochLength: 1000, supplyCap: '5000' };
    assert.equal(blockEmission({ ...schedule, supplyCap: null }, 999, 0n), 1_000_000_000_000n);
    // 10¹² · 0.99 exactly (the Perbill schedule's U64F64 power gave 989,999,999,999).
    assert.equal(blockEmission({ ...schedule, supplyCap: null }, 1000, 0n), 990_000_000_000n);
    assert.equal(blockEmission(schedule, 1, 4_990n), 10n, 'what the cap leaves');
    assert.equal(blockEmission(schedule, 1, 6_000n), 0n);
    assert.equal(blockEmission(null, 1, 0n), 0n);
  });

  it('the schedule is the exact floor: Gonka epoch 267 and the boundaries', () => {
    // The acceptance value: 323·10¹² at 0.9995251127946402, 266 decays.
    assert.equal(decayed(323_000_000_000_000n, 999_525_112_794_640_200n, 266n), 284_661_946_392_231n);
    // 1000 · 0.3³ = 27 exactly; 999 · 0.027 = 26.973.
    assert.equal(decayed(1000n, 300_000_000_000_000_000n, 3n), 27n);
    assert.equal(decayed(999n, 300_000_000_000_000_000n, 3n), 26n);
    // 10¹⁸ · (1 − 10⁻¹⁸)² = 10¹⁸ − 2 + 10⁻¹⁸.
    assert.equal(decayed(10n ** 18n, 10n ** 18n - 1n, 2n), 10n ** 18n - 2n);
    assert.equal(decayed(U128_MAX, 0n, 1n), 0n);
    assert.equal(decayed(U128_MAX, 0n, 0n), U128_MAX);
    // Beyond the exact range, the bracket: 2¹⁰⁰ · 2⁻⁷⁰⁰⁰⁰ is 0; 1 − 10⁻¹⁸ over 2⁶⁴ − 1 decays
    // leaves e^−18.4467… ≈ 9.7427·10⁻⁹.
    assert.equal(decayed(1n << 100n, 500_000_000_000_000_000n, 70_000n), 0n);
    const last = decayed(U128_MAX, 10n ** 18n - 1n, (1n << 64n) - 1n);
    assert.ok(last > U128_MAX / 110_000_000n && last < U128_MAX / 100_000_000n, String(last));
    // Just past the switch the bracket gives the exact rational's floor (0.999999 = 999999/10⁶
    // keeps the rational small enough to compute here).
    const k = EXACT_DECAYS + 1n;
    assert.equal(decayed(10n ** 30n, 999_999_000_000_000_000n, k), (10n ** 30n * 999_999n ** k) / 10n ** (6n * k));
  });

  it('epochs are due at (block + netuid + 1) % (tempo + 1) == 0', () => {
    assert.equal(epochIsDue(1, 4, 3), true);
    assert.equal(epochIsDue(1, 4, 4), false);
    assert.equal(epochIsDue(0, 0, 7), true, 'tempo 0: every block');
  });

  it('utilization: full, exactly 1/2 (not capped), below 1/2 (capped), no dividends', () => {
    const s = (obj) => new Map(Object.entries(obj).map(([k, v]) => [k, BigInt(v) << 32n]));
    assert.equal(utilization(s({ a: 1, b: 1 }), s({ a: 1, b: 1 })), ONE_32);
    assert.equal(utilization(s({ a: 1, b: 1 }), s({ a: 1 })), ONE_32 / 2n);
    assert.equal(utilization(s({ a: 1 }), s({})), 0n);
    const half = settleEpoch(new Map([['a', 10n]]), new Map([['a', 5n]]), new Map([['a', 1n], ['b', 1n]]));
    assert.equal(half.capped, false);
    assert.equal(half.effectiveRootProp, fixedMul(fixedDiv(5n << 32n, 15n << 32n, 32), ONE_32 / 2n, 32));
    const third = settleEpoch(new Map([['a', 10n]]), new Map([['a', 5n]]), new Map([['a', 1n], ['b', 2n]]));
    assert.equal(third.capped, true);
    assert.equal(third.effectiveRootProp, 0n);
    assert.equal(third.recycled, 5n);
    assert.equal(settleEpoch(new Map([['a', 5n]]), new Map([['a', 5n]]), new Map([['a', 1n], ['b', 2n]]), { hardCap: false }).capped, false);
  });

  it('RootProp weights root stake by the TAO weight', () => {
    // 18 % of 1000 = 180; 180 / (1000 + 180)
    assert.equal(rootPropOf(1000n, 1000n, 180_000_000), fixedDiv(180n << 32n, 1180n << 32n, 32));
    assert.equal(rootPropOf(0n, 0n, 180_000_000), 0n);
  });

  it('measure: the weighted sum; none when the floor fell, a field or a weight is missing', () => {
    const w = { reserveGrowth: 500_000_000, depthStability: 300_000_000, retention: 200_000_000 };
    const r = { reserveGrowthPpm: '100000', depthStability: 800_000_000, floorHeld: true, retention: 500_000_000 };
    assert.equal(measure(r, w), 390_000_000_000_000_000n);
    assert.equal(measure({ ...r, reserveGrowthPpm: '-200000', depthStability: 0, retention: 0 }, w), -100_000_000_000_000_000n);
    assert.equal(measure({ ...r, floorHeld: false }, w), null);
    for (const field of Object.keys(r)) assert.equal(measure({ ...r, [field]: null }, w), null, field);
    for (const field of Object.keys(w)) assert.equal(measure(r, { ...w, [field]: null }), null, field);
    assert.equal(measure(null, w), null);
  });

  it('choose: highest measure, ties to the older tine then the lower id; the gate refuses', () => {
    const c = (id, bornAtTurn, measure) => ({ id, bornAtTurn, measure });
    assert.equal(choose([c('0x01', 5, 7n), c('0x02', 3, 7n)], () => true).kept, '0x02');
    assert.equal(choose([c('0x09', 3, 7n), c('0x04', 3, 7n)], () => true).kept, '0x04');
    assert.deepEqual(choose([c('0x01', 0, 1n), c('0x02', 0, 3n), c('0x03', 0, null)], () => true).cut,
      [{ id: '0x01', gap: 2n }, { id: '0x03', gap: null }]);
    assert.equal(choose([c('0x01', 0, null)], () => true).refused, 'NoMeasurableTine');
    assert.equal(choose([c('0x01', 0, 1n)], () => false).refused, 'FloorWouldFall');
    assert.equal(choose([c('0x01', 0, 1n)], () => null).refused, 'FloorUnreadable');
  });

  it('withhold: the fee floored, the split floored, the dust to the depth reserve', () => {
    const w = withhold(1_000_001n, 3_000, 333_333_333, [700_000_000, 300_000_000]);
    assert.equal(w.withheld, 300_000n);
    // depth 99_999; rest 200_001 → 140_000 and 60_000; dust 1 → depth 100_000
    assert.deepEqual(w.parts, [140_000n, 60_000n]);
    assert.equal(w.toDepth, 100_000n);
    assert.equal(w.toDepth + w.parts[0] + w.parts[1], w.withheld);
    assert.equal(withhold(9n, 10_000, 0, [1_000_000_000]).withheld, 9n);
    assert.equal(withhold(9n, 65_535, 0, [1_000_000_000]).withheld, 9n, 'fee above 100 % counts as 100 %');
  });

  it('withhold leans floorPull of the rest toward depth while the floor is short, never past the deficit', () => {
    // 10_000 at 300 bps: 300; feed 10 % = 30; rest 270; pull 1/3 (333_333_333) → ⌊89.99…⌋ = 89;
    // 181 split 1/3, 2/3 (666_666_667) → 60, 120, dust 1: depth 120.
    const split = [333_333_333, 666_666_667];
    assert.deepEqual(withhold(10_000n, 300, 100_000_000, split, 333_333_333, 1_000_000n),
      { withheld: 300n, toDepth: 120n, leaned: 89n, parts: [60n, 120n] });
    // 50 short: the feed gives 30, the lean the 20 left; 250 → 83, 166, dust 1.
    assert.deepEqual(withhold(10_000n, 300, 100_000_000, split, 333_333_333, 50n),
      { withheld: 300n, toDepth: 51n, leaned: 20n, parts: [83n, 166n] });
    assert.equal(withhold(10_000n, 300, 100_000_000, split, 333_333_333, 30n).leaned, 0n);
    assert.equal(withhold(10_000n, 300, 100_000_000, split, 333_333_333, 31n).leaned, 1n);
  });

  it('floorWouldHold tells apart configs that differ only in depth feed or floor pull', () => {
    const cfg = (depthFeed, floorPull, split = [{ weight: 1_000_000_000 }]) => ({ feeBps: 300, depthFeed, floorPull, split });
    assert.equal(floorWouldHold(cfg(200_000_000, 0), 600n, 10_000n, 10), true);
    assert.equal(floorWouldHold(cfg(190_000_000, 0), 600n, 10_000n, 10), false);
    const thirds = [{ weight: 333_333_333 }, { weight: 666_666_667 }];
    assert.equal(floorWouldHold(cfg(100_000_000, 333_333_333, thirds), 1_200n, 10_000n, 10), true);
    assert.equal(floorWouldHold(cfg(100_000_000, 333_333_333, thirds), 1_201n, 10_000n, 10), false);
    assert.equal(floorWouldHold(cfg(100_000_000, 0, thirds), 1_200n, 10_000n, 10), false);
    assert.equal(floorWouldHold(cfg(0, 0), 0n, 0n, 0), true, 'a met floor holds');
  });

  it('floorWouldHold from spec 104: the sure gain (feed and full lean), never the split\'s dust', () => {
    const thirds = [{ weight: 333_333_333 }, { weight: 666_666_667 }];
    const cfg = (feeBps, depthFeed, floorPull, split) => ({ feeBps, depthFeed, floorPull, split });
    // Fee 300 bps of 10,000 = 300; feed 10 % = 30; pull 1/3 of 270 = 89: 119 a block, 1,190 in
    // 10 blocks (the old gate counted the dust of 1 too: 1,200).
    assert.equal(floorWouldHold(cfg(300, 100_000_000, 333_333_333, thirds), 1_190n, 10_000n, 10, true), true);
    assert.equal(floorWouldHold(cfg(300, 100_000_000, 333_333_333, thirds), 1_191n, 10_000n, 10, true), false);
    assert.equal(floorWouldHold(cfg(300, 100_000_000, 333_333_333, thirds), 1_200n, 10_000n, 10, false), true);
    // Fee 100 %, no feed, no pull, halves: only dust reaches depth (1 of 999, 0 of 1,000). The old
    // gate passed 10 × 1 ≥ 10 on a lowest emission of 999; the sure gain is 0.
    const halves = [{ weight: 500_000_000 }, { weight: 500_000_000 }];
    assert.equal(floorWouldHold(cfg(10_000, 0, 0, halves), 10n, 999n, 10, false), true);
    assert.equal(floorWouldHold(cfg(10_000, 0, 0, halves), 10n, 999n, 10, true), false);
  });

  it('aggregate: the lower median per field of the current feeders, missing below the quorum', () => {
    const r = (g, d, f) => ({ reserveGrowthPpm: g === null ? null : String(g), depthStability: d, floorHeld: f, retention: d });
    const subs = [
      { feeder: '0xa1', reading: r(50_000, 800_000_000, true) },
      { feeder: '0xa2', reading: r(-900_000, 100_000_000, false) },
      { feeder: '0xa3', reading: r(60_000, 700_000_000, true) }
    ];
    assert.deepEqual(aggregate(subs, ['0xa1', '0xa2', '0xa3'], 2), r(50_000, 700_000_000, true));
    // An even count takes the lower middle; a tie on the floor is false.
    assert.deepEqual(aggregate(subs, ['0xa1', '0xa2'], 2), r(-900_000, 100_000_000, false));
    // A submission by an account that is no longer a feeder does not count: below quorum 2.
    assert.deepEqual(aggregate(subs, ['0xa1'], 2), r(null, null, null));
    assert.deepEqual(aggregate(subs, ['0xa1'], 1), r(50_000, 800_000_000, true));
  });
});

describe('properties over random inputs', () => {
  it('normalized keys sum to 1 within n units (or stay 0); an absolute limit of k keeps ≥ min(k, non-zero) and every tie', () => {
    const next = rng(42);
    for (let round = 0; round < 500; round++) {
      const n = 1 + Math.floor(next() * 40);
      const keys = new Map();
      for (let i = 0; i < n; i++) keys.set(i, next() < 0.2 ? 0n : BigInt(Math.floor(next() * 1e6)) * (next() < 0.1 ? 1n << 90n : 1n));
      const norm = normalizeKeys(keys);
      const total = sum(norm);
      if (sum(keys) === 0n) assert.equal(total, 0n);
      else assert.ok(total <= ONE_64 && ONE_64 - total <= BigInt(n) + 1n, `sum ${total}`);
      const k = 1 + Math.floor(next() * (n + 1));
      const kept = filterPipeline(keys, { erpScaling: false, topProportion: 1_000_000, absoluteLimit: k }, new Map(), new Map()).afterAbsoluteLimit;
      // Shares are monotone in the keys, and a kept key's share can only grow: the largest
      // min(k, non-zero shares) keys keep a non-zero share.
      const nonZero = [...keys.values()].filter((v) => v > 0n).length;
      const nonZeroShares = [...norm.values()].filter((v) => v > 0n).length;
      const survivors = [...kept.values()].filter((v) => v > 0n).length;
      assert.ok(survivors >= Math.min(k, nonZeroShares), `k ${k} survivors ${survivors}`);
      if (k < nonZero) {
        const kth = [...keys.values()].sort((a, b) => (a > b ? -1 : a < b ? 1 : 0))[k - 1];
        for (const [id, v] of keys) if (v === kth && norm.get(id) > 0n) assert.ok(kept.get(id) > 0n, 'a tie at the cut survives');
      } else {
        assert.deepEqual(kept, norm, 'no cut: the normalized keys');
      }
      const { amounts, recycled } = splitEmission(1_000_000_000_000n, kept);
      assert.equal(sum(amounts) + recycled, 1_000_000_000_000n, 'conservation');
    }
  });

  it('utilization and ERP stay in [0, 1]', () => {
    const next = rng(7);
    for (let round = 0; round < 300; round++) {
      const stakes = new Map();
      const alpha = new Map();
      const root = new Map();
      for (let i = 0; i < 1 + Math.floor(next() * 10); i++) {
        const key = `k${i}`;
        if (next() < 0.8) stakes.set(key, BigInt(Math.floor(next() * 1e9)));
        if (next() < 0.7) root.set(key, BigInt(Math.floor(next() * 1e12)));
        if (next() < 0.7) alpha.set(key, BigInt(Math.floor(next() * 1e12)));
      }
      const s = settleEpoch(alpha, root, stakes);
      assert.ok(s.utilization >= 0n && s.utilization <= ONE_32);
      assert.ok(s.effectiveRootProp >= 0n && s.effectiveRootProp <= ONE_32);
      assert.equal(s.capped, s.rootTotal > 0n && s.utilization < ONE_32 / 2n);
    }
  });
});

describe('snapshot helpers', () => {
  it('derives the pallet accounts as PalletId sub-accounts', () => {
    const emission = new TextEncoder().encode('py/emisn');
    // "modl" "py/emisn" "depth", zero-padded to 32 bytes
    assert.equal(depthReserveAccount(emission), '0x6d6f646c70792f656d69736e6465707468' + '0'.repeat(30));
    // ... the first 20 bytes of blake2_256("reserve" ++ compact(8) ++ "treasury"): the same account
    // as the runtime's test `reserve_accounts_hash_the_whole_name`
    assert.equal(reserveAccount(emission, '0x7472656173757279'), '0x6d6f646c70792f656d69736e0be29c716019bb356b5fc518545182de9de82cac');
    // names alike in their first 12 bytes get two accounts
    const hex = (s) => '0x' + Buffer.from(s).toString('hex');
    assert.notEqual(reserveAccount(emission, hex('treasury-main-a')), reserveAccount(emission, hex('treasury-main-b')));
  });

  it('the checksum covers every field in a canonical order', () => {
    assert.equal(canonical({ b: 1, a: [{ d: 2, c: 3 }] }), '{"a":[{"c":3,"d":2}],"b":1}');
    const snap = { format: 'x', inputs: { a: '1' } };
    snap.checksum = checksumOf(snap);
    assert.equal(checksumOf({ inputs: { a: '1' }, format: 'x', checksum: 'ignored' }), snap.checksum);
    assert.notEqual(checksumOf({ ...snap, inputs: { a: '2' } }), snap.checksum);
  });
});

describe('exact decisions (issue 12)', () => {
  it('the hard cap at exactly 1/2 reached by thirds: stakes [2, 2, 2], root dividends [1, 2, 15]', () => {
    // By hand: (1/3 + 2/3 + 2) / 6 = 1/2 exactly, not capped; the rounded U96F32 value is below 1/2.
    const stakes = new Map([['a', 2n], ['b', 2n], ['c', 2n]]);
    const root = new Map([['a', 1n], ['b', 2n], ['c', 15n]]);
    const s = settleEpoch(new Map([['a', 100n]]), root, stakes);
    assert.equal(s.capped, false);
    assert.ok(s.utilization < ONE_32 / 2n, 'stored rounded down');
    const exact = exactUtilization([['a', '2'], ['b', '2'], ['c', '2']], [['a', '1'], ['b', '2'], ['c', '15']], 18n);
    assert.equal(exact.belowHalf, false);
    assert.equal(exact.num * 2n, exact.den);
    // One unit less for the first: (0 + 12/17 + 2) / 6 = 46/102 < 1/2: capped.
    assert.equal(settleEpoch(new Map(), new Map([['b', 2n], ['c', 15n]]), stakes).capped, true);
  });

  it('RootProp of a tiny root stake is not floored to 0', () => {
    assert.equal(rootPropOf(1n, 0n, 180_000_000), ONE_32);
    assert.equal(rootPropOf(1n, 1n, 180_000_000), (9n << 32n) / 59n);
  });
});

describe('the schedule factor across the v0 → v1 layouts', () => {
  const registry = new TypeRegistry();
  it('reads a v0 Perbill as parts per 10¹⁸ (× 10⁹, as the migration) and a v1 Perquintill as is', () => {
    assert.equal(factorParts(registry.createType('Perbill', 990_000_000)), '990000000000000000');
    assert.equal(factorParts(registry.createType('Perbill', 1)), '1000000000');
    assert.equal(factorParts(registry.createType('Perquintill', '995000000000000001')), '995000000000000001');
    assert.equal(factorParts(registry.createType('Perquintill', '999999999999999999')), '999999999999999999');
    assert.throws(() => factorParts(registry.createType('u16', 5)), /neither Perbill/);
    assert.throws(() => factorParts(registry.createType('u128', 5)), /neither Perbill/);
  });
});

describe('the CSV output (RFC 4180)', () => {
  it('quotes a field holding a comma, a quote, a line feed or a carriage return, and nothing else', () => {
    const out = csv(['name', 'value'], [
      ['plain', 'a b'],
      ['cr', 'x\ry'],
      ['crlf', 'x\r\ny'],
      ['lf', 'x\ny'],
      ['comma', '1,2'],
      ['quote', 'say "hi"'],
      ['empty', null]
    ]);
    assert.equal(out, [
      'name,value',
      'plain,a b',
      'cr,"x\ry"',
      'crlf,"x\r\ny"',
      'lf,"x\ny"',
      'comma,"1,2"',
      'quote,"say ""hi"""',
      'empty,',
      ''
    ].join('\n'));
  });
});

describe('splitting a storage vector into its elements (lib/scale.js)', () => {
  // The dev runtime's metadata as committed for PAPI: real event types, no node needed.
  const registry = new TypeRegistry();
  registry.setMetadata(new Metadata(registry, fs.readFileSync(new URL('../.papi/metadata/emission.scale', import.meta.url))));
  const pallet = (name) => registry.metadata.pallets.find((p) => p.name.eq(name));
  const eventsId = pallet('System').storage.unwrap().items.find((i) => i.name.eq('Events')).type.asPlain;
  const recordId = registry.lookup.getSiType(eventsId).def.asSequence.type;
  const [phaseT, , topicsT] = registry.lookup.getSiType(recordId).def.asComposite.fields.map((f) => registry.createLookupType(f.type));
  const event = (name, value) => {
    const p = pallet(name);
    return u8aConcat([p.index.toNumber()], registry.createType(registry.createLookupType(p.events.unwrap().type), value).toU8a());
  };
  const record = (phase, ev, topics) => u8aConcat(registry.createType(phaseT, phase).toU8a(), ev, registry.createType(topicsT, topics).toU8a());
  // Encoded field by field (each type on its own), so the lengths below are the encodings', not
  // the splitter's: 1 (phase) + 1 + 1 + 32 + 16 (Minted) + 1 (no topics) = 52, and so on.
  const records = [
    record({ Initialization: null }, event('Balances', { Minted: { who: '0x' + '11'.repeat(32), amount: 123456789n } }), []),
    record({ ApplyExtrinsic: 70000 }, event('Emission', { BlockEmissionDistributed: { issued: 1, withheld: 2, toSubnets: 3, recycled: 4, recipients: 5 } }), ['0x' + '22'.repeat(32)]),
    record({ Finalization: null }, event('System', { CodeUpdated: null }), [])
  ];

  it('compact lengths at the mode boundaries', () => {
    for (const n of [0, 1, 63, 64, 16383, 16384, 2 ** 30 - 1, 2 ** 30, 2 ** 32 + 5, 2 ** 48]) {
      const u8a = compactToU8a(n);
      assert.deepEqual(compactAt(u8a, 0), [n, u8a.length], `compact ${n}`);
    }
  });

  it('finds every event record\'s bytes, and gives up on bytes that are not such a vector', () => {
    assert.deepEqual(records.map((r) => r.length), [52, 108, 36]);
    const all = u8aConcat(compactToU8a(3), ...records);
    const skippers = new Skippers(registry.lookup);
    assert.deepEqual(splitVec(skippers, recordId, all), [[1, 53], [53, 161], [161, 197]]);
    const decoded = registry.createType(registry.createLookupType(eventsId), all);
    assert.deepEqual(decoded.map((r) => `${r.event.section}.${r.event.method}`), ['balances.Minted', 'emission.BlockEmissionDistributed', 'system.CodeUpdated']);
    assert.deepEqual(splitVec(skippers, recordId, compactToU8a(0)), []);
    // One byte short, one byte too many, a length prefix one too high, an event index no pallet has.
    assert.equal(splitVec(skippers, recordId, all.subarray(0, all.length - 1)), null);
    assert.equal(splitVec(skippers, recordId, u8aConcat(all, [0])), null);
    assert.equal(splitVec(skippers, recordId, u8aConcat(compactToU8a(4), ...records)), null);
    assert.equal(splitVec(skippers, recordId, u8aConcat(compactToU8a(1), [0, 0xfe, 0, 0])), null);
    // A length prefix far beyond the bytes is refused before any element is skipped.
    assert.equal(splitVec(skippers, recordId, u8aConcat(compactToU8a(2 ** 40), records[0])), null);
  });

describe('rows with a rounding bound', () => {
  it('are one-sided (the chain rounds down) and print the real difference', () => {
    // The chain's value is the exact one rounded down by at most 3.
    assert.deepEqual([within('g', 'q', 10n, 10n, 3n).ok, within('g', 'q', 10n, 10n, 3n).diff], [true, 0n]);
    assert.deepEqual([within('g', 'q', 13n, 10n, 3n).ok, within('g', 'q', 13n, 10n, 3n).diff], [true, 3n]);
    assert.equal(within('g', 'q', 14n, 10n, 3n).ok, false);
    // Above the exact value is not a rounding down: it fails even by one.
    assert.deepEqual([within('g', 'q', 10n, 11n, 3n).ok, within('g', 'q', 10n, 11n, 3n).diff], [false, -1n]);
  });
});
});
