// Compare a replayed block (model.js) with what the chain recorded (the snapshot's outputs): one row
// per quantity with the computed value, the on-chain value and their difference.

import { encodeAddress } from './address.js';

import { checksumOf, label } from './snapshot.js';
import { blockEmission, replayBlock, withhold } from './model.js';
import { exactAmount, exactStages, exactMeasure, exactWinner, measureSlack, toFixedI128 } from './reference.js';
import { U128_MAX, satSub } from './fixed.js';

const of = (events, key) => events.filter((e) => `${e.section}.${e.method}` === key);
const big = (v) => (v === null || v === undefined ? null : BigInt(v));

/** One compared quantity. `diff` is computed − on-chain for numbers, `≠` for anything else unequal. */
function row (group, quantity, computed, onchain) {
  let diff;
  if (typeof computed === 'bigint' && typeof onchain === 'bigint') {
    diff = computed - onchain;
  } else {
    diff = computed === onchain ? 0n : '≠';
  }
  return { group, quantity, computed, onchain, diff, ok: diff === 0n };
}

/**
 * A quantity the chain stores rounded down from the exact value: `0 ≤ computed − on-chain ≤ bound`
 * (the documented rounding bound, one-sided). The diff is the real difference, printed as it is
 * even when it is inside the bound.
 */
export function within (group, quantity, computed, onchain, bound) {
  const diff = computed - onchain;
  const ok = diff >= 0n && diff <= bound;
  return { group, quantity: `${quantity} (0 ≤ diff ≤ ${bound})`, computed, onchain, diff, ok };
}

/**
 * The hard cap decided from what the pallet recorded in `EpochSettled` (each validator's root
 * stake and root dividend), in exact rational arithmetic written from seed 003, not from the
 * pallet: utilization = Σ stake_i · min((div_i / D) / (stake_i / S), 1) / S, capped below 1/2.
 * Returns the exact utilization as a fraction `[num, den]` and the decision.
 */
export function exactUtilization (rootStakes, rootDividends, allDividends) {
  const S = rootStakes.reduce((a, [, v]) => a + BigInt(v), 0n);
  const D = allDividends;
  if (S === 0n || D === 0n) return { num: 0n, den: 1n, belowHalf: true };
  // Σ stake_i · min(div_i · S / (D · stake_i), 1) / S = Σ min(div_i · S, stake_i · D) / (S · D).
  const divs = new Map(rootDividends.map(([k, v]) => [k, BigInt(v)]));
  let num = 0n;
  for (const [k, v] of rootStakes) {
    const stake = BigInt(v);
    if (stake === 0n) continue;
    const a = (divs.get(k) ?? 0n) * S;
    const b = stake * D;
    num += a < b ? a : b;
  }
  const den = S * D;
  return { num, den, belowHalf: 2n * num < den };
}

/**
 * The native dividends the hook's events say were paid (before spec 103: `DividendsPaid`, minted)
 * or credited (spec 103 on: `DividendsCredited`, whose alpha-only credits carry no native part).
 */
export function nativeDividends (events) {
  return [...of(events, 'subnets.DividendsPaid'), ...of(events, 'subnets.DividendsCredited')]
    .filter((e) => BigInt(e.data.alpha) + BigInt(e.data.root) > 0n);
}

/**
 * Each subnet's emission in the snapshot's block as the chain recorded it: pending emission after
 * − before + the dividends its epoch paid in the block. (Pending emission is a ledger: the dev
 * economy credits it to the validators at their epoch, spec 103 on; it minted it before.)
 */
export function onchainAmounts (snapshot) {
  const before = snapshot.inputs.pendingEmission;
  const after = snapshot.outputs.storage.pendingEmission;
  const paid = new Map();
  for (const e of nativeDividends(snapshot.outputs.events)) {
    paid.set(e.data.netuid, (paid.get(e.data.netuid) ?? 0n) + BigInt(e.data.alpha) + BigInt(e.data.root));
  }
  // Capped root dividends left the pool to be recycled: they were part of the subnet's emission.
  for (const e of of(snapshot.outputs.events, 'emission.Recycled').filter((x) => x.data.reason === 'HardCap')) {
    paid.set(e.data.netuid, (paid.get(e.data.netuid) ?? 0n) + BigInt(e.data.amount));
  }
  const netuids = new Set([...Object.keys(before), ...Object.keys(after)].map(Number));
  return new Map([...netuids].sort((a, b) => a - b).map((n) => [n, (big(after[n]) ?? 0n) - (big(before[n]) ?? 0n) + (paid.get(n) ?? 0n)]));
}

