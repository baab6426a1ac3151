// The audit tool (`scripts/audit.js`) against a real archive dev node: a scenario with ERP scaling
// and the proportion and limit filters on, a hard-capped epoch, tines, a fork at turn close and the
// kept tine withholding; then `range` verifies every block, an edited snapshot fails with its diff,
// every counterfactual agrees with the runtime API, and bad input gives one-line errors.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import { Keyring } from '@polkadot/keyring';

import { COUNTERFACTUALS } from '../audit.js';
import { FAST_DEV, connect, runAudit, startNode, until } from '../lib/node.js';
import { DEV_FEEDERS, feedAll, findEvents, sudoAll } from '../lib/tx.js';

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'audit-test-'));

const audit = runAudit;

/** A failure's output must be one short error, never a stack trace. */
function assertCleanError (result, code, pattern) {
  assert.equal(result.code, code, `exit status; stderr: ${result.stderr}`);
  assert.match(result.stderr, pattern);
  assert.doesNotMatch(result.stderr, /\n\s+at .+:\d+:\d+/, 'no stack trace');
}

describe('audit tool on an archive dev node', () => {
  let node;
  let pruned;
  let api;
  let alice;
  let keyring;
  let failed = false;
  let url;
  let forkBlock = 0;
  let cappedBlock = 0;
  let lastBlock = 0;
  let endBlock = 0;
  let removedBlock = 0;
  let removedInEpochBlock = 0;

  before(async () => {
    [node, pruned] = await Promise.all([
      startNode('audit', [...FAST_DEV, '--state-pruning', 'archive']),
      startNode('audit-pruned', [...FAST_DEV, '--state-pruning', '4'])
    ]);
    url = node.wsUrl;
    api = await connect(node);
    keyring = new Keyring({ type: 'sr25519' });
    alice = keyring.addFromUri('//Alice');
  });

  after(async () => {
    if (api) await api.disconnect();
    if (node) await node.stop(failed);
    if (pruned) await pruned.stop(failed);
    if (!failed) fs.rmSync(work, { recursive: true, force: true });
    else console.error(`audit test files kept in ${work}`);
  });

  const track = (fn) => async () => {
    try { await fn(); } catch (err) { failed = true; throw err; }
  };

  /** The first new block for which `predicate(events, number)` holds; resolves with its number. */
  function waitFor (predicate, timeoutMs = 120_000) {
    return new Promise((resolve, reject) => {
      let unsub = null;
      const timer = setTimeout(() => { if (unsub) unsub(); reject(new Error('timed out waiting for a block')); }, timeoutMs);
      api.rpc.chain.subscribeNewHeads(async (header) => {
        const events = await (await api.at(header.hash)).query.system.events();
        if (predicate(events, header.number.toNumber())) {
          clearTimeout(timer);
          if (unsub) unsub();
          resolve(header.number.toNumber());
        }
      }).then((u) => { unsub = u; }, reject);
    });
  }

  it('drives a scenario: filters on, a hard-capped epoch, a fork at turn close, withholding', track(async () => {
    const charlie = keyring.addFromUri('//Charlie').address;
    await sudoAll(api, [
      api.tx.emission.setTurnLength(10_000),
      api.tx.subnets.setFloor(0),
      api.tx.emission.setEffectiveRootPropEmissionScaling(true),
      api.tx.emission.setEmissionTopSubnetProportion(500_000),
      api.tx.subnets.setValidating(2, charlie, false),
      api.tx.emission.proposeTine('steady', 1_000, [['treasury', 600_000_000], ['buyback', 400_000_000]], 100_000_000, 200_000_000),
      api.tx.emission.proposeTine('bold', 3_000, [['treasury', 700_000_000], ['buyback', 300_000_000]], 100_000_000, 333_333_333),
      api.tx.emission.setMeasureWeights(500_000_000, 300_000_000, 200_000_000)
    ], alice);
    const capped = waitFor((evs) => findEvents(evs, 'emission', 'EpochSettled').some((e) => e.data.capped.isTrue));
    const turn = (await api.query.emission.currentTurn()).toNumber();
    // The dev feeders read both tines; Ferdie disagrees, the median of each field decides.
    const [dave, eve, ferdie] = DEV_FEEDERS.map((uri) => keyring.addFromUri(uri));
    await feedAll(api, turn, [
      [dave, 'steady', 50_000, 800_000_000, true, 900_000_000],
      [eve, 'steady', 60_000, 700_000_000, true, 800_000_000],
      [ferdie, 'steady', 900_000, 100_000_000, true, 100_000_000],
      [dave, 'bold', 200_000, 800_000_000, true, 900_000_000],
      [eve, 'bold', 150_000, 850_000_000, true, 950_000_000],
      [ferdie, 'bold', -900_000, 100_000_000, false, 0]
    ]);
    await sudoAll(api, [api.tx.emission.setTurnLength(4)], alice);
    forkBlock = await waitFor((evs) => findEvents(evs, 'emission', 'ForkDecided').some((e) => e.data.result.kept.isSome));
    cappedBlock = await capped;
    await sudoAll(api, [api.tx.emission.setEmissionTopSubnetAbsoluteLimit(1)], alice);
    lastBlock = await waitFor((evs) => findEvents(evs, 'emission', 'ForkDecided').length > 0 &&
      findEvents(evs, 'emission', 'BlockEmissionDistributed').some((e) => e.data.recipients.toNumber() === 1));
    assert.ok(forkBlock > 0 && cappedBlock > 0 && lastBlock > forkBlock);

    // Two refused forks: the floor unreadable, then the floor above the depth reserve's balance.
    const refused = [];
    for (const floor of [null, 10n ** 30n]) {
      await sudoAll(api, [api.tx.emission.setTurnLength(10_000)], alice);
      const open = (await api.query.emission.currentTurn()).toNumber();
      const decided = waitFor((evs) => findEvents(evs, 'emission', 'ForkDecided').some((e) => e.data.result.turn.toNumber() === open));
      await feedAll(api, open, [
        [dave, 'bold', 100_000, 500_000_000, true, 500_000_000],
        [ferdie, 'bold', 100_000, 500_000_000, true, 500_000_000]
      ]);
      await sudoAll(api, [api.tx.subnets.setFloor(floor), api.tx.emission.setTurnLength(1)], alice);
      refused.push(await decided);
    }
    // A subnet removed while it holds pending emission: that block is verified like any other.
    // (Right after its epoch the pending emission can be exactly 0: every unit paid out, no dust.)
    await until(10_000, 'subnet 1 holds pending emission',
      async () => BigInt((await api.query.subnets.pendingEmission()).toJSON()['1'] ?? 0) > 0n);
    // Subnet 1 (its epoch at (n + 2) % 5 == 0) is removed mid-tempo, so that it still holds pending
    // emission; then subnet 2 (its epoch at (n + 3) % 5 == 0) in a block where its epoch settles
    // first, in on_initialize, before the removal takes the record. Each is sent as soon as the
    // block before its target is in, a 250 ms seal away.
    const removeWhen = (netuid, lands) => {
      const removal = waitFor((evs) => findEvents(evs, 'subnets', 'SubnetRemoved').some((e) => e.data.netuid.toNumber() === netuid));
      return new Promise((resolve, reject) => {
        let unsub = null;
        api.rpc.chain.subscribeNewHeads((header) => {
          if (!lands(header.number.toNumber() + 1) || !unsub) return;
          unsub();
          unsub = null;
          sudoAll(api, [api.tx.subnets.removeSubnet(netuid)], alice).then(resolve, reject);
        }).then((u) => { unsub = u; }, reject);
      }).then(() => removal);
    };
    const settledIn = async (block, netuid) => {
      const events = await (await api.at(await api.rpc.chain.getBlockHash(block))).query.system.events();
      return findEvents(events, 'emission', 'EpochSettled').some((e) => e.data.netuid.toNumber() === netuid);
    };
    removedBlock = await removeWhen(1, (n) => (n + 2) % 5 === 2);
    assert.equal(await settledIn(removedBlock, 1), false, `no epoch of subnet 1 in its removal block #${removedBlock}`);
    removedInEpochBlock = await removeWhen(2, (n) => (n + 3) % 5 === 0);
    assert.equal(await settledIn(removedInEpochBlock, 2), true, `subnet 2's epoch settled in its removal block #${removedInEpochBlock}`);
    endBlock = removedInEpochBlock + 2;
    await waitFor((_, number) => number >= endBlock);
    const [unreadable, wouldFall] = await Promise.all(refused.map(async (n) => {
      const events = await (await api.at(await api.rpc.chain.getBlockHash(n))).query.system.events();
      return findEvents(events, 'emission', 'ForkDecided')[0].data.result.refused.unwrap().type;
    }));
    assert.deepEqual([unreadable, wouldFall], ['FloorUnreadable', 'FloorWouldFall']);
  }));

  it('verify shows the fork, the capped epoch and the withholding; an edited snapshot fails with its diff', track(async () => {
    const fork = await audit(['verify', '--url', url, '--at', String(forkBlock)]);
    assert.equal(fork.code, 0, fork.stdout);
    assert.match(fork.stdout, /fork: kept\s+bold\s+bold\s+0/);
    // By hand, from the feeders' lower medians (weights 0.5 / 0.3 / 0.2): steady 0.06, 0.7, 0.8 →
    // 0.40; bold 0.15, 0.8, 0.9 → 0.495; the gap 0.095 (× 10¹⁸).
    assert.match(fork.stdout, /fork: cut "steady": gap \(FixedI128 inner\)\s+95000000000000000\s+95000000000000000\s+0/);
    assert.match(fork.stdout, /OK: \d+ quantities, every diff is 0/);
    // The reference rows (seed 000 in exact rationals): the winner and the gap, the same by hand.
    assert.match(fork.stdout, /reference: fork winner: highest exact measure, ties to the older tine .* vs kept\s+bold\s+bold\s+0/);
    assert.match(fork.stdout, /reference: fork: cut "steady": exact gap to the kept tine vs recorded \(FixedI128 inner, \|diff\| ≤ \d+\)\s+95000000000000000\s+95000000000000000\s+0/);
    // The gate's promise, simulated block by block over the next turn (floor 0: nothing to close).
    assert.match(fork.stdout, /reference: gate's promise: the floor's deficit \(0\) closed within the next turn \(\d+ blocks\), simulated block by block vs the gate passed\s+closed\s+closed\s+0/);
    // A recorded gap 1,000 units off: the replay's row and the reference's both fail. A floor far
    // above the depth reserve: the promise's simulation falls short of what the gate said.
    const forkFile = path.join(work, 'fork.json');
    const forkSnap = await audit(['snapshot', '--url', url, '--at', String(forkBlock), '--out', forkFile, '--quiet']);
    assert.equal(forkSnap.code, 0, forkSnap.stderr);
    const editFork = async (edit) => {
      const t = JSON.parse(fs.readFileSync(forkFile, 'utf8'));
      edit(t);
      const out = path.join(work, `fork-${Math.random().toString(16).slice(2)}.json`);
      fs.writeFileSync(out, JSON.stringify(t));
      return audit(['verify', '--snapshot', out]);
    };
    const offGap = await editFork((t) => {
      const decided = t.outputs.events.find((e) => e.method === 'ForkDecided');
      decided.data.cut[0].gap = (BigInt(decided.data.cut[0].gap) + 1000n).toString();
    });
    assert.equal(offGap.code, 1, offGap.stdout);
    assert.match(offGap.stdout, /reference: fork: cut "steady": exact gap to the kept tine vs recorded .*\s+95000000000000000\s+95000000000001000\s+-1000\s+<-- MISMATCH/);
    const highFloor = await editFork((t) => { t.inputs.floor = (10n ** 30n).toString(); });
    assert.equal(highFloor.code, 1, highFloor.stdout);
    assert.match(highFloor.stdout, /reference: gate's promise: the floor's deficit \(\d+\) closed within the next turn .*\s+falls short\s+closed\s+≠\s+<-- MISMATCH/);

    const capped = await audit(['verify', '--url', url, '--at', String(cappedBlock)]);
    assert.equal(capped.code, 0, capped.stdout);
    assert.match(capped.stdout, /epoch of subnet 2: hard cap applied\s+true\s+true\s+0/);
    assert.match(capped.stdout, /epoch of subnet 2: EpochSettled root stakes vs subnets\.Validators before the block\s+(0x[0-9a-f]{64}:\d+)( 0x[0-9a-f]{64}:\d+)*\s+\1/);

    const file = path.join(work, `snapshot-${lastBlock}.json`);
    const snap = await audit(['snapshot', '--url', url, '--at', String(lastBlock), '--out', file]);
    assert.equal(snap.code, 0, snap.stderr);
    const ok = await audit(['verify', '--snapshot', file]);
    assert.equal(ok.code, 0, ok.stdout);
    assert.match(ok.stdout, /withholding: minted into reserve "treasury"/);

    const snapshot = JSON.parse(fs.readFileSync(file, 'utf8'));
    assert.match(snapshot.checksum, /^sha256:[0-9a-f]{64}$/);
    assert.equal(snapshot.block.number, lastBlock);
    const event = snapshot.outputs.events.find((e) => e.method === 'BlockEmissionDistributed');
    event.data.toSubnets = (BigInt(event.data.toSubnets) + 1n).toString();
    const edited = path.join(work, 'edited.json');
    fs.writeFileSync(edited, JSON.stringify(snapshot, null, 2));
    const bad = await audit(['verify', '--snapshot', edited]);
    assert.equal(bad.code, 1, bad.stdout);
    assert.match(bad.stdout, /block emission: to subnets\s+(\d+)\s+(\d+)\s+-1\s+<-- MISMATCH/);
    assert.match(bad.stdout, /conservation: to subnets \(event\) vs Σ subnets' pending change \+ paid \+ capped \(state\)\s+(\d+)\s+(\d+)\s+1\s+<-- MISMATCH/);
    assert.match(bad.stdout, /checksum mismatch/);
    assert.match(bad.stdout, /FAILED: 2 of \d+ quantities differ; checksum mismatch/);

    // One unit of Balances' total issuance the ledgers do not account for: the two independent
    // conservation rows fail (the identity's change, and the identity itself), and only they.
    const leak = JSON.parse(fs.readFileSync(file, 'utf8'));
    leak.outputs.storage.totalIssuance = (BigInt(leak.outputs.storage.totalIssuance) + 1n).toString();
    const leaked = path.join(work, 'leaked.json');
    fs.writeFileSync(leaked, JSON.stringify(leak, null, 2));
    const leakResult = await audit(['verify', '--snapshot', leaked]);
    assert.equal(leakResult.code, 1, leakResult.stdout);
    assert.match(leakResult.stdout, /conservation: Δ\(issued − recycled − pending − carried\) vs Δ Balances total issuance \+ unrecorded burns\s+(\d+)\s+(\d+)\s+-1\s+<-- MISMATCH/);
    assert.match(leakResult.stdout, /conservation: total issuance: IssuanceBase \+ issued − recycled − pending − carried \(ledgers\) vs Balances\s+(\d+)\s+(\d+)\s+-1\s+<-- MISMATCH/);
    assert.match(leakResult.stdout, /FAILED: 2 of \d+ quantities differ; checksum mismatch/);

    // What a block must not touch, and the hook's events counted: an untouched subnet's epoch record
    // changed, a stray rate, and an EpochSettled deposited twice each fail their own row.
    const tamper = (edit) => {
      const t = JSON.parse(fs.readFileSync(file, 'utf8'));
      edit(t);
      const out = path.join(work, `tampered-${Math.random().toString(16).slice(2)}.json`);
      fs.writeFileSync(out, JSON.stringify(t, null, 2));
      return audit(['verify', '--snapshot', out]);
    };
    const settledHere = new Set(snapshot.outputs.events.filter((e) => e.method === 'EpochSettled').map((e) => e.data.netuid));
    const quiet = Object.keys(snapshot.outputs.storage.lastEpoch).map(Number).find((n) => !settledHere.has(n));
    assert.ok(quiet !== undefined, 'a subnet that did not settle in the block');
    const moved = await tamper((t) => { t.outputs.storage.lastEpoch[quiet].utilization = '1'; });
    assert.equal(moved.code, 1, moved.stdout);
    assert.match(moved.stdout, /untouched: LastEpoch of the \d+ subnets that did not settle: before vs after the block .*<-- MISMATCH/);
    const stray = await tamper((t) => { t.outputs.storage.subnetRates = { 1: 5 }; });
    assert.equal(stray.code, 1, stray.stdout);
    assert.match(stray.stdout, /rates: subnet rates after the block: before it \+ its SubnetEmissionRateSet events vs stored\s+none\s+1:5/);
    // Two units more in a subnet's recorded amount: the exact-rational reference's row fails (the
    // chain's amount is never above the exact floor), beside the replay's.
    const paidNetuid = Object.keys(snapshot.outputs.storage.pendingEmission)[0];
    const overpaid = await tamper((t) => {
      t.outputs.storage.pendingEmission[paidNetuid] = (BigInt(t.outputs.storage.pendingEmission[paidNetuid]) + 2n).toString();
    });
    assert.equal(overpaid.code, 1, overpaid.stdout);
    assert.match(overpaid.stdout, new RegExp(`reference: subnet ${paidNetuid}: exact floor\\(E · share\\) vs amount on chain \\(0 ≤ diff ≤ 1\\)\\s+\\d+\\s+\\d+\\s+-2\\s+<-- MISMATCH`));
    assert.match(ok.stdout, /reference: survivors afterAbsoluteLimit \(replay vs exact rationals\)/);
    const ledgerNetuid = Object.keys(snapshot.outputs.storage.unclaimed ?? {})[0];
    assert.ok(ledgerNetuid !== undefined, 'a subnet with unclaimed dividends');
    const owedMore = await tamper((t) => {
      const table = t.outputs.storage.unclaimed[ledgerNetuid];
      const who = Object.keys(table)[0];
      table[who].tao = (BigInt(table[who].tao) + 1n).toString();
    });
    assert.equal(owedMore.code, 1, owedMore.stdout);
    assert.match(owedMore.stdout, new RegExp(`dividends: Unclaimed ledger of subnet ${ledgerNetuid} \\(native/alpha\\): before \\+ credited − paid out vs stored .*<-- MISMATCH`));
    // One unit of one validator's credit moved to another's on the same subnet (equal totals): each
    // validator's dividend row fails, though every total holds.
    let shared = null;
    for (let n = lastBlock; n > 1 && !shared; n--) {
      const events = await (await api.at(await api.rpc.chain.getBlockHash(n))).query.system.events();
      const credits = findEvents(events, 'subnets', 'DividendsCredited').filter((e) => e.data.alpha.toBigInt() > 0n);
      const counts = new Map();
      for (const e of credits) counts.set(e.data.netuid.toNumber(), (counts.get(e.data.netuid.toNumber()) ?? 0) + 1);
      const netuid = [...counts].find(([, c]) => c >= 2)?.[0];
      if (netuid !== undefined) shared = { block: n, netuid };
    }
    assert.ok(shared, 'a block crediting two validators of one subnet');
    const sharedFile = path.join(work, 'shared-credit.json');
    const sharedSnap = await audit(['snapshot', '--url', url, '--at', String(shared.block), '--out', sharedFile, '--quiet']);
    assert.equal(sharedSnap.code, 0, sharedSnap.stdout + sharedSnap.stderr);
    const moveUnit = JSON.parse(fs.readFileSync(sharedFile, 'utf8'));
    const [from, to] = moveUnit.outputs.events.filter((e) => e.method === 'DividendsCredited' && e.data.netuid === shared.netuid && BigInt(e.data.alpha) > 0n);
    from.data.alpha = (BigInt(from.data.alpha) - 1n).toString();
    to.data.alpha = (BigInt(to.data.alpha) + 1n).toString();
    fs.writeFileSync(sharedFile, JSON.stringify(moveUnit, null, 2));
    const moved2 = await audit(['verify', '--snapshot', sharedFile]);
    assert.equal(moved2.code, 1, moved2.stdout);
    const failing = moved2.stdout.split('\n').filter((l) => l.includes('<-- MISMATCH') && l.includes(`dividends on subnet ${shared.netuid}: `));
    assert.ok(failing.length >= 2, `both validators' dividend rows fail:\n${moved2.stdout}`);
    assert.doesNotMatch(moved2.stdout, /epoch of subnet \d+: alpha dividends\s+\d+\s+\d+\s+-?\d+\s+<-- MISMATCH/, 'the total holds');
    const again = await tamper((t) => { t.outputs.events.push(t.outputs.events.find((e) => e.method === 'BlockEmissionDistributed')); });
    assert.equal(again.code, 1, again.stdout);
    assert.match(again.stdout, /hook events: BlockEmissionDistributed\s+1\s+2\s+-1\s+<-- MISMATCH/);
    if (settledHere.size > 0) {
      const twice = await tamper((t) => { t.outputs.events.push(t.outputs.events.find((e) => e.method === 'EpochSettled')); });
      assert.equal(twice.code, 1, twice.stdout);
      assert.match(twice.stdout, /hook events: EpochSettled\s+(\d+)\s+(\d+)\s+-1\s+<-- MISMATCH/);
    }

    // The block that removed a subnet: its pending emission was recycled, and everything agrees.
    const removed = await audit(['verify', '--url', url, '--at', String(removedBlock)]);
    assert.equal(removed.code, 0, removed.stdout);
    const recycledRow = /recycling: recycled: SubnetRemoved subnet 1\s+(\d+)\s+(\d+)\s+0/.exec(removed.stdout);
    assert.ok(recycledRow && BigInt(recycledRow[1]) > 0n, removed.stdout);
    assert.doesNotMatch(removed.stdout, /skipped/);

    // The block whose epoch of subnet 2 settled before an extrinsic removed it: the record and the
    // scaling inputs are gone after the block, as the audit expects.
    const inEpoch = await audit(['verify', '--url', url, '--at', String(removedInEpochBlock)]);
    assert.equal(inEpoch.code, 0, inEpoch.stdout);
    assert.match(inEpoch.stdout, /epoch of subnet 2: LastEpoch after the block \(removed by an extrinsic\)\s+removed\s+removed\s+0/);
    assert.match(inEpoch.stdout, /epoch of subnet 2: state after the block \(removed by an extrinsic\)\s+removed\s+removed\s+0/);
  }));

  /** Run every counterfactual at `block`; check each against the runtime API; the CSV rows by netuid. */
  async function counterfactuals (block) {
    const rows = {};
    for (const what of Object.keys(COUNTERFACTUALS)) {
      const out = path.join(work, `${what}-${block}.csv`);
      const result = await audit(['counterfactual', '--what', what, '--url', url, '--at', String(block), '--out', out]);
      assert.equal(result.code, 0, `${what}: ${result.stdout}${result.stderr}`);
      assert.match(result.stdout, /runtime API cross-check: agrees/);
      const lines = fs.readFileSync(out, 'utf8').trim().split('\n');
      assert.equal(lines[0], 'netuid,actual,counterfactual,diff');
      rows[what] = Object.fromEntries(lines.slice(1, 4).map((l) => {
        const [n, a, c, d] = l.split(',');
        return [n, { a: BigInt(a), c: BigInt(c), d: BigInt(d) }];
      }));
      for (const r of Object.values(rows[what])) assert.equal(r.c - r.a, r.d);
      const net = Object.values(rows[what]).reduce((sum, r) => sum + r.d, 0n);
      const positive = Object.values(rows[what]).reduce((sum, r) => sum + (r.d > 0n ? r.d : 0n), 0n);
      assert.match(lines.at(-2), new RegExp(`^total \\(net difference\\),\\d+,\\d+,${net}$`));
      assert.equal(lines.at(-1), `total (positive differences only),,,${positive}`);
    }
    const paid = (what, column) => ['1', '2', '3'].filter((n) => rows[what][n][column] > 0n);
    return { rows, paid };
  }

  it('each counterfactual agrees with the runtime API and moves emission as the lifted rule says', track(async () => {
    // After the cap and the fork, before the limit: ERP scaling zeroes capped subnet 2, the top
    // 50 % (2 of 3) keep subnets 1 and 3.
    const mid = Math.max(cappedBlock, forkBlock) + 1;
    let { paid } = await counterfactuals(mid);
    assert.deepEqual(paid('no-filters', 'a'), ['1', '3']);
    assert.deepEqual(paid('no-hard-cap', 'c'), ['1', '2'], 'without the cap subnet 2 keeps its ERP and outranks subnet 3');
    assert.deepEqual(paid('no-erp-scaling', 'c'), ['1', '2'], 'base weights 100, 60, 30: the top two');
    assert.deepEqual(paid('no-filters', 'c'), ['1', '2', '3']);
    assert.deepEqual(paid('no-top-proportion', 'c'), ['1', '3'], 'subnet 2 stays at 0 under the cap');
    // With the absolute limit 1 in force only subnet 1 is paid.
    ({ paid } = await counterfactuals(lastBlock));
    assert.deepEqual(paid('no-filters', 'a'), ['1']);
    assert.deepEqual(paid('no-absolute-limit', 'c'), ['1', '3']);
    assert.deepEqual(paid('no-hard-cap', 'c'), ['1']);
  }));

  it('draws the filter stages of a block as an SVG', track(async () => {
    const out = path.join(work, 'block.svg');
    const result = await audit(['picture', '--url', url, '--at', String(lastBlock), '--out', out]);
    assert.equal(result.code, 0, result.stderr);
    const svg = fs.readFileSync(out, 'utf8');
    assert.match(svg, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    assert.equal((svg.match(/<rect x="\d[^"]*" y="[\d.]+" width="19"/g) ?? []).length, 3 * 5, 'a bar per subnet and stage (base, rate, three filters)');
    assert.match(svg, /subnet 3/);
    assert.match(svg, /after subnet rates \(all 100 %\)/);
    assert.match(result.stdout, /subnet\s+base\s+rate\s+after rate\s+ERP scaling/);
  }));

  it('bad arguments, an unreachable node and a pruned state give clear errors', track(async () => {
    assertCleanError(await audit([]), 2, /usage: node audit.js/);
    assertCleanError(await audit(['frobnicate']), 2, /unknown command "frobnicate"/);
    assertCleanError(await audit(['verify', '--bogus']), 2, /Unknown option '--bogus'/);
    assertCleanError(await audit(['verify', '--url', url]), 2, /missing --at/);
    assertCleanError(await audit(['verify', '--url', url, '--at', 'yesterday']), 2, /--at must be a block number or a 0x-prefixed/);
    assertCleanError(await audit(['verify', '--url', url, '--at', '99999999']), 2, /beyond the chain's best block/);
    assertCleanError(await audit(['verify', '--url', url, '--at', '0']), 2, /genesis/);
    assertCleanError(await audit(['counterfactual', '--what', 'no-gravity', '--url', url, '--at', '1']), 2, /--what no-gravity: not a rule\n\(one of no-hard-cap/);
    assertCleanError(await audit(['range', '--url', url, '--from', '5', '--to', '2']), 2, /before --from/);
    assertCleanError(await audit(['verify', '--snapshot', path.join(work, 'missing.json')]), 2, /cannot read snapshot .*no such file/);
    assertCleanError(await audit(['verify', '--url', 'ws://127.0.0.1:1', '--at', '1', '--timeout', '3']), 2, /cannot reach a node at ws:\/\/127.0.0.1:1/);
    assertCleanError(await audit(['verify', '--url', 'http://x', '--at', '1']), 2, /--url must be a ws:\/\/ or wss:\/\/ address/);
    // The pruned node (`--state-pruning 4`) has long discarded block 1's state.
    const prunedResult = await audit(['verify', '--url', pruned.wsUrl, '--at', '1']);
    assertCleanError(prunedResult, 2, /pruned\. Run the node with `--state-pruning archive`/);
  }));

  it('range verifies every block of the chain so far, the whole scenario included, with every diff 0', track(async () => {
    const out = path.join(work, 'range.csv');
    const head = (await api.rpc.chain.getHeader()).number.toNumber();
    assert.ok(head >= endBlock);
    const result = await audit(['range', '--url', url, '--from', '1', '--to', String(head), '--out', out]);
    assert.equal(result.code, 0, result.stdout + result.stderr);
    const summary = result.stdout.trim().split('\n').at(-1);
    console.log(`audit range: ${summary}`);
    assert.match(summary, new RegExp(`${head} blocks, ${head} verified, 0 failed`));
    const epochs = Number(/(\d+) epochs/.exec(summary)[1]);
    const forks = Number(/(\d+) forks/.exec(summary)[1]);
    // Three subnets settle an epoch every 5 blocks until the first removal, one after the second.
    const expected = 3 * Math.floor(removedBlock / 5) + Math.floor((head - removedInEpochBlock) / 5);
    assert.ok(epochs >= expected, `epochs settled: ${epochs}, expected at least ${expected}`);
    assert.ok(forks >= 4, `forks: ${forks}`);
    const lines = fs.readFileSync(out, 'utf8').trim().split('\n');
    assert.equal(lines.length, head + 1);
    assert.ok(lines.slice(1).every((l) => l.split(',')[2] === 'true'));

    // The per-query reader (one RPC per value, as `snapshot` reads) over the same blocks: every
    // block's snapshot has the same checksum, so the batched reader read the same inputs and outputs.
    const slowOut = path.join(work, 'range-per-query.csv');
    const slow = await audit(['range', '--url', url, '--from', '1', '--to', String(head), '--out', slowOut, '--reader', 'per-query']);
    assert.equal(slow.code, 0, slow.stdout + slow.stderr);
    const slowLines = fs.readFileSync(slowOut, 'utf8').trim().split('\n');
    assert.equal(slowLines[0], 'block,hash,ok,quantities,mismatches,snapshot');
    assert.deepEqual(lines, slowLines, 'both readers give every block the same snapshot');
    const rate = (text) => Number(/\(([\d.]+) blocks\/s\)/.exec(text)[1]);
    console.log(`audit range: batched ${rate(summary)} blocks/s, per-query ${rate(slow.stdout)} blocks/s`);
  }));

  it('range writes every snapshot into one file, and re-verifies it offline; an edited file fails', track(async () => {
    const file = path.join(work, 'range-snapshots.json');
    const to = Math.min(endBlock, 40);
    const online = await audit(['range', '--url', url, '--from', '1', '--to', String(to), '--snapshot-out', file]);
    assert.equal(online.code, 0, online.stdout + online.stderr);
    // The summary by category: computed, on chain and diff summed over the range.
    assert.match(online.stdout, /category\s+quantities\s+computed \(Σ numeric\)\s+on chain \(Σ numeric\)\s+diff \(Σ\)\s+mismatches/);
    assert.match(online.stdout, /block emission\s+\d+\s+(\d+)\s+\1\s+0\s+0/);
    assert.match(online.stdout, /conservation\s+\d+\s+(\d+)\s+\1\s+0\s+0/);
    const saved = JSON.parse(fs.readFileSync(file, 'utf8'));
    assert.equal(saved.format, 'emission-audit-range/1');
    assert.equal(saved.blocks.length, to);
    assert.match(saved.checksum, /^sha256:[0-9a-f]{64}$/);
    // Offline: no node at all.
    const offline = await audit(['range', '--snapshot', file]);
    assert.equal(offline.code, 0, offline.stdout + offline.stderr);
    assert.match(offline.stdout, new RegExp(`re-verified offline from .*: ${to} blocks, ${to} verified, 0 failed; file checksum holds`));
    // One unit more issued in one block: that block fails, the file's checksum too.
    saved.blocks[1].outputs.storage.totalIssued = (BigInt(saved.blocks[1].outputs.storage.totalIssued) + 1n).toString();
    const edited = path.join(work, 'range-edited.json');
    fs.writeFileSync(edited, JSON.stringify(saved));
    const bad = await audit(['range', '--snapshot', edited]);
    assert.equal(bad.code, 1, bad.stdout);
    assert.match(bad.stdout, /block emission: TotalIssued after the block\s+\d+\s+\d+\s+-1\s+<-- MISMATCH/);
    assert.match(bad.stdout, new RegExp(`${to} blocks, ${to - 1} verified, 1 failed; file checksum MISMATCH`));
    assertCleanError(await audit(['range', '--snapshot', path.join(work, 'none.json')]), 2, /cannot read range snapshot .*no such file/);
  }));


  /** A CSV file's rows (after the header) as arrays of cells. */
  const csvRows = (file) => fs.readFileSync(file, 'utf8').trim().split('\n').slice(1).map((l) => l.split(','));

  it('restitution: the hard cap lifted up to the first capped epoch; every validator of it checked by hand', track(async () => {
    // The first block whose epoch was capped, from the chain's events.
    let first = 0;
    for (let n = 1; n <= cappedBlock && !first; n++) {
      const events = await (await api.at(await api.rpc.chain.getBlockHash(n))).query.system.events();
      if (findEvents(events, 'emission', 'EpochSettled').some((e) => e.data.capped.isTrue)) first = n;
    }
    assert.ok(first > 0);
    const out = path.join(work, 'restitution-validators.csv');
    const subnetsOut = path.join(work, 'restitution-subnets.csv');
    const result = await audit(['restitution', '--what', 'no-hard-cap', '--url', url, '--from', '1', '--to', String(first), '--out', out, '--subnets-out', subnetsOut, '--quiet']);
    assert.equal(result.code, 0, result.stdout + result.stderr);
    assert.match(result.stdout, /identity: with no rule changed, the replay carried over the range gives the chain's amounts: 0 diffs in \d+ quantities/);

    // By hand, from the chain: before this epoch nothing was capped, so both worlds hold the same
    // pool. The epoch pays validator v, pro rata to w = alpha + ⌊taoWeight · root⌋, the dividend
    // d = ⌊pool · w / W⌋ and of it the root part r = ⌊d · ⌊taoWeight · root⌋ / w⌋; capped, the
    // chain credited only d − r: without the cap v is owed r.
    const hash = await api.rpc.chain.getBlockHash(first);
    const at = await api.at(hash);
    const parent = await api.at((await api.rpc.chain.getHeader(hash)).parentHash);
    const events = (await at.query.system.events()).filter(({ phase }) => phase.isInitialization).map(({ event }) => event);
    const settled = events.find((e) => e.section === 'emission' && e.method === 'EpochSettled' && e.data.capped.isTrue);
    const netuid = settled.data.netuid.toNumber();
    const ofSubnet = (e) => e.data.netuid.toNumber() === netuid;
    const credited = events.filter((e) => e.section === 'subnets' && e.method === 'DividendsCredited' && ofSubnet(e))
      .reduce((s, e) => s + e.data.alpha.toBigInt() + e.data.root.toBigInt(), 0n);
    const capped = events.filter((e) => e.section === 'emission' && e.method === 'Recycled' && e.data.reason.isHardCap && e.data.netuid.unwrapOr(null)?.toNumber() === netuid)
      .reduce((s, e) => s + e.data.amount.toBigInt(), 0n);
    const pendingAfter = BigInt((await at.query.subnets.pendingEmission()).toJSON()[netuid] ?? 0);
    const pool = pendingAfter + credited + capped;
    const taoWeight = BigInt(api.consts.subnets.taoWeight.toString());
    const validators = (await parent.query.subnets.validators.entries(netuid))
      .filter(([, v]) => v.isSome && v.unwrap().validating.isTrue)
      .map(([k, v]) => ({ who: k.args[1].toString(), root: v.unwrap().rootStake.toBigInt(), alpha: v.unwrap().alphaStake.toBigInt() }));
    let total = 0n;
    for (const v of validators) {
      v.wr = taoWeight * v.root / 1_000_000_000n;
      v.w = v.alpha + v.wr;
      total += v.w;
    }
    const owed = new Map(validators.map((v) => [v.who, (pool * v.w / total) * v.wr / v.w]));
    const sumOwed = [...owed.values()].reduce((s, x) => s + x, 0n);
    assert.ok(sumOwed > 0n, 'the capped epoch had root dividends');
    assert.equal(sumOwed, capped, 'the hard cap recycled exactly the root dividends owed');
    const rows = csvRows(out);
    const byValidator = rows.filter((r) => !r[0].startsWith('total'));
    let checked = 0;
    for (const [n, who, , , , diff] of byValidator) {
      const expected = Number(n) === netuid ? (owed.get(who) ?? 0n) : 0n;
      assert.equal(BigInt(diff), expected, `subnet ${n} validator ${who}`);
      if (Number(n) === netuid && expected > 0n) checked++;
    }
    assert.equal(checked, [...owed.values()].filter((x) => x > 0n).length, 'every owed validator has its row');
    const net = rows.find((r) => r[0] === 'total (owed net)');
    const positive = rows.find((r) => r[0] === 'total (owed positive only)');
    assert.equal(BigInt(net[5]), capped);
    assert.equal(BigInt(positive[5]), capped);
    const subnetRow = csvRows(subnetsOut).find((r) => Number(r[0]) === netuid);
    assert.deepEqual(subnetRow.slice(7, 10).map(BigInt), [capped, 0n, -capped], 'capped: actual, counterfactual, diff');
    assert.match(result.stdout, new RegExp(`total recycled: actual \\d+, counterfactual \\d+, diff -${capped}\\b`));
    console.log(`restitution #1..#${first} (no hard cap): ${validators.length} validators of subnet ${netuid} checked by hand; Σ owed ${sumOwed}`);

    // The same range from the consolidated file, offline: the same rows. Named as the subnet's
    // epoch: the same validators' rows.
    const file = path.join(work, 'restitution-range.json');
    const range = await audit(['range', '--url', url, '--from', '1', '--to', String(first), '--snapshot-out', file, '--quiet']);
    assert.equal(range.code, 0, range.stdout + range.stderr);
    const offlineOut = path.join(work, 'restitution-offline.csv');
    const offline = await audit(['restitution', '--what', 'no-hard-cap', '--snapshot', file, '--out', offlineOut, '--quiet']);
    assert.equal(offline.code, 0, offline.stdout + offline.stderr);
    assert.deepEqual(csvRows(offlineOut), rows);
    const tempo = [...(await parent.query.subnets.subnets()).entries()].find(([n]) => n.toNumber() === netuid)[1].tempo.toNumber();
    assert.equal((first + netuid + 1) % (tempo + 1), 0, 'the epoch settled on its due block');
    const epochOut = path.join(work, 'restitution-epoch.csv');
    const byEpoch = await audit(['restitution', '--what', 'no-hard-cap', '--url', url, '--epoch', `${netuid}:${(first + netuid + 1) / (tempo + 1)}`, '--out', epochOut, '--units', '--quiet']);
    assert.equal(byEpoch.code, 0, byEpoch.stdout + byEpoch.stderr);
    assert.match(byEpoch.stdout, new RegExp(`restitution over #${first - tempo}\\.\\.#${first} \\(${tempo + 1} blocks\\)`));
    const owedRows = (list) => list.filter((r) => !r[0].startsWith('total') && BigInt(r[5]) !== 0n).map((r) => [r[0], r[1], r[5]]);
    assert.deepEqual(owedRows(csvRows(epochOut)), owedRows(byValidator).filter((r) => Number(r[0]) === netuid));
    // --units: the chain's 12 decimals and its symbol.
    const unit = (x) => `${x / 10n ** 12n}.${(x % 10n ** 12n).toString().padStart(12, '0')} UNIT`;
    assert.ok(byEpoch.stdout.includes(`Σ owed (net): ${unit(capped)}`), byEpoch.stdout);
  }));

  it('restitution of one block equals the counterfactual of that block, for every rule', track(async () => {
    const mid = Math.max(cappedBlock, forkBlock) + 1;
    for (const what of Object.keys(COUNTERFACTUALS)) {
      const cfOut = path.join(work, `one-${what}.csv`);
      const cf = await audit(['counterfactual', '--what', what, '--url', url, '--at', String(mid), '--out', cfOut]);
      assert.equal(cf.code, 0, cf.stdout + cf.stderr);
      const subnetsOut = path.join(work, `one-${what}-subnets.csv`);
      const r = await audit(['restitution', '--what', what, '--url', url, '--from', String(mid), '--to', String(mid), '--subnets-out', subnetsOut, '--quiet']);
      assert.equal(r.code, 0, r.stdout + r.stderr);
      const single = new Map(csvRows(cfOut).filter((x) => /^\d+$/.test(x[0])).map((x) => [x[0], x.slice(1, 4)]));
      for (const row of csvRows(subnetsOut)) {
        assert.deepEqual(row.slice(1, 4), single.get(row[0]) ?? ['0', '0', '0'], `${what}: subnet ${row[0]}`);
      }
    }
  }));

  it('restitution with a setting or the schedule given another value; the chain\'s own schedule gives every diff 0', track(async () => {
    // The chain's schedule given as the rule: the same chain, every diff 0 (two routes to one schedule).
    const sched = (await api.query.emission.schedule()).unwrap();
    const parts = sched.decayFactor.toBigInt();
    const factor = `${parts / 10n ** 18n}.${(parts % 10n ** 18n).toString().padStart(18, '0')}`;
    const initial = sched.initial.toBigInt();
    const cap = sched.supplyCap.isSome ? `:${sched.supplyCap.unwrap().toBigInt()}` : '';
    const same = path.join(work, 'same-schedule.csv');
    const to = Math.min(cappedBlock + 10, endBlock);
    const own = await audit(['restitution', '--what', `schedule=${initial}:${factor}:${sched.epochLength.toNumber()}${cap}`, '--url', url, '--from', '1', '--to', String(to), '--subnets-out', same, '--quiet']);
    assert.equal(own.code, 0, own.stdout + own.stderr);
    for (const row of csvRows(same)) assert.deepEqual([row[3], row[6], row[9]], ['0', '0', '0'], `subnet ${row[0]}`);
    assert.match(own.stdout, /total issued: actual (\d+), counterfactual \1, diff 0/);
    // Twice the initial emission, no decay, no cap: by hand, every block issues `initial` more.
    const twice = await audit(['restitution', '--what', `schedule=${2n * initial}:1:1000000`, '--url', url, '--from', '1', '--to', String(to), '--quiet']);
    assert.equal(twice.code, 0, twice.stdout + twice.stderr);
    const issued = /total issued: actual (\d+), counterfactual (\d+), diff (-?\d+)/.exec(twice.stdout);
    const decayedAt = (b) => { const k = BigInt(b) / BigInt(sched.epochLength.toNumber()); return initial * parts ** k / (10n ** 18n) ** k; };
    let actual = 0n;
    for (let b = 1; b <= to; b++) actual += decayedAt(b);
    assert.equal(BigInt(issued[1]), actual, 'the chain issued the schedule, block by block');
    assert.equal(BigInt(issued[2]), 2n * initial * BigInt(to));
    // A setting given another value: top proportion 100 % is the same as lifting it.
    const a = path.join(work, 'tp-1e6.csv');
    const b = path.join(work, 'tp-none.csv');
    const mid = Math.max(cappedBlock, forkBlock) + 1;
    assert.equal((await audit(['counterfactual', '--what', 'top-proportion=1000000', '--url', url, '--at', String(mid), '--out', a])).code, 0);
    assert.equal((await audit(['counterfactual', '--what', 'no-top-proportion', '--url', url, '--at', String(mid), '--out', b])).code, 0);
    assert.equal(fs.readFileSync(a, 'utf8'), fs.readFileSync(b, 'utf8'));
    // Another proportion: cross-checked against the runtime API's preview of the same settings.
    const third = await audit(['counterfactual', '--what', 'top-proportion=333333', '--url', url, '--at', String(mid)]);
    assert.equal(third.code, 0, third.stdout);
    assert.match(third.stdout, /runtime API cross-check: agrees/);
  }));

  it('restitution refuses bad arguments with one-line errors', track(async () => {
    assertCleanError(await audit(['restitution', '--url', url, '--from', '1', '--to', '2']), 2, /missing --what/);
    assertCleanError(await audit(['restitution', '--what', 'no-gravity', '--url', url, '--from', '1', '--to', '2']), 2, /--what no-gravity: not a rule/);
    assertCleanError(await audit(['restitution', '--what', 'top-proportion=0', '--url', url, '--from', '1', '--to', '2']), 2, /parts per million, 1 to 1000000/);
    assertCleanError(await audit(['restitution', '--what', 'absolute-limit=0', '--url', url, '--from', '1', '--to', '2']), 2, /1 to 65535, or none/);
    assertCleanError(await audit(['restitution', '--what', 'erp-scaling=maybe', '--url', url, '--from', '1', '--to', '2']), 2, /on or off/);
    assertCleanError(await audit(['restitution', '--what', 'schedule=1:1.5:10', '--url', url, '--from', '1', '--to', '2']), 2, /FACTOR \(a decimal from 0 to 1\)/);
    assertCleanError(await audit(['restitution', '--what', 'no-hard-cap', '--url', url, '--epoch', '2']), 2, /--epoch must be NETUID:N/);
    assertCleanError(await audit(['restitution', '--what', 'no-hard-cap', '--url', url, '--epoch', '2:1', '--from', '1']), 2, /without --from and --to/);
    assertCleanError(await audit(['restitution', '--what', 'no-hard-cap', '--url', url, '--epoch', '77:1']), 2, /subnet 77 is not registered at the finalized block #\d+, nor at #1/);
    assertCleanError(await audit(['restitution', '--what', 'no-hard-cap', '--url', url, '--from', '1']), 2, /missing --to/);
  }));

});
