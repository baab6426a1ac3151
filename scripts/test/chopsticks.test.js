// chopsticks (scripts/chopsticks/) forks a running dev chain: a sudo call dry-run on the fork lands
// there with its events and storage, an invalid one fails with the pallet's error, and the real
// chain never sees either.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

import { ApiPromise, WsProvider } from '@polkadot/api';
import { Keyring } from '@polkadot/keyring';

import { FAST_DEV, LOG_DIR, connect, freePort, rpcAnswers, sleep, startNode, until } from '../lib/node.js';
import { decodeError, findEvents, submit } from '../lib/tx.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const chopsticksDir = path.resolve(here, '..', 'chopsticks');
const binary = path.join(chopsticksDir, 'node_modules', '.bin', 'chopsticks');

/** Start chopsticks forking `endpoint`; resolves `{ port, child, logFile }` once it answers. */
async function startFork (endpoint) {
  if (!fs.existsSync(binary)) throw new Error(`chopsticks not installed at ${binary}: run scripts/setup.sh`);
  const port = await freePort();
  fs.mkdirSync(LOG_DIR, { recursive: true });
  const logFile = path.join(LOG_DIR, `chopsticks-${process.pid}-${port}.log`);
  const log = fs.openSync(logFile, 'a');
  const child = spawn(binary, ['--config', path.join(chopsticksDir, 'dev-fork.yml'), '--endpoint', endpoint, '--port', String(port)], { stdio: ['ignore', log, log] });
  fs.closeSync(log);
  let exited = false;
  child.on('exit', () => { exited = true; });
  await until(120_000, 'chopsticks answers', async () => {
    if (exited) throw new Error(`chopsticks exited; see ${logFile}`);
    return rpcAnswers(port, 'chain_getHeader');
  });
  return { port, child, logFile, exited: () => exited };
}

describe('chopsticks: a fork of the running dev chain', () => {
  let node;
  let real;
  let fork;
  let forkApi;
  let alice;
  let failed = false;

  before(async () => {
    node = await startNode('chopsticks-dev', FAST_DEV);
    real = await connect(node);
    alice = new Keyring({ type: 'sr25519' }).addFromUri('//Alice');
    await until(60_000, 'block 3', async () => (await real.rpc.chain.getHeader()).number.toNumber() >= 3);
    const started = Date.now();
    fork = await startFork(node.wsUrl);
    forkApi = await ApiPromise.create({ provider: new WsProvider(`ws://127.0.0.1:${fork.port}`), noInitWarn: true });
    console.log(`chopsticks answered ${Date.now() - started} ms after its start`);
  });

  after(async () => {
    if (forkApi) await forkApi.disconnect();
    if (fork && !fork.exited()) {
      const gone = new Promise((resolve) => fork.child.once('exit', resolve));
      fork.child.kill('SIGTERM');
      await Promise.race([gone, sleep(10_000)]);
      fork.child.kill('SIGKILL');
    }
    if (fork) {
      if (failed) console.error(`[chopsticks] log kept at ${fork.logFile}`);
      else fs.rmSync(fork.logFile, { force: true });
    }
    if (real) await real.disconnect();
    if (node) await node.stop(failed);
  });

  const track = (fn) => async () => {
    try { await fn(); } catch (err) { failed = true; throw err; }
  };

  it('forks the live state and dry-runs a sudo call there, never on the real chain', track(async () => {
    const forkHead = (await forkApi.rpc.chain.getHeader()).number.toNumber();
    const realHead = (await real.rpc.chain.getHeader()).number.toNumber();
    assert.ok(forkHead >= 3 && forkHead <= realHead, `fork at #${forkHead}, real chain at #${realHead}`);
    // The fork starts from the real chain's state at the fork block.
    const forkBlockHash = await real.rpc.chain.getBlockHash(forkHead);
    assert.equal(
      (await forkApi.query.emission.totalIssued()).toBigInt(),
      (await (await real.at(forkBlockHash)).query.emission.totalIssued()).toBigInt()
    );
    const before = (await real.query.emission.emissionTopSubnetProportion()).toNumber();
    assert.equal(before, 1_000_000);

    const { blockHash, events, dispatchError } = await submit(forkApi, forkApi.tx.sudo.sudo(forkApi.tx.emission.setEmissionTopSubnetProportion(111_111)), alice);
    assert.equal(dispatchError, null);
    assert.ok(findEvents(events, 'sudo', 'Sudid')[0].data.sudoResult.isOk);
    const [set] = findEvents(events, 'emission', 'EmissionTopSubnetProportionSet');
    assert.equal(set.data.new_.toNumber(), 111_111);
    assert.equal((await forkApi.rpc.chain.getHeader(blockHash)).number.toNumber(), forkHead + 1, 'one block built on the fork');
    // The fork's block ran the emission hook as the chain does.
    const blockEvents = await (await forkApi.at(blockHash)).query.system.events();
    assert.equal(findEvents(blockEvents, 'emission', 'BlockEmissionDistributed').length, 1);
    assert.equal((await forkApi.query.emission.emissionTopSubnetProportion()).toNumber(), 111_111);

    // An invalid value fails on the fork with the pallet's error.
    const bad = await submit(forkApi, forkApi.tx.sudo.sudo(forkApi.tx.emission.setEmissionTopSubnetProportion(0)), alice);
    const result = findEvents(bad.events, 'sudo', 'Sudid')[0].data.sudoResult;
    assert.ok(result.isErr);
    assert.deepEqual(decodeError(forkApi, result.asErr), { section: 'emission', name: 'ZeroTopSubnetProportion' });

    // The real chain went on without either.
    await until(30_000, 'the real chain moves on', async () => (await real.rpc.chain.getHeader()).number.toNumber() > realHead + 2);
    assert.equal((await real.query.emission.emissionTopSubnetProportion()).toNumber(), 1_000_000);
    const realBlock = await real.rpc.chain.getBlock(await real.rpc.chain.getBlockHash(forkHead + 1));
    assert.ok(!realBlock.block.extrinsics.some((x) => x.method.section === 'sudo'), 'no sudo extrinsic on the real chain');
  }));
});
