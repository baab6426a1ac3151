// Read one block's emission inputs (from its parent's state) and outputs (its own events and
// state) into one plain JSON document: the audit snapshot. Numbers are decimal strings, fixed-point
// values their `bits`, accounts and tine ids 0x-hex.

import crypto from 'node:crypto';

import { compactToU8a, hexToU8a, stringToU8a, u8aConcat, u8aToHex, u8aToString } from '@polkadot/util';
import { blake2AsU8a } from '@polkadot/util-crypto';

import { UserError, isPruned, prunedError, withRetry } from './client.js';

export const FORMAT = 'emission-audit-snapshot/4';

/** `PalletId::into_sub_account_truncating(sub)`: "modl" ++ id ++ SCALE(sub), zero-padded to 32 bytes. */
export function subAccount (palletId, encodedSub) {
  const raw = u8aConcat(stringToU8a('modl'), palletId, encodedSub);
  const out = new Uint8Array(32);
  out.set(raw.subarray(0, 32));
  return u8aToHex(out);
}

/**
 * The emission pallet's reserve account for a reserve name (0x-hex bytes): sub
 * `blake2_256(SCALE((b"reserve", name)))`, of which the account keeps the first 20 bytes.
 */
export function reserveAccount (emissionPalletId, nameHex) {
  const name = hexToU8a(nameHex);
  const seed = u8aConcat(stringToU8a('reserve'), compactToU8a(name.length), name);
  return subAccount(emissionPalletId, blake2AsU8a(seed, 256));
}

/** The depth reserve account: sub `b"depth"`. */
export function depthReserveAccount (emissionPalletId) {
  return subAccount(emissionPalletId, stringToU8a('depth'));
}

/**
 * JSON with sorted keys: the checksum's canonical form. (Built in one pass into one array of
 * pieces: the same text as nesting template strings, with far fewer intermediate strings.)
 */
export function canonical (value) {
  const out = [];
  // (`undefined` is '' in an array, 'undefined' as an object's value, as the nested form had it.)
  const walk = (v, inArray = false) => {
    if (Array.isArray(v)) {
      out.push('[');
      for (let i = 0; i < v.length; i++) {
        if (i) out.push(',');
        walk(v[i], true);
      }
      out.push(']');
    } else if (v && typeof v === 'object') {
      const keys = Object.keys(v).sort();
      out.push('{');
      for (let i = 0; i < keys.length; i++) {
        if (i) out.push(',');
        out.push(JSON.stringify(keys[i]), ':');
        walk(v[keys[i]]);
      }
      out.push('}');
    } else {
      const text = JSON.stringify(v);
      out.push(text === undefined ? (inArray ? '' : 'undefined') : text);
    }
  };
  walk(value);
  return out.join('');
}

/** `sha256:` of the canonical JSON of a snapshot without its `checksum` field. */
export function checksumOf (snapshot) {
  const { checksum, ...rest } = snapshot;
  return `sha256:${crypto.createHash('sha256').update(canonical(rest)).digest('hex')}`;
}

// An integer codec's decimal text (what `toBigInt().toString()` gives, without the round trip).
const str = (codec) => codec.toString(10);
const bits = (fixed) => fixed.bits.toString(10);
const hex = (codec) => u8aToHex(codec.toU8a(true));
const optNum = (opt) => (opt.isSome ? opt.unwrap().toNumber() : null);
const optStr = (opt) => (opt.isSome ? str(opt.unwrap()) : null);

/** A tine id's bytes as text when they are printable, else hex. */
export function label (idHex) {
  const text = u8aToString(hexToU8a(idHex));
  return /^[\x20-\x7e]+$/.test(text) ? text : idHex;
}

function tineJson (idCodec, tine) {
  const config = tine.config;
  return {
    id: hex(idCodec),
    label: label(hex(idCodec)),
    bornAtTurn: tine.bornAtTurn.toNumber(),
    feeBps: config.feeBps.toNumber(),
    split: config.split.map(([name, weight]) => ({ name: hex(name), weight: weight.toNumber() })),
    floorPull: config.floorPull.toNumber(),
    depthFeed: config.depthFeed.toNumber()
  };
}

