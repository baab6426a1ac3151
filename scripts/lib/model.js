// The emission pallet's block, replayed from a snapshot's inputs in plain BigInt: the block emission,
// the active tine's withholding, the filter chain and the split, each due subnet epoch (utilization,
// RootProp, ERP, the hard cap, the dev economy's dividends) and the fork at turn close.
//
// This mirrors `pallets/emission/src/math` (mod.rs, fork.rs), `impls.rs` (the order of the steps)
// and `pallets/subnets/src/glue.rs` (the dev economy's dividends); it never calls the runtime.
// Numbers are BigInt; fixed-point values are their `bits`.

import {
  BILLION, FIXED_I128_DIV, ONE_32, ONE_64, U128_MAX,
  fixedDiv, fixedI128FromRational, fixedI128Mul, fixedMul, fromInt, i128SatAdd, mulDivFloor,
  perbillMulFloor, satAdd, satSub, u96ToU64f64
} from './fixed.js';

// ---------------------------------------------------------------------------------------------
// math/mod.rs

/** `normalize`: each share / Σ shares (floor); an all-zero map stays zero. Returns a new Map. */
export function normalize (shares) {
  let sum = 0n;
  let overflow = false;
  for (const v of shares.values()) {
    sum += v;
    if (sum > U128_MAX) overflow = true;
  }
  let out = new Map(shares);
  if (overflow) {
    const n = fromInt(shares.size, 64);
    out = new Map([...out].map(([k, v]) => [k, fixedDiv(v, n, 64) ?? 0n]));
    sum = 0n;
    for (const v of out.values()) sum = satAdd(sum, v);
  }
  if (sum === 0n) return out;
  return new Map([...out].map(([k, v]) => [k, fixedDiv(v, sum, 64) ?? 0n]));
}

/** `scale_by_effective_root_prop`: each share × min(ERP, RootProp) (missing = 0), then normalize. */
export function scaleByEffectiveRootProp (shares, erp, rootProp) {
  const scaled = new Map();
  for (const [netuid, share] of shares) {
    const e = erp.get(netuid) ?? 0n;
    const r = rootProp.get(netuid) ?? 0n;
    scaled.set(netuid, fixedMul(share, u96ToU64f64(e < r ? e : r), 64));
  }
  return normalize(scaled);
}

/** `keep_top_k`: keep the k largest (ties at the cut all kept), zero the rest, normalize. */
export function keepTopK (shares, k) {
  if (k >= shares.size) return new Map(shares);
  if (k === 0) return new Map([...shares].map(([n]) => [n, 0n]));
  const sorted = [...shares.values()].sort((a, b) => (a > b ? -1 : a < b ? 1 : 0));
  const threshold = sorted[k - 1];
  return normalize(new Map([...shares].map(([n, v]) => [n, v < threshold ? 0n : v])));
}

/** `top_proportion_count`: max(ceil(n · ppm / 10^6), 1). */
export function topProportionCount (n, ppm) {
  const scaled = BigInt(n) * BigInt(ppm);
  const k = (scaled + 999_999n) / 1_000_000n;
  return Math.max(Number(k), 1);
}

/** `top_proportion`: 100 % leaves the map unchanged. */
export function topProportion (shares, ppm) {
  if (ppm === 1_000_000) return new Map(shares);
  return keepTopK(shares, topProportionCount(shares.size, ppm));
}

/** `absolute_limit`: `null`, or no more non-zero shares than the limit, leaves it unchanged. */
export function absoluteLimit (shares, limit) {
  if (limit === null || limit === undefined) return new Map(shares);
  const nonZero = [...shares.values()].filter((v) => v > 0n).length;
  if (nonZero <= limit) return new Map(shares);
  return keepTopK(shares, limit);
}

/**
 * `normalize_keys`: floor(key · 2^64 / Σ keys) per key (all 0 when every key is 0). When the sum
 * reaches 2^128 (possible with emission rates, spec 106 on), every key is first shifted right by
 * the bit length of the sum's high 128 bits, as the runtime does.
 */
export function normalizeKeys (keys) {
  let exact = 0n;
  for (const k of keys.values()) exact += k;
  const shift = exact >> 128n === 0n ? 0n : BigInt((exact >> 128n).toString(2).length);
  const shifted = new Map([...keys].map(([n, k]) => [n, k >> shift]));
  let sum = 0n;
  for (const k of shifted.values()) sum = satAdd(sum, k);
  return new Map([...shifted].map(([n, k]) => {
    if (k === 0n || sum === 0n) return [n, 0n];
    return [n, k >= sum ? ONE_64 : (k << 64n) / sum];
  }));
}

