// The emission schedule (`pallets/emission/src/math/mod.rs`): each block's emission from the
// schedule's definition, exactly.

import { satSub } from '../fixed.js';

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