/** The reference's stages for the snapshot's block, from its stored inputs (as the replay reads them). */
function referenceStages (snapshot) {
  const { inputs } = snapshot;
  const subnets = inputs.subnets ?? [];
  const base = new Map(subnets.map((x) => [x.netuid, BigInt(x.baseWeight)]));
  const erp = new Map();
  const rootProp = new Map();
  for (const n of base.keys()) {
    const row = inputs.scalingInputs?.[n];
    erp.set(n, row ? BigInt(row.erp) : 0n);
    rootProp.set(n, row ? BigInt(row.rootProp) : 0n);
  }
  const rates = new Map(Object.entries(inputs.subnetRates ?? {}).map(([n, p]) => [Number(n), BigInt(p)]));
  return exactStages(base, inputs.settings, erp, rootProp, rates);
}
/** What several row groups compare against: the chain's events and mints, the block's extrinsics' effects. */
function blockFacts (snapshot, replay) {
  const chain = snapshot.outputs.events;
  const dist = of(chain, 'emission.BlockEmissionDistributed')[0]?.data;
  const d = {
    issued: big(dist?.issued) ?? 0n,
    withheld: big(dist?.withheld) ?? 0n,
    toSubnets: big(dist?.toSubnets) ?? 0n,
    recycled: big(dist?.recycled) ?? 0n,
    recipients: BigInt(dist?.recipients ?? 0)
  };

  // What each account was minted: the depth reserve, the named reserves, the validators.
  const minted = new Map();
  for (const e of of(chain, 'balances.Minted')) minted.set(e.data.who, (minted.get(e.data.who) ?? 0n) + BigInt(e.data.amount));
  const mintedComputed = new Map();
  for (const e of of(replay.events, 'balances.Minted')) mintedComputed.set(e.data.who, (mintedComputed.get(e.data.who) ?? 0n) + e.data.amount);
  const { accounts } = snapshot;

  // Extrinsics of the block that change what is compared after it: a subnet removal drops the
  // subnet's pending emission (recycled), its scaling inputs and its place in the queue. They run
  // after the hook, so the replay applies them to its after-state.
  const xt = snapshot.outputs.extrinsicData ?? [];
  const removedNetuids = of(xt, 'subnets.SubnetRemoved').map((e) => e.data.netuid);
  const pendingAfterReplay = new Map(replay.pendingAfter);
  const queueAfterReplay = replay.epochQueueAfter.filter((e) => !removedNetuids.includes(e.netuid));
  // A leaving validator's native dividends that could not be minted went back to the pending.
  for (const e of of(xt, 'subnets.DividendsReturned')) {
    pendingAfterReplay.set(e.data.netuid, (pendingAfterReplay.get(e.data.netuid) ?? 0n) + BigInt(e.data.amount));
  }

  const removalRecycled = [];
  for (const netuid of removedNetuids) {
    removalRecycled.push({ netuid, amount: pendingAfterReplay.get(netuid) ?? 0n });
    pendingAfterReplay.delete(netuid);
  }

  // Each subnet's amount, as the chain recorded it: the change of its pending emission plus what
  // its epoch paid out in this block (a removed subnet's pending emission is what was recycled).
  const onchain = onchainAmounts(snapshot);
  for (const e of of(xt, 'emission.Recycled').filter((x) => x.data.reason === 'SubnetRemoved')) {
    onchain.set(e.data.netuid, (onchain.get(e.data.netuid) ?? 0n) + BigInt(e.data.amount));
  }

  // Spec 105 on, fees (with tips) and reaped accounts' dust are recycled by the emission pallet
  // as the block's extrinsics pay them: the other source is the payment and balances pallets'
  // events (`TransactionFeePaid.actualFee`, `DustLost`).
  const recyclesFees = (snapshot.inputs.specVersion ?? 0) >= 105;
  const allEvents = [...chain, ...xt];
  const feesPaid = of(allEvents, 'transactionPayment.TransactionFeePaid').reduce((x, e) => x + BigInt(e.data.actualFee), 0n);
  const dustLost = of(allEvents, 'balances.DustLost').reduce((x, e) => x + BigInt(e.data.amount), 0n);
  const st = snapshot.outputs.storage;
  const settledChain = new Map(of(chain, 'emission.EpochSettled').map((e) => [e.data.netuid, e.data]));
  const epochNetuids = [...new Set([...replay.epochs.map((e) => e.netuid), ...settledChain.keys()])].sort((a, b) => a - b);
  const paidChain = nativeDividends(chain);
  return { d, minted, mintedComputed, accounts, xt, removedNetuids, pendingAfterReplay, queueAfterReplay, removalRecycled, onchain, recyclesFees, allEvents, feesPaid, dustLost, st, settledChain, epochNetuids, paidChain };
}

/** The block emission, the rates, each subnet's amount (the replay's, the chain's, the exact
 * reference's), the conservation of what went to subnets, pending emission and the epoch queue. */
