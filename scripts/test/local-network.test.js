// Two validators (Alice and Bob) of `--chain local` on loopback: both finalize, and agree.

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';

import { connect, peerId, sleep, startNode, withNodes } from '../lib/node.js';

const nodeKey = () => randomBytes(32).toString('hex');

async function finalized (api) {
  const hash = await api.rpc.chain.getFinalizedHead();
  const number = (await api.rpc.chain.getHeader(hash)).number.toNumber();
  return { hash: hash.toHex(), number };
}

describe('local testnet: Alice and Bob', () => {
  it('both finalize at least 3 blocks and report the same finalized hash', async () => {
    await withNodes([
      // Validators of a non-dev chain need a network key: a fresh one per run.
      () => startNode('local-alice', ['--chain', 'local', '--alice', '--node-key', nodeKey()]),
      async ([alice]) => {
        const bootnode = `/ip4/127.0.0.1/tcp/${alice.p2pPort}/p2p/${await peerId(alice)}`;
        return startNode('local-bob', ['--chain', 'local', '--bob', '--node-key', nodeKey(), '--bootnodes', bootnode]);
      }
    ], async (nodes) => {
      const apis = await Promise.all(nodes.map(connect));
      try {
        const deadline = Date.now() + 120_000;
        let heads = [];
        for (;;) {
          heads = await Promise.all(apis.map(finalized));
          const [a, b] = heads;
          if (a.number >= 3 && b.number >= 3 && a.hash === b.hash) break;
          if (Date.now() > deadline) {
            assert.fail(`no common finalized head >= 3 within 120 s: ${JSON.stringify(heads)}`);
          }
          await sleep(250);
        }
        const [a, b] = heads;
        assert.ok(a.number >= 3);
        assert.equal(a.hash, b.hash);

        // Both validators are peers of each other, and both authored blocks: Aura's author of a
        // block is authorities[slot % 2], so both slot parities must occur.
        for (const api of apis) {
          assert.equal((await api.rpc.system.health()).peers.toNumber(), 1);
        }
        const authors = new Set();
        for (let n = 1; n <= a.number; n++) {
          const hash = await apis[0].rpc.chain.getBlockHash(n);
          const header = await apis[0].rpc.chain.getHeader(hash);
          const preRuntime = header.digest.logs.find((log) => log.isPreRuntime);
          const slot = apis[0].createType('u64', preRuntime.asPreRuntime[1]).toBigInt();
          authors.add(slot % 2n);
        }
        assert.equal(authors.size, 2, 'blocks by both Alice and Bob');
      } finally {
        await Promise.all(apis.map((api) => api.disconnect()));
      }
    });
  });
});
