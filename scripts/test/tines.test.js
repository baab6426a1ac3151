// Tines and the fork choice on a dev node (`--dev --tmp`): propose two tines and set the weights
// through sudo; the dev feeders (Dave, Eve, Ferdie, quorum 2) submit readings, signed, one of them
// disagreeing, and the median decides; watch the fork land at turn close, the reserves grow by the
// split, the floor lean toward depth when the floor is short, and refusals when a reading lacks
// its quorum and when the floor cannot be read.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { Keyring } from '@polkadot/keyring';
import { stringToU8a } from '@polkadot/util';

import { FAST_DEV, connect, startNode } from '../lib/node.js';
import { runScript } from '../lib/script.js';
import { reserveAccount } from '../lib/snapshot.js';
import { DEV_FEEDERS, decodeError, feedAll, findEvents, submit } from '../lib/tx.js';

/** The reserve account of `name` (SS58), derived as the pallet derives it. */
function reserveAccountOf (api, name) {
  const hex = '0x' + Buffer.from(name).toString('hex');
  return api.createType('AccountId', reserveAccount(stringToU8a('py/emisn'), hex)).toString();
}

describe('dev chain: tines and the fork choice', () => {
  let node;
  let api;
  let alice;
  let dave;
  let eve;
  let ferdie;
  let failed = false;

  before(async () => {
    node = await startNode('tines', FAST_DEV);
    api = await connect(node);
    const keyring = new Keyring({ type: 'sr25519' });
    alice = keyring.addFromUri('//Alice');
    [dave, eve, ferdie] = DEV_FEEDERS.map((uri) => keyring.addFromUri(uri));
  });

  after(async () => {
    if (api) await api.disconnect();
    if (node) await node.stop(failed);
  });

  const track = (fn) => async () => {
    try { await fn(); } catch (err) { failed = true; throw err; }
  };

  /** Submit `calls` as one sudo'd batch of single sudo calls, one block each; return events. */
  async function sudo (call) {
    const { events, dispatchError } = await submit(api, api.tx.sudo.sudo(call), alice);
    assert.equal(dispatchError, null);
    const [sudid] = findEvents(events, 'sudo', 'Sudid');
    const result = sudid.data.sudoResult;
    assert.ok(result.isOk, `inner call failed: ${result.isErr ? JSON.stringify(decodeError(api, result.asErr)) : ''}`);
    return events;
  }

  /** Resolve with the events of the next block that has a `ForkDecided` event. */
  function nextFork (timeoutMs = 90_000) {
    return new Promise((resolve, reject) => {
      let unsub = null;
      const timer = setTimeout(() => { if (unsub) unsub(); reject(new Error('no fork in time')); }, timeoutMs);
      api.rpc.chain.subscribeNewHeads(async (header) => {
        const events = await (await api.at(header.hash)).query.system.events();
        const [fork] = findEvents(events, 'emission', 'ForkDecided');
        if (fork) {
          clearTimeout(timer);
          if (unsub) unsub();
          resolve({ fork: fork.data.result, events, hash: header.hash, number: header.number.toNumber() });
        }
      }).then((u) => { unsub = u; }, reject);
    });
  }

  const text = (bytes) => Buffer.from(bytes.toU8a(true)).toString();

  /** Resolve with the first new head numbered above `number`. */
  function headAfter (number) {
    return new Promise((resolve, reject) => {
      let unsub = null;
      api.rpc.chain.subscribeNewHeads((header) => {
        if (header.number.toNumber() > number) {
          if (unsub) unsub();
          resolve(header);
        }
      }).then((u) => { unsub = u; }, reject);
    });
  }

  let forkBlock = 0;

  it('proposes two tines, measures them on their readings, and keeps the better one at turn close', track(async () => {
    // A long turn while setting up, so that it cannot close half-way; then a turn length of 1
    // closes it at the next block.
    await sudo(api.tx.emission.setTurnLength(10_000));
    await sudo(api.tx.subnets.setFloor(0));
    let events = await sudo(api.tx.emission.proposeTine('steady', 1_000, [['treasury', 600_000_000], ['buyback', 400_000_000]], 100_000_000, 200_000_000));
    assert.equal(findEvents(events, 'emission', 'TineProposed').length, 1);
    await sudo(api.tx.emission.proposeTine('bold', 3_000, [['treasury', 1_000_000_000]], 100_000_000, 500_000_000));
    events = await sudo(api.tx.emission.setMeasureWeights(500_000_000, 300_000_000, 200_000_000));
    assert.equal(findEvents(events, 'emission', 'MeasureWeightsSet').length, 1);

    const turn = (await api.query.emission.currentTurn()).toNumber();
    const feeders = (await api.query.emission.feeders()).map((a) => a.toString()).sort();
    assert.deepEqual(feeders, [dave.address, eve.address, ferdie.address].sort());
    assert.equal((await api.query.emission.readingQuorum()).toNumber(), 2);
    // A non-feeder, and Root through sudo, cannot submit.
    const bob = new Keyring({ type: 'sr25519' }).addFromUri('//Bob');
    const denied = await submit(api, api.tx.emission.submitReading(turn, 'bold', 1, 1, true, 1), bob);
    assert.deepEqual(denied.dispatchError, { section: 'system', name: 'BadOrigin' });
    // Three feeders; Ferdie disagrees (bold's growth −0.5, the floor fallen; steady's 0.9). The
    // median of each field decides: bold 0.2, steady 0.05.
    const results = await feedAll(api, turn, [
      [dave, 'steady', 50_000, 800_000_000, true, 900_000_000],
      [eve, 'steady', 40_000, 800_000_000, true, 900_000_000],
      [ferdie, 'steady', 900_000, 800_000_000, true, 900_000_000],
      [dave, 'bold', 200_000, 800_000_000, true, 900_000_000],
      [eve, 'bold', 100_000, 800_000_000, true, 900_000_000],
      [ferdie, 'bold', -500_000, 800_000_000, false, 900_000_000]
    ]);
    const submitted = results.flatMap((r) => findEvents(r.events, 'emission', 'ReadingSubmitted'));
    assert.equal(submitted.length, 6);
    assert.ok(submitted.some((e) => e.data.feeder.toString() === ferdie.address && e.data.reading.floorHeld.unwrap().isFalse));
    // Eve corrects her reading of bold to 0.3 with the feeder CLI: bold's median becomes 0.2
    // (Dave's), not 0.1. The CLI refuses Bob (exit 1, BadOrigin) and a malformed field (exit 2).
    const fields = ['bold', '300000', '800000000', 'true', '900000000'];
    const corrected = await runScript('feed.js', ['--suri', '//Eve', '--turn', String(turn), '--url', node.wsUrl, ...fields]);
    assert.equal(corrected.code, 0, corrected.stderr);
    assert.match(corrected.stdout, /emission\.ReadingSubmitted /);
    const byBob = await runScript('feed.js', ['--suri', '//Bob', '--url', node.wsUrl, ...fields]);
    assert.equal(byBob.code, 1);
    assert.match(byBob.stderr, /submission failed: BadOrigin/);
    const malformed = await runScript('feed.js', ['--suri', '//Eve', '--url', node.wsUrl, 'bold', 'x', '1', 'true', '1']);
    assert.equal(malformed.code, 2);
    // One entry per tine for the open turn, every feeder's reading in it, sorted by feeder.
    const growthBy = async (tine) => {
      const entry = (await api.query.emission.submissions(tine)).unwrap();
      assert.equal(entry.turn.toNumber(), turn);
      return Object.fromEntries(entry.by.map(([who, r]) => [who.toString(), r.reserveGrowthPpm.unwrap().toNumber()]));
    };
    assert.deepEqual(await growthBy('bold'), { [dave.address]: 200_000, [eve.address]: 300_000, [ferdie.address]: -500_000 }, 'corrected, not added');
    assert.deepEqual(await growthBy('steady'), { [dave.address]: 50_000, [eve.address]: 40_000, [ferdie.address]: 900_000 });
    // Before the turn closes, the runtime API's fork preview says what the close will decide.
    const preview = await api.call.emissionApi.forkPreview();
    assert.equal(preview.turn.toNumber(), turn);
    assert.equal(text(preview.kept.unwrap()), 'bold');
    assert.equal(preview.cut.length, 1);
    assert.equal(text(preview.cut[0][0]), 'steady');
    assert.equal(preview.cut[0][1].unwrap().toBigInt(), 75_000_000_000_000_000n);
    assert.ok(preview.refused.isNone);
    await sudo(api.tx.emission.setTurnLength(1));

    let decided;
    do { decided = await nextFork(); } while (decided.fork.turn.toNumber() < turn);
    const { fork } = decided;
    forkBlock = decided.number;
    assert.equal(fork.turn.toNumber(), turn);
    assert.ok(fork.refused.isNone, `refused: ${fork.refused.toString()}`);
    assert.equal(text(fork.kept.unwrap()), 'bold');
    assert.equal(fork.cut.length, 1);
    assert.equal(text(fork.cut[0][0]), 'steady');
    // Gap between the medians: (0.2 − 0.05) · 0.5 = 0.075, as FixedI128 (18 decimals).
    assert.equal(fork.cut[0][1].unwrap().toBigInt(), 75_000_000_000_000_000n);
    const active = (await api.query.emission.activeTine()).unwrap();
    assert.equal(text(active[0]), 'bold');
    assert.equal((await api.query.emission.tines.entries()).length, 1, 'steady was cut');
  }));

  it('the kept tine withholds its fee: the reserves grow by the split', track(async () => {
    await sudo(api.tx.emission.setTurnLength(10_000));
    const treasury = reserveAccountOf(api, 'treasury');
    const head = await headAfter(forkBlock);
    const parent = await api.rpc.chain.getBlockHash(head.number.toNumber() - 1);
    const [now, before] = await Promise.all([api.at(head.hash), api.at(parent)]);
    const events = await now.query.system.events();
    const [withheld] = findEvents(events, 'emission', 'EmissionWithheld');
    assert.ok(withheld, 'EmissionWithheld in the latest block');
    const [distributed] = findEvents(events, 'emission', 'BlockEmissionDistributed');
    const issued = distributed.data.issued.toBigInt();
    assert.equal(withheld.data.withheld.toBigInt(), issued * 3_000n / 10_000n);
    assert.equal(withheld.data.toDepth.toBigInt(), withheld.data.withheld.toBigInt() / 2n);
    const delta = (await now.query.system.account(treasury)).data.free.toBigInt() -
      (await before.query.system.account(treasury)).data.free.toBigInt();
    assert.equal(delta, withheld.data.withheld.toBigInt() - withheld.data.toDepth.toBigInt());
    const d = distributed.data;
    assert.equal(d.toSubnets.toBigInt() + d.withheld.toBigInt() + d.recycled.toBigInt(), issued, 'conservation');
    // The runtime API's preview of the next block withholds the same way.
    const preview = await api.call.emissionApi.previewShares();
    assert.equal(preview.withheld.toBigInt(), preview.blockEmission.toBigInt() * 3_000n / 10_000n);
    const toSubnets = preview.amounts.reduce((sum, [, amount]) => sum + amount.toBigInt(), 0n);
    assert.equal(toSubnets + preview.withheld.toBigInt() + preview.recycled.toBigInt(), preview.blockEmission.toBigInt());
    // The active withholding: bold's 30 %, half to depth, the rest all to its one reserve.
    const w = await api.call.emissionApi.activeWithholding();
    assert.equal(text(w.tine.unwrap()), 'bold');
    assert.equal(w.withheld.toBigInt(), w.blockEmission.toBigInt() * 3_000n / 10_000n);
    assert.equal(w.toDepth.toBigInt(), w.withheld.toBigInt() / 2n);
    assert.equal(w.toReserves.length, 1);
    assert.equal(text(w.toReserves[0][0]), 'treasury');
    assert.equal(w.toReserves[0][1].toBigInt(), w.withheld.toBigInt() - w.toDepth.toBigInt());
  }));

  it('below the floor the active tine leans toward the depth reserve', track(async () => {
    // A floor far above the depth reserve: bold (depth feed 50 %, floor pull 10 %, one reserve)
    // leans 10 % of the rest, ⌊(withheld − ⌊withheld / 2⌋) / 10⌋, each block.
    await sudo(api.tx.subnets.setFloor(10n ** 30n));
    const start = (await api.rpc.chain.getHeader()).number.toNumber();
    const head = await headAfter(start);
    const events = await (await api.at(head.hash)).query.system.events();
    const [withheld] = findEvents(events, 'emission', 'EmissionWithheld');
    const w = withheld.data.withheld.toBigInt();
    const rest = w - w / 2n;
    assert.ok(rest / 10n > 0n);
    assert.equal(withheld.data.leaned.toBigInt(), rest / 10n);
    assert.equal(withheld.data.toDepth.toBigInt(), w / 2n + rest / 10n);
    const preview = await api.call.emissionApi.activeWithholding();
    assert.ok(preview.floorDeficit.toBigInt() > 10n ** 29n);
    assert.equal(preview.leaned.toBigInt(), (preview.withheld.toBigInt() - preview.withheld.toBigInt() / 2n) / 10n);
    // The floor met again: nothing leans.
    await sudo(api.tx.subnets.setFloor(0));
    const met = await api.call.emissionApi.activeWithholding();
    assert.equal(met.floorDeficit.toBigInt(), 0n);
    assert.equal(met.leaned.toBigInt(), 0n);
  }));

  it('a reading below the quorum is missing: the fork is refused for want of a measure', track(async () => {
    await sudo(api.tx.emission.setTurnLength(10_000));
    const turn = (await api.query.emission.currentTurn()).toNumber();
    // Only Dave reads bold: one submission, quorum 2.
    await feedAll(api, turn, [[dave, 'bold', 900_000, 900_000_000, true, 900_000_000]]);
    const preview = await api.call.emissionApi.forkPreview();
    assert.equal(preview.refused.unwrap().toString(), 'NoMeasurableTine');
    await sudo(api.tx.emission.setTurnLength(1));
    let decided;
    do { decided = await nextFork(); } while (decided.fork.turn.toNumber() < turn);
    assert.equal(decided.fork.refused.unwrap().toString(), 'NoMeasurableTine');
    assert.equal(text((await api.query.emission.activeTine()).unwrap()[0]), 'bold');
  }));

  it('a fork is refused when the floor cannot be read, and the previous tine keeps governing', track(async () => {
    await sudo(api.tx.emission.setTurnLength(10_000));
    await sudo(api.tx.subnets.setFloor(null));
    await sudo(api.tx.emission.proposeTine('better', 500, [['treasury', 1_000_000_000]], 0, 0));
    const turn = (await api.query.emission.currentTurn()).toNumber();
    await feedAll(api, turn, [
      [dave, 'better', 900_000, 900_000_000, true, 900_000_000],
      [eve, 'better', 900_000, 900_000_000, true, 900_000_000],
      [dave, 'bold', 0, 100_000_000, true, 100_000_000],
      [eve, 'bold', 0, 100_000_000, true, 100_000_000]
    ]);
    const preview = await api.call.emissionApi.forkPreview();
    assert.equal(preview.refused.unwrap().toString(), 'FloorUnreadable');
    assert.ok(preview.kept.isNone);
    assert.equal(preview.measures.length, 2);
    await sudo(api.tx.emission.setTurnLength(1));
    let decided;
    do { decided = await nextFork(); } while (decided.fork.turn.toNumber() < turn);
    assert.equal(decided.fork.refused.unwrap().toString(), 'FloorUnreadable');
    assert.ok(decided.fork.kept.isNone);
    assert.equal(text((await api.query.emission.activeTine()).unwrap()[0]), 'bold');
    assert.equal((await api.query.emission.tines.entries()).length, 2, 'nothing cut on refusal');
  }));
});