function emissionRows (v) {
  const { snapshot, replay, chain, add, rows, d, xt, pendingAfterReplay, queueAfterReplay, onchain } = v;
  add('block emission', 'issued', replay.issued, d.issued);
  add('block emission', 'withheld by the active tine', replay.withheld, d.withheld);
  add('block emission', 'to subnets', replay.toSubnets, d.toSubnets);
  add('block emission', 'recycled (no subnet could take it)', replay.recycled, d.recycled);
  add('block emission', 'recipients', BigInt(replay.recipients), d.recipients);
  add('block emission', 'TotalIssued after the block', replay.totalIssuedAfter, BigInt(snapshot.outputs.storage.totalIssued));

  // The rates (spec 106 on): the hook never changes them; the block's extrinsics do, each evented
  // (`SubnetEmissionRateSet`, 100 % removing the entry) or with its subnet's removal. Two sources:
  // the rates before the block with the block's events applied, against the rates stored after it.
  if (snapshot.outputs.storage.subnetRates !== null && snapshot.outputs.storage.subnetRates !== undefined) {
    const expected = new Map(Object.entries(snapshot.inputs.subnetRates ?? {}).map(([n, p]) => [Number(n), p]));
    const rateEvents = xt.filter((e) => `${e.section}.${e.method}` === 'emission.SubnetEmissionRateSet' ||
      `${e.section}.${e.method}` === 'subnets.SubnetRemoved');
    for (const e of rateEvents) {
      if (e.method === 'SubnetRemoved' || e.data.new === 1_000_000_000) expected.delete(e.data.netuid);
      else expected.set(e.data.netuid, e.data.new);
    }
    const text = (m) => [...m].sort(([a], [b]) => a - b).map(([n, p]) => `${n}:${p}`).join(' ') || 'none';
    add('rates', 'subnet rates after the block: before it + its SubnetEmissionRateSet events vs stored',
      text(expected), text(new Map(Object.entries(snapshot.outputs.storage.subnetRates).map(([n, p]) => [Number(n), p]))));
  }

  const netuids = [...new Set([...replay.amounts.keys(), ...onchain.keys()])].sort((a, b) => a - b);
  for (const netuid of netuids) {
    add('subnet emission', `subnet ${netuid}: amount`, replay.amounts.get(netuid) ?? 0n, onchain.get(netuid) ?? 0n);
  }
  // The reference (exact rationals from seed 003, `reference.js`), a third source: the survivors of
  // every stage equal the replay's, and each subnet's amount as the chain recorded it lies within
  // the documented bound below the exact one (floor(E · share) − 1 − floor(E / 2^64) ≤ amount ≤
  // floor(E · share), E what the subnets shared).
  if (replay.stages && d.issued > 0n) {
    const exact = referenceStages(snapshot, replay);
    for (const stage of ['afterRate', 'afterErpScaling', 'afterTopProportion', 'afterAbsoluteLimit']) {
      const survivors = (m, zero) => [...m].filter(([, v]) => !zero(v)).map(([n]) => n).sort((a, b) => a - b).join(' ') || 'none';
      add('reference', `survivors ${stage} (replay vs exact rationals)`, survivors(replay.stages[stage], (v) => v === 0n), survivors(exact[stage], ([n]) => n === 0n));
    }
    const shared = d.issued - d.withheld;
    const slack = 1n + (shared >> 64n);
    for (const [netuid, share] of exact.afterAbsoluteLimit) {
      rows.push(within('reference', `subnet ${netuid}: exact floor(E · share) vs amount on chain`, exactAmount(shared, share), onchain.get(netuid) ?? 0n, slack));
    }
  }
  // The event's total against the state's: what the event says went to subnets, and the sum of
  // the subnets' recorded amounts (their pending emission's change, what their epochs paid out and
  // the capped root dividends taken out of it).
  const recorded = [...onchain.values()].reduce((x, y) => x + y, 0n);
  add('conservation', 'to subnets (event) vs Σ subnets\' pending change + paid + capped (state)', d.toSubnets, recorded);
  const pendingAfter = snapshot.outputs.storage.pendingEmission;
  for (const netuid of [...new Set([...pendingAfterReplay.keys(), ...Object.keys(pendingAfter).map(Number)])].sort((a, b) => a - b)) {
    add('subnet emission', `subnet ${netuid}: pending emission after the block`, pendingAfterReplay.get(netuid) ?? 0n, big(pendingAfter[netuid]) ?? 0n);
  }
  // `netuid` for one due epoch, `netuid×epochs` for more.
  const queueText = (q) => q.map((e) => (e.epochs > 1 ? `${e.netuid}×${e.epochs}` : `${e.netuid}`)).join(' ') || '(empty)';
  add('epoch queue', 'EpochQueue after the block', queueText(queueAfterReplay), queueText(snapshot.outputs.storage.epochQueue));
}

/** Recycling: every recycled amount evented (fees and dust against the payment and balances
 * pallets' events, spec 105 on), and the recycled total after the block. */
function recyclingRows (v) {
  const { snapshot, replay, chain, add, xt, removalRecycled, recyclesFees, feesPaid, dustLost } = v;
  // Recycling: every recycled amount evented, and the ledger after the block.
  const recycledChain = [...of(chain, 'emission.Recycled'), ...of(xt, 'emission.Recycled')];
  const recycledReplay = [
    ...of(replay.events, 'emission.Recycled').map((e) => e.data),
    ...removalRecycled.filter((x) => x.amount > 0n).map((x) => ({ netuid: x.netuid, reason: 'SubnetRemoved', amount: x.amount })),
    ...(recyclesFees
      ? [{ netuid: null, reason: 'TransactionFees', amount: feesPaid }, { netuid: null, reason: 'Dust', amount: dustLost }].filter((x) => x.amount > 0n)
      : [])
  ];
  const key = (x) => `${x.reason} ${x.netuid === null ? '-' : `subnet ${x.netuid}`}`;
  const sums = (list) => list.reduce((m, x) => m.set(key(x), (m.get(key(x)) ?? 0n) + BigInt(x.amount)), new Map());
  const rc = sums(recycledReplay);
  const ro = sums(recycledChain.map((e) => e.data));
  for (const k of [...new Set([...rc.keys(), ...ro.keys()])].sort()) add('recycling', `recycled: ${k}`, rc.get(k) ?? 0n, ro.get(k) ?? 0n);
  const recycledAfter = replay.totalRecycledAfter + removalRecycled.reduce((x, y) => x + y.amount, 0n) +
    (recyclesFees ? feesPaid + dustLost : 0n);
  add('recycling', 'TotalRecycled after the block', recycledAfter, BigInt(snapshot.outputs.storage.totalRecycled));
}

