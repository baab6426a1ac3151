// The node's test sealing modes (`--sealing instant|manual|manual:<ms>`) on a dev chain: no Aura
// slots and no GRANDPA; every block is finalized as it is made; the runtime still sees one Aura
// slot (and one slot duration of time) per block, so its hooks run as under Aura.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { Keyring } from '@polkadot/keyring';

import { connect, rpcRaw, runAudit, sleep, startNode, until, withNodes } from '../lib/node.js';
import { findEvents, submit } from '../lib/tx.js';

const UNIT = 10n ** 12n;

/** Best and finalized block numbers. */
async function heads (api) {
  const [best, finalizedHash] = await Promise.all([api.rpc.chain.getHeader(), api.rpc.chain.getFinalizedHead()]);
  const finalized = await api.rpc.chain.getHeader(finalizedHash);
  return { best: best.number.toNumber(), finalized: finalized.number.toNumber() };
}

/** Timestamp and Aura slot at block `number`. */
async function clock (api, number) {
  const at = await api.at(await api.rpc.chain.getBlockHash(number));
  const [now, slot] = await Promise.all([at.query.timestamp.now(), at.query.aura.currentSlot()]);
  return { now: now.toBigInt(), slot: slot.toBigInt() };
}

/**
 * Blocks 1..n advance by exactly one Aura slot each, every block's slot the one its timestamp
 * falls in, and time by at least the Timestamp pallet's minimum period (half a slot); block 1's
 * timestamp is the wall clock.
 */
async function assertOneSlotPerBlock (api, n) {
  const slotMs = api.consts.aura.slotDuration.toBigInt();
  const minimumPeriod = api.consts.timestamp.minimumPeriod.toBigInt();
  let prev = await clock(api, 1);
  assert.equal(prev.slot, prev.now / slotMs, 'block 1: slot of its timestamp');
  for (let b = 2; b <= n; b++) {
    const cur = await clock(api, b);
    assert.equal(cur.slot, prev.slot + 1n, `block ${b}: slot`);
    assert.ok(cur.now - prev.now >= minimumPeriod, `block ${b}: timestamp gap ${cur.now - prev.now} ms`);
    assert.equal(cur.slot, cur.now / slotMs, `block ${b}: slot of its timestamp`);
    prev = cur;
  }
}