/**
 * `rate_keys`: each key times its subnet's emission rate in parts per 10^9 (10^9 for a subnet
 * without a rate), when any subnet of the set has a rate; otherwise the keys as they are.
 * `rates`: Map netuid → parts per 10^9 (only rates below 100 %).
 */
export function rateKeys (keys, rates) {
  if (![...keys.keys()].some((n) => rates.has(n))) return keys;
  return new Map([...keys].map(([n, k]) => [n, k * BigInt(rates.get(n) ?? 1_000_000_000)]));
}

/** `keep_top_k_keys`: zero every key below the k-th largest (ties kept); `null` when k ≥ n. */
function keepTopKKeys (keys, k) {
  if (k >= keys.size) return null;
  if (k === 0) return new Map([...keys].map(([n]) => [n, 0n]));
  const sorted = [...keys.values()].sort((a, b) => (a > b ? -1 : a < b ? 1 : 0));
  const threshold = sorted[k - 1];
  return new Map([...keys].map(([n, v]) => [n, v < threshold ? 0n : v]));
}

/**
 * `filter_pipeline`: the chain decides on exact keys (base weight, × min(ERP, RootProp) bits
 * capped at 2^32 when ERP scaling is on); each stage's shares are the surviving keys normalized.
 */
export function filterPipeline (baseWeights, settings, erp, rootProp, rates = new Map()) {
  let keys = new Map([...baseWeights].map(([n, w]) => [n, BigInt(w)]));
  const base = normalizeKeys(keys);
  keys = rateKeys(keys, rates);
  const afterRate = normalizeKeys(keys);
  let values = afterRate;
  if (settings.erpScaling) {
    keys = new Map([...keys].map(([n, k]) => {
      const e = erp.get(n) ?? 0n;
      const r = rootProp.get(n) ?? 0n;
      let f = e < r ? e : r;
      if (f > ONE_32) f = ONE_32;
      return [n, k * f];
    }));
    values = normalizeKeys(keys);
  }
  const afterErpScaling = values;
  if (settings.topProportion !== 1_000_000) {
    const cut = keepTopKKeys(keys, topProportionCount(keys.size, settings.topProportion));
    if (cut) { keys = cut; values = normalizeKeys(keys); }
  }
  const afterTopProportion = values;
  if (settings.absoluteLimit !== null && settings.absoluteLimit !== undefined) {
    const nonZero = [...keys.values()].filter((k) => k > 0n).length;
    if (nonZero > settings.absoluteLimit) {
      const cut = keepTopKKeys(keys, settings.absoluteLimit);
      if (cut) { keys = cut; values = normalizeKeys(keys); }
    }
  }
  return { base, afterRate, afterErpScaling, afterTopProportion, afterAbsoluteLimit: values };
}

/** `amount_for_share`: floor(amount × min(share, 1)). */
export function amountForShare (amount, share) {
  return mulDivFloor(amount, share < ONE_64 ? share : ONE_64, ONE_64) ?? 0n;
}

/** `split_emission`: per-subnet amounts in netuid order (never more than what is left) and the rest. */
export function splitEmission (amount, shares) {
  let assigned = 0n;
  const amounts = new Map();
  for (const netuid of [...shares.keys()].sort((a, b) => a - b)) {
    const want = amountForShare(amount, shares.get(netuid));
    const left = satSub(amount, assigned);
    const part = want < left ? want : left;
    assigned += part;
    amounts.set(netuid, part);
  }
  return { amounts, recycled: satSub(amount, assigned) };
}

const QUINTILLION = 10n ** 18n;

/** The largest decay count the audit computes as an exact rational; a bracket beyond. */
export const EXACT_DECAYS = 65_536n;

/**
 * `decayed`: floor(initial × (parts / 10¹⁸)^k), the exact floor, computed independently of the
 * pallet's method: for k ≤ EXACT_DECAYS as the exact rational (integer powers of the numerator and
 * the denominator); beyond, bracketed at 2⁻⁵¹² (every product rounded outward), returning the lower
 * floor when the bracket straddles an integer (as the pallet documents for that case).
 */