/** The ledgers against Balances: the identity's change, the identity itself, and `UnclaimedTotal`. */
function ledgerRows (v) {
  const { snapshot, replay, add, xt, recyclesFees, allEvents, feesPaid, dustLost, st } = v;
  // Conservation against Balances: the change of what the ledgers say is in accounts
  // (issued − recycled − pending − carried) equals the change of Balances' total issuance, plus
  // what left it in this block by fees, dust and burns (their events). Two independent sources:
  // the emission and subnets pallets' ledgers, and pallet-balances.
  // Pending includes the dividends credited to validators and not claimed (spec 103 on).
  const ledger = (issued, recycled, pending, unclaimed, carry) => {
    const p = Object.values(pending).reduce((x, v) => x + BigInt(v), 0n) + BigInt(unclaimed ?? 0);
    const c = BigInt(carry.depth) + carry.parts.reduce((x, v) => x + BigInt(v), 0n);
    return BigInt(issued) - BigInt(recycled) - p - c;
  };
  const ledgerBefore = ledger(snapshot.inputs.totalIssued, snapshot.inputs.totalRecycled, snapshot.inputs.pendingEmission, snapshot.inputs.unclaimedTotal, snapshot.inputs.reserveCarry);
  const ledgerAfter = ledger(st.totalIssued, st.totalRecycled, st.pendingEmission, st.unclaimedTotal, st.reserveCarry);
  if (replay.unclaimedTotalAfter !== null && replay.unclaimedTotalAfter !== undefined) {
    // The ledger's total after the block: before + what the replayed epochs credited, less what
    // the block's extrinsics paid out of it (claims, leaving validators).
    const out = [...of(xt, 'subnets.DividendsClaimed').map((e) => BigInt(e.data.tao)), ...of(xt, 'subnets.DividendsReturned').map((e) => BigInt(e.data.amount))]
      .reduce((x, y) => x + y, 0n);
    add('dividends', 'UnclaimedTotal after the block', replay.unclaimedTotalAfter - out, big(st.unclaimedTotal));
  }
  // Before spec 105 fees and dust left Balances unrecorded: they are added back from their events.
  // From 105 they are in the recycled total, and only an unrecorded burn would be left over.
  const burns = of(allEvents, 'balances.Burned').reduce((x, e) => x + BigInt(e.data.amount), 0n);
  const left = (recyclesFees ? 0n : feesPaid + dustLost) + burns;
  const issuanceChange = BigInt(st.totalIssuance) - BigInt(snapshot.inputs.totalIssuance) + left;
  add('conservation', recyclesFees
    ? 'Δ(issued − recycled − pending − carried) vs Δ Balances total issuance + unrecorded burns'
    : 'Δ(issued − recycled − pending − carried) vs Δ Balances total issuance + fees + dust + burns', ledgerAfter - ledgerBefore, issuanceChange);
  // Spec 105 on, the identity itself, not only its change: Balances' total issuance equals the
  // issuance base plus what the ledgers say is in accounts.
  if (st.issuanceBase !== null && st.issuanceBase !== undefined) {
    add('conservation', 'total issuance: IssuanceBase + issued − recycled − pending − carried (ledgers) vs Balances', BigInt(st.issuanceBase) + ledgerAfter, BigInt(st.totalIssuance));
    if (snapshot.inputs.issuanceBase !== null && snapshot.inputs.issuanceBase !== undefined) {
      add('conservation', 'IssuanceBase unchanged by the block', BigInt(snapshot.inputs.issuanceBase), BigInt(st.issuanceBase));
    }
  }
}

/** Each validator's unclaimed dividends (spec 103 on), each payout, and the alpha recycled. */
function unclaimedRows (v) {
  const { snapshot, chain, add, minted, xt, st } = v;
  // Each validator's entry of each subnet's ledger (spec 103 on), from two sources: the ledger before
  // the block, plus what the chain's hook events credited (native: alpha + root; alpha: the alpha
  // parts), less what the block's extrinsics paid out (each payout evented as DividendsClaimed, and
  // DividendsReturned for what could not be minted), against the ledger stored after the block. An
  // entry paid out in full is gone.
  if (snapshot.inputs.unclaimed && st.unclaimed) {
    const expected = new Map();
    const entry = (netuid, who) => {
      if (!expected.has(netuid)) expected.set(netuid, new Map());
      const t = expected.get(netuid);
      if (!t.has(who)) t.set(who, { tao: 0n, alpha: 0n });
      return t.get(who);
    };
    for (const [netuid, table] of Object.entries(snapshot.inputs.unclaimed)) {
      for (const [who, owed] of Object.entries(table)) Object.assign(entry(Number(netuid), who), { tao: BigInt(owed.tao), alpha: BigInt(owed.alpha) });
    }
    for (const e of of(chain, 'subnets.DividendsCredited')) {
      const x = entry(e.data.netuid, e.data.validator);
      x.tao += BigInt(e.data.alpha) + BigInt(e.data.root);
      x.alpha += BigInt(e.data.alphaInAlpha ?? 0) + BigInt(e.data.rootInAlpha ?? 0);
    }
    for (const e of xt) {
      const key = `${e.section}.${e.method}`;
      if (key === 'subnets.DividendsClaimed') {
        const x = entry(e.data.netuid, e.data.validator);
        x.tao -= BigInt(e.data.tao);
        x.alpha -= BigInt(e.data.alpha);
      } else if (key === 'subnets.DividendsReturned') {
        entry(e.data.netuid, e.data.validator).tao -= BigInt(e.data.amount);
      }
    }
    const text = (t) => [...t].filter(([, o]) => o.tao !== 0n || o.alpha !== 0n).sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([who, o]) => `${encodeAddress(who)}:${o.tao}/${o.alpha}`).join(' ') || 'none';
    const stored = (netuid) => new Map(Object.entries(st.unclaimed[netuid] ?? {}).map(([w, o]) => [w, { tao: BigInt(o.tao), alpha: BigInt(o.alpha) }]));
    const netuids = [...new Set([...expected.keys(), ...Object.keys(st.unclaimed).map(Number)])].sort((a, b) => a - b);
    for (const netuid of netuids) {
      add('dividends', `Unclaimed ledger of subnet ${netuid} (native/alpha): before + credited − paid out vs stored`,
        text(expected.get(netuid) ?? new Map()), text(stored(netuid)));
    }
    // Each payout's native part was minted into the validator's account (Balances' event), and its
    // alpha part added to its alpha balance (state), unless the subnet's alpha was cleared too.
    const minted = new Map();
    for (const e of of(xt, 'balances.Minted')) minted.set(e.data.who, (minted.get(e.data.who) ?? 0n) + BigInt(e.data.amount));
    const claimedTao = new Map();
    const claimedAlpha = new Map();
    for (const e of of(xt, 'subnets.DividendsClaimed')) {
      claimedTao.set(e.data.validator, (claimedTao.get(e.data.validator) ?? 0n) + BigInt(e.data.tao));
      const k = `${e.data.netuid} ${e.data.validator}`;
      claimedAlpha.set(k, (claimedAlpha.get(k) ?? 0n) + BigInt(e.data.alpha));
    }
    for (const [who, tao] of claimedTao) {
      add('dividends', `paid out to ${encodeAddress(who)}: native (DividendsClaimed) vs minted into its account (balances.Minted)`, tao, minted.get(who) ?? 0n);
    }
    const cleared = new Set(of(xt, 'subnets.AlphaCleared').map((e) => e.data.netuid));
    for (const [k, alpha] of claimedAlpha) {
      const [netuid, who] = k.split(' ');
      const bal = st.alphaOfPaid?.[k];
      if (!bal || cleared.has(Number(netuid))) continue;
      add('dividends', `paid out to ${encodeAddress(who)} on subnet ${netuid}: alpha (DividendsClaimed) vs its alpha balance's change`, alpha, BigInt(bal.after) - BigInt(bal.before));
    }
  }
  // The alpha recycled by hard-capped epochs: before + the block's AlphaRecycled events vs stored.
  if (snapshot.inputs.alphaRecycled !== null && snapshot.inputs.alphaRecycled !== undefined && st.alphaRecycled !== null && st.alphaRecycled !== undefined) {
    const events = [...of(chain, 'subnets.AlphaRecycled'), ...of(xt, 'subnets.AlphaRecycled')].reduce((x, e) => x + BigInt(e.data.amount), 0n);
    add('dividends', 'AlphaRecycled after the block: before + AlphaRecycled events vs stored', BigInt(snapshot.inputs.alphaRecycled) + events, BigInt(st.alphaRecycled));
  }
}

