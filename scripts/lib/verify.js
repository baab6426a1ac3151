// Compare a replayed block (model.js) with what the chain recorded (the snapshot's outputs): one row
// per quantity with the computed value, the on-chain value and their difference.

import { encodeAddress } from '@polkadot/keyring';

import { checksumOf, label } from './snapshot.js';
import { replayBlock } from './model.js';

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
 * Each subnet's emission in the snapshot's block as the chain recorded it: pending emission after
 * − before + the dividends its epoch paid in the block. (Pending emission is a ledger: the pallet
 * mints it to the validators at their epoch.)
 */
export function onchainAmounts (snapshot) {
  const before = snapshot.inputs.pendingEmission;
  const after = snapshot.outputs.storage.pendingEmission;
  const paid = new Map();
  for (const e of of(snapshot.outputs.events, 'subnets.DividendsPaid')) {
    paid.set(e.data.netuid, (paid.get(e.data.netuid) ?? 0n) + BigInt(e.data.alpha) + BigInt(e.data.root));
  }
  const netuids = new Set([...Object.keys(before), ...Object.keys(after)].map(Number));
  return new Map([...netuids].sort((a, b) => a - b).map((n) => [n, (big(after[n]) ?? 0n) - (big(before[n]) ?? 0n) + (paid.get(n) ?? 0n)]));
}

/**
 * Verify a snapshot: replay its block and compare every output. Returns
 * `{ rows, ok, checksumOk, replay, skipped }`; `ok` only when every diff is exactly 0 and the
 * checksum matches.
 */
export function verifySnapshot (snapshot) {
  const replay = replayBlock(snapshot);
  const chain = snapshot.outputs.events;
  const rows = [];
  const skipped = [];
  const add = (...args) => rows.push(row(...args));

  // The block emission and its conservation.
  const dist = of(chain, 'emission.BlockEmissionDistributed')[0]?.data;
  const d = {
    issued: big(dist?.issued) ?? 0n,
    withheld: big(dist?.withheld) ?? 0n,
    toSubnets: big(dist?.toSubnets) ?? 0n,
    recycled: big(dist?.recycled) ?? 0n,
    recipients: BigInt(dist?.recipients ?? 0)
  };
  add('block emission', 'issued', replay.issued, d.issued);
  add('block emission', 'withheld by the active tine', replay.withheld, d.withheld);
  add('block emission', 'to subnets', replay.toSubnets, d.toSubnets);
  add('block emission', 'recycled (no subnet could take it)', replay.recycled, d.recycled);
  add('block emission', 'recipients', BigInt(replay.recipients), d.recipients);
  add('conservation', 'computed: to subnets + withheld + recycled − issued', replay.toSubnets + replay.withheld + replay.recycled - replay.issued, 0n);
  add('conservation', 'on-chain: to subnets + withheld + recycled − issued', 0n, d.toSubnets + d.withheld + d.recycled - d.issued);
  add('block emission', 'TotalIssued after the block', replay.totalIssuedAfter, BigInt(snapshot.outputs.storage.totalIssued));

  // What each account was minted: the depth reserve, the named reserves, the validators.
  const minted = new Map();
  for (const e of of(chain, 'balances.Minted')) minted.set(e.data.who, (minted.get(e.data.who) ?? 0n) + BigInt(e.data.amount));
  const mintedComputed = new Map();
  for (const e of of(replay.events, 'balances.Minted')) mintedComputed.set(e.data.who, (mintedComputed.get(e.data.who) ?? 0n) + e.data.amount);
  const { accounts } = snapshot;

  // Each subnet's amount, as the chain recorded it: the change of its pending emission plus what
  // its epoch paid out in this block.
  const removed = snapshot.outputs.extrinsicEvents.some((n) => n === 'subnets.SubnetRemoved' || n === 'emission.SubnetStateRemoved');
  if (removed) {
    skipped.push('per-subnet amounts, pending emission, the epoch queue and the scaling table after the block (a subnet was removed by an extrinsic in this block)');
  } else {
    const onchain = onchainAmounts(snapshot);
    const netuids = [...new Set([...replay.amounts.keys(), ...onchain.keys()])].sort((a, b) => a - b);
    for (const netuid of netuids) {
      add('subnet emission', `subnet ${netuid}: amount`, replay.amounts.get(netuid) ?? 0n, onchain.get(netuid) ?? 0n);
    }
    const pendingAfter = snapshot.outputs.storage.pendingEmission;
    for (const netuid of [...new Set([...replay.pendingAfter.keys(), ...Object.keys(pendingAfter).map(Number)])].sort((a, b) => a - b)) {
      add('subnet emission', `subnet ${netuid}: pending emission after the block`, replay.pendingAfter.get(netuid) ?? 0n, big(pendingAfter[netuid]) ?? 0n);
    }
    add('epoch queue', 'EpochQueue after the block', replay.epochQueueAfter.join(' ') || '(empty)', snapshot.outputs.storage.epochQueue.join(' ') || '(empty)');
  }

  const withheld = of(chain, 'emission.EmissionWithheld')[0]?.data;
  if (withheld || replay.withheld > 0n) {
    const tine = snapshot.inputs.activeTine;
    add('withholding', 'tine', tine ? tine.label : null, withheld ? label(withheld.tine) : null);
    add('withholding', 'withheld', replay.withheld, big(withheld?.withheld) ?? 0n);
    add('withholding', 'to the depth reserve', replay.toDepth, big(withheld?.toDepth) ?? 0n);
    add('withholding', 'minted into the depth reserve', mintedComputed.get(accounts.depthReserve) ?? 0n, minted.get(accounts.depthReserve) ?? 0n);
    for (const part of replay.reserveParts) {
      add('withholding', `minted into reserve "${label(part.name)}"`, mintedComputed.get(part.account) ?? 0n, minted.get(part.account) ?? 0n);
    }
  }
  const recycledChain = of(chain, 'subnets.EmissionRecycled').reduce((a, e) => a + BigInt(e.data.amount), 0n);
  const recycledComputed = of(replay.events, 'subnets.EmissionRecycled').reduce((a, e) => a + e.data.amount, 0n);
  add('block emission', 'recycled by the subnet economy (events)', recycledComputed, recycledChain);

  // Each due epoch.
  const settledChain = new Map(of(chain, 'emission.EpochSettled').map((e) => [e.data.netuid, e.data]));
  const epochNetuids = [...new Set([...replay.epochs.map((e) => e.netuid), ...settledChain.keys()])].sort((a, b) => a - b);
  const paidChain = of(chain, 'subnets.DividendsPaid');
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
    if (removed) {
      skipped.push(`${g}: stored EffectiveRootProp/RootProp (a subnet was removed by an extrinsic in this block)`);
    } else {
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
  add('turn', 'CurrentTurn after the block', BigInt(replay.currentTurnAfter), BigInt(snapshot.outputs.storage.currentTurn));
  add('turn', 'TurnStart after the block', replay.turnStartAfter, BigInt(snapshot.outputs.storage.turnStart));
  const activeAfter = snapshot.outputs.storage.activeTine;
  add('turn', 'active tine after the block', replay.activeTineAfter === null ? null : label(replay.activeTineAfter), activeAfter === null ? null : label(activeAfter));

  const checksumOk = snapshot.checksum === checksumOf(snapshot);
  return { rows, ok: checksumOk && rows.every((r) => r.ok), checksumOk, replay, skipped };
}