export function decayed (initial, factorParts, k) {
  initial = BigInt(initial);
  const parts = BigInt(factorParts);
  k = BigInt(k);
  if (k === 0n || parts === QUINTILLION) return initial;
  if (initial === 0n || parts === 0n) return 0n;
  if (k <= EXACT_DECAYS) return (initial * parts ** k) / QUINTILLION ** k;
  const bits = 512n;
  const one = 1n << bits;
  const floorMul = (a, b) => (a * b) >> bits;
  const ceilMul = (a, b) => { const p = a * b; return (p >> bits) + ((p & (one - 1n)) === 0n ? 0n : 1n); };
  let lo = one; let hi = one;
  let baseLo = (parts << bits) / QUINTILLION;
  let baseHi = baseLo + (((parts << bits) % QUINTILLION) === 0n ? 0n : 1n);
  let e = k;
  while (e > 0n) {
    if (e & 1n) { lo = floorMul(lo, baseLo); hi = ceilMul(hi, baseHi); }
    e >>= 1n;
    if (e > 0n) { baseLo = floorMul(baseLo, baseLo); baseHi = ceilMul(baseHi, baseHi); }
  }
  return (initial * lo) >> bits;
}

/**
 * `block_emission`: floor(initial × factor^(block / epoch_length)), the factor in parts per 10¹⁸,
 * at most `cap − outstanding` (outstanding: issued and not recycled; recycled units do not count
 * against the cap).
 */
export function blockEmission (schedule, block, outstanding) {
  if (!schedule) return 0n;
  const epochLength = BigInt(schedule.epochLength);
  if (epochLength === 0n) return 0n;
  const exponent = BigInt(block) / epochLength;
  const amount = decayed(schedule.initial, schedule.decayFactor, exponent);
  if (schedule.supplyCap === null || schedule.supplyCap === undefined) return amount;
  const room = satSub(BigInt(schedule.supplyCap), outstanding);
  return amount < room ? amount : room;
}

/** `epoch_is_due`: (block + netuid + 1) % (tempo + 1) == 0. */
export function epochIsDue (netuid, tempo, block) {
  return (BigInt(block) + BigInt(netuid) + 1n) % (BigInt(tempo) + 1n) === 0n;
}

/** `root_prop`: floor(2^32 · root·w / (alpha·10^9 + root·w)), halving both stakes while it overflows u128. */
export function rootPropOf (rootStake, alphaStake, taoWeightParts) {
  const w = BigInt(taoWeightParts);
  let root = BigInt(rootStake);
  let alpha = BigInt(alphaStake);
  for (;;) {
    const weighted = root * w;
    const total = alpha * BILLION + weighted;
    if (weighted <= U128_MAX && alpha * BILLION <= U128_MAX && total <= U128_MAX) {
      if (weighted === 0n || total === 0n) return 0n;
      return (weighted << 32n) / total;
    }
    root >>= 1n;
    alpha >>= 1n;
  }
}

/**
 * `utilization_at_least_half`: 2 · Σ min(div_i · S, stake_i · D) ≥ S · D in exact integers
 * (S: registered stake, D: every root dividend); false when S or D is 0.
 */
export function utilizationAtLeastHalf (rootStakes, rootDividends) {
  let S = 0n;
  for (const v of rootStakes.values()) S = satAdd(S, v);
  let D = 0n;
  for (const v of rootDividends.values()) D = satAdd(D, v);
  if (S === 0n || D === 0n) return false;
  let earned = 0n;
  for (const [key, stake] of rootStakes) {
    const a = (rootDividends.get(key) ?? 0n) * S;
    const b = stake * D;
    earned += a < b ? a : b;
  }
  return 2n * earned >= S * D;
}

/** `utilization` over U96F32 stakes and dividends (Maps keyed alike). */
export function utilization (rootStakes, rootDividends) {
  let totalStake = 0n;
  for (const v of rootStakes.values()) totalStake = satAdd(totalStake, v);
  let totalDividends = 0n;
  for (const v of rootDividends.values()) totalDividends = satAdd(totalDividends, v);
  if (totalStake === 0n || totalDividends === 0n) return 0n;
  let earned = 0n;
  for (const [key, stake] of rootStakes) {
    const dividend = rootDividends.get(key) ?? 0n;
    const expected = mulDivFloor(dividend, totalStake, totalDividends) ?? 0n;
    earned = satAdd(earned, expected < stake ? expected : stake);
  }
  const u = fixedDiv(earned, totalStake, 32) ?? 0n;
  return u < ONE_32 ? u : ONE_32;
}

/** `HARD_CAP_THRESHOLD`: utilization 1/2 in U96F32. */
export const HARD_CAP_THRESHOLD = 1n << 31n;