/** The active tine's withholding and the reserves' balances. */
function withholdingRows (v) {
  const { snapshot, replay, chain, add, minted, mintedComputed, accounts, st } = v;
  const withheld = of(chain, 'emission.EmissionWithheld')[0]?.data;
  if (withheld || replay.withheld > 0n) {
    const tine = snapshot.inputs.activeTine;
    add('withholding', 'tine', tine ? tine.label : null, withheld ? label(withheld.tine) : null);
    add('withholding', 'withheld', replay.withheld, big(withheld?.withheld) ?? 0n);
    add('withholding', 'to the depth reserve', replay.toDepth, big(withheld?.toDepth) ?? 0n);
    if (snapshot.inputs.oracle) add('withholding', 'leaned toward the depth reserve (floor short)', replay.leaned ?? 0n, big(withheld?.leaned) ?? 0n);
    add('withholding', 'to the split\'s reserves', replay.toReserves ?? 0n, big(withheld?.toReserves) ?? 0n);
    add('withholding', 'carried for reserves after the block', big(withheld?.carried) ?? 0n,
      BigInt(st.reserveCarry.depth) + st.reserveCarry.parts.reduce((x, v) => x + BigInt(v), 0n));
    add('withholding', 'minted into the depth reserve', mintedComputed.get(accounts.depthReserve) ?? 0n, minted.get(accounts.depthReserve) ?? 0n);
    for (const part of replay.reserveParts) {
      add('withholding', `minted into reserve "${label(part.name)}"`, mintedComputed.get(part.account) ?? 0n, minted.get(part.account) ?? 0n);
    }
    // The event against the ledgers: withheld = minted into the reserves (Balances' events) +
    // the change of what is carried (state).
    const carryBefore = BigInt(snapshot.inputs.reserveCarry.depth) + snapshot.inputs.reserveCarry.parts.reduce((x, v) => x + BigInt(v), 0n);
    const carryAfter = BigInt(st.reserveCarry.depth) + st.reserveCarry.parts.reduce((x, v) => x + BigInt(v), 0n);
    const reserveMints = [accounts.depthReserve, ...replay.reserveParts.map((p) => p.account)].reduce((x, who) => x + (minted.get(who) ?? 0n), 0n);
    const retired = of(chain, 'emission.Recycled').filter((e) => e.data.reason === 'RetiredReserves').reduce((x, e) => x + BigInt(e.data.amount), 0n);
    add('conservation', 'withheld (event) vs minted into reserves (Balances) + Δ carried + retired (state)', big(withheld?.withheld) ?? 0n, reserveMints + carryAfter - carryBefore + retired);
  }
  // Reserve balances after the block (state) against before + what the replay minted into them.
  for (const who of [accounts.depthReserve, ...Object.values(accounts.reserves)]) {
    const before = BigInt(snapshot.inputs.accounts[who]?.free ?? 0);
    add('reserves', `balance of ${who === accounts.depthReserve ? 'the depth reserve' : `reserve "${label(Object.keys(accounts.reserves).find((n) => accounts.reserves[n] === who))}"`} after the block`,
      before + (mintedComputed.get(who) ?? 0n), big(st.balances?.[who]) ?? before);
  }
}

