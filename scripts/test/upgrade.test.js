// A runtime upgrade on a running chain. An archive dev node starts on the v0 runtime (the layout
// before the schedule's factor became parts per 10¹⁸: built from commit 70a00dc, shipped in
// `scripts/fixtures/`, see its README). A scenario runs on it (filters, a hard-capped epoch, two
// tines and a fork), then this build's runtime (spec_version + 1, with the v0 → v1 migration) is set
// with `sudo.sudoUncheckedWeight(system.setCode(..))`. Checked: `CodeUpdated`, the new spec
// version, every storage key of both pallets still present and decoding with the new types,
// settings unchanged, the migration's effect (factor × 10⁹, storage version 0 → 1), blocks produced
// and finalized after, sudo calls after it (one with the new encoding), the same wasm again
// refused, and `audit.js range` over every block before and after the upgrade exiting 0.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';

import { Keyring } from '@polkadot/keyring';
import { hexToU8a, u8aEq, u8aToHex } from '@polkadot/util';
import { xxhashAsU8a } from '@polkadot/util-crypto';

import { connect, nodeBinary, rpc, runAudit, startNode, until } from '../lib/node.js';
import { decodeError, findEvents, setCode, submit, sudoAll } from '../lib/tx.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const FIXTURE = path.resolve(here, '..', 'fixtures', 'emission-runtime-v0.compact.compressed.wasm');
/** sha256 of the fixture, as `scripts/fixtures/README.md` records it. */
const FIXTURE_SHA256 = fs.readFileSync(path.resolve(here, '..', 'fixtures', 'emission-runtime-v0.sha256'), 'utf8').split(/\s/)[0];

/** The storage-version key of a pallet: twox128(name) ++ twox128(":__STORAGE_VERSION__:"). */
function versionKey (pallet) {
  return u8aToHex(new Uint8Array([...xxhashAsU8a(pallet, 128), ...xxhashAsU8a(':__STORAGE_VERSION__:', 128)]));
}

/** Hex of a key polkadot.js gives as hex or bytes. */
const hexOf = (k) => (typeof k === 'string' ? k : u8aToHex(k));

/** Every storage key (and raw value) under the 16-byte prefix of `pallet` at block `hash`. */
async function palletStorage (node, pallet, hash) {
  const prefix = u8aToHex(xxhashAsU8a(pallet, 128));
  const out = new Map();
  let start = null;
  for (;;) {
    const keys = await rpc(node, 'state_getKeysPaged', [prefix, 500, start, hash]);
    for (const key of keys) out.set(key, hexToU8a(await rpc(node, 'state_getStorage', [key, hash])));
    if (keys.length < 500) break;
    start = keys[keys.length - 1];
  }
  return out;
}

