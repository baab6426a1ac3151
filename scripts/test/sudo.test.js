// A dev node (`--dev --tmp`) driven through polkadot.js: sudo, origins and the pallet's errors.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { Keyring } from '@polkadot/keyring';

import { FAST_DEV, connect, sleep, startNode } from '../lib/node.js';
import { decodeError, findEvents, submit } from '../lib/tx.js';

describe('dev chain: emission settings through sudo', () => {
  let node;
  let api;
  let alice;
  let bob;
  let failed = false;

  before(async () => {
    node = await startNode('dev', FAST_DEV);
    api = await connect(node);
    const keyring = new Keyring({ type: 'sr25519' });
    alice = keyring.addFromUri('//Alice');
    bob = keyring.addFromUri('//Bob');
  });

  after(async () => {
    if (api) await api.disconnect();
    if (node) await node.stop(failed);
  });

  const track = (fn) => async () => {
    try { await fn(); } catch (err) { failed = true; throw err; }
  };

  const proportion = async () => (await api.query.emission.emissionTopSubnetProportion()).toNumber();

  it('produces and finalizes blocks on its own', track(async () => {
    const deadline = Date.now() + 60_000;
    let finalized = 0;
    while (Date.now() < deadline) {
      const head = await api.rpc.chain.getFinalizedHead();
      finalized = (await api.rpc.chain.getHeader(head)).number.toNumber();
      if (finalized >= 2) break;
      await sleep(500);
    }
    assert.ok(finalized >= 2, `finalized block ${finalized} < 2`);
    const best = (await api.rpc.chain.getHeader()).number.toNumber();
    assert.ok(best >= finalized);
  }));

  it('serves metadata V16 and the emission pallet', track(async () => {
    const versions = (await api.call.metadata.metadataVersions()).map((v) => v.toNumber());
    assert.ok(versions.includes(16), `metadata versions ${versions}`);
    assert.ok(api.tx.emission.setEmissionTopSubnetProportion, 'emission call in metadata');
    assert.equal(await proportion(), 1_000_000, 'default is 100 %');
  }));

  it('Alice (sudo) sets the top-subnet proportion: Sudid Ok, storage and event', track(async () => {
    const call = api.tx.emission.setEmissionTopSubnetProportion(400_000);
    const { events, dispatchError } = await submit(api, api.tx.sudo.sudo(call), alice);
    assert.equal(dispatchError, null);

    const sudid = findEvents(events, 'sudo', 'Sudid');
    assert.equal(sudid.length, 1);
    assert.ok(sudid[0].data.sudoResult.isOk, 'inner call succeeded');

    const set = findEvents(events, 'emission', 'EmissionTopSubnetProportionSet');
    assert.equal(set.length, 1);
    // polkadot.js renames the field `new` (a reserved word) to `new_`.
    assert.equal(set[0].data.old.toNumber(), 1_000_000);
    assert.equal(set[0].data.new_.toNumber(), 400_000);

    assert.equal(await proportion(), 400_000);
  }));

  it('Bob, signed and without sudo, gets BadOrigin and nothing changes', track(async () => {
    const before = await proportion();
    const call = api.tx.emission.setEmissionTopSubnetProportion(700_000);
    const { events, dispatchError } = await submit(api, call, bob);
    assert.deepEqual(dispatchError, { section: 'system', name: 'BadOrigin' });
    assert.equal(findEvents(events, 'system', 'ExtrinsicFailed').length, 1);
    assert.equal(findEvents(events, 'emission', 'EmissionTopSubnetProportionSet').length, 0);
    assert.equal(await proportion(), before);
  }));

  it('Bob cannot use sudo: RequireSudo and nothing changes', track(async () => {
    const before = await proportion();
    const call = api.tx.emission.setEmissionTopSubnetProportion(700_000);
    const { dispatchError } = await submit(api, api.tx.sudo.sudo(call), bob);
    assert.deepEqual(dispatchError, { section: 'sudo', name: 'RequireSudo' });
    assert.equal(await proportion(), before);
  }));

  it('a proportion of 0 fails with the pallet\'s own error, decoded by name; nothing changes', track(async () => {
    const before = await proportion();
    const call = api.tx.emission.setEmissionTopSubnetProportion(0);
    const { events, dispatchError } = await submit(api, api.tx.sudo.sudo(call), alice);
    // The outer extrinsic succeeds; the inner call's error is in `Sudid`.
    assert.equal(dispatchError, null);
    const sudid = findEvents(events, 'sudo', 'Sudid');
    assert.equal(sudid.length, 1);
    const result = sudid[0].data.sudoResult;
    assert.ok(result.isErr, 'inner call failed');
    assert.deepEqual(decodeError(api, result.asErr), { section: 'emission', name: 'ZeroTopSubnetProportion' });
    assert.equal(findEvents(events, 'emission', 'EmissionTopSubnetProportionSet').length, 0);
    assert.equal(await proportion(), before);
  }));
});