/** Each due epoch: the settlement, its record and each validator's dividends. */
function epochRows (v) {
  const { snapshot, replay, add, rows, removedNetuids, settledChain, epochNetuids, paidChain } = v;
  // Each due epoch.
  for (const netuid of epochNetuids) {
    const c = replay.epochs.find((e) => e.netuid === netuid);
    const o = settledChain.get(netuid);
    const g = `epoch of subnet ${netuid}`;
    if (!c || !o) {
      add(g, 'epoch settled in this block', Boolean(c), Boolean(o));
      continue;
    }
    add(g, 'utilization (U96F32 bits)', c.utilization, BigInt(o.utilization));
    add(g, 'RootProp (U96F32 bits)', c.rootProp, BigInt(o.rootProp));
    add(g, 'raw root proportion (U96F32 bits)', c.rawRootProp, BigInt(o.rawRootProp));
    add(g, 'EffectiveRootProp (U96F32 bits)', c.effectiveRootProp, BigInt(o.effectiveRootProp));
    add(g, 'hard cap applied', c.capped, o.capped);
    add(g, 'alpha dividends', c.alphaTotal, BigInt(o.alphaDividends));
    add(g, 'root dividends', c.rootTotal, BigInt(o.rootDividends));
    add(g, 'root dividends recycled', c.recycled, BigInt(o.recycled));
    // The inputs the event records against the chain's validators before the block (two sources):
    // every validator registered on the subnet with root stake, and its stake.
    const registered = (snapshot.inputs.validators?.[netuid] ?? []).filter((v) => BigInt(v.rootStake) > 0n)
      .map((v) => `${v.account}:${v.rootStake}`).sort();
    const recorded = o.rootStakes.map(([who, stake]) => `${who}:${stake}`).sort();
    add(g, 'EpochSettled root stakes vs subnets.Validators before the block', registered.join(' ') || 'none', recorded.join(' ') || 'none');
    // Re-derived from what the pallet recorded, exactly (seed 003), not from the dev economy:
    // the decision must agree; the stored value is the exact one rounded down (n + 1 units).
    const exact = exactUtilization(o.rootStakes, o.rootDividendsByValidator, BigInt(o.rootDividends));
    add(g, 'hard cap from the recorded inputs, exactly', BigInt(o.rootDividends) > 0n && exact.belowHalf, o.capped);
    const exactBits = (exact.num << 32n) / exact.den;
    rows.push(within(g, 'utilization from the recorded inputs, exactly (bits)', exactBits, BigInt(o.utilization), BigInt(o.rootStakes.length + 1)));
    const last = snapshot.outputs.storage.lastEpoch?.[netuid];
    if (removedNetuids.includes(netuid)) {
      // The epoch settled in `on_initialize`; the removal, an extrinsic later in the block, took
      // its record and its scaling inputs with the subnet.
      add(g, 'LastEpoch after the block (removed by an extrinsic)', 'removed', last ? 'present' : 'removed');
      add(g, 'state after the block (removed by an extrinsic)', 'removed', snapshot.outputs.storage.scalingInputs[netuid] ? 'present' : 'removed');
    } else {
      add(g, 'LastEpoch after the block: block, capped, recycled', `${snapshot.block.number} ${c.capped} ${c.recycled}`,
        last ? `${last.block} ${last.capped} ${last.recycled}` : null);
      // Its numeric fields (the inputs of the no-hard-cap counterfactual): the replay's against storage.
      add(g, 'LastEpoch after the block: utilization, RootProp, raw root prop, ERP (bits), alpha and root dividends',
        [c.utilization, c.rootProp, c.rawRootProp, c.effectiveRootProp, c.alphaTotal, c.rootTotal].join(' '),
        last ? [last.utilization, last.rootProp, last.rawRootProp, last.effectiveRootProp, last.alphaDividends, last.rootDividends].join(' ') : null);
      const table = snapshot.outputs.storage.scalingInputs[netuid];
      add(g, 'stored EffectiveRootProp after the block', c.effectiveRootProp, big(snapshot.outputs.storage.effectiveRootProp[netuid]));
      add(g, 'stored RootProp after the block', c.rootProp, big(snapshot.outputs.storage.rootProp[netuid]));
      add(g, 'ScalingInputs (ERP, RootProp) after the block', `${c.effectiveRootProp} ${c.rootProp}`, table ? `${table.erp} ${table.rootProp}` : null);
    }
    const paid = new Map(paidChain.filter((e) => e.data.netuid === netuid).map((e) => [e.data.validator, e.data]));
    const validators = [...new Set([...c.dividends.filter((x) => x.paid).map((x) => x.validator), ...paid.keys()])].sort();
    for (const v of validators) {
      const mine = c.dividends.find((x) => x.validator === v && x.paid);
      const theirs = paid.get(v);
      const short = encodeAddress(v);
      add(`dividends on subnet ${netuid}`, `${short} alpha`, mine?.alpha ?? null, big(theirs?.alpha));
      add(`dividends on subnet ${netuid}`, `${short} root`, mine?.root ?? null, big(theirs?.root));
    }
  }
}

