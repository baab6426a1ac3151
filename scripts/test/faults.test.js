// Validators failing and restarting: four validators of `--chain local4` on loopback, each on a
// persistent base path (GRANDPA keeps its votes there). One killed with SIGKILL: blocks and
// finality go on with the other three. A second killed: 2 of 4 is not more than 2/3, finality
// stops. Both restarted on their base paths: they catch up and finality resumes; every node ends
// on the same finalized block and the same emission state. Then a single dev node, killed and
// restarted on its base path, keeps its chain and goes on from it.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';

import { connect, freePort, nodeBinary, sleep, startNode, until } from '../lib/node.js';

const SLOT_MS = 3_000;

/** A validator's fixed identity: base path, ports and network key, kept across restarts. */
async function identity (root, name) {
  const nodeKey = randomBytes(32).toString('hex');
  return {
    name,
    basePath: path.join(root, name),
    rpcPort: await freePort(),
    p2pPort: await freePort(),
    nodeKey,
    node: null,
    api: null
  };
}

/** The libp2p peer id of a hex ed25519 secret, as the node derives it (`key inspect-node-key`). */
function peerIdOf (v) {
  const file = path.join(v.basePath, '..', `${v.name}.key`);
  fs.writeFileSync(file, v.nodeKey);
  return execFileSync(nodeBinary(), ['key', 'inspect-node-key', '--file', file]).toString().trim();
}

async function start (v, chainArgs, bootnodes) {
  v.node = await startNode(v.name, [
    ...chainArgs,
    '--node-key', v.nodeKey,
    ...bootnodes.flatMap((b) => ['--bootnodes', b])
  ], { basePath: v.basePath, rpcPort: v.rpcPort, p2pPort: v.p2pPort });
  v.api = await connect(v.node);
}

async function crash (v) {
  await v.api.disconnect().catch(() => {});
  v.api = null;
  await v.node.kill();
  v.node = null;
}

async function heads (api) {
  const [best, fin] = await Promise.all([api.rpc.chain.getHeader(), api.rpc.chain.getFinalizedHead()]);
  const finHeader = await api.rpc.chain.getHeader(fin);
  return { best: best.number.toNumber(), finalized: finHeader.number.toNumber(), finalizedHash: fin.toHex() };
}

/**
 * Watch `api` for `ms`: the best and finalized numbers at the start and the end, and the largest
 * best − finalized lag seen (sampled every 500 ms).
 */
async function watch (api, ms) {
  const first = await heads(api);
  let maxLag = first.best - first.finalized;
  const end = Date.now() + ms;
  let last = first;
  while (Date.now() < end) {
    await sleep(500);
    last = await heads(api);
    maxLag = Math.max(maxLag, last.best - last.finalized);
  }
  return { first, last, maxLag };
}