describe('runtime upgrade on a running archive dev node: v0 → this build', () => {
  let node;
  let api;
  let alice;
  let failed = false;
  let tmp;
  let newCode;
  let upgradeBlock;
  let lastBlock;
  const state = {};

  before(async () => {
    const fixture = fs.readFileSync(FIXTURE);
    assert.equal(createHash('sha256').update(fixture).digest('hex'), FIXTURE_SHA256, 'the v0 fixture is the one its README records');
    // This build's chain spec: its code is this build's runtime (the upgrade), its genesis the dev
    // preset. The chain starts on the v0 runtime instead, whose preset differs in the factor (a
    // Perbill) and has no oracle feeders (v2 added them; the migration sets them).
    const spec = JSON.parse(execFileSync(nodeBinary(), ['export-chain-spec', '--chain', 'dev'], { maxBuffer: 64 << 20, stdio: ['ignore', 'pipe', 'ignore'] }).toString());
    const genesis = spec.genesis.runtimeGenesis;
    newCode = genesis.code;
    assert.equal(genesis.patch.emission.schedule[1], 990_000_000_000_000_000, 'the dev factor 0.99 in parts per 10¹⁸');
    genesis.patch.emission.schedule[1] = 990_000_000;
    assert.equal(genesis.patch.emission.feeders.length, 3, 'the dev feeders in the new preset');
    delete genesis.patch.emission.feeders;
    delete genesis.patch.emission.readingQuorum;
    genesis.code = u8aToHex(fixture);
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'emission-upgrade-'));
    const specFile = path.join(tmp, 'v0-dev.json');
    fs.writeFileSync(specFile, JSON.stringify(spec));
    node = await startNode('upgrade', [
      '--chain', specFile, '--alice', '--validator', '--state-pruning', 'archive', '--sealing', 'manual:250',
      // `--dev` would generate a network key; with a chain spec file the node needs one given.
      '--node-key', randomBytes(32).toString('hex')
    ]);
    api = await connect(node);
    alice = new Keyring({ type: 'sr25519' }).addFromUri('//Alice');
  });

  after(async () => {
    if (api) await api.disconnect();
    if (node) await node.stop(failed);
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  const track = (fn) => async () => {
    try { await fn(); } catch (err) { failed = true; throw err; }
  };

  /** One sudo'd call in a block: `error` null on success, else the inner call's decoded error. */
  async function sudoResult (tx) {
    const { events, dispatchError, blockHash } = await submit(api, tx, alice, { timeoutMs: 120_000 });
    assert.equal(dispatchError, null);
    const result = findEvents(events, 'sudo', 'Sudid')[0].data.sudoResult;
    return { events, blockHash, error: result.isErr ? decodeError(api, result.asErr) : null };
  }

  /** The first block from the best on whose events `predicate` holds (polls; returns its number). */
  async function waitFor (what, predicate, ms = 120_000) {
    let next = (await api.rpc.chain.getHeader()).number.toNumber();
    return until(ms, what, async () => {
      const best = (await api.rpc.chain.getHeader()).number.toNumber();
      for (; next <= best; next++) {
        const hash = await api.rpc.chain.getBlockHash(next);
        const events = await (await api.at(hash)).query.system.events();
        if (predicate(events)) return next;
      }
      return null;
    });
  }

  /** The settings of both pallets at `hash`, as JSON (decoded with the runtime that wrote them). */
  async function settings (hash) {
    const at = await api.at(hash);
    const q = at.query.emission;
    const s = at.query.subnets;
    const [scaling, proportion, limit, weights, turnLength, tines, activeTine, subnets, validators, floor, schedule] = await Promise.all([
      q.effectiveRootPropEmissionScaling(), q.emissionTopSubnetProportion(), q.emissionTopSubnetAbsoluteLimit(),
      q.measureWeights(), q.turnLength(), q.tines.entries(), q.activeTine(), s.subnets(), s.validators.entries(), s.floor(),
      q.schedule()
    ]);
    const entries = (list) => list.map(([k, v]) => [k.toHex(), v.toJSON()]).sort(([a], [b]) => (a < b ? -1 : 1));
    const x = schedule.unwrap();
    return {
      rest: {
        scaling: scaling.toJSON(),
        proportion: proportion.toJSON(),
        limit: limit.toJSON(),
        weights: weights.toJSON(),
        turnLength: turnLength.toJSON(),
        tines: entries(tines),
        activeTine: activeTine.toJSON(),
        subnets: subnets.toJSON(),
        validators: entries(validators),
        floor: floor.toJSON()
      },
      schedule: {
        initial: x.initial.toBigInt(),
        factor: x.decayFactor.toBigInt(),
        factorBits: x.decayFactor.bitLength(),
        epochLength: x.epochLength.toNumber(),
        supplyCap: x.supplyCap.isSome ? x.supplyCap.unwrap().toBigInt() : null
      }
    };
  }

  /** A pallet's on-chain storage version at `hash` (absent: 0). */
  async function storageVersion (pallet, hash) {
    const raw = await rpc(node, 'state_getStorage', [versionKey(pallet), hash]);
    return raw === null ? 0 : api.createType('u16', hexToU8a(raw)).toNumber();
  }

  it('starts on the v0 runtime: spec 100, the emission pallet at storage version 0, a Perbill factor', track(async () => {
    const version = await api.rpc.state.getRuntimeVersion();
    assert.equal(version.specName.toString(), 'emission-dev');
    assert.equal(version.specVersion.toNumber(), 100);
    const best = (await api.rpc.chain.getBlockHash()).toHex();
    assert.equal(await storageVersion('Emission', best), 0);
    assert.equal(await storageVersion('Subnets', best), 1);
    const { schedule } = await settings(best);
    assert.deepEqual(schedule, { initial: 10n ** 12n, factor: 990_000_000n, factorBits: 32, epochLength: 1_000, supplyCap: 21n * 10n ** 18n });
    // The upgrade really is one: this build's runtime is another wasm with a higher version.
    assert.notEqual(newCode, u8aToHex(fs.readFileSync(FIXTURE)));
  }));

  it('drives the scenario on v0: filters on, a hard-capped epoch, the most tines v0 allows, a fork that keeps one and cuts the rest', track(async () => {
    const charlie = new Keyring({ type: 'sr25519' }).addFromUri('//Charlie').address;
    // The bounds of the v0 runtime, from its own metadata: the state below fills them.
    state.oldConsts = Object.fromEntries(Object.entries(api.consts.emission).map(([k, v]) => [k, v.toJSON()]));
    const oldMaxTines = state.oldConsts.maxTines;
    assert.equal(oldMaxTines, 64, 'v0 allowed 64 tines');
    const extra = (prefix, count) => Array.from({ length: count }, (_, i) => `${prefix}${String(i).padStart(2, '0')}`);
    await sudoAll(api, [
      api.tx.emission.setTurnLength(10_000),
      api.tx.subnets.setFloor(0),
      api.tx.emission.setEffectiveRootPropEmissionScaling(true),
      api.tx.emission.setEmissionTopSubnetProportion(500_000),
      api.tx.emission.setEmissionTopSubnetAbsoluteLimit(2),
      api.tx.subnets.setValidating(2, charlie, false),
      api.tx.emission.proposeTine('steady', 1_000, [['treasury', 600_000_000], ['buyback', 400_000_000]], 100_000_000, 200_000_000),
      api.tx.emission.proposeTine('bold', 3_000, [['treasury', 700_000_000], ['buyback', 300_000_000]], 100_000_000, 333_333_333),
      api.tx.emission.setMeasureWeights(500_000_000, 300_000_000, 200_000_000)
    ], alice);
    const capped = waitFor('a hard-capped epoch', (evs) => findEvents(evs, 'emission', 'EpochSettled').some((e) => e.data.capped.isTrue));
    // 62 more tines: 64, v0's most.
    const first = extra('t', oldMaxTines - 2);
    await sudoAll(api, first.map((id) => api.tx.emission.proposeTine(id, 100, [['treasury', 1_000_000_000]], 0, 500_000_000)), alice);
    assert.equal((await api.query.emission.tines.entries()).length, oldMaxTines);
    const turn = (await api.query.emission.currentTurn()).toNumber();
    await sudoAll(api, [
      api.tx.emission.submitReading(turn, 'steady', 50_000, 800_000_000, true, 900_000_000),
      api.tx.emission.submitReading(turn, 'bold', 200_000, 800_000_000, true, 900_000_000),
      ...first.map((id, i) => api.tx.emission.submitReading(turn, id, 1_000 + i, 800_000_000, true, 900_000_000))
    ], alice);
    await sudoAll(api, [api.tx.emission.setTurnLength(4)], alice);
    const fork = await waitFor('a fork that keeps a tine', (evs) => findEvents(evs, 'emission', 'ForkDecided').some((e) => e.data.result.kept.isSome));
    assert.ok(await capped > 0 && fork > 0);
    // No turn closes around the upgrade: what the checks compare is what the upgrade did.
    await sudoAll(api, [api.tx.emission.setTurnLength(10_000)], alice);
    const lastFork = (await api.query.emission.lastFork()).unwrap();
    assert.equal(lastFork.kept.unwrap().toUtf8(), 'bold');
    assert.equal(lastFork.cut.length, oldMaxTines - 1, 'the last fork cut 63 tines');
    // 63 tines again (64 with bold), each with a v0 reading of the open turn (one per tine, from
    // Root): the largest state v0 allowed. The upgrade trims the tines to the new MaxTines and
    // removes every reading.
    const second = extra('u', oldMaxTines - 1);
    await sudoAll(api, second.map((id) => api.tx.emission.proposeTine(id, 100, [['treasury', 1_000_000_000]], 0, 500_000_000)), alice);
    const open = (await api.query.emission.currentTurn()).toNumber();
    await sudoAll(api, ['bold', ...second].map((id, i) => api.tx.emission.submitReading(open, id, 10_000 + i, 500_000_000, true, 500_000_000)), alice);
    state.readingsPrefix = hexOf(api.query.emission.readings.keyPrefix());
    state.tinesPrefix = hexOf(api.query.emission.tines.keyPrefix());
    assert.equal((await api.query.emission.readings.entries(open)).length, oldMaxTines);
    assert.equal((await api.query.emission.tines.entries()).length, oldMaxTines);
    state.secondTines = second;
    const active = await api.query.emission.activeTine();
    assert.ok(active.isSome, 'a tine is active before the upgrade');
  }));

  it('sets the new code with sudoUncheckedWeight(system.setCode): CodeUpdated, spec 107', track(async () => {
    const { events, block, error, version } = await setCode(api, newCode, alice);
    assert.equal(error, null);
    assert.equal(findEvents(events, 'system', 'CodeUpdated').length, 1);
    upgradeBlock = block;
    // The block that set the code ran on v0; the next one runs the new runtime, migrations first.
    assert.equal(version.specVersion.toNumber(), 107);
    assert.equal(version.transactionVersion.toNumber(), 3);
    const best = await api.rpc.state.getRuntimeVersion();
    assert.equal(best.specVersion.toNumber(), 107);
    // A client connected across the upgrade updated its default registry in place, and may hand
    // it back for blocks it had cached before: reconnect, as a client should after an upgrade.
    await api.disconnect();
    api = await connect(node);
  }));

  it('keeps every storage key of both pallets, decoding with the new types; settings unchanged; the factor migrated', track(async () => {
    const hashSet = (await api.rpc.chain.getBlockHash(upgradeBlock)).toHex();
    const hashNext = (await api.rpc.chain.getBlockHash(upgradeBlock + 1)).toHex();
    assert.equal((await api.rpc.state.getRuntimeVersion(hashSet)).specVersion.toNumber(), 107, 'the code at the setCode block is new');
    assert.equal(await storageVersion('Emission', hashSet), 0, 'not migrated before the first block of the new runtime');
    assert.equal(await storageVersion("Emission", hashNext), 5, 'migrated (v0 → v1 → v2 → v3 → v4 → v5) in the first block of the new runtime');
    assert.equal((await api.query.emission.subnetEmissionRates.at(hashNext)).size, 0, 'v5: every subnet at 100 %');
    assert.equal(await storageVersion('Subnets', hashNext), 1);

    const at = await api.at(hashNext);
    // v3 → v4: the issuance base set from the identity at the upgrade, evented; from then on the
    // identity holds exactly: Balances' total issuance = base + issued − recycled − pending −
    // unclaimed − carried, read from the two pallets' ledgers and from Balances.
    const baseEvents = findEvents(await at.query.system.events(), 'emission', 'IssuanceBaseSetAtUpgrade');
    assert.equal(baseEvents.length, 1, 'IssuanceBaseSetAtUpgrade in the first block of the new runtime');
    const base = (await at.query.emission.issuanceBase()).toBigInt();
    assert.equal(baseEvents[0].data.base.toBigInt(), base);
    const [issuance, issued, recycled, pendingTable, unclaimed, carry] = await Promise.all([
      at.query.balances.totalIssuance(), at.query.emission.totalIssued(), at.query.emission.totalRecycled(),
      at.query.subnets.pendingEmission(), at.query.subnets.unclaimedTotal(), at.query.emission.reserveCarry()
    ]);
    const pending = [...pendingTable.values()].reduce((x, v) => x + v.toBigInt(), 0n) + unclaimed.toBigInt();
    const carried = carry[0].toBigInt() + carry[1].reduce((x, v) => x + v.toBigInt(), 0n);
    assert.equal(issuance.toBigInt(), base + issued.toBigInt() - recycled.toBigInt() - pending - carried);
    // The other source: the genesis issuance less every fee and dust the v0 runtime burned
    // unrecorded, summed from the events of every block before the upgrade.
    const genesisHash = await api.rpc.chain.getBlockHash(0);
    let expected = (await api.query.balances.totalIssuance.at(genesisHash)).toBigInt();
    for (let n = 1; n <= upgradeBlock; n++) {
      const records = await (await api.at(await api.rpc.chain.getBlockHash(n))).query.system.events();
      for (const e of findEvents(records, 'transactionPayment', 'TransactionFeePaid')) expected -= e.data.actualFee.toBigInt();
      for (const e of findEvents(records, 'balances', 'DustLost')) expected -= e.data.amount.toBigInt();
    }
    assert.equal(base, expected, 'the base is the genesis issuance less the fees and dust burned before the upgrade');
    for (const pallet of ['Emission', 'Subnets']) {
      const beforeKeys = await palletStorage(node, pallet, hashSet);
      const afterKeys = await palletStorage(node, pallet, hashNext);
      const missing = [...beforeKeys.keys()].filter((k) => !afterKeys.has(k));
      // v1 → v2 removes the single-origin readings (feeders submit instead), every one of the 64
      // (v2's clear of spec 102 stopped at the new MaxTines); v2 → v3 removes the tines beyond
      // the new MaxTines; every other key stays.
      const readings = missing.filter((k) => k.startsWith(state.readingsPrefix));
      const tines = missing.filter((k) => k.startsWith(state.tinesPrefix));
      if (pallet === 'Emission') {
        assert.equal(readings.length, state.oldConsts.maxTines, 'every v0 reading removed');
        assert.equal(tines.length, state.oldConsts.maxTines - at.consts.emission.maxTines.toNumber(), 'the tines beyond the new bound removed');
      }
      assert.deepEqual(missing.filter((k) => !k.startsWith(state.readingsPrefix) && !k.startsWith(state.tinesPrefix)), [], `${pallet}: keys before the upgrade are all still there`);
      // Every key at the first block of the new runtime decodes with its new type and encodes back
      // to the same bytes (a v0 value under a v1 type would not: the factor grew by 4 bytes).
      const section = pallet.toLowerCase();
      const entries = Object.values(at.query[section]).map((q) => ({ q, prefix: hexOf(q.keyPrefix()) }));
      let checked = 0;
      for (const [key, raw] of afterKeys) {
        if (key === versionKey(pallet)) continue;
        const entry = entries.find(({ prefix }) => key.startsWith(prefix));
        assert.ok(entry, `${pallet}: key ${key} belongs to a storage item of the new metadata`);
        const type = entry.q.creator.meta.type;
        const valueType = type.isPlain ? type.asPlain : type.asMap.value;
        const decoded = at.registry.createType(at.registry.createLookupType(valueType), raw);
        assert.ok(u8aEq(decoded.toU8a(), raw), `${pallet} ${entry.q.creator.method}: ${key} re-encodes to its bytes`);
        checked++;
      }
      assert.ok(checked >= 5, `${pallet}: ${checked} keys decoded`);
      if (pallet === 'Emission') {
        // The check bites: the schedule's v0 bytes (before the migration) do not pass as v1.
        const schedule = at.query.emission.schedule;
        const oldBytes = beforeKeys.get(hexOf(schedule.key()));
        const type = at.registry.createLookupType(schedule.creator.meta.type.asPlain);
        let asNew = null;
        try { asNew = at.registry.createType(type, oldBytes).toU8a(); } catch { /* does not decode at all */ }
        assert.ok(asNew === null || !u8aEq(asNew, oldBytes), 'v0 schedule bytes re-encode differently under the v1 type');
        assert.ok(!u8aEq(oldBytes, afterKeys.get(hexOf(schedule.key()))), 'the migration rewrote the schedule');
      }
    }

    const [was, is] = [await settings(hashSet), await settings(hashNext)];
    const { tines: tinesWere, ...restWas } = was.rest;
    const { tines: tinesAre, ...restIs } = is.rest;
    assert.deepEqual(restIs, restWas, 'settings, subnets and validators unchanged');
    // The tines kept: the active one (bold), then the oldest, then the lower id: u00..u14.
    const newMax = at.consts.emission.maxTines.toNumber();
    const keptIds = tinesAre.map(([k]) => at.registry.createType('Bytes', hexToU8a(k).slice(48)).toUtf8()).sort();
    assert.deepEqual(keptIds, ['bold', ...state.secondTines.slice(0, newMax - 1)].sort());
    const keptValues = new Map(tinesWere);
    for (const [k, v] of tinesAre) assert.deepEqual(v, keptValues.get(k), 'a kept tine is unchanged');
    const events = await at.query.system.events();
    assert.equal(findEvents(events, 'emission', 'TineRemovedAtUpgrade').length, state.oldConsts.maxTines - newMax);
    const trimmed = findEvents(events, 'emission', 'ForkRecordTrimmedAtUpgrade');
    assert.equal(trimmed.length, 1);
    assert.equal(trimmed[0].data.dropped.toNumber(), state.oldConsts.maxTines - 1 - newMax);
    const lastFork = (await at.query.emission.lastFork()).unwrap();
    assert.equal(lastFork.cut.length, newMax, 'the last fork record decodes, its cut trimmed to the new bound');
    // Every bound the upgrade lowered is one this test filled to the old runtime's most and saw
    // handled (a lowered bound with no migration would leave the state outside it).
    const handled = new Set(['maxTines']);
    for (const [name, old] of Object.entries(state.oldConsts)) {
      if (!name.startsWith('max')) continue;
      const now = at.consts.emission[name]?.toJSON();
      if (now !== undefined && typeof old === 'number' && now < old) {
        assert.ok(handled.has(name), `emission.${name} fell from ${old} to ${now}: add a migration for it and fill it here`);
      }
    }
    assert.deepEqual(was.schedule, { initial: 10n ** 12n, factor: 990_000_000n, factorBits: 32, epochLength: 1_000, supplyCap: 21n * 10n ** 18n });
    assert.deepEqual(is.schedule, { initial: 10n ** 12n, factor: 990_000_000n * 10n ** 9n, factorBits: 64, epochLength: 1_000, supplyCap: 21n * 10n ** 18n });
    state.settings = is;
    // The dev feeders set by the migration, quorum 2.
    const feeders = (await at.query.emission.feeders()).map((a) => a.toString()).sort();
    const keyring = new Keyring({ type: 'sr25519' });
    assert.deepEqual(feeders, ['//Dave', '//Eve', '//Ferdie'].map((u) => keyring.addFromUri(u).address).sort());
    assert.equal((await at.query.emission.readingQuorum()).toNumber(), 2);
  }));

  it('goes on after the upgrade: blocks produced and finalized, sudo calls in the new encoding, the same wasm refused', track(async () => {
    await until(60_000, 'finality past the upgrade', async () => {
      const fin = await api.rpc.chain.getHeader(await api.rpc.chain.getFinalizedHead());
      return fin.number.toNumber() >= upgradeBlock + 2;
    });
    // polkadot.js follows the runtime version and reloads the metadata: calls are built with it.
    await until(30_000, 'polkadot.js on the new metadata', () => api.runtimeVersion.specVersion.toNumber() === 107);
    let r = await sudoResult(api.tx.sudo.sudo(api.tx.emission.setEmissionTopSubnetProportion(600_000)));
    assert.equal(r.error, null);
    assert.equal((await api.query.emission.emissionTopSubnetProportion()).toNumber(), 600_000);
    // A factor a Perbill cannot hold: the call's new encoding, stored as given.
    const factor = 995_000_000_000_000_001n;
    r = await sudoResult(api.tx.sudo.sudo(api.tx.emission.setEmissionSchedule(10n ** 12n, factor, 1_000, 21n * 10n ** 18n)));
    assert.equal(r.error, null);
    assert.equal((await api.query.emission.schedule()).unwrap().decayFactor.toBigInt(), factor);

    const again = await setCode(api, newCode, alice);
    assert.deepEqual(again.error, { section: 'system', name: 'SpecVersionNeedsToIncrease' });
    assert.equal(findEvents(again.events, 'system', 'CodeUpdated').length, 0);
    assert.equal((await api.rpc.state.getRuntimeVersion()).specVersion.toNumber(), 107);
    lastBlock = again.block + 1;
    await until(30_000, 'one more block', async () => (await api.rpc.chain.getHeader()).number.toNumber() >= lastBlock);
  }));

  it('audit.js range verifies every block, before, at and after the upgrade, with 0 diffs', track(async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'upgrade-audit-'));
    const csvOf = async (reader) => {
      const out = path.join(dir, `${reader}.csv`);
      const range = await runAudit(['range', '--url', node.wsUrl, '--from', '1', '--to', String(lastBlock), '--reader', reader, '--out', out], 600_000);
      assert.equal(range.code, 0, `audit range (${reader}) failed:\n${range.stdout}\n${range.stderr}`);
      const summary = range.stdout.trim().split('\n').at(-1);
      assert.match(summary, new RegExp(`${lastBlock} blocks, ${lastBlock} verified, 0 failed`));
      return { summary, lines: fs.readFileSync(out, 'utf8').trim().split('\n') };
    };
    const batched = await csvOf('batched');
    // Across the runtime change both readers decode every block with the same metadata: the same
    // snapshot checksums.
    const perQuery = await csvOf('per-query');
    assert.deepEqual(batched.lines, perQuery.lines);
    fs.rmSync(dir, { recursive: true, force: true });
    console.log(`upgrade: set at #${upgradeBlock}, migrated at #${upgradeBlock + 1}; audit: ${batched.summary}`);
  }));
});
