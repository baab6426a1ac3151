// The emission pallet's block, replayed from a snapshot's inputs in plain BigInt, split by concept
// as the pallet is (`lib/replay/`): the schedule, the filters and the split, the floor and the
// withholding, the subnet epochs and their dividends, and the fork at a turn's close.
//
// This mirrors `pallets/emission/src/math` (mod.rs, fork.rs, floor.rs), `impls.rs` (the order of
// the steps) and `pallets/subnets/src/glue.rs` (the dev economy's dividends); it never calls the
// runtime. Numbers are BigInt; fixed-point values are their `bits`.

import { FIXED_I128_DIV } from './fixed.js';
import { blockContext, emitBlock } from './replay/emission.js';
import { settleEpochs } from './replay/epochs.js';
import { closeTurn } from './replay/fork.js';

export { amountForShare, filterPipeline, normalizeKeys, rateKeys, splitEmission, topProportionCount } from './replay/filters.js';
export { EXACT_DECAYS, blockEmission, decayed } from './replay/schedule.js';
export { HARD_CAP_THRESHOLD, epochIsDue, rootPropOf, settleEpoch, utilization, utilizationAtLeastHalf } from './replay/epochs.js';
export { aggregate, choose, measure } from './replay/fork.js';
export { floorWouldHold, withhold } from './replay/floor.js';
export { FIXED_I128_DIV };

/**
 * Replay the pallet's `on_initialize` for the snapshot's block from its inputs (the parent state):
 * the block emission, its withholding and split (`emitBlock`), the due epochs (`settleEpochs`) and
 * the fork at a turn's close (`closeTurn`), in the pallet's order.
 *
 * `options` lifts rules for counterfactuals: `settings` (filter settings in force instead of the
 * stored ones), `hardCap: false` (capped epochs keep their ERP and root dividends) and
 * `subnetRates: false` (every subnet at 100 %) and `schedule` (another emission schedule).
 * Returns every output the hook produces, and the events it deposits, in order.
 */
export function replayBlock (snapshot, options = {}) {
  const ctx = blockContext(snapshot, options);
  const out = emitBlock(ctx);
  settleEpochs(ctx, out);
  closeTurn(ctx, out);
  out.pendingAfter = ctx.pending;
  out.unclaimedTotalAfter = ctx.unclaimed;
  out.totalRecycledAfter = ctx.recycledTotal;
  out.reserveCarryAfter = ctx.carry;
  out.balancesAfter = ctx.balances;
  out.scalingInputsAfter = new Map(Object.entries(snapshot.inputs.scalingInputs)
    .map(([n, row]) => [Number(n), { erp: BigInt(row.erp), rootProp: BigInt(row.rootProp) }]));
  for (const e of out.epochs) out.scalingInputsAfter.set(e.netuid, { erp: e.effectiveRootProp, rootProp: e.rootProp });
  return out;
}