/** What the block must not touch, and each hook event counted. */
function untouchedRows (v) {
  const { snapshot, replay, chain, add, removedNetuids, settledChain, epochNetuids } = v;
  // What the block must not touch: the epoch records and scaling inputs of every subnet that did not
  // settle in it (and was not removed by an extrinsic) are the ones before it.
  const settledNow = new Set(epochNetuids);
  const untouched = (netuid) => !settledNow.has(netuid) && !removedNetuids.includes(netuid);
  const before = snapshot.inputs.lastEpoch ?? {};
  const afterEpochs = snapshot.outputs.storage.lastEpoch ?? {};
  const epochText = (e) => (e ? `${e.block} ${e.utilization} ${e.rawRootProp} ${e.effectiveRootProp} ${e.capped}` : 'none');
  const keptEpochs = [...new Set([...Object.keys(before), ...Object.keys(afterEpochs)].map(Number))].filter(untouched).sort((a, b) => a - b);
  add('untouched', `LastEpoch of the ${keptEpochs.length} subnets that did not settle: before vs after the block`,
    keptEpochs.map((n) => `${n}: ${epochText(before[n])}`).join('; ') || 'none',
    keptEpochs.map((n) => `${n}: ${epochText(afterEpochs[n])}`).join('; ') || 'none');
  const tableBefore = snapshot.inputs.scalingInputs ?? {};
  const tableAfter = snapshot.outputs.storage.scalingInputs ?? {};
  const tableText = (t) => (t ? `${t.erp} ${t.rootProp}` : 'none');
  const keptTable = [...new Set([...Object.keys(tableBefore), ...Object.keys(tableAfter)].map(Number))].filter(untouched).sort((a, b) => a - b);
  add('untouched', `ScalingInputs of the ${keptTable.length} subnets that did not settle: before vs after the block`,
    keptTable.map((n) => `${n}: ${tableText(tableBefore[n])}`).join('; ') || 'none',
    keptTable.map((n) => `${n}: ${tableText(tableAfter[n])}`).join('; ') || 'none');
  // Each of the hook's events as many times as the replay deposits it (a second
  // BlockEmissionDistributed or EpochSettled of one subnet would otherwise go unread).
  const count = (list, key) => BigInt(list.filter((e) => `${e.section}.${e.method}` === key).length);
  add('hook events', 'BlockEmissionDistributed', replay.issued > 0n ? 1n : 0n, count(chain, 'emission.BlockEmissionDistributed'));
  add('hook events', 'EpochSettled', BigInt(replay.epochs.length), count(chain, 'emission.EpochSettled'));
  add('hook events', 'EpochSettled of distinct subnets', BigInt(replay.epochs.length), BigInt(settledChain.size));
  for (const key of ['emission.EmissionWithheld', 'emission.ForkDecided']) {
    add('hook events', key.split('.')[1], count(replay.events, key), count(chain, key));
  }
}

/** The fork at a turn's close, its reference, and the turn after the block. */
function forkRows (v) {
  const { snapshot, replay, chain, add, rows } = v;
  // The fork at turn close.
  const fork = of(chain, 'emission.ForkDecided')[0]?.data;
  add('fork', 'a turn closed in this block', replay.fork !== null, Boolean(fork));
  if (replay.fork && fork) {
    add('fork', 'turn', BigInt(replay.fork.turn), BigInt(fork.turn));
    add('fork', 'kept', replay.fork.kept === null ? null : label(replay.fork.kept), fork.kept === null ? null : label(fork.kept));
    add('fork', 'refused', replay.fork.refused, fork.refused);
    const cutChain = new Map(fork.cut.map((x) => [x.id, x.gap]));
    const ids = [...new Set([...replay.fork.cut.map((x) => x.id), ...cutChain.keys()])].sort();
    for (const id of ids) {
      const mine = replay.fork.cut.find((x) => x.id === id);
      add('fork', `cut "${label(id)}": gap (FixedI128 inner)`, mine ? mine.gap : 'not cut', cutChain.has(id) ? big(cutChain.get(id)) : 'not cut');
    }
  }
  if (replay.fork && fork) forkReference(snapshot, replay, fork, rows);
  if (replay.fork) {
    const lf = snapshot.outputs.storage.lastFork;
    add('fork', 'LastFork after the block: turn, kept, refused', `${replay.fork.turn} ${replay.fork.kept === null ? '-' : label(replay.fork.kept)} ${replay.fork.refused ?? '-'}`,
      lf ? `${lf.turn} ${lf.kept === null ? '-' : label(lf.kept)} ${lf.refused ?? '-'}` : null);
    // The tines after the block: the cut ones are gone (when the fork landed).
    const before = snapshot.inputs.tines.map((t) => t.id);
    const cutIds = new Set(replay.fork.kept === null ? [] : replay.fork.cut.map((x) => x.id));
    const expected = before.filter((id) => !cutIds.has(id)).sort();
    const touchedByExtrinsics = (snapshot.outputs.extrinsicEvents ?? []).some((n) => n === 'emission.TineProposed' || n === 'emission.TineWithdrawn');
    if (!touchedByExtrinsics) add('fork', 'tines after the block', expected.map(label).join(' ') || '(none)', (snapshot.outputs.storage.tines ?? []).map(label).join(' ') || '(none)');
  }
  add('turn', 'CurrentTurn after the block', BigInt(replay.currentTurnAfter), BigInt(snapshot.outputs.storage.currentTurn));
  add('turn', 'TurnStart after the block', replay.turnStartAfter, BigInt(snapshot.outputs.storage.turnStart));
  const activeAfter = snapshot.outputs.storage.activeTine;
  add('turn', 'active tine after the block', replay.activeTineAfter === null ? null : label(replay.activeTineAfter), activeAfter === null ? null : label(activeAfter));
}

/**
 * Verify a snapshot: replay its block and compare every output, group by group. Returns
 * `{ rows, ok, checksumOk, replay }`; `ok` only when every diff is exactly 0 and the checksum
 * matches.
 */
export function verifySnapshot (snapshot, { checksum = true } = {}) {
  const replay = replayBlock(snapshot);
  const rows = [];
  const v = { snapshot, replay, chain: snapshot.outputs.events, rows, add: (...args) => rows.push(row(...args)), ...blockFacts(snapshot, replay) };
  for (const group of [emissionRows, recyclingRows, ledgerRows, unclaimedRows, withholdingRows, epochRows, untouchedRows, forkRows]) group(v);
  // `checksum: false` for a snapshot this process has just read (the range command): its checksum
  // was computed from the same object a moment ago, so the check could not fail.
  const checksumOk = !checksum || snapshot.checksum === checksumOf(snapshot);
  return { rows, ok: checksumOk && rows.every((r) => r.ok), checksumOk, replay };
}

