// The emission policy on a dev node (`--dev --tmp`), driven through sudo from polkadot.js: the
// hard cap, ERP scaling, the proportion and limit filters, the schedule, and every call's event.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import { Keyring } from '@polkadot/keyring';

import { FAST_DEV, connect, runAudit, startNode } from '../lib/node.js';
import { runScript } from '../lib/script.js';
import { decodeError, findEvents, submit } from '../lib/tx.js';

const ONE_BITS = 1n << 64n; // a U64F64 share of 1

describe('dev chain: emission policy', () => {
  let node;
  let api;
  let alice;
  let keyring;
  let failed = false;

  before(async () => {
    node = await startNode('emission', FAST_DEV);
    api = await connect(node);
    keyring = new Keyring({ type: 'sr25519' });
    alice = keyring.addFromUri('//Alice');
  });

  after(async () => {
    if (api) await api.disconnect();
    if (node) await node.stop(failed);
  });

  const track = (fn) => async () => {
    try { await fn(); } catch (err) { failed = true; throw err; }
  };

  let lastSudoBlock = 0;

  /**
   * Submit `call` through sudo; assert the inner call succeeded; return the events. Remembers the
   * block it landed in: that block's `on_initialize` ran before the call.
   */
  async function sudo (call) {
    const { events, dispatchError, blockHash } = await submit(api, api.tx.sudo.sudo(call), alice);
    lastSudoBlock = (await api.rpc.chain.getHeader(blockHash)).number.toNumber();
    assert.equal(dispatchError, null);
    const [sudid] = findEvents(events, 'sudo', 'Sudid');
    assert.ok(sudid, 'Sudid event');
    const result = sudid.data.sudoResult;
    assert.ok(result.isOk, `inner call failed: ${result.isErr ? JSON.stringify(decodeError(api, result.asErr)) : ''}`);
    return events;
  }

  /**
   * The events of the first block after the last sudo call's block for which
   * `predicate(events, blockNumber)` is true.
   */
  function waitForBlock (predicate, timeoutMs = 90_000) {
    const after = lastSudoBlock;
    return new Promise((resolve, reject) => {
      let unsub = null;
      const timer = setTimeout(() => { if (unsub) unsub(); reject(new Error('timed out waiting for a block')); }, timeoutMs);
      api.rpc.chain.subscribeNewHeads(async (header) => {
        if (header.number.toNumber() <= after) return;
        const at = await api.at(header.hash);
        const events = await at.query.system.events();
        if (predicate(events, header.number.toNumber())) {
          clearTimeout(timer);
          if (unsub) unsub();
          resolve({ events, number: header.number.toNumber(), hash: header.hash });
        }
      }).then((u) => { unsub = u; }, reject);
    });
  }

  const epochOf = (events, netuid) => findEvents(events, 'emission', 'EpochSettled')
    .find((e) => e.data.netuid.toNumber() === netuid);

  const survivors = (stage) => stage.filter(([, bits]) => bits.toBigInt() > 0n).map(([netuid]) => netuid.toNumber());

  it('emits every block and settles each subnet epoch with full utilization', track(async () => {
    const { events } = await waitForBlock((evs) => Boolean(epochOf(evs, 1)));
    const epoch = epochOf(events, 1).data;
    assert.equal(epoch.capped.isTrue, false);
    assert.equal(epoch.utilization.bits.toBigInt(), 1n << 32n, 'utilization 1 (U96F32)');
    const [distributed] = findEvents(events, 'emission', 'BlockEmissionDistributed');
    assert.ok(distributed.data.issued.toBigInt() > 0n);
    assert.equal(distributed.data.toSubnets.toBigInt() + distributed.data.recycled.toBigInt(), distributed.data.issued.toBigInt());
    assert.equal(distributed.data.recipients.toNumber(), 3);
  }));

  it('a subnet whose root validator stops validating gets ERP 0 and its root dividends recycled; another keeps paying', track(async () => {
    const charlie = keyring.addFromUri('//Charlie').address;
    const events = await sudo(api.tx.subnets.setValidating(2, charlie, false));
    assert.equal(findEvents(events, 'subnets', 'ValidatingSet').length, 1);

    // Subnet 2's next epoch: Charlie holds 2/3 of its root stake, so utilization is 1/3.
    const { events: epochEvents } = await waitForBlock((evs) => Boolean(epochOf(evs, 2)));
    const capped = epochOf(epochEvents, 2).data;
    assert.equal(capped.capped.isTrue, true, 'hard cap fired');
    assert.equal(capped.effectiveRootProp.bits.toBigInt(), 0n);
    assert.ok(capped.recycled.toBigInt() > 0n, 'root dividends recycled');
    // Every root dividend is recycled: the pending-emission part by the emission pallet
    // (`recycled`), the subnet's alpha part by the dev economy (`subnets.AlphaRecycled`).
    const alphaRecycled = findEvents(epochEvents, 'subnets', 'AlphaRecycled').filter((e) => e.data.netuid.toNumber() === 2);
    assert.equal(alphaRecycled.length, 1);
    assert.equal(capped.recycled.toBigInt() + alphaRecycled[0].data.amount.toBigInt(), capped.rootDividends.toBigInt());
    const recycledEvent = findEvents(epochEvents, 'emission', 'Recycled').find((e) => e.data.reason.type === 'HardCap');
    assert.equal(recycledEvent.data.amount.toBigInt(), capped.recycled.toBigInt());
    assert.ok(capped.utilization.bits.toBigInt() < 1n << 31n, 'utilization below 1/2');
    const paid2 = findEvents(epochEvents, 'subnets', 'DividendsCredited').filter((e) => e.data.netuid.toNumber() === 2);
    assert.ok(paid2.every((e) => e.data.root.toBigInt() === 0n), 'no root dividend credited on subnet 2');
    assert.equal((await api.query.emission.effectiveRootProp(2)).unwrap().bits.toBigInt(), 0n);

    // Subnet 1 keeps paying root dividends.
    const { events: next1 } = await waitForBlock((evs) => Boolean(epochOf(evs, 1)));
    const healthy = epochOf(next1, 1).data;
    assert.equal(healthy.capped.isTrue, false);
    assert.ok(healthy.effectiveRootProp.bits.toBigInt() > 0n);
    const paid1 = findEvents(next1, 'subnets', 'DividendsCredited').filter((e) => e.data.netuid.toNumber() === 1);
    assert.ok(paid1.some((e) => e.data.root.toBigInt() > 0n), 'root dividends credited on subnet 1');
  }));

  it('a validator claims what its epochs credited: minted into its account, alpha to its alpha balance', track(async () => {
    const bob = keyring.addFromUri('//Bob');
    const entryOf = (table) => Object.entries(table.toJSON()).find(([k]) => keyring.encodeAddress(k) === bob.address)?.[1];
    // Bob validates on subnet 1: its epochs credited him (native and alpha); he has claimed nothing.
    const mine = entryOf(await api.query.subnets.unclaimed(1));
    assert.ok(mine && BigInt(mine.tao) > 0n && BigInt(mine.alpha) > 0n, 'Bob is owed on subnet 1');
    const { events, dispatchError, blockHash } = await submit(api, api.tx.subnets.claimDividends(1), bob);
    assert.equal(dispatchError, null);
    const [claimed] = findEvents(events, 'subnets', 'DividendsClaimed');
    assert.equal(claimed.data.netuid.toNumber(), 1);
    const tao = claimed.data.tao.toBigInt();
    const alpha = claimed.data.alpha.toBigInt();
    // Owed at the claim: the parent block's entry plus what this block's own epoch credited him
    // (the hook runs before the extrinsics).
    const at = await api.at(blockHash);
    const parent = await api.at((await api.rpc.chain.getHeader(blockHash)).parentHash);
    const parentMine = entryOf(await parent.query.subnets.unclaimed(1));
    const hookEvents = (await at.query.system.events()).filter((r) => r.phase.isInitialization).map((r) => r.event);
    const credits = (who) => hookEvents
      .filter((e) => e.section === 'subnets' && e.method === 'DividendsCredited' && (who === undefined || e.data.validator.toString() === who));
    const native = (who) => credits(who).reduce((x, e) => x + e.data.alpha.toBigInt() + e.data.root.toBigInt(), 0n);
    const inAlpha = (who) => credits(who).reduce((x, e) => x + e.data.alphaInAlpha.toBigInt() + e.data.rootInAlpha.toBigInt(), 0n);
    assert.equal(tao, BigInt(parentMine.tao) + native(bob.address));
    assert.equal(alpha, BigInt(parentMine.alpha) + inAlpha(bob.address));
    const minted = findEvents(events, 'balances', 'Minted').filter((e) => e.data.who.toString() === bob.address);
    assert.deepEqual(minted.map((e) => e.data.amount.toBigInt()), [tao], 'the claim minted exactly what was owed');
    assert.equal((await at.query.subnets.alphaBalances(1, bob.address)).toBigInt() -
      (await parent.query.subnets.alphaBalances(1, bob.address)).toBigInt(), alpha);
    assert.equal(entryOf(await at.query.subnets.unclaimed(1)), undefined, 'nothing left owed');
    // The ledger's total: the parent's, plus every native credit of the block, less the claim.
    assert.equal((await at.query.subnets.unclaimedTotal()).toBigInt(),
      (await parent.query.subnets.unclaimedTotal()).toBigInt() + native() - tao);
    // The audit tool checks the same from its own two sources: the ledger before + the hook's credits
    // − the payouts against the ledger stored, the mint and the alpha balance's change.
    const audited = await runAudit(['verify', '--url', node.wsUrl, '--at', String(blockHash)]);
    assert.equal(audited.code, 0, audited.stdout + audited.stderr);
    assert.match(audited.stdout, new RegExp(`dividends: paid out to ${bob.address}: native \\(DividendsClaimed\\) vs minted into its account \\(balances\\.Minted\\)\\s+${tao}\\s+${tao}\\s+0`));
    assert.match(audited.stdout, new RegExp(`dividends: paid out to ${bob.address} on subnet 1: alpha \\(DividendsClaimed\\) vs its alpha balance's change\\s+${alpha}\\s+${alpha}\\s+0`));
    assert.match(audited.stdout, /dividends: Unclaimed ledger of subnet 1 \(native\/alpha\): before \+ credited − paid out vs stored/);
    // The same block's snapshot with Bob's alpha balance after it one unit higher: that row fails.
    const file = path.join(os.tmpdir(), `claim-${process.pid}.json`);
    const snap = await runAudit(['snapshot', '--url', node.wsUrl, '--at', String(blockHash), '--out', file, '--quiet']);
    assert.equal(snap.code, 0, snap.stdout + snap.stderr);
    const tampered = JSON.parse(fs.readFileSync(file, 'utf8'));
    const key = Object.keys(tampered.outputs.storage.alphaOfPaid).find((k) => k.startsWith('1 '));
    tampered.outputs.storage.alphaOfPaid[key].after = (BigInt(tampered.outputs.storage.alphaOfPaid[key].after) + 1n).toString();
    fs.writeFileSync(file, JSON.stringify(tampered));
    const bad = await runAudit(['verify', '--snapshot', file]);
    fs.rmSync(file, { force: true });
    assert.equal(bad.code, 1, bad.stdout);
    assert.match(bad.stdout, new RegExp(`dividends: paid out to ${bob.address} on subnet 1: alpha \\(DividendsClaimed\\) vs its alpha balance's change\\s+${alpha}\\s+${alpha + 1n}\\s+-1\\s+<-- MISMATCH`));
    const again = await submit(api, api.tx.subnets.claimDividends(2), bob);
    assert.deepEqual(again.dispatchError, { section: 'subnets', name: 'NothingToClaim' }, 'Bob is no validator of subnet 2');
  }));

  it('turning ERP scaling on moves emission as its counterfactual preview said', track(async () => {
    const before = await api.call.emissionApi.previewShares();
    const settings = {
      erpScaling: true,
      topProportion: 1_000_000,
      absoluteLimit: null,
      hardCap: true
    };
    const predicted = await api.call.emissionApi.counterfactualShares(settings);
    const events = await sudo(api.tx.emission.setEffectiveRootPropEmissionScaling(true));
    const [set] = findEvents(events, 'emission', 'EffectiveRootPropEmissionScalingSet');
    assert.equal(set.data.old.isTrue, false);
    assert.equal(set.data.new_.isTrue, true);

    const after = await api.call.emissionApi.previewShares();
    assert.deepEqual(after.afterAbsoluteLimit.toJSON(), predicted.afterAbsoluteLimit.toJSON());
    assert.notDeepEqual(after.afterAbsoluteLimit.toJSON(), before.afterAbsoluteLimit.toJSON(), 'emission moved');
    // Subnet 2 is capped (ERP 0): it gets nothing with scaling on.
    assert.deepEqual(survivors(after.afterAbsoluteLimit).includes(2), false);
    await sudo(api.tx.emission.setEffectiveRootPropEmissionScaling(false));
  }));

  it('the proportion and limit filters zero exactly the expected subnets', track(async () => {
    // Base weights 100, 60, 30: 50 % of 3 subnets keeps ceil(1.5) = 2, subnets 1 and 2.
    let events = await sudo(api.tx.emission.setEmissionTopSubnetProportion(500_000));
    assert.equal(findEvents(events, 'emission', 'EmissionTopSubnetProportionSet').length, 1);
    let preview = await api.call.emissionApi.previewShares();
    assert.deepEqual(survivors(preview.afterAbsoluteLimit), [1, 2]);
    let { events: blockEvents } = await waitForBlock((evs) => findEvents(evs, 'emission', 'BlockEmissionDistributed').length > 0);
    assert.equal(findEvents(blockEvents, 'emission', 'BlockEmissionDistributed')[0].data.recipients.toNumber(), 2);

    events = await sudo(api.tx.emission.setEmissionTopSubnetAbsoluteLimit(1));
    const [limit] = findEvents(events, 'emission', 'EmissionTopSubnetAbsoluteLimitSet');
    assert.equal(limit.data.new_.unwrap().toNumber(), 1);
    preview = await api.call.emissionApi.previewShares();
    assert.deepEqual(survivors(preview.afterAbsoluteLimit), [1]);
    assert.equal(preview.afterAbsoluteLimit.find(([n]) => n.toNumber() === 1)[1].toBigInt(), ONE_BITS);
    ({ events: blockEvents } = await waitForBlock((evs) => findEvents(evs, 'emission', 'BlockEmissionDistributed').length > 0));
    assert.equal(findEvents(blockEvents, 'emission', 'BlockEmissionDistributed')[0].data.recipients.toNumber(), 1);

    // With the filters off (counterfactual) every subnet would receive emission.
    const off = await api.call.emissionApi.counterfactualShares({ erpScaling: false, topProportion: 1_000_000, absoluteLimit: null, hardCap: true });
    assert.deepEqual(survivors(off.afterAbsoluteLimit), [1, 2, 3]);

    await sudo(api.tx.emission.setEmissionTopSubnetAbsoluteLimit(null));
    await sudo(api.tx.emission.setEmissionTopSubnetProportion(1_000_000));
  }));

  it('an absolute limit of 0 fails with ZeroAbsoluteLimit and changes nothing', track(async () => {
    const { events } = await submit(api, api.tx.sudo.sudo(api.tx.emission.setEmissionTopSubnetAbsoluteLimit(0)), alice);
    const [sudid] = findEvents(events, 'sudo', 'Sudid');
    assert.deepEqual(decodeError(api, sudid.data.sudoResult.asErr), { section: 'emission', name: 'ZeroAbsoluteLimit' });
    assert.ok((await api.query.emission.emissionTopSubnetAbsoluteLimit()).isNone);
  }));

  it('the schedule can be changed, and an invalid one is refused by name', track(async () => {
    // The decay factor is a Perquintill: Gonka's 0.9995251127946402 at all sixteen digits.
    const gonka = 999_525_112_794_640_200n;
    const events = await sudo(api.tx.emission.setEmissionSchedule(2_000_000_000_000n, gonka, 500, null));
    const [set] = findEvents(events, 'emission', 'EmissionScheduleSet');
    assert.equal(set.data.new_.initial.toBigInt(), 2_000_000_000_000n);
    assert.equal(set.data.new_.decayFactor.toBigInt(), gonka);
    assert.equal(set.data.new_.epochLength.toNumber(), 500);
    const { events: bad } = await submit(api, api.tx.sudo.sudo(api.tx.emission.setEmissionSchedule(1n, 10n ** 18n, 500, null)), alice);
    const [sudid] = findEvents(bad, 'sudo', 'Sudid');
    assert.deepEqual(decodeError(api, sudid.data.sudoResult.asErr), { section: 'emission', name: 'DecayFactorNotBelowOne' });
    const schedule = (await api.query.emission.schedule()).unwrap();
    assert.equal(schedule.initial.toBigInt(), 2_000_000_000_000n);
  }));

  it('the user scripts drive and show the chain: sudo.js and status.js', track(async () => {
    const ok = await runScript('sudo.js', ['emission.setEmissionTopSubnetProportion', '400000', '--url', node.wsUrl]);
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /emission\.EmissionTopSubnetProportionSet/);
    assert.equal((await api.query.emission.emissionTopSubnetProportion()).toNumber(), 400_000);

    const bad = await runScript('sudo.js', ['emission.setEmissionTopSubnetProportion', '0', '--url', node.wsUrl]);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /inner call failed: emission\.ZeroTopSubnetProportion/);

    const status = await runScript('status.js', ['--url', node.wsUrl]);
    assert.equal(status.code, 0, status.stderr);
    assert.match(status.stdout, /top proportion 40 %/);
    assert.match(status.stdout, /subnet 2: epoch at #\d+ .* capped true/);
    assert.match(status.stdout, /filters off \(base weights only\)/);
    assert.match(status.stdout, /settings in force, no hard cap/);
    // The ledger line: the identity, computed by status.js from the ledgers, equal to Balances'.
    assert.match(status.stdout, /ledger: issuance base \d+ \+ issued \d+ − recycled \d+ − pending \d+ − carried \d+ = (\d+); Balances total issuance \1 \(equal\)/);

    // Usage errors (node:util parseArgs): exit 2 with the message and the usage, nothing sent.
    const unknown = await runScript('sudo.js', ['emission.setEmissionTopSubnetProportion', '1', '--bogus', '--url', node.wsUrl]);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /Unknown option '--bogus'[\s\S]*usage: node sudo\.js/);
    const noValue = await runScript('sudo.js', ['emission.setEmissionTopSubnetProportion', '1', '--url']);
    assert.equal(noValue.code, 2);
    assert.match(noValue.stderr, /Option '--url <value>' argument missing/);
    const noCall = await runScript('sudo.js', ['--url', node.wsUrl]);
    assert.equal(noCall.code, 2);
    assert.match(noCall.stderr, /usage: node sudo\.js/);
    const stray = await runScript('status.js', ['extra', '--url', node.wsUrl]);
    assert.equal(stray.code, 2);
    assert.match(stray.stderr, /Unexpected argument 'extra'[\s\S]*usage: node status\.js/);
    assert.equal((await api.query.emission.emissionTopSubnetProportion()).toNumber(), 400_000, 'unchanged');
  }));

  it('with ERP scaling on, a subnet at ERP 0 recovers once its validator validates again', track(async () => {
    const eve = keyring.addFromUri('//Eve').address;
    await sudo(api.tx.emission.setEmissionTopSubnetProportion(1_000_000));
    await sudo(api.tx.emission.setEffectiveRootPropEmissionScaling(true));
    await sudo(api.tx.subnets.setValidating(3, eve, false));
    const pending3 = async (hash) => BigInt((await (await api.at(hash)).query.subnets.pendingEmission()).toJSON()['3'] ?? 0);
    // Subnet 3's next epoch pays nobody: ERP 0, so ERP scaling gives it no share.
    const zero = await waitForBlock((evs) => epochOf(evs, 3)?.data.effectiveRootProp.bits.toBigInt() === 0n);
    const next = await waitForBlock((_, n) => n >= zero.number + 2);
    assert.equal(await pending3(next.hash), await pending3(zero.hash), 'no share at ERP 0');
    // Eve validates again: the subnet's own alpha emission pays her next epoch (there is no
    // pending emission to pay from), utilization is 1, and ERP and the share come back. Before
    // the fix the subnet sat at ERP 0 and received nothing for every later block.
    await sudo(api.tx.subnets.setValidating(3, eve, true));
    const back = await waitForBlock((evs) => {
      const e = epochOf(evs, 3)?.data;
      return Boolean(e) && e.effectiveRootProp.bits.toBigInt() > 0n;
    });
    const epoch = epochOf(back.events, 3).data;
    assert.ok(epoch.rootDividends.toBigInt() > 0n && !epoch.capped.isTrue);
    assert.ok(findEvents(back.events, 'subnets', 'DividendsCredited').some((e) => e.data.netuid.toNumber() === 3 && e.data.alphaInAlpha.toBigInt() > 0n));
    const after = await waitForBlock((_, n) => n >= back.number + 1);
    assert.ok(await pending3(after.hash) > await pending3(back.hash), 'subnet 3 receives emission again');
  }));

  it('fees, tips and a reaped account\'s dust are recycled through the emission pallet; the identity holds exactly', track(async () => {
    const ed = api.consts.balances.existentialDeposit.toBigInt();
    const bob = keyring.addFromUri('//Bob');
    const dusty = keyring.addFromUri('//Dusty');
    // Open an account with the ED plus 5 units plus 7 smallest units, then have it send 5 units
    // (allow death) with a tip: what is left after the fee is below the ED, so it is reaped.
    await submit(api, api.tx.balances.transferKeepAlive(dusty.address, ed + 5_000_000_000_000n + 7n), bob);
    const tip = 1_000_000n;
    const { events, blockHash } = await submit(api, api.tx.balances.transferAllowDeath(bob.address, 5_000_000_000_000n), dusty, { tip });
    const paid = findEvents(events, 'transactionPayment', 'TransactionFeePaid');
    assert.equal(paid.length, 1);
    assert.equal(paid[0].data.tip.toBigInt(), tip);
    const recycled = (reason) => findEvents(events, 'emission', 'Recycled').filter((e) => e.data.reason.type === reason);
    const fees = recycled('TransactionFees');
    assert.equal(fees.length, 1, 'one recycle for the fee and its tip');
    assert.equal(fees[0].data.amount.toBigInt(), paid[0].data.actualFee.toBigInt(), 'fee and tip recycled = TransactionFeePaid.actualFee');
    const dust = findEvents(events, 'balances', 'DustLost');
    assert.equal(dust.length, 1, 'the account was reaped');
    const dustRecycled = recycled('Dust');
    assert.equal(dustRecycled.length, 1);
    assert.equal(dustRecycled[0].data.amount.toBigInt(), dust[0].data.amount.toBigInt());
    assert.equal((await api.query.system.account(dusty.address)).providers.toNumber(), 0);
    // The identity at that block, exactly: Balances' total issuance against the ledgers.
    const at = await api.at(blockHash);
    const [issuance, base, issued, recycledTotal, pendingTable, unclaimed, carry] = await Promise.all([
      at.query.balances.totalIssuance(), at.query.emission.issuanceBase(), at.query.emission.totalIssued(),
      at.query.emission.totalRecycled(), at.query.subnets.pendingEmission(), at.query.subnets.unclaimedTotal(),
      at.query.emission.reserveCarry()
    ]);
    const pending = [...pendingTable.values()].reduce((x, v) => x + v.toBigInt(), 0n) + unclaimed.toBigInt();
    const carried = carry[0].toBigInt() + carry[1].reduce((x, v) => x + v.toBigInt(), 0n);
    assert.equal(issuance.toBigInt(), base.toBigInt() + issued.toBigInt() - recycledTotal.toBigInt() - pending - carried);
    // The genesis issuance is the base (a chain started on spec 105).
    const genesis = await api.query.balances.totalIssuance.at(await api.rpc.chain.getBlockHash(0));
    assert.equal(base.toBigInt(), genesis.toBigInt());
    // A signed burn would leave Balances unrecorded: the runtime's call filter refuses it.
    const burn = await submit(api, api.tx.balances.burn(1_000n, true), bob);
    assert.deepEqual(burn.dispatchError, { section: 'system', name: 'CallFiltered' });
  }));

  it('a subnet\'s emission rate at 0 % and at 50 %: the shares, the events, the block and the audit agree', track(async () => {
    // Filters off, so that the shares are the rated base weights: 100, 60, 30.
    await sudo(api.tx.emission.setEffectiveRootPropEmissionScaling(false));
    await sudo(api.tx.emission.setEmissionTopSubnetProportion(1_000_000));
    await sudo(api.tx.emission.setEmissionTopSubnetAbsoluteLimit(null));
    const share = (stage, netuid) => stage.find(([n]) => n.toNumber() === netuid)[1].toBigInt();
    // The stored rate of a subnet (a BTreeMap keyed by u16 codecs); undefined: 100 %.
    const rateOf = async (netuid) => [...(await api.query.emission.subnetEmissionRates()).entries()]
      .find(([n]) => n.toNumber() === netuid)?.[1].toNumber();
    const ratedBlock = async (rate, expected) => {
      const events = await sudo(api.tx.emission.setSubnetEmissionRate(3, rate));
      const [set] = findEvents(events, 'emission', 'SubnetEmissionRateSet');
      assert.equal(set.data.netuid.toNumber(), 3);
      assert.equal(set.data.new_.toNumber(), rate);
      assert.ok(set.data.byOwner.isNone, 'set by the admin origin');
      assert.equal(await rateOf(3), rate);
      // The preview at the sudo block is what its next block does (the audit checks that block).
      const at = await api.at(await api.rpc.chain.getBlockHash(lastSudoBlock));
      const preview = await at.call.emissionApi.previewShares();
      for (const [netuid, [num, den]] of Object.entries(expected)) {
        assert.equal(share(preview.afterRate, Number(netuid)), (num << 64n) / den, `subnet ${netuid} after the rate`);
        assert.equal(share(preview.afterAbsoluteLimit, Number(netuid)), (num << 64n) / den);
      }
      // The block that set it: the rates after it are those before it with its event applied.
      const setting = await runAudit(['verify', '--url', node.wsUrl, '--at', String(lastSudoBlock)]);
      assert.equal(setting.code, 0, `audit verify #${lastSudoBlock}: ${setting.stdout}${setting.stderr}`);
      assert.match(setting.stdout, new RegExp(`subnet rates after the block.*3:${rate === 1_000_000_000 ? '' : rate}`));
      const next = lastSudoBlock + 1;
      await waitForBlock((_, number) => number >= next);
      const verify = await runAudit(['verify', '--url', node.wsUrl, '--at', String(next), '--quiet']);
      assert.equal(verify.code, 0, `audit verify #${next}: ${verify.stdout}${verify.stderr}`);
      const nextHash = await api.rpc.chain.getBlockHash(next);
      const distributed = findEvents(await (await api.at(nextHash)).query.system.events(), 'emission', 'BlockEmissionDistributed')[0];
      const paidTo = preview.amounts.filter(([, a]) => a.toBigInt() > 0n).length;
      assert.equal(distributed.data.recipients.toNumber(), paidTo, 'recipients as previewed');
      assert.equal(distributed.data.toSubnets.toBigInt(), preview.amounts.reduce((x, [, a]) => x + a.toBigInt(), 0n));
      // Without the rate subnet 3 would have been paid its base share: the counterfactual says so,
      // and the runtime API agrees with the audit's replay.
      const cf = await runAudit(['counterfactual', '--what', 'no-subnet-rates', '--url', node.wsUrl, '--at', String(next)]);
      assert.equal(cf.code, 0, `${cf.stdout}${cf.stderr}`);
      assert.match(cf.stdout, /runtime API cross-check: agrees/);
      return { preview, cf: cf.stdout };
    };
    // 0 %: subnet 3 is out; 100/160 and 60/160 (neither exact in binary).
    const zero = await ratedBlock(0, { 1: [100n, 160n], 2: [60n, 160n], 3: [0n, 1n] });
    assert.equal(zero.preview.amounts.find(([n]) => n.toNumber() === 3)[1].toBigInt(), 0n);
    // 50 %: keys 100, 60, 15 (× 10⁹): 100/175, 60/175, 15/175.
    await ratedBlock(500_000_000, { 1: [100n, 175n], 2: [60n, 175n], 3: [15n, 175n] });

    // A signed account that owns no subnet (the dev economy has no owners), and an unknown subnet.
    const bob = keyring.addFromUri('//Bob');
    const signed = await submit(api, api.tx.emission.setSubnetEmissionRate(3, 0), bob);
    assert.deepEqual(signed.dispatchError, { section: 'system', name: 'BadOrigin' });
    const { events } = await submit(api, api.tx.sudo.sudo(api.tx.emission.setSubnetEmissionRate(9, 0)), alice);
    const [sudid] = findEvents(events, 'sudo', 'Sudid');
    assert.deepEqual(decodeError(api, sudid.data.sudoResult.asErr), { section: 'emission', name: 'UnknownSubnet' });
    assert.equal(await rateOf(3), 500_000_000, 'unchanged');

    // status.js shows the rate and the supply projection; 100 % removes the entry.
    const status = await runScript('status.js', ['--url', node.wsUrl]);
    assert.equal(status.code, 0, status.stderr);
    assert.match(status.stdout, /subnet rates: 3: 50 %/);
    assert.match(status.stdout, /next year \(10519200 blocks\): \d+ issued/);
    await sudo(api.tx.emission.setSubnetEmissionRate(3, 1_000_000_000));
    assert.equal((await api.query.emission.subnetEmissionRates()).size, 0);
  }));

  it('the supply projection says what the next block issues, and where the schedule ends', track(async () => {
    const hash = await api.rpc.chain.getBlockHash(lastSudoBlock);
    const p = await (await api.at(hash)).call.emissionApi.supplyProjection();
    assert.equal(p.nextBlock.toNumber(), lastSudoBlock + 1);
    await waitForBlock((_, number) => number > lastSudoBlock + 1);
    const events = await (await api.at(await api.rpc.chain.getBlockHash(lastSudoBlock + 1))).query.system.events();
    const [distributed] = findEvents(events, 'emission', 'BlockEmissionDistributed');
    assert.equal(distributed.data.issued.toBigInt(), p.nextBlockEmission.toBigInt());
    // The schedule set earlier: 2·10¹² per block, × 0.9995251127946402 every 500 blocks, no cap.
    const schedule = (await api.query.emission.schedule()).unwrap();
    assert.equal(schedule.initial.toBigInt(), 2_000_000_000_000n);
    assert.ok(p.supplyCap.isNone);
    const k = BigInt(Math.floor((lastSudoBlock + 1) / 500));
    assert.equal(p.nextDecay.unwrap()[0].toBigInt(), (k + 1n) * 500n);
    // Exactly, from the definition: floor(2·10¹² · (a/b)^(k+1)) with a/b the factor in lowest terms.
    const a = 999_525_112_794_640_200n / 200n;
    const b = 10n ** 18n / 200n;
    assert.equal(p.nextDecay.unwrap()[1].toBigInt(), 2_000_000_000_000n * a ** (k + 1n) / b ** (k + 1n));
    assert.equal(p.nextBlockEmission.toBigInt(), 2_000_000_000_000n * a ** k / b ** k);
    const [low, high] = p.yearIssuance;
    assert.equal(low.toBigInt(), high.toBigInt(), 'exact over the year');
    assert.ok(p.end.isEmissionEndsAt, `end ${p.end.toString()}`);
  }));
});