describe('sealing modes', () => {
  it('instant: a block per transaction, finalized at once, none while idle', async () => {
    await withNodes([() => startNode('instant', ['--dev', '--sealing', 'instant'])], async ([node]) => {
      const api = await connect(node);
      try {
        await sleep(2_000);
        assert.deepEqual(await heads(api), { best: 0, finalized: 0 }, 'no block without a transaction');

        const keyring = new Keyring({ type: 'sr25519' });
        const alice = keyring.addFromUri('//Alice');
        const bob = keyring.addFromUri('//Bob');
        for (let i = 1; i <= 3; i++) {
          const { blockHash, events, dispatchError } = await submit(api, api.tx.balances.transferKeepAlive(bob.address, UNIT), alice);
          assert.equal(dispatchError, null);
          assert.equal((await api.rpc.chain.getHeader(blockHash)).number.toNumber(), i, `transfer ${i} in block ${i}`);
          assert.equal(findEvents(events, 'balances', 'Transfer').length, 1);
          // The block runs the emission hook as under Aura: the block's emission is distributed.
          const blockEvents = await (await api.at(blockHash)).query.system.events();
          assert.equal(findEvents(blockEvents, 'emission', 'BlockEmissionDistributed').length, 1, `block ${i}: emission event`);
          const h = await until(10_000, `block ${i} finalized`, async () => {
            const now = await heads(api);
            return now.finalized === i ? now : null;
          });
          assert.equal(h.best, i);
        }
        await assertOneSlotPerBlock(api, 3);
      } finally {
        await api.disconnect();
      }
    });
  });

  it('manual: a block only on engine_createBlock, finalized at once', async () => {
    await withNodes([() => startNode('manual', ['--dev', '--sealing', 'manual'])], async ([node]) => {
      const api = await connect(node);
      try {
        await sleep(2_000);
        assert.deepEqual(await heads(api), { best: 0, finalized: 0 }, 'no block without a call');

        // No transaction and `create_empty` false: refused, nothing made.
        const refused = await rpcRaw(node, 'engine_createBlock', [false, true, null]);
        assert.ok(refused.error, `an empty block without create_empty: ${JSON.stringify(refused)}`);
        assert.deepEqual(await heads(api), { best: 0, finalized: 0 });

        for (let i = 1; i <= 4; i++) {
          const made = await rpcRaw(node, 'engine_createBlock', [true, true, null]);
          assert.ok(made.result?.hash, `engine_createBlock: ${JSON.stringify(made)}`);
          assert.equal((await api.rpc.chain.getHeader(made.result.hash)).number.toNumber(), i);
          assert.deepEqual(await heads(api), { best: i, finalized: i }, `after call ${i}`);
        }

        // `finalize` false leaves the block unfinalized until engine_finalizeBlock.
        const open = await rpcRaw(node, 'engine_createBlock', [true, false, null]);
        assert.deepEqual(await heads(api), { best: 5, finalized: 4 });
        // The audit tool verifies the unfinalized block 5 and says it is not final; block 4 it does not.
        const open5 = await runAudit(['verify', '--url', node.wsUrl, '--at', '5', '--quiet']);
        assert.equal(open5.code, 0, open5.stdout + open5.stderr);
        assert.match(open5.stderr, /note: block #5 is not finalized \(the finalized head is #4\): 0x[0-9a-f]{64} is the best chain's block/);
        const final4 = await runAudit(['verify', '--url', node.wsUrl, '--at', '4', '--quiet']);
        assert.equal(final4.code, 0, final4.stdout + final4.stderr);
        assert.doesNotMatch(final4.stderr, /not finalized/);
        const fin = await rpcRaw(node, 'engine_finalizeBlock', [open.result.hash, null]);
        assert.equal(fin.result, true, JSON.stringify(fin));
        assert.deepEqual(await heads(api), { best: 5, finalized: 5 });

        await assertOneSlotPerBlock(api, 5);
        // Emission flowed: the pallet counted each block's issuance.
        const at5 = await api.at(await api.rpc.chain.getBlockHash(5));
        const events = await at5.query.system.events();
        assert.equal(findEvents(events, 'emission', 'BlockEmissionDistributed').length, 1);
      } finally {
        await api.disconnect();
      }
    });
  });

  it('manual:<ms>: a block every interval, each finalized, the RPC still there', async () => {
    await withNodes([() => startNode('interval', ['--dev', '--sealing', 'manual:200'])], async ([node]) => {
      const api = await connect(node);
      try {
        const started = Date.now();
        const h = await until(20_000, 'ten blocks', async () => {
          const now = await heads(api);
          return now.best >= 10 ? now : null;
        });
        const elapsed = Date.now() - started;
        assert.ok(h.finalized >= h.best - 1, `finalized ${h.finalized} lags best ${h.best}`);
        // Ten blocks in far less than ten 3 s slots.
        assert.ok(elapsed < 15_000, `ten blocks took ${elapsed} ms`);
        const made = await rpcRaw(node, 'engine_createBlock', [true, true, null]);
        assert.ok(made.result?.hash, `engine_createBlock beside the timer: ${JSON.stringify(made)}`);
        await assertOneSlotPerBlock(api, 10);
      } finally {
        await api.disconnect();
      }
    });
  });

  it('rejects an unknown mode', async () => {
    await assert.rejects(startNode('bad-sealing', ['--dev', '--sealing', 'sometimes'], { timeoutMs: 20_000 }), /exited before its RPC came up/);
  });
});