/** The longest turn the gate's promise is simulated over, block by block. */
export const GATE_SIMULATION_MAX_BLOCKS = 20_000;

/**
 * The floor gate's promise, simulated: from the state after the turn-closing block, each block of
 * the next turn issues what the schedule gives (block by block, the cap and the ledger's room
 * counted), the kept tine withholds from it, and its depth part closes the floor's deficit. Returns
 * the first block (1-based within the turn) by which the deficit is closed, or null if the turn
 * ends first. The gate's closed form judges the lowest emission of the turn; this is the promise.
 */
export function simulateTurn ({ schedule, block, blocks, outstanding, headroom, tine, deficit }) {
  let left = deficit;
  let out = outstanding;
  let room = headroom;
  if (left === 0n) return 0;
  for (let i = 1; i <= blocks; i++) {
    const scheduled = blockEmission(schedule, block + BigInt(i), out);
    const issued = scheduled < room ? scheduled : room;
    out += issued;
    room -= issued;
    const w = withhold(issued, tine.feeBps, tine.depthFeed, tine.split.map((x) => x.weight), tine.floorPull, left);
    left = satSub(left, w.toDepth);
    if (left === 0n) return i;
  }
  return null;
}

/**
 * The fork's reference rows (seed 000 in exact rationals, `reference.js`): the winner by exact
 * measure against the tine the chain kept, each cut tine's gap against the exact gap within the
 * measures' rounding, and (spec 104 on) the gate's promise simulated block by block.
 */
function forkReference (snapshot, replay, fork, rows) {
  const { inputs } = snapshot;
  const weights = inputs.measureWeights;
  const candidates = replay.fork.candidates;
  const winner = exactWinner(candidates, weights);
  if (winner === null || fork.refused === 'NoMeasurableTine') {
    rows.push(row('reference', 'fork: a tine measurable, exactly (seed 000) vs the chain\'s refusal', winner === null ? 'none' : 'some',
      fork.refused === 'NoMeasurableTine' ? 'none' : 'some'));
    return;
  }
  if (fork.kept === null) return; // refused by the gate: judged by the gate's own rows
  const keptCandidate = candidates.find((c) => c.id === fork.kept);
  const keptMeasure = keptCandidate ? exactMeasure(keptCandidate.reading, weights) : null;
  // The chain's measures are FixedI128: a winner that differs from the exact one is a rounding tie
  // only when the two exact measures are within both measures' rounding.
  let computed = label(winner.id);
  if (winner.id !== fork.kept && keptMeasure !== null) {
    const gap = toFixedI128([winner.measure[0] * keptMeasure[1] - keptMeasure[0] * winner.measure[1], winner.measure[1] * keptMeasure[1]]);
    const slack = measureSlack(keptCandidate.reading) + measureSlack(candidates.find((c) => c.id === winner.id).reading);
    if (gap <= slack) computed = label(fork.kept);
  }
  rows.push(row('reference', 'fork winner: highest exact measure, ties to the older tine (seed 000; equal within the measures\' rounding) vs kept', computed, label(fork.kept)));
  for (const cut of fork.cut) {
    const c = candidates.find((x) => x.id === cut.id);
    const m = c ? exactMeasure(c.reading, weights) : null;
    if (m === null || cut.gap === null || keptMeasure === null) {
      rows.push(row('reference', `fork: cut "${label(cut.id)}" measurable, exactly vs on chain`, m === null || keptMeasure === null ? 'no' : 'yes', cut.gap === null ? 'no' : 'yes'));
      continue;
    }
    const exact = toFixedI128([keptMeasure[0] * m[1] - m[0] * keptMeasure[1], keptMeasure[1] * m[1]]);
    const slack = measureSlack(keptCandidate.reading) + measureSlack(c.reading);
    const diff = exact - BigInt(cut.gap);
    rows.push({ group: 'reference', quantity: `fork: cut "${label(cut.id)}": exact gap to the kept tine vs recorded (FixedI128 inner, |diff| ≤ ${slack})`, computed: exact, onchain: BigInt(cut.gap), diff, ok: diff <= slack && -diff <= slack });
  }
  // The gate's promise (spec 104 on): with the kept tine, the floor is reached within the turn.
  const st = snapshot.outputs.storage;
  if (!inputs.oracle || (inputs.specVersion ?? 0) < 104 || inputs.floor === null || !inputs.schedule) return;
  const blocks = inputs.turnLength;
  if (blocks > GATE_SIMULATION_MAX_BLOCKS) return;
  const tine = inputs.tines.find((t) => t.id === fork.kept) ?? (inputs.activeTine?.id === fork.kept ? inputs.activeTine : null);
  if (!tine) return;
  const depth = BigInt(st.balances?.[snapshot.accounts.depthReserve] ?? 0) + BigInt(st.reserveCarry?.depth ?? 0);
  const deficit = satSub(BigInt(inputs.floor), depth);
  const totalIssued = BigInt(st.totalIssued);
  const reached = simulateTurn({
    schedule: inputs.schedule,
    block: BigInt(snapshot.block.number),
    blocks,
    outstanding: satSub(totalIssued, BigInt(st.totalRecycled)),
    headroom: satSub(satSub(U128_MAX, BigInt(st.issuanceBase ?? inputs.issuanceBase ?? 0)), totalIssued),
    tine,
    deficit
  });
  rows.push(row('reference', `gate's promise: the floor's deficit (${deficit}) closed within the next turn (${blocks} blocks), simulated block by block vs the gate passed`,
    reached === null ? 'falls short' : 'closed', 'closed'));
}