function readingJson (r) {
  return {
    reserveGrowthPpm: r.reserveGrowthPpm.isSome ? r.reserveGrowthPpm.unwrap().toBigInt().toString() : null,
    depthStability: optNum(r.depthStability),
    floorHeld: r.floorHeld.isSome ? r.floorHeld.unwrap().isTrue : null,
    retention: optNum(r.retention)
  };
}

/**
 * An `EpochQueue` entry as `{ netuid, epochs }`: spec 104 on stores `(netuid, due epochs)`, before
 * it the netuid alone (one due epoch: a subnet due again while it waited was skipped).
 */
function queueEntry (e) {
  return Array.isArray(e) ? { netuid: e[0].toNumber(), epochs: e[1].toNumber() } : { netuid: e.toNumber(), epochs: 1 };
}

/** The hook's events, as plain JSON (the kinds the audit compares). */
function eventJson (event) {
  const d = event.data;
  const key = `${event.section}.${event.method}`;
  switch (key) {
    case 'emission.BlockEmissionDistributed':
      return { issued: str(d.issued), withheld: str(d.withheld), toSubnets: str(d.toSubnets), recycled: str(d.recycled), recipients: d.recipients.toNumber() };
    case 'emission.EmissionWithheld':
      // `leaned` from spec 102 on (the floor's lean); absent before.
      return { tine: hex(d.tine), withheld: str(d.withheld), toDepth: str(d.toDepth), ...(d.leaned === undefined ? {} : { leaned: str(d.leaned) }), toReserves: str(d.toReserves), carried: str(d.carried) };
    case 'emission.Recycled':
      return { netuid: d.netuid.isSome ? d.netuid.unwrap().toNumber() : null, reason: d.reason.type, amount: str(d.amount) };
    case 'emission.EpochSettled':
      return {
        netuid: d.netuid.toNumber(),
        // Spec 104 on: the due epochs the settlement covers (1 before: merged epochs were lost).
        ...(d.epochs === undefined ? {} : { epochs: d.epochs.toNumber() }),
        rootStakes: d.rootStakes.map(([who, v]) => [hex(who), str(v)]),
        rootDividendsByValidator: d.rootDividendsByValidator.map(([who, v]) => [hex(who), str(v)]),
        utilization: bits(d.utilization),
        rootProp: bits(d.rootProp),
        rawRootProp: bits(d.rawRootProp),
        effectiveRootProp: bits(d.effectiveRootProp),
        capped: d.capped.isTrue,
        alphaDividends: str(d.alphaDividends),
        rootDividends: str(d.rootDividends),
        recycled: str(d.recycled)
      };
    case 'emission.ForkDecided': {
      const r = d.result;
      return {
        turn: r.turn.toNumber(),
        kept: r.kept.isSome ? hex(r.kept.unwrap()) : null,
        cut: r.cut.map(([id, gap]) => ({ id: hex(id), gap: gap.isSome ? gap.unwrap().toBigInt().toString() : null })),
        refused: r.refused.isSome ? r.refused.unwrap().type : null
      };
    }
    case 'subnets.DividendsPaid': // before spec 103: minted at the epoch
      return { netuid: d.netuid.toNumber(), validator: hex(d.validator), alpha: str(d.alpha), root: str(d.root) };
    case 'subnets.DividendsCredited': // spec 103 on: credited to the unclaimed ledger, with its alpha parts
      return {
        netuid: d.netuid.toNumber(),
        validator: hex(d.validator),
        alpha: str(d.alpha),
        root: str(d.root),
        alphaInAlpha: str(d.alphaInAlpha),
        rootInAlpha: str(d.rootInAlpha)
      };
    case 'subnets.AlphaRecycled':
      return { netuid: d.netuid.toNumber(), amount: str(d.amount) };
    case 'subnets.AlphaCleared':
      return { netuid: d.netuid.toNumber() };
    case 'emission.SubnetEmissionRateSet': // spec 106 on
      return { netuid: d.netuid.toNumber(), old: d.old.toNumber(), new: d.new_.toNumber() };
    case 'subnets.DividendsClaimed':
      return { netuid: d.netuid.toNumber(), validator: hex(d.validator), tao: str(d.tao), alpha: str(d.alpha) };
    case 'subnets.DividendsReturned':
      return { netuid: d.netuid.toNumber(), validator: hex(d.validator), amount: str(d.amount) };
    case 'subnets.SubnetRemoved':
      return { netuid: d.netuid.toNumber() };
    case 'balances.Minted':
      return { who: hex(d.who), amount: str(d.amount) };
    case 'balances.Burned':
      return { who: hex(d.who), amount: str(d.amount) };
    case 'balances.DustLost':
      return { account: hex(d.account), amount: str(d.amount) };
    case 'transactionPayment.TransactionFeePaid':
      return { who: hex(d.who), actualFee: str(d.actualFee), tip: str(d.tip) };
    default:
      return null;
  }
}

