// The filter chain and the split (`pallets/emission/src/math/mod.rs`): the chain decides on exact
// integer keys and normalizes each stage's survivors to U64F64 shares. Numbers are BigInt.

import { ONE_32, ONE_64, mulDivFloor, satAdd, satSub } from '../fixed.js';

/** `top_proportion_count`: max(ceil(n · ppm / 10^6), 1). */
export function topProportionCount (n, ppm) {
  const scaled = BigInt(n) * BigInt(ppm);
  const k = (scaled + 999_999n) / 1_000_000n;
  return Math.max(Number(k), 1);
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
