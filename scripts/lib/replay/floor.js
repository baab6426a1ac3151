// The floor (`pallets/emission/src/math/floor.rs`): what a tine withholds and where it goes, and
// the floor gate's closed form.

import { mulDivFloor, perbillMulFloor, satSub } from '../fixed.js';

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