/** The emission pallet's `ReserveCarry` (depth, each reserve of the split) as `{ depth, parts }`. */
function carryJson ([depth, parts]) {
  return { depth: str(depth), parts: parts.map(str) };
}

/** The emission pallet's `ScalingInputs` (netuid → (ERP, RootProp)) as `{ netuid: { erp, rootProp } }`. */
function tableJson (table) {
  return Object.fromEntries([...table.entries()]
    .map(([k, [erp, rootProp]]) => [k.toNumber(), { erp: bits(erp), rootProp: bits(rootProp) }]));
}

/** The subnets pallet's `PendingEmission` (netuid → balance) as `{ netuid: "amount" }`. */
function pendingJson (table) {
  return Object.fromEntries([...table.entries()].map(([k, v]) => [k.toNumber(), str(v)]));
}

/** Resolve `--at` (a block number or a 0x block hash) to `{ number, hash }`. */
export async function resolveBlock (api, at, retry = {}, note = true) {
  const text = String(at).trim();
  if (/^0x[0-9a-fA-F]{64}$/.test(text)) {
    let header;
    try {
      header = await withRetry(() => api.rpc.chain.getHeader(text), retry);
    } catch (err) {
      throw new UserError(`block ${text} is not known to the node (${err.message})`);
    }
    return { number: header.number.toNumber(), hash: text.toLowerCase() };
  }
  if (!/^\d+$/.test(text)) throw new UserError(`--at must be a block number or a 0x-prefixed 32-byte block hash, got "${at}"`);
  const number = Number(text);
  const head = (await withRetry(() => api.rpc.chain.getHeader(), retry)).number.toNumber();
  if (number > head) throw new UserError(`block #${number} is beyond the chain's best block #${head}`);
  const hash = (await withRetry(() => api.rpc.chain.getBlockHash(number), retry)).toHex();
  if (/^0x0+$/.test(hash)) throw new UserError(`the node has no block #${number}`);
  // A number names the best chain's block: final only up to the finalized head. Say so when it is
  // not (the verification is of that hash, which a reorganization can replace).
  const finalizedHash = await withRetry(() => api.rpc.chain.getFinalizedHead(), retry);
  const finalized = (await withRetry(() => api.rpc.chain.getHeader(finalizedHash), retry)).number.toNumber();
  if (number > finalized && note) {
    process.stderr.write(`note: block #${number} is not finalized (the finalized head is #${finalized}): ` +
      `${hash} is the best chain's block, which a reorganization can replace\n`);
  }
  return { number, hash, finalized: number <= finalized };
}


/**
 * The audit snapshot of block `at` (number or hash, or `{ number, hash }`). Inputs come from the
 * parent block's state, outputs from the block's events (the `Initialization` phase: what
 * `on_initialize` did) and state. `views` (a `StateViews`, for ranges) reads both states through
 * batched, shared views instead of one query per value: the same snapshot.
 */
export async function takeSnapshot (api, at, retry = {}, views = null, note = true) {
  const { number, hash } = typeof at === 'object' && at !== null ? at : await resolveBlock(api, at, retry, note);
  if (number === 0) throw new UserError('block #0 (genesis) runs no hook: audit a block from #1 on');
  try {
    return await read(api, number, hash, retry, views);
  } catch (err) {
    if (isPruned(err)) throw prunedError(`block #${number} or its parent`);
    throw err;
  }
}