/**
 * `settle_epoch` over per-validator Balance maps (Map<account hex, BigInt>). `hardCap: false`
 * lifts the hard cap (the no-hard-cap counterfactual).
 */
export function settleEpoch (alpha, root, rootStakes, { hardCap = true } = {}) {
  let alphaTotal = 0n;
  for (const v of alpha.values()) alphaTotal = satAdd(alphaTotal, v);
  let rootTotal = 0n;
  for (const v of root.values()) rootTotal = satAdd(rootTotal, v);
  const stakes = new Map([...rootStakes].map(([k, v]) => [k, fromInt(v, 32)]));
  const dividends = new Map([...root].map(([k, v]) => [k, fromInt(v, 32)]));
  const util = utilization(stakes, dividends);
  const a = fromInt(alphaTotal, 32);
  const r = fromInt(rootTotal, 32);
  const rawRootProp = fixedDiv(r, satAdd(a, r), 32) ?? 0n;
  const capped = hardCap && rootTotal > 0n && !utilizationAtLeastHalf(rootStakes, root);
  const effectiveRootProp = capped ? 0n : fixedMul(rawRootProp, util, 32);
  return {
    utilization: util,
    rawRootProp,
    effectiveRootProp,
    capped,
    alphaTotal,
    rootTotal,
    recycled: capped ? rootTotal : 0n
  };
}

// ---------------------------------------------------------------------------------------------
// math/fork.rs

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

// math/floor.rs

/**
 * `floor::withhold`: the fee of the emission; depth gets its feed, the floor's lean
 * (min(⌊rest × floorPull⌋, deficit − fed)) and the split's rounding dust.
 */
export function withhold (emission, feeBps, depthFeed, splitWeights, floorPull = 0, deficit = 0n) {
  const bps = BigInt(Math.min(feeBps, 10_000));
  const withheld = mulDivFloor(emission, bps, 10_000n) ?? 0n;
  const fed = perbillMulFloor(depthFeed, withheld);
  let rest = satSub(withheld, fed);
  const pulled = perbillMulFloor(floorPull, rest);
  const room = satSub(deficit, fed);
  const leaned = pulled < room ? pulled : room;
  rest -= leaned;
  const parts = splitWeights.map((w) => perbillMulFloor(w, rest));
  const assigned = parts.reduce((a, b) => a + b, 0n);
  const toDepth = fed + leaned + satSub(rest, assigned);
  return { withheld, toDepth, leaned, parts };
}

/**
 * `floor::floor_would_hold`: deficit 0, or blocks × gain ≥ deficit. Spec 104 on (`sureGain`) the
 * gain is `floor::sure_depth_gain` of the lowest emission: the depth feed and the full lean,
 * `fed + ⌊rest × floorPull⌋`, without the split's rounding dust (which can fall as the emission
 * rises); before, it was the depth reserve's whole part of the lowest emission, dust included.
 */
export function floorWouldHold (config, deficit, minEmission, blocks, sureGain = false) {
  if (deficit === 0n) return true;
  let gain;
  if (sureGain) {
    const bps = BigInt(Math.min(config.feeBps, 10_000));
    const withheld = mulDivFloor(minEmission, bps, 10_000n) ?? 0n;
    const fed = perbillMulFloor(config.depthFeed, withheld);
    gain = fed + perbillMulFloor(config.floorPull, satSub(withheld, fed));
  } else {
    gain = withhold(minEmission, config.feeBps, config.depthFeed, config.split.map((s) => s.weight), config.floorPull, deficit).toDepth;
  }
  return gain * BigInt(blocks) >= deficit;
}

export { FIXED_I128_DIV };

// ---------------------------------------------------------------------------------------------
// The block: `do_tick` in impls.rs, with the dev economy of pallets/subnets/src/glue.rs.

/** A tine's config, as compared when a fork keeps it (fee, split, floor pull, depth feed). */
const configOf = (t) => ({ feeBps: t.feeBps, split: t.split, floorPull: t.floorPull, depthFeed: t.depthFeed });

/** Perbill parts of a 0x-hex or number. */
const big = (v) => (v === null || v === undefined ? null : BigInt(v));

/**
 * Replay the pallet's `on_initialize` for the snapshot's block from its inputs (the parent state).
 *
 * `options` lifts rules for counterfactuals: `settings` (filter settings in force instead of the
 * stored ones), `hardCap: false` (capped epochs keep their ERP and root dividends) and
 * `subnetRates: false` (every subnet at 100 %).
 * Returns every output the hook produces, and the events it deposits, in order.
 */