describe('faults: four validators (local4), then a dev node', () => {
  it('finality survives one validator down, stops with two, resumes after their restart; all agree', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'emission-faults-'));
    const names = ['alice', 'bob', 'charlie', 'dave'];
    const vs = [];
    for (const name of names) vs.push(await identity(root, name));
    const addrs = [];
    for (const v of vs) {
      fs.mkdirSync(v.basePath, { recursive: true });
      addrs.push(`/ip4/127.0.0.1/tcp/${v.p2pPort}/p2p/${peerIdOf(v)}`);
    }
    const chain = (i) => ['--chain', 'local4', `--${names[i]}`];
    const others = (i) => addrs.filter((_, j) => j !== i);
    let failed = true;
    try {
      for (let i = 0; i < vs.length; i++) await start(vs[i], chain(i), others(i));
      const [alice, , charlie, dave] = vs;

      // All four finalize together.
      await until(120_000, 'four validators finalize block 3', async () => {
        const hs = await Promise.all(vs.map((v) => heads(v.api)));
        return hs.every((h) => h.finalized >= 3);
      });
      for (const v of vs) assert.equal((await v.api.rpc.system.health()).peers.toNumber(), 3, `${v.name} has 3 peers`);

      // One down (Dave): 3 of 4 > 2/3. Blocks keep coming (Dave's slots are skipped) and
      // finality follows with a bounded lag.
      await crash(dave);
      const one = await watch(alice.api, 12 * SLOT_MS);
      const producedOne = one.last.best - one.first.best;
      const finalizedOne = one.last.finalized - one.first.finalized;
      console.log(`faults: one of four down for ${12 * SLOT_MS / 1000} s: ${producedOne} blocks, ${finalizedOne} finalized, max lag ${one.maxLag} blocks`);
      assert.ok(producedOne >= 6, `blocks go on with one down: ${producedOne} in 12 slots`);
      assert.ok(finalizedOne >= 4, `finality goes on with one down: ${finalizedOne} in 12 slots`);
      assert.ok(one.maxLag <= 6, `finality lag with one down is bounded: ${one.maxLag} blocks`);

      // Two down (Charlie too): 2 of 4 is not more than 2/3. Votes in flight may finalize a
      // last block; after that finality stands still while Alice and Bob go on authoring.
      await crash(charlie);
      await sleep(2 * SLOT_MS);
      const two = await watch(alice.api, 10 * SLOT_MS);
      const producedTwo = two.last.best - two.first.best;
      console.log(`faults: two of four down for ${10 * SLOT_MS / 1000} s: ${producedTwo} blocks, finalized stays at #${two.last.finalized}`);
      assert.equal(two.last.finalized, two.first.finalized, 'no finality with 2 of 4 validators');
      assert.ok(producedTwo >= 3, `Alice and Bob go on authoring: ${producedTwo} blocks in 10 slots`);
      const stalledAt = two.last.finalized;

      // Both restart on their base paths: they catch up with the best chain, and finality resumes.
      const restarted = Date.now();
      await start(charlie, chain(2), others(2));
      await start(dave, chain(3), others(3));
      await until(120_000, 'finality resumes after the restarts', async () => (await heads(alice.api)).finalized > stalledAt);
      const resumeMs = Date.now() - restarted;
      const caughtUp = await until(120_000, 'the restarted validators catch up', async () => {
        const hs = await Promise.all(vs.map((v) => heads(v.api)));
        return hs.every((h) => h.finalized > stalledAt) && hs;
      });
      console.log(`faults: finality resumed ${(resumeMs / 1000).toFixed(1)} s after the restarts (stalled at #${stalledAt}); finalized now ${caughtUp.map((h) => h.finalized).join(', ')}`);
      assert.ok(resumeMs < 120_000);

      // Every node reports the same finalized head, and the same emission state at it.
      const common = await until(60_000, 'all four report the same finalized hash', async () => {
        const hs = await Promise.all(vs.map((v) => heads(v.api)));
        return hs.every((h) => h.finalizedHash === hs[0].finalizedHash) && hs[0];
      });
      const states = await Promise.all(vs.map(async (v) => {
        const at = await v.api.at(common.finalizedHash);
        const issued = (await at.query.emission.totalIssued()).toString();
        const erp = (await at.query.emission.effectiveRootProp.entries())
          .map(([k, val]) => `${k.args[0].toString()}:${val.toString()}`)
          .sort()
          .join(',');
        return { issued, erp };
      }));
      assert.ok(BigInt(states[0].issued) > 0n, 'emission was issued');
      assert.ok(states[0].erp.length > 0, 'EffectiveRootProp has entries');
      for (const s of states) assert.deepEqual(s, states[0]);
      // One more finalized block after the agreement: the set of four is whole again.
      await until(60_000, 'finality goes on with all four', async () => (await heads(alice.api)).finalized > common.finalized);
      failed = false;
    } finally {
      for (const v of vs) {
        if (v.api) await v.api.disconnect().catch(() => {});
        if (v.node) await v.node.stop(failed);
      }
      if (!failed) fs.rmSync(root, { recursive: true, force: true });
      else console.error(`faults: base paths kept at ${root}`);
    }
  });

  it('a dev node killed and restarted on its base path keeps its chain and goes on', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'emission-restart-'));
    const v = await identity(root, 'dev');
    let failed = true;
    try {
      await start(v, ['--dev'], []);
      const before = await until(60_000, 'the dev node finalizes block 4', async () => {
        const h = await heads(v.api);
        return h.finalized >= 4 && h;
      });
      const issuedBefore = (await (await v.api.at(before.finalizedHash)).query.emission.totalIssued()).toBigInt();
      const firstBefore = (await v.api.rpc.chain.getBlockHash(1)).toHex();
      await crash(v);

      await start(v, ['--dev'], []);
      const after = await heads(v.api);
      assert.ok(after.best >= before.finalized, `restarted at #${after.best}, not below #${before.finalized}`);
      assert.equal((await v.api.rpc.chain.getBlockHash(before.finalized)).toHex(), before.finalizedHash, 'the finalized block is still there');
      const issuedAfter = (await (await v.api.at(before.finalizedHash)).query.emission.totalIssued()).toBigInt();
      assert.equal(issuedAfter, issuedBefore);
      assert.ok(issuedBefore > 0n);
      const next = await until(60_000, 'the restarted node authors and finalizes on', async () => {
        const h = await heads(v.api);
        return h.finalized >= after.best + 2 && h;
      });
      // The chain went on from the old one: its block 1 is the block 1 of before the crash.
      assert.equal((await v.api.rpc.chain.getBlockHash(1)).toHex(), firstBefore);
      assert.ok(next.finalized > before.finalized);
      console.log(`faults: dev node killed at best #${before.best} (finalized #${before.finalized}), restarted at #${after.best}, went on to #${next.finalized}`);
      failed = false;
    } finally {
      if (v.api) await v.api.disconnect().catch(() => {});
      if (v.node) await v.node.stop(failed);
      if (!failed) fs.rmSync(root, { recursive: true, force: true });
      else console.error(`faults: base path kept at ${root}`);
    }
  });
});