/**
 * The schedule's decay factor in parts per 10¹⁸. Storage version 1 of the emission pallet stores a
 * `Perquintill` (64 bits, parts per 10¹⁸); version 0 stored a `Perbill` (32 bits, parts per 10⁹),
 * which the v0 → v1 migration multiplies by 10⁹. polkadot.js decodes a block's state with the
 * runtime of its parent, that is with the types of the runtime that wrote it, so the width tells
 * the layout.
 */
export function factorParts (factor) {
  const bits = factor.bitLength();
  if (bits === 64) return factor.toBigInt().toString();
  if (bits === 32) return (factor.toBigInt() * 10n ** 9n).toString();
  throw new Error(`a schedule decay factor of ${bits} bits: neither Perbill (v0) nor Perquintill (v1)`);
}

async function read (api, number, hash, retry, views) {
  const r = (fn) => withRetry(fn, retry);
  const header = await (views ? views.header(hash) : r(() => api.rpc.chain.getHeader(hash)));
  const parentHash = header.parentHash.toHex();
  const [before, after, version, genesisHash, chainName] = views
    ? await Promise.all([views.at(parentHash), views.at(hash), views.version(parentHash), views.genesisHash(), views.chain()])
    : await Promise.all([
      r(() => api.at(parentHash)), r(() => api.at(hash)),
      r(() => api.rpc.state.getRuntimeVersion(parentHash)), r(() => api.rpc.chain.getBlockHash(0)), r(() => api.rpc.system.chain())
    ]);
  const q = before.query.emission;
  const s = before.query.subnets;

  const constants = {
    maxSubnets: before.consts.emission.maxSubnets.toNumber(),
    maxValidatorsPerSubnet: before.consts.emission.maxValidatorsPerSubnet.toNumber(),
    maxTines: before.consts.emission.maxTines.toNumber(),
    maxEpochsPerBlock: before.consts.emission.maxEpochsPerBlock.toNumber(),
    taoWeight: before.consts.subnets.taoWeight.toNumber(),
    alphaEmission: str(before.consts.subnets.alphaEmission),
    existentialDeposit: str(before.consts.balances.existentialDeposit),
    emissionPalletId: u8aToHex(before.consts.emission.palletId.toU8a())
  };

  const [
    schedule, totalIssued, scaling, proportion, limit, scalingTable, queue, lastEpochEntries,
    tineEntries, weights, turnLength, currentTurn, turnStart, activeTine, subnetTable, validatorEntries,
    pendingTable, floor, totalRecycled, reserveCarry, issuanceBefore
  ] = await Promise.all([
    r(() => q.schedule()), r(() => q.totalIssued()), r(() => q.effectiveRootPropEmissionScaling()),
    r(() => q.emissionTopSubnetProportion()), r(() => q.emissionTopSubnetAbsoluteLimit()),
    r(() => q.scalingInputs()), r(() => q.epochQueue()), r(() => q.lastEpoch.entries()),
    r(() => q.tines.entries()), r(() => q.measureWeights()), r(() => q.turnLength()), r(() => q.currentTurn()),
    r(() => q.turnStart()), r(() => q.activeTine()), r(() => s.subnets()), r(() => s.validators.entries()),
    r(() => s.pendingEmission()), r(() => s.floor()), r(() => q.totalRecycled()), r(() => q.reserveCarry()),
    r(() => before.query.balances.totalIssuance())
  ]);
  // Spec 105 on: the currency's issuance the emission pallet did not issue (the ledger's identity).
  const issuanceBase = q.issuanceBase !== undefined ? str(await r(() => q.issuanceBase())) : null;
  // Spec 106 on: each subnet's emission rate below 100 % (parts per 10^9), applied before the
  // filters; before it, every subnet at 100 %.
  const subnetRates = q.subnetEmissionRates !== undefined
    ? Object.fromEntries([...(await r(() => q.subnetEmissionRates())).entries()]
      .map(([n, p]) => [n.toNumber(), p.toNumber()]).sort(([a], [b]) => a - b))
    : {};
  // Spec 102 on: each feeder's submission, one entry per tine stamped with its turn (the reading is
  // formed from the open turn's); before it, one reading per tine from a single origin.
  const oracle = q.submissions !== undefined;
  const [readingEntries, submissionEntries, feeders, quorum] = oracle
    ? [[], ...await Promise.all([r(() => q.submissions.entries()), r(() => q.feeders()), r(() => q.readingQuorum())])]
    : [await r(() => q.readings.entries(currentTurn)), [], null, null];
  // Spec 103 on: epochs credit dividends to a ledger the validators claim from; its native total
  // is issued and in no account. Before it, epochs minted them.
  const ledger = s.unclaimedTotal !== undefined;
  const unclaimedBefore = ledger ? str(await r(() => s.unclaimedTotal())) : null;
  // Spec 103 on: each subnet's ledger, validator → owed (native and alpha), and the alpha recycled.
  const ledgerJson = (entries) => Object.fromEntries(entries
    .map(([k, table]) => [k.args[0].toNumber(), Object.fromEntries([...table.entries()]
      .map(([who, owed]) => [hex(who), { tao: str(owed.tao), alpha: str(owed.alpha) }]).sort(([a], [b]) => (a < b ? -1 : 1)))])
    .filter(([, t]) => Object.keys(t).length > 0)
    .sort(([a], [b]) => a - b));
  const unclaimedLedgers = ledger ? ledgerJson(await r(() => s.unclaimed.entries())) : null;
  const alphaRecycledBefore = s.alphaRecycled !== undefined ? str(await r(() => s.alphaRecycled())) : null;
  const submissions = {};
  for (const [k, v] of submissionEntries) {
    if (v.isNone) continue;
    const entry = v.unwrap();
    if (!entry.turn.eq(currentTurn)) continue; // of a closed turn: counts for nothing
    submissions[hex(k.args[0])] = entry.by.map(([feeder, reading]) => ({ feeder: hex(feeder), reading: readingJson(reading) }));
  }
  for (const list of Object.values(submissions)) list.sort((a, b) => (a.feeder < b.feeder ? -1 : 1));

  const byNetuid = (entries, f) => Object.fromEntries(entries
    .filter(([, v]) => !v.isNone)
    .map(([k, v]) => [k.args[0].toNumber(), f(v.isSome ? v.unwrap() : v)])
    .sort(([a], [b]) => a - b));

  const tines = tineEntries
    .map(([k, v]) => ({ key: k.toHex(), ...tineJson(k.args[0], v.unwrap()) }))
    .sort((a, b) => (a.key < b.key ? -1 : 1));
  const active = activeTine.isSome ? (() => { const [id, tine] = activeTine.unwrap(); return tineJson(id, tine); })() : null;

  const validators = {};
  for (const [k, opt] of validatorEntries) {
    if (opt.isNone) continue;
    const v = opt.unwrap();
    const netuid = k.args[0].toNumber();
    (validators[netuid] ??= []).push({
      account: hex(k.args[1]),
      rootStake: str(v.rootStake),
      alphaStake: str(v.alphaStake),
      validating: v.validating.isTrue
    });
  }
  for (const list of Object.values(validators)) list.sort((a, b) => (a.account < b.account ? -1 : 1));

  const subnets = [...subnetTable.entries()]
    .map(([k, v]) => ({ netuid: k.toNumber(), tempo: v.tempo.toNumber(), baseWeight: v.baseWeight.toBigInt().toString() }))
    .sort((a, b) => a.netuid - b.netuid);

  // Accounts the hook mints into or pays from, derived as the runtime derives them.
  const emissionId = hexToU8a(constants.emissionPalletId);
  const reserveNames = new Set([...(active ? active.split : []), ...tines.flatMap((t) => t.split)].map((x) => x.name));
  const accounts = {
    depthReserve: depthReserveAccount(emissionId),
    reserves: Object.fromEntries([...reserveNames].sort().map((n) => [n, reserveAccount(emissionId, n)]))
  };
  const touched = [...new Set([
    accounts.depthReserve, ...Object.values(accounts.reserves), ...Object.values(validators).flat().map((v) => v.account)
  ])].sort();
  const infos = await r(() => before.query.system.account.multi(touched));
  const balances = Object.fromEntries(touched.map((who, i) => [who, {
    free: str(infos[i].data.free),
    exists: infos[i].providers.toNumber() + infos[i].sufficients.toNumber() > 0
  }]));

  const inputs = {
    schedule: schedule.isSome
      ? (() => {
          const x = schedule.unwrap();
          return { initial: str(x.initial), decayFactor: factorParts(x.decayFactor), epochLength: x.epochLength.toNumber(), supplyCap: optStr(x.supplyCap) };
        })()
      : null,
    totalIssued: str(totalIssued),
    totalRecycled: str(totalRecycled),
    reserveCarry: carryJson(reserveCarry),
    totalIssuance: str(issuanceBefore),
    issuanceBase,
    settings: { erpScaling: scaling.isTrue, topProportion: proportion.toNumber(), absoluteLimit: optNum(limit) },
    subnetRates,
    scalingInputs: tableJson(scalingTable),
    epochQueue: queue.map(queueEntry),
    // The runtime executing the block counts a waiting subnet's due epochs (spec 104 on); before,
    // a subnet due again while it waited was skipped.
    mergesDueEpochs: version.specVersion.toNumber() >= 104,
    // The spec of the runtime executing the block: its rules (the floor gate's, from 104 on).
    specVersion: version.specVersion.toNumber(),
    lastEpoch: byNetuid(lastEpochEntries, (e) => ({
      block: e.block.toNumber(),
      utilization: bits(e.utilization),
      rawRootProp: bits(e.rawRootProp),
      effectiveRootProp: bits(e.effectiveRootProp),
      capped: e.capped.isTrue
    })),
    subnets,
    validators,
    pendingEmission: pendingJson(pendingTable),
    unclaimedTotal: unclaimedBefore,
    unclaimed: unclaimedLedgers,
    alphaRecycled: alphaRecycledBefore,
    floor: optStr(floor),
    tines,
    measureWeights: {
      reserveGrowth: optNum(weights.reserveGrowth),
      depthStability: optNum(weights.depthStability),
      retention: optNum(weights.retention)
    },
    turnLength: turnLength.toNumber(),
    currentTurn: currentTurn.toNumber(),
    turnStart: turnStart.toBigInt().toString(),
    readings: Object.fromEntries(readingEntries.map(([k, v]) => [hex(k.args[1]), readingJson(v.unwrap())])),
    oracle: oracle ? { feeders: feeders.map(hex).sort(), quorum: quorum.toNumber(), submissions } : null,
    activeTine: active,
    accounts: balances
  };

  // Outputs: the hook's events and the state it leaves.
  const qa = after.query.emission;
  const [records, totalAfter, erpAfter, rootPropAfter, turnAfter, turnStartAfter, activeAfter, lastForkAfter,
    tableAfter, queueAfter, pendingAfter, recycledAfter, carryAfter, issuanceAfter, lastEpochAfter, tinesAfter,
    infosAfter] = await Promise.all([
    r(() => after.query.system.events()), r(() => qa.totalIssued()), r(() => qa.effectiveRootProp.entries()),
    r(() => qa.rootProp.entries()), r(() => qa.currentTurn()), r(() => qa.turnStart()), r(() => qa.activeTine()),
    r(() => qa.lastFork()), r(() => qa.scalingInputs()), r(() => qa.epochQueue()), r(() => after.query.subnets.pendingEmission()),
    r(() => qa.totalRecycled()), r(() => qa.reserveCarry()), r(() => after.query.balances.totalIssuance()),
    r(() => qa.lastEpoch.entries()), r(() => qa.tines.keys()), r(() => after.query.system.account.multi(touched))
  ]);
  const events = [];
  const extrinsicEvents = [];
  const extrinsicData = [];
  for (const { phase, event } of records) {
    const data = eventJson(event);
    if (phase.isInitialization) {
      if (data) events.push({ section: event.section, method: event.method, data });
    } else {
      if (event.section === 'emission' || event.section === 'subnets') extrinsicEvents.push(`${event.section}.${event.method}`);
      if (data) extrinsicData.push({ section: event.section, method: event.method, data });
    }
  }
  const lastFork = lastForkAfter.isSome ? lastForkAfter.unwrap() : null;
  const outputs = {
    events,
    extrinsicEvents,
    extrinsicData,
    storage: {
      totalRecycled: str(recycledAfter),
      reserveCarry: carryJson(carryAfter),
      totalIssuance: str(issuanceAfter),
      issuanceBase: qa.issuanceBase !== undefined ? str(await r(() => qa.issuanceBase())) : null,
      // Spec 106 on: the rates after the block (absent before).
      subnetRates: qa.subnetEmissionRates !== undefined
        ? Object.fromEntries([...(await r(() => qa.subnetEmissionRates())).entries()]
          .map(([n, p]) => [n.toNumber(), p.toNumber()]).sort(([a], [b]) => a - b))
        : null,
      lastEpoch: byNetuid(lastEpochAfter, (e) => ({
        block: e.block.toNumber(),
        utilization: bits(e.utilization),
        rootProp: bits(e.rootProp),
        rawRootProp: bits(e.rawRootProp),
        effectiveRootProp: bits(e.effectiveRootProp),
        capped: e.capped.isTrue,
        alphaDividends: str(e.alphaDividends),
        rootDividends: str(e.rootDividends),
        recycled: str(e.recycled)
      })),
      lastFork: lastFork && {
        turn: lastFork.turn.toNumber(),
        kept: lastFork.kept.isSome ? hex(lastFork.kept.unwrap()) : null,
        cut: lastFork.cut.map(([id, gap]) => ({ id: hex(id), gap: gap.isSome ? gap.unwrap().toBigInt().toString() : null })),
        refused: lastFork.refused.isSome ? lastFork.refused.unwrap().type : null
      },
      tines: tinesAfter.map((k) => hex(k.args[0])).sort(),
      balances: Object.fromEntries(touched.map((who, i) => [who, str(infosAfter[i].data.free)])),
      totalIssued: str(totalAfter),
      effectiveRootProp: byNetuid(erpAfter, bits),
      rootProp: byNetuid(rootPropAfter, bits),
      currentTurn: turnAfter.toNumber(),
      turnStart: turnStartAfter.toBigInt().toString(),
      activeTine: activeAfter.isSome ? hex(activeAfter.unwrap()[0]) : null,
      lastForkTurn: lastForkAfter.isSome ? lastForkAfter.unwrap().turn.toNumber() : null,
      scalingInputs: tableJson(tableAfter),
      epochQueue: queueAfter.map(queueEntry),
      pendingEmission: pendingJson(pendingAfter),
      // The runtime that executed the block (the after view's): the first block of spec 103
      // credits its epochs to the ledger although its inputs (spec 100's state) had none.
      unclaimedTotal: after.query.subnets.unclaimedTotal !== undefined ? str(await r(() => after.query.subnets.unclaimedTotal())) : null,
      unclaimed: after.query.subnets.unclaimed !== undefined ? ledgerJson(await r(() => after.query.subnets.unclaimed.entries())) : null,
      alphaRecycled: after.query.subnets.alphaRecycled !== undefined ? str(await r(() => after.query.subnets.alphaRecycled())) : null,
      // The alpha balance of each validator paid out in the block, before and after it.
      alphaOfPaid: await (async () => {
        const paidOut = extrinsicData.filter((e) => `${e.section}.${e.method}` === 'subnets.DividendsClaimed');
        const keys = [...new Set(paidOut.map((e) => `${e.data.netuid} ${e.data.validator}`))].sort();
        const out = {};
        for (const key of keys) {
          const [netuid, who] = key.split(' ');
          const [was, is] = await Promise.all([
            r(() => before.query.subnets.alphaBalances(Number(netuid), who)),
            r(() => after.query.subnets.alphaBalances(Number(netuid), who))
          ]);
          out[key] = { before: str(was), after: str(is) };
        }
        return out;
      })()
    }
  };

  const snapshot = {
    format: FORMAT,
    chain: { name: chainName.toString(), genesisHash: genesisHash.toHex() },
    block: { number, hash, parentHash, specName: version.specName.toString(), specVersion: version.specVersion.toNumber() },
    constants,
    accounts,
    inputs,
    outputs
  };
  snapshot.checksum = checksumOf(snapshot);
  return snapshot;
}