export function replayBlock (snapshot, options = {}) {
  const { inputs, constants, accounts } = snapshot;
  const block = BigInt(snapshot.block.number);
  const settings = options.settings ?? inputs.settings;
  const hardCap = options.hardCap ?? true;
  const ed = BigInt(constants.existentialDeposit);
  const events = [];

  // Balances the hook touches (free balance, and whether the account exists).
  const balances = new Map(Object.entries(inputs.accounts)
    .map(([who, a]) => [who, { free: BigInt(a.free), exists: a.exists }]));
  const account = (who) => {
    if (!balances.has(who)) balances.set(who, { free: 0n, exists: false });
    return balances.get(who);
  };
  // `fungible::Mutate::mint_into` on pallet-balances: a new account needs at least the ED.
  const mint = (who, amount) => {
    const a = account(who);
    if (!a.exists && amount < ed) return false;
    a.free += amount;
    a.exists = true;
    events.push({ section: 'balances', method: 'Minted', data: { who, amount } });
    return true;
  };
  // `Pallet::recycle`: back to the unissued supply, evented with where it came from.
  let recycledTotal = BigInt(inputs.totalRecycled ?? 0);
  const recycle = (netuid, reason, amount) => {
    if (amount === 0n) return;
    recycledTotal += amount;
    events.push({ section: 'emission', method: 'Recycled', data: { netuid, reason, amount } });
  };
  const tryMint = (who, amount) => (amount > 0n && mint(who, amount) ? amount : 0n);

  const subnets = [...inputs.subnets].sort((a, b) => a.netuid - b.netuid).slice(0, constants.maxSubnets);
  const pending = new Map(Object.entries(inputs.pendingEmission).map(([n, v]) => [Number(n), BigInt(v)]));
  const ledger = inputs.unclaimedTotal !== undefined && inputs.unclaimedTotal !== null;
  let unclaimed = ledger ? BigInt(inputs.unclaimedTotal) : null;
  const totalIssued = BigInt(inputs.totalIssued);
  const outstanding = satSub(totalIssued, BigInt(inputs.totalRecycled ?? 0));
  // The ledger's room: no total may pass 2¹²⁸ − 1 (spec 105 on, the issuance base counts too).
  const ledgerRoom = satSub(satSub(U128_MAX, BigInt(inputs.issuanceBase ?? 0)), totalIssued);
  const scheduled = blockEmission(inputs.schedule, block, outstanding);
  let carry = { depth: BigInt(inputs.reserveCarry?.depth ?? 0), parts: (inputs.reserveCarry?.parts ?? []).map(BigInt) };

  // 1. The block emission, the active tine's withholding, the filters and the split.
  const out = {
    issued: scheduled < ledgerRoom ? scheduled : ledgerRoom,
    withheld: 0n,
    toDepth: 0n,
    reserveParts: [],
    stages: null,
    amounts: new Map(),
    toSubnets: 0n,
    recycled: 0n,
    recipients: 0,
    totalIssuedAfter: totalIssued,
    epochs: [],
    fork: null,
    currentTurnAfter: inputs.currentTurn,
    turnStartAfter: BigInt(inputs.turnStart),
    activeTineAfter: inputs.activeTine ? inputs.activeTine.id : null,
    events
  };
  // The filter stages (what the runtime API previews, whether or not anything is issued).
  const base = new Map(subnets.map((s) => [s.netuid, BigInt(s.baseWeight)]));
  const erp = new Map();
  const rootProp = new Map();
  for (const netuid of base.keys()) {
    const row = inputs.scalingInputs[netuid];
    let e = big(row?.erp) ?? 0n;
    const last = inputs.lastEpoch[netuid];
    if (!hardCap && last && last.capped) e = fixedMul(BigInt(last.rawRootProp), BigInt(last.utilization), 32);
    erp.set(netuid, e);
    rootProp.set(netuid, big(row?.rootProp) ?? 0n);
  }
  const rates = (options.subnetRates ?? true)
    ? new Map(Object.entries(inputs.subnetRates ?? {}).map(([n, p]) => [Number(n), Number(p)]))
    : new Map();
  out.stages = filterPipeline(base, settings, erp, rootProp, rates);
  if (out.issued > 0n) {
    let forSubnets = out.issued;
    const tine = inputs.activeTine;
    const carried = carry.depth + carry.parts.reduce((x, y) => x + y, 0n);
    if (tine) {
      // The floor's deficit before the block (spec 102 on): floor − depth reserve − carried for it.
      const floor = inputs.oracle ? big(inputs.floor) : null;
      const deficit = floor === null ? 0n : satSub(floor, account(accounts.depthReserve).free + carry.depth);
      const w = withhold(out.issued, tine.feeBps, tine.depthFeed, tine.split.map((s) => s.weight), tine.floorPull, deficit);
      if (w.withheld > 0n || carried > 0n) {
        // `withhold_for_active_tine`: this block's parts plus what was carried, minted where the
        // account can take it, carried on where it cannot.
        const depthDue = w.toDepth + carry.depth;
        const depthMinted = tryMint(accounts.depthReserve, depthDue);
        let toReserves = 0n;
        const left = [];
        tine.split.forEach((s, i) => {
          const who = accounts.reserves[s.name];
          const due = w.parts[i] + (carry.parts[i] ?? 0n);
          const minted = tryMint(who, due);
          toReserves += minted;
          left.push(due - minted);
          out.reserveParts.push({ name: s.name, account: who, amount: minted });
        });
        carry = { depth: depthDue - depthMinted, parts: left };
        const carriedAfter = carry.depth + left.reduce((x, y) => x + y, 0n);
        events.push({ section: 'emission', method: 'EmissionWithheld', data: { tine: tine.id, withheld: w.withheld, toDepth: depthMinted, leaned: w.leaned, toReserves, carried: carriedAfter } });
        out.leaned = w.leaned;
        out.withheld = w.withheld;
        out.toDepth = depthMinted;
        out.toReserves = toReserves;
        forSubnets = out.issued - w.withheld;
      }
    }
    const split = splitEmission(forSubnets, out.stages.afterAbsoluteLimit);
    out.recycled = split.recycled;
    // `deliver_block_emission`: every non-zero amount added to the subnet's pending emission.
    for (const [netuid, amount] of split.amounts) {
      out.amounts.set(netuid, amount);
      if (amount === 0n) continue;
      pending.set(netuid, (pending.get(netuid) ?? 0n) + amount);
      out.toSubnets += amount;
      out.recipients += 1;
    }
    out.totalIssuedAfter = totalIssued + out.issued;
    recycle(null, 'Unassigned', out.recycled);
    events.push({
      section: 'emission',
      method: 'BlockEmissionDistributed',
      data: { issued: out.issued, withheld: out.withheld, toSubnets: out.toSubnets, recycled: out.recycled, recipients: out.recipients }
    });
  }

  // 2. The epoch queue (`{ netuid, epochs }`): the subnets now due join it with one due epoch;
  //    one already waiting keeps its place and, from spec 104 on, counts one more (before, it was
  //    skipped). At most `MaxEpochsPerBlock` leave it from the front and settle (a removed subnet
  //    is skipped).
  const queue = (inputs.epochQueue ?? []).map((e) => (typeof e === 'number' ? { netuid: e, epochs: 1 } : { ...e }));
  const waiting = new Map(queue.map((e, at) => [e.netuid, at]));
  for (const s of subnets) {
    if (!epochIsDue(s.netuid, s.tempo, block)) continue;
    if (waiting.has(s.netuid)) {
      if (inputs.mergesDueEpochs) queue[waiting.get(s.netuid)].epochs += 1;
    } else if (queue.length < constants.maxSubnets) {
      queue.push({ netuid: s.netuid, epochs: 1 });
    }
  }
  const toSettle = queue.splice(0, Math.min(constants.maxEpochsPerBlock, queue.length));
  out.epochQueueAfter = queue;
  const registered = new Set(subnets.map((s) => s.netuid));

  // 3. Each epoch taken from the queue.
  const taoWeight = constants.taoWeight;
  const max = constants.maxValidatorsPerSubnet;
  const truncate = (m) => new Map([...m].slice(0, max));
  for (const { netuid, epochs: dueEpochs } of toSettle.filter((e) => registered.has(e.netuid))) {
    const validators = [...(inputs.validators[netuid] ?? [])].sort((a, b) => cmp(a.account, b.account));
    let rootStake = 0n;
    let alphaStake = 0n;
    for (const v of validators) {
      rootStake = satAdd(rootStake, BigInt(v.rootStake));
      alphaStake = satAdd(alphaStake, BigInt(v.alphaStake));
    }
    const rp = rootPropOf(rootStake, alphaStake, taoWeight);

    // The dev economy's `epoch_split`: the pending emission and each due epoch's alpha emission
    // (due epochs × (tempo + 1) × AlphaEmission), each pro rata to alpha + tao_weight · root among
    // validating validators, each share into root and alpha parts; `epoch_dividends` reports the
    // sums.
    const pool = pending.get(netuid) ?? 0n;
    const subnet = subnets.find((x) => x.netuid === netuid);
    const alphaPool = BigInt(constants.alphaEmission ?? 0) * (BigInt(subnet.tempo) + 1n) * BigInt(dueEpochs);
    const alpha = new Map();
    const root = new Map();
    const stakes = new Map();
    const weights = [];
    const payees = new Map();
    let totalWeight = 0n;
    for (const v of validators) {
      if (BigInt(v.rootStake) > 0n) stakes.set(v.account, BigInt(v.rootStake));
      if (v.validating) {
        const weightedRoot = perbillMulFloor(taoWeight, BigInt(v.rootStake));
        const weight = satAdd(BigInt(v.alphaStake), weightedRoot);
        totalWeight = satAdd(totalWeight, weight);
        weights.push([v.account, weight, weightedRoot]);
      }
    }
    for (const [who, weight, weightedRoot] of weights) {
      const share = (p) => {
        const dividend = mulDivFloor(p, weight, totalWeight) ?? 0n;
        const r = mulDivFloor(dividend, weightedRoot, weight) ?? 0n;
        return [satSub(dividend, r), r];
      };
      const [taoAlpha, taoRoot] = share(pool);
      const [alphaAlpha, alphaRoot] = share(alphaPool);
      payees.set(who, { taoAlpha, taoRoot, alphaAlpha, alphaRoot });
      if (taoAlpha + alphaAlpha > 0n) alpha.set(who, taoAlpha + alphaAlpha);
      if (taoRoot + alphaRoot > 0n) root.set(who, taoRoot + alphaRoot);
    }
    const alphaT = truncate(alpha);
    let rootT = truncate(root);
    const stakesT = truncate(stakes);
    const settlement = settleEpoch(alphaT, rootT, stakesT, { hardCap });
    const rootBefore = rootT;
    if (settlement.capped) rootT = new Map();
    const epoch = { netuid, rootProp: rp, ...settlement, pool, dividends: [], rootDividendsBeforeCap: rootBefore };
    // `deliver_epoch_dividends`: when capped, the pending-emission part of the root dividends
    // leaves the pool first (recycled by the emission pallet; the alpha part is recycled as alpha);
    // then each payee's pending-emission part is minted while the pool covers it (a mint below a
    // new account's existential deposit fails and stays pending).
    const cappedNow = settlement.recycled > 0n;
    let taoRootTotal = 0n;
    if (cappedNow) for (const p of payees.values()) taoRootTotal += p.taoRoot;
    const taken = taoRootTotal < pool ? taoRootTotal : pool;
    const available = pool - taken;
    // Spec 103 on (`inputs.unclaimedTotal` present) each payee's part is credited to the subnet's
    // unclaimed ledger instead (nothing minted; a credit cannot fail).
    let paid = 0n;
    for (const who of [...payees.keys()].sort(cmp)) {
      const p = payees.get(who);
      const r = cappedNow ? 0n : p.taoRoot;
      const amount = p.taoAlpha + r;
      if (amount === 0n || amount > available - paid) continue;
      const ok = ledger ? true : mint(who, amount);
      epoch.dividends.push({ validator: who, alpha: p.taoAlpha, root: r, paid: ok });
      if (ok) {
        paid += amount;
        if (ledger) unclaimed += amount;
        events.push({ section: 'subnets', method: ledger ? 'DividendsCredited' : 'DividendsPaid', data: { netuid, validator: who, alpha: p.taoAlpha, root: r } });
      }
    }
    recycle(netuid, 'HardCap', taken);
    epoch.recycled = taken;
    events.push({
      section: 'emission',
      method: 'EpochSettled',
      data: {
        netuid,
        ...(inputs.mergesDueEpochs ? { epochs: dueEpochs } : {}),
        rootStakes: [...stakesT],
        rootDividendsByValidator: [...rootBefore],
        utilization: settlement.utilization,
        rootProp: rp,
        rawRootProp: settlement.rawRootProp,
        effectiveRootProp: settlement.effectiveRootProp,
        capped: settlement.capped,
        alphaDividends: settlement.alphaTotal,
        rootDividends: settlement.rootTotal,
        recycled: taken
      }
    });
    pending.set(netuid, satSub(pool, paid + taken));
    out.epochs.push(epoch);
  }

  // 4. The fork at turn close.
  if (block >= BigInt(inputs.turnStart) + BigInt(inputs.turnLength)) {
    const turn = inputs.currentTurn;
    const tines = [...inputs.tines].sort((a, b) => cmp(a.key, b.key)).slice(0, constants.maxTines);
    const candidates = tines.map((t) => ({
      id: t.id,
      bornAtTurn: t.bornAtTurn,
      reading: inputs.oracle
        ? aggregate(inputs.oracle.submissions[t.id] ?? [], inputs.oracle.feeders, inputs.oracle.quorum)
        : inputs.readings[t.id] ?? null
    })).map((c) => ({ ...c, measure: measure(c.reading, inputs.measureWeights) }));
    const floor = big(inputs.floor);
    const liquidity = account(accounts.depthReserve).free;
    let gate;
    if (!inputs.oracle) {
      // Before spec 102: the gate asked whether the depth reserve is at the floor now.
      gate = () => (floor === null ? null : liquidity >= floor);
    } else {
      // `floor_would_hold` over the next turn: the lowest emission a block of it can issue.
      // Spec 104 on: the deficit counts the depth reserve's carry only for the active config (any
      // other retires it at this close), the gain is the sure one, and the lowest emission is
      // also bounded by the ledger's room after the turn's most.
      const sureGain = (inputs.specVersion ?? 0) >= 104;
      const deficitWith = (carried) => (floor === null ? 0n : satSub(floor, liquidity + carried));
      const deficit = deficitWith(carry.depth);
      const blocks = BigInt(inputs.turnLength);
      const outstandingNow = satSub(out.totalIssuedAfter, recycledTotal);
      const headroom = satSub(satSub(U128_MAX, BigInt(inputs.issuanceBase ?? 0)), out.totalIssuedAfter);
      const next = block + 1n > U32_MAX ? U32_MAX : block + 1n;
      const first0 = blockEmission(inputs.schedule, next, outstandingNow);
      const first = first0 < headroom ? first0 : headroom;
      const most = satAdd(0n, first * blocks);
      const last = blockEmission(inputs.schedule, block + blocks, satAdd(outstandingNow, most));
      let lowest = last < first ? last : first;
      if (sureGain && satSub(headroom, most) < lowest) lowest = satSub(headroom, most);
      const minEmission = deficit === 0n && !sureGain ? 0n : lowest;
      gate = (id) => {
        if (floor === null) return null;
        const t = tines.find((x) => x.id === id);
        if (!sureGain) return floorWouldHold(t, deficit, minEmission, inputs.turnLength);
        const prev = inputs.activeTine;
        const keepsCarry = prev && JSON.stringify(configOf(prev)) === JSON.stringify(configOf(t));
        return floorWouldHold(t, deficitWith(keepsCarry ? carry.depth : 0n), minEmission, inputs.turnLength, true);
      };
      out.gate = { deficit, minEmission, blocks: inputs.turnLength };
    }
    const outcome = choose(candidates, gate);
    out.fork = { turn, candidates, liquidity, floor, ...outcome };
    if (outcome.kept !== null) {
      const kept = tines.find((t) => t.id === outcome.kept);
      const prev = inputs.activeTine;
      const sameConfig = prev && kept && JSON.stringify(configOf(prev)) === JSON.stringify(configOf(kept));
      if (!sameConfig) {
        const carried = carry.depth + carry.parts.reduce((x, y) => x + y, 0n);
        carry = { depth: 0n, parts: [] };
        recycle(null, 'RetiredReserves', carried);
      }
      out.activeTineAfter = outcome.kept;
    }
    events.push({ section: 'emission', method: 'ForkDecided', data: { turn, kept: outcome.kept, cut: outcome.cut, refused: outcome.refused } });
    out.currentTurnAfter = turn + 1;
    out.turnStartAfter = block;
  }
  out.pendingAfter = pending;
  out.unclaimedTotalAfter = unclaimed;
  out.totalRecycledAfter = recycledTotal;
  out.reserveCarryAfter = carry;
  out.balancesAfter = balances;
  out.scalingInputsAfter = new Map(Object.entries(inputs.scalingInputs)
    .map(([n, row]) => [Number(n), { erp: BigInt(row.erp), rootProp: BigInt(row.rootProp) }]));
  for (const e of out.epochs) out.scalingInputsAfter.set(e.netuid, { erp: e.effectiveRootProp, rootProp: e.rootProp });
  return out;
}
