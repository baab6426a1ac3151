// The emission filters of seed 003 in exact rational arithmetic, written from the seed's words and
// not from the pallet or the replay (`model.js` decides on integer keys and normalizes once; this
// renormalizes after every stage, as the seed says), so that a rule both get wrong fails a row.
//
// A share is a reduced fraction [n, d] of BigInts.

const gcd = (a, b) => { while (b) [a, b] = [b, a % b]; return a < 0n ? -a : a; };
const frac = (n, d = 1n) => { if (n === 0n) return [0n, 1n]; const g = gcd(n, d); return [n / g, d / g]; };
const add = ([a, b], [c, d]) => frac(a * d + c * b, b * d);
const mul = ([a, b], [c, d]) => frac(a * c, b * d);
const div = ([a, b], [c, d]) => frac(a * d, b * c);
const cmp = ([a, b], [c, d]) => { const x = a * d; const y = c * b; return x < y ? -1 : x > y ? 1 : 0; };
const isZero = ([n]) => n === 0n;

/** "After each filter, shares are re-normalized to sum to 1.0"; all zero stays all zero. */
function renormalize (shares) {
  const sum = [...shares.values()].reduce(add, [0n, 1n]);
  if (isZero(sum)) return new Map(shares);
  return new Map([...shares].map(([n, s]) => [n, div(s, sum)]));
}

/** Keep every share at least the k-th largest ("tied subnets are all kept"); k = 0 keeps none. */
function keepTop (shares, k) {
  if (k >= shares.size) return new Map(shares);
  if (k === 0) return new Map([...shares].map(([n]) => [n, [0n, 1n]]));
  const sorted = [...shares.values()].sort((a, b) => cmp(b, a));
  const threshold = sorted[k - 1];
  return new Map([...shares].map(([n, s]) => [n, cmp(s, threshold) < 0 ? [0n, 1n] : s]));
}

/**
 * The stages, exactly: base weights normalized; × each subnet's rate (parts per 10^9, 100 % when
 * missing) and renormalized; × min(ERP, RootProp) (U96F32 bits / 2^32, 0 when missing) and
 * renormalized when ERP scaling is on; the top max(ceil(n · ppm / 10^6), 1) (n counting every
 * subnet), renormalized; at most `absoluteLimit` when more have a share, renormalized.
 */
export function exactStages (baseWeights, settings, erpBits, rootPropBits, ratesPpb = new Map()) {
  let shares = renormalize(new Map([...baseWeights].map(([n, w]) => [n, frac(BigInt(w))])));
  const base = shares;
  shares = renormalize(new Map([...shares].map(([n, s]) => [n, mul(s, frac(BigInt(ratesPpb.get(n) ?? 1_000_000_000), 1_000_000_000n))])));
  const afterRate = shares;
  if (settings.erpScaling) {
    shares = renormalize(new Map([...shares].map(([n, s]) => {
      const e = erpBits.get(n) ?? 0n;
      const r = rootPropBits.get(n) ?? 0n;
      return [n, mul(s, frac(e < r ? e : r, 1n << 32n))];
    })));
  }
  const afterErpScaling = shares;
  const n = BigInt(shares.size);
  let k = (n * BigInt(settings.topProportion) + 999_999n) / 1_000_000n;
  if (k < 1n) k = 1n;
  shares = renormalize(keepTop(shares, Number(k)));
  const afterTopProportion = shares;
  if (settings.absoluteLimit !== null && settings.absoluteLimit !== undefined) {
    const withShare = [...shares.values()].filter((s) => !isZero(s)).length;
    if (withShare > settings.absoluteLimit) shares = renormalize(keepTop(shares, settings.absoluteLimit));
  }
  return { base, afterRate, afterErpScaling, afterTopProportion, afterAbsoluteLimit: shares };
}

/** floor(amount × share), exactly. */
export function exactAmount (amount, [n, d]) {
  return (amount * n) / d;
}

// Seed 000's fork choice in exact rationals: the measure of a tine's reading is
// growth · w₁ + depth · w₂ + retention · w₃ (growth in ppm, the rest and the weights in parts per
// 10⁹); no measure when the floor fell or a field or weight is missing; the highest measure is
// kept, ties to the older tine (then, DESIGN.md, the lower id).

/** The exact measure `[n, d]` of a reading, or null. */
export function exactMeasure (reading, weights) {
  if (!reading || reading.floorHeld !== true) return null;
  const fields = [reading.reserveGrowthPpm, reading.depthStability, reading.retention];
  const w = [weights.reserveGrowth, weights.depthStability, weights.retention];
  if (fields.some((f) => f === null || f === undefined) || w.some((x) => x === null || x === undefined)) return null;
  const terms = [
    mul(frac(BigInt(fields[0]), 1_000_000n), frac(BigInt(w[0]), 1_000_000_000n)),
    mul(frac(BigInt(fields[1]), 1_000_000_000n), frac(BigInt(w[1]), 1_000_000_000n)),
    mul(frac(BigInt(fields[2]), 1_000_000_000n), frac(BigInt(w[2]), 1_000_000_000n))
  ];
  return terms.reduce(add, [0n, 1n]);
}

/**
 * The rounding the chain's measure may carry, in FixedI128 units (10⁻¹⁸): each of the three terms
 * is a field and a weight each rounded to 10⁻¹⁸ and their product rounded again, so at most
 * |field| + |weight| + 1 units; summed, plus one.
 */
export function measureSlack (reading) {
  const units = (n, d) => { const a = n < 0n ? -n : n; return (a + d - 1n) / d; };
  return units(BigInt(reading.reserveGrowthPpm), 1_000_000n) + units(BigInt(reading.depthStability), 1_000_000_000n) +
    units(BigInt(reading.retention), 1_000_000_000n) + 3n * 2n + 1n;
}

/** The exact winner `{ id, measure }` among `{ id, bornAtTurn, reading }`, or null if none is measurable. */
export function exactWinner (candidates, weights) {
  let best = null;
  for (const c of candidates) {
    const m = exactMeasure(c.reading, weights);
    if (m === null) continue;
    const order = best === null ? 1 : (cmp(m, best.measure) || (c.bornAtTurn < best.bornAtTurn ? 1 : c.bornAtTurn > best.bornAtTurn ? -1 : 0) || (c.id < best.id ? 1 : -1));
    if (order > 0) best = { id: c.id, measure: m };
  }
  return best;
}

/** A fraction as FixedI128 inner units (×10¹⁸), rounded toward zero. */
export function toFixedI128 ([n, d]) {
  return (n * 1_000_000_000_000_000_000n) / d;
}
