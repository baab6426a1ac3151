// Many subnets on a dev node: register hundreds of subnets (tempo 0: every one is due every block,
// so the epoch queue is never empty) and check that blocks keep coming at the configured block
// time, that each block settles `MaxEpochsPerBlock` epochs and pays every subnet, and that the
// audit tool verifies those blocks.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { Keyring } from '@polkadot/keyring';

import { connect, runAudit, startNode } from '../lib/node.js';
import { findEvents, submit } from '../lib/tx.js';

const SUBNETS = 300;
const FIRST_NETUID = 100;

describe(`dev chain with ${SUBNETS} more subnets`, () => {
  let node;
  let api;
  let failed = false;

  before(async () => {
    node = await startNode('scale', ['--dev', '--state-pruning', 'archive']);
    api = await connect(node);
  });

  after(async () => {
    if (api) await api.disconnect();
    if (node) await node.stop(failed);
  });

  it('keeps the block time while epochs settle and every subnet is paid', async () => {
    try {
      const alice = new Keyring({ type: 'sr25519' }).addFromUri('//Alice');
      const first = (await api.rpc.system.accountNextIndex(alice.address)).toNumber();
      const sent = [];
      for (let i = 0; i < SUBNETS; i++) {
        const call = api.tx.subnets.registerSubnet(FIRST_NETUID + i, 0, 1 + (i % 50));
        sent.push(submit(api, api.tx.sudo.sudo(call), alice, { nonce: first + i, timeoutMs: 180_000 }));
      }
      const included = await Promise.all(sent);
      for (const { events } of included) {
        assert.ok(findEvents(events, 'sudo', 'Sudid')[0].data.sudoResult.isOk);
      }
      const registered = (await api.query.subnets.subnets()).size;
      assert.equal(registered, SUBNETS + 3);

      // Watch the next blocks (from the second on: the first may still be filling the queue).
      const maxEpochs = api.consts.emission.maxEpochsPerBlock.toNumber();
      const blocks = [];
      let skipped = 0;
      await new Promise((resolve, reject) => {
        let unsub = null;
        api.rpc.chain.subscribeNewHeads(async (header) => {
          try {
            const at = await api.at(header.hash);
            const [events, now] = await Promise.all([at.query.system.events(), at.query.timestamp.now()]);
            if (skipped++ === 0) return;
            blocks.push({
              number: header.number.toNumber(),
              time: now.toNumber(),
              epochs: findEvents(events, 'emission', 'EpochSettled').length,
              recipients: findEvents(events, 'emission', 'BlockEmissionDistributed')[0]?.data.recipients.toNumber() ?? 0
            });
            if (blocks.length === 11) {
              if (unsub) unsub();
              resolve();
            }
          } catch (err) { reject(err); }
        }).then((u) => { unsub = u; }, reject);
      });
      const gaps = blocks.slice(1).map((b, i) => b.time - blocks[i].time);
      console.log(`scale: ${SUBNETS + 3} subnets; block gaps ${gaps.join(', ')} ms; epochs per block ${blocks.map((b) => b.epochs).join(', ')}; queue ${(await api.query.emission.epochQueue()).length}`);
      const slot = api.consts.aura.slotDuration.toNumber();
      for (const gap of gaps) assert.ok(Math.abs(gap - slot) <= slot / 10, `block gap ${gap} ms (slot ${slot} ms)`);
      for (const b of blocks) {
        assert.equal(b.epochs, maxEpochs, `block #${b.number} settled ${b.epochs} epochs`);
        assert.equal(b.recipients, SUBNETS + 3, `block #${b.number} paid ${b.recipients} subnets`);
      }

      // The audit tool rebuilds those blocks exactly.
      const range = await runAudit(['range', '--url', node.wsUrl, '--from', String(blocks[0].number),
        '--to', String(blocks.at(-1).number), '--quiet']);
      console.log(`scale audit: ${range.stdout.trim().split('\n').at(-1)}`);
      assert.equal(range.code, 0, range.stdout + range.stderr);
    } catch (err) {
      failed = true;
      throw err;
    }
  });
});
