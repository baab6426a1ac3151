// Subnet epochs (`pallets/emission/src/math/mod.rs` and the epoch queue of `impls.rs`, with the
// dev economy's dividends of `pallets/subnets/src/glue.rs`): utilization, RootProp, ERP, the hard
// cap, and each validator's dividends credited (spec 103 on) or minted (before).

import {
  BILLION, ONE_32, U128_MAX, fixedDiv, fixedMul, fromInt, mulDivFloor, perbillMulFloor, satAdd, satSub
} from '../fixed.js';

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

const cmp = (a, b) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The epoch queue (`{ netuid, epochs }`): the subnets now due join it with one due epoch; one
 * already waiting keeps its place and, from spec 104 on, counts one more (before, it was skipped).
 * At most `MaxEpochsPerBlock` leave it from the front: returned, to settle.
 */
function takeDueEpochs (ctx, out) {
  const { inputs, constants } = ctx;
  const queue = (inputs.epochQueue ?? []).map((e) => (typeof e === 'number' ? { netuid: e, epochs: 1 } : { ...e }));
  const waiting = new Map(queue.map((e, at) => [e.netuid, at]));
  for (const s of ctx.subnets) {
    if (!epochIsDue(s.netuid, s.tempo, ctx.block)) continue;
    if (waiting.has(s.netuid)) {
      if (inputs.mergesDueEpochs) queue[waiting.get(s.netuid)].epochs += 1;
    } else if (queue.length < constants.maxSubnets) {
      queue.push({ netuid: s.netuid, epochs: 1 });
    }
  }
  const toSettle = queue.splice(0, Math.min(constants.maxEpochsPerBlock, queue.length));
  out.epochQueueAfter = queue;
  // A removed subnet is skipped.
  const registered = new Set(ctx.subnets.map((s) => s.netuid));
  return toSettle.filter((e) => registered.has(e.netuid));
}

/**
 * The dev economy's `epoch_split`: the pending emission and each due epoch's alpha emission (due
 * epochs × (tempo + 1) × AlphaEmission), each pro rata to alpha + tao_weight · root among
 * validating validators, each share into root and alpha parts.
 */
function epochSplit (ctx, netuid, dueEpochs, validators) {
  const taoWeight = ctx.constants.taoWeight;
  const pool = ctx.pending.get(netuid) ?? 0n;
  const subnet = ctx.subnets.find((x) => x.netuid === netuid);
  const alphaPool = BigInt(ctx.constants.alphaEmission ?? 0) * (BigInt(subnet.tempo) + 1n) * BigInt(dueEpochs);
  const weights = [];
  const stakes = new Map();
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
  const payees = new Map();
  const alpha = new Map();
  const root = new Map();
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
  return { pool, payees, alpha, root, stakes };
}

/**
 * `deliver_epoch_dividends`: when capped, the pending-emission part of the root dividends leaves
 * the pool first (recycled by the emission pallet; the alpha part is recycled as alpha); then each
 * payee's pending-emission part is credited to the ledger (spec 103 on; a credit cannot fail), or
 * minted while the pool covers it (before: a mint below a new account's existential deposit fails
 * and stays pending). Returns what left the pool: paid and taken by the cap.
 */
function deliverDividends (ctx, netuid, epoch, payees, pool, capped) {
  let taoRootTotal = 0n;
  if (capped) for (const p of payees.values()) taoRootTotal += p.taoRoot;
  const taken = taoRootTotal < pool ? taoRootTotal : pool;
  const available = pool - taken;
  let paid = 0n;
  for (const who of [...payees.keys()].sort(cmp)) {
    const p = payees.get(who);
    const r = capped ? 0n : p.taoRoot;
    const amount = p.taoAlpha + r;
    if (amount === 0n || amount > available - paid) continue;
    const ok = ctx.ledger ? true : ctx.mint(who, amount);
    epoch.dividends.push({ validator: who, alpha: p.taoAlpha, root: r, paid: ok });
    if (ok) {
      paid += amount;
      if (ctx.ledger) ctx.unclaimed += amount;
      ctx.events.push({ section: 'subnets', method: ctx.ledger ? 'DividendsCredited' : 'DividendsPaid', data: { netuid, validator: who, alpha: p.taoAlpha, root: r } });
    }
  }
  ctx.recycle(netuid, 'HardCap', taken);
  return { paid, taken };
}

/** Step 2 and 3: the due subnets queued, and each epoch taken from the queue settled. */
export function settleEpochs (ctx, out) {
  const { inputs, constants } = ctx;
  const max = constants.maxValidatorsPerSubnet;
  const truncate = (m) => new Map([...m].slice(0, max));
  for (const { netuid, epochs: dueEpochs } of takeDueEpochs(ctx, out)) {
    const validators = [...(inputs.validators[netuid] ?? [])].sort((a, b) => cmp(a.account, b.account));
    let rootStake = 0n;
    let alphaStake = 0n;
    for (const v of validators) {
      rootStake = satAdd(rootStake, BigInt(v.rootStake));
      alphaStake = satAdd(alphaStake, BigInt(v.alphaStake));
    }
    const rp = rootPropOf(rootStake, alphaStake, constants.taoWeight);
    const { pool, payees, alpha, root, stakes } = epochSplit(ctx, netuid, dueEpochs, validators);
    const stakesT = truncate(stakes);
    const rootBefore = truncate(root);
    const settlement = settleEpoch(truncate(alpha), rootBefore, stakesT, { hardCap: ctx.hardCap });
    const epoch = { netuid, rootProp: rp, ...settlement, pool, dividends: [], rootDividendsBeforeCap: rootBefore };
    const { paid, taken } = deliverDividends(ctx, netuid, epoch, payees, pool, settlement.recycled > 0n);
    epoch.recycled = taken;
    ctx.events.push({
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
    ctx.pending.set(netuid, satSub(pool, paid + taken));
    out.epochs.push(epoch);
  }
}
