// The typed PAPI client (`polkadot-api`, descriptors from `.papi/`) against a dev node: the
// committed metadata is the node's; storage, every view function and every `EmissionApi` method
// read through PAPI agree with polkadot.js at the same block; a sudo call submitted with PAPI
// lands (`Sudid` Ok) and an invalid one fails with the pallet's error; the example script runs.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

import { FAST_DEV, connect, rpc, startNode, until } from '../lib/node.js';
import { connectPapi, papiSigner } from '../lib/papi.js';

const scriptsDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const UNIT = 10n ** 12n;

/** Decode a SCALE compact length at `bytes[0..]`: `[value, bytes used]`. */
function compact (bytes) {
  const mode = bytes[0] & 3;
  if (mode === 0) return [bytes[0] >> 2, 1];
  if (mode === 1) return [(bytes[0] | (bytes[1] << 8)) >> 2, 2];
  if (mode === 2) return [(bytes[0] | (bytes[1] << 8) | (bytes[2] << 16) | (bytes[3] << 24)) >>> 2, 4];
  throw new Error('compact length above 2³⁰');
}

describe('typed PAPI client', () => {
  let node;
  let pjs;
  let papi;
  let failed = false;

  before(async () => {
    node = await startNode('papi', FAST_DEV);
    pjs = await connect(node);
    papi = connectPapi(node.wsUrl);
    // A few blocks: subnet 1 (tempo 4) has settled an epoch.
    await until(60_000, 'block 6', async () => (await pjs.rpc.chain.getHeader()).number.toNumber() >= 6);
  });

  after(async () => {
    if (papi) papi.client.destroy();
    if (pjs) await pjs.disconnect();
    if (node) await node.stop(failed);
  });

  const track = (fn) => async () => {
    try { await fn(); } catch (err) { failed = true; throw err; }
  };

  /** The finalized block's hash: a fixed state both clients read. */
  const fixedBlock = async () => (await pjs.rpc.chain.getFinalizedHead()).toHex();

  it('the committed metadata is the dev node\'s (else: npm run papi:update)', track(async () => {
    // `Metadata_metadata_at_version(16)`: Option<OpaqueMetadata>, i.e. 0x01, a compact length, the bytes.
    const out = Buffer.from((await rpc(node, 'state_call', ['Metadata_metadata_at_version', '0x10000000'])).slice(2), 'hex');
    assert.equal(out[0], 1, 'metadata V16 served');
    const [len, used] = compact(out.subarray(1));
    const live = out.subarray(1 + used, 1 + used + len);
    const committed = fs.readFileSync(path.join(scriptsDir, '.papi', 'metadata', 'emission.scale'));
    assert.equal(live.length, committed.length, 'metadata length: the descriptors are stale, run `npm run papi:update` against a dev node');
    assert.ok(live.equals(committed), 'metadata bytes differ: the descriptors are stale, run `npm run papi:update` against a dev node');
  }));

  it('reads storage as polkadot.js does, at the same block', track(async () => {
    const at = await fixedBlock();
    const q = papi.api.query.Emission;
    const pq = (await pjs.at(at)).query.emission;
    assert.equal(await q.TotalIssued.getValue({ at }), (await pq.totalIssued()).toBigInt());
    assert.equal(await q.TotalRecycled.getValue({ at }), (await pq.totalRecycled()).toBigInt());
    assert.equal(await q.EmissionTopSubnetProportion.getValue({ at }), (await pq.emissionTopSubnetProportion()).toNumber());
    const schedule = await q.Schedule.getValue({ at });
    const pSchedule = (await pq.schedule()).unwrap();
    assert.equal(schedule.initial, UNIT, 'the dev schedule: 1 UNIT per block');
    assert.equal(schedule.initial, pSchedule.initial.toBigInt());
    assert.equal(schedule.decay_factor, pSchedule.decayFactor.toBigInt());
    assert.equal(schedule.epoch_length, pSchedule.epochLength.toNumber());
    const epoch = await q.LastEpoch.getValue(1, { at });
    const pEpoch = (await pq.lastEpoch(1)).unwrap();
    assert.ok(epoch, 'subnet 1 settled an epoch');
    assert.equal(epoch.block, pEpoch.block.toNumber());
    assert.equal(epoch.utilization, pEpoch.utilization.bits.toBigInt());
    assert.equal(epoch.effective_root_prop, pEpoch.effectiveRootProp.bits.toBigInt());
    assert.equal(epoch.capped, pEpoch.capped.isTrue);
    assert.equal(epoch.root_dividends, pEpoch.rootDividends.toBigInt());
    const balance = await papi.api.query.System.Account.getValue((await papiSigner('//Alice')).address, { at });
    const pBalance = await (await pjs.at(at)).query.system.account((await papiSigner('//Alice')).address);
    assert.equal(balance.data.free, pBalance.data.free.toBigInt());
  }));

  it('every view function answers as the runtime API (PAPI and polkadot.js) at the same block', track(async () => {
    const at = await fixedBlock();
    const view = papi.api.view.Emission;
    const apis = papi.api.apis.EmissionApi;
    const call = (await pjs.at(at)).call.emissionApi;
    const number = (await pjs.rpc.chain.getHeader(at)).number.toNumber();

    const shares = await view.preview_shares({ at });
    assert.deepEqual(shares, await apis.preview_shares({ at }));
    const pShares = await call.previewShares();
    assert.equal(shares.block_emission, pShares.blockEmission.toBigInt());
    assert.equal(shares.block_emission, UNIT);
    assert.deepEqual(shares.amounts.map(([n, a]) => [n, a]), pShares.amounts.map(([n, a]) => [n.toNumber(), a.toBigInt()]));
    assert.deepEqual(shares.after_absolute_limit, pShares.afterAbsoluteLimit.map(([n, b]) => [n.toNumber(), b.toBigInt()]));
    const paid = shares.amounts.reduce((sum, [, a]) => sum + a, 0n);
    assert.equal(paid + shares.withheld + shares.recycled, shares.block_emission, 'the preview conserves');

    const settings = { subnet_rates: true, erp_scaling: false, top_proportion: 1_000_000, absolute_limit: 1, hard_cap: false };
    const limited = await view.counterfactual_shares(settings, { at });
    assert.deepEqual(limited, await apis.counterfactual_shares(settings, { at }));
    const pLimited = await call.counterfactualShares({ erpScaling: false, topProportion: 1_000_000, absoluteLimit: 1, hardCap: false });
    assert.deepEqual(limited.amounts.map(([n, a]) => [n, a]), pLimited.amounts.map(([n, a]) => [n.toNumber(), a.toBigInt()]));
    assert.equal(limited.amounts.filter(([, a]) => a > 0n).length, 1, 'the absolute limit 1 pays one subnet');

    const withholding = await view.active_withholding({ at });
    assert.deepEqual(withholding, await apis.active_withholding({ at }));
    const pWithholding = await call.activeWithholding();
    assert.equal(withholding.tine, undefined, 'no tine on a new dev chain');
    assert.ok(pWithholding.tine.isNone);
    assert.equal(withholding.withheld, 0n);
    assert.equal(withholding.block_emission, pWithholding.blockEmission.toBigInt());

    const fork = await view.fork_preview({ at });
    assert.deepEqual(fork, await apis.fork_preview({ at }));
    assert.equal(fork.refused?.type, 'NoMeasurableTine');
    assert.equal(fork.refused.type, (await call.forkPreview()).refused.unwrap().toString());
    assert.equal(fork.turn, (await (await pjs.at(at)).query.emission.currentTurn()).toNumber());

    const epoch = await view.last_epoch(1, { at });
    assert.deepEqual(epoch, await papi.api.query.Emission.LastEpoch.getValue(1, { at }));
    assert.equal(await view.last_epoch(999, { at }), undefined, 'no such subnet');
    assert.equal(await view.scheduled_emission(number + 1, { at }), UNIT);
    assert.equal(await view.emission_top_subnet_proportion({ at }), (await (await pjs.at(at)).query.emission.emissionTopSubnetProportion()).toNumber());
    assert.equal(await view.subnet_emission_rate(3, { at }), 1_000_000_000, 'no rate set: 100 %');

    // The supply projection: the same through the view function, the runtime API and polkadot.js;
    // the dev schedule (1 UNIT per block, × 0.99 every 1,000 blocks, cap 21,000,000 UNIT) by hand.
    const projection = await view.supply_projection({ at });
    assert.deepEqual(projection, await apis.supply_projection({ at }));
    const pProjection = await call.supplyProjection();
    assert.equal(projection.next_block, BigInt(number + 1));
    assert.equal(projection.next_block_emission, UNIT);
    assert.equal(pProjection.nextBlockEmission.toBigInt(), UNIT);
    assert.deepEqual(projection.next_decay, [1_000n, UNIT * 99n / 100n]);
    assert.equal(projection.supply_cap, 21_000_000n * UNIT);
    // 2,750 epochs issue: floor(10¹² · 0.99^k) > 0 for k < 2,750, so emission ends at block 2,750,000.
    assert.equal(projection.end.type, 'EmissionEndsAt');
    assert.equal(projection.end.value.block, 2_750_000n);
    assert.equal(projection.year_issuance[0], projection.year_issuance[1], 'exact over the year');
    assert.equal(projection.end.value.outstanding, projection.outstanding + projection.year_issuance[0], 'it all falls within the year');
  }));

  it('submits a sudo call (Sudid Ok, storage, event); an invalid value and a non-sudo signer fail', track(async () => {
    const { api } = papi;
    const { signer } = await papiSigner('//Alice');
    const set = (proportion) => api.tx.Sudo.sudo({ call: api.tx.Emission.set_emission_top_subnet_proportion({ proportion }).decodedCall });

    const ok = await set(250_000).signAndSubmit(signer);
    assert.equal(ok.ok, true);
    const sudid = ok.events.find((e) => e.type === 'Sudo' && e.value.type === 'Sudid');
    assert.equal(sudid.value.value.sudo_result.success, true);
    const changed = ok.events.find((e) => e.type === 'Emission' && e.value.type === 'EmissionTopSubnetProportionSet');
    assert.deepEqual(changed.value.value, { old: 1_000_000, new: 250_000 });
    assert.equal(await api.query.Emission.EmissionTopSubnetProportion.getValue({ at: ok.block.hash }), 250_000);

    const bad = await set(0).signAndSubmit(signer);
    const badSudid = bad.events.find((e) => e.type === 'Sudo' && e.value.type === 'Sudid');
    assert.equal(badSudid.value.value.sudo_result.success, false);
    assert.deepEqual(badSudid.value.value.sudo_result.value, { type: 'Module', value: { type: 'Emission', value: { type: 'ZeroTopSubnetProportion', value: undefined } } });
    assert.equal(await api.query.Emission.EmissionTopSubnetProportion.getValue({ at: bad.block.hash }), 250_000, 'unchanged');

    const bob = await papiSigner('//Bob');
    const notSudo = await set(500_000).signAndSubmit(bob.signer);
    assert.equal(notSudo.ok, false);
    assert.deepEqual(notSudo.dispatchError, { type: 'Module', value: { type: 'Sudo', value: { type: 'RequireSudo', value: undefined } } });
    assert.equal(await api.query.Emission.EmissionTopSubnetProportion.getValue({ at: notSudo.block.hash }), 250_000, 'unchanged');
  }));

  it('the example script reads, previews and sets through sudo', track(async () => {
    const run = (args) => promisify(execFile)('node', ['--experimental-websocket', path.join(scriptsDir, 'papi-example.js'), ...args], { timeout: 60_000 })
      .then(({ stdout, stderr }) => ({ code: 0, stdout, stderr }), (err) => ({ code: err.code, stdout: err.stdout, stderr: err.stderr }));
    const ok = await run(['--url', node.wsUrl, '--set', '600000']);
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /total issued \d+, recycled \d+, top proportion 250000 ppm/);
    assert.match(ok.stdout, /next block: emission 1000000000000/);
    assert.match(ok.stdout, /fork preview \(turn \d+\): refused, NoMeasurableTine/);
    assert.match(ok.stdout, /Sudid Ok/);
    assert.equal(await papi.api.query.Emission.EmissionTopSubnetProportion.getValue(), 600_000);
    const bad = await run(['--url', node.wsUrl, '--set', '0']);
    assert.equal(bad.code, 1);
    assert.match(bad.stdout, /ZeroTopSubnetProportion/);
    const usage = await run(['--set', 'half']);
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /--set must be parts per million/);
  }));
});
