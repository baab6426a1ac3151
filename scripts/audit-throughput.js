#!/usr/bin/env node
// The audit tool's throughput at user scale: an archive dev chain of `--blocks` blocks (default
// 5,000) with the usual scenario (epochs every 5 blocks, a hard-capped subnet, ERP scaling and the
// top-proportion filter on, two tines fed every turn and a fork at every turn's close), then
// `audit.js range` over all of it with the per-query reader (the old code path) and the batched
// one, one after the other on the same chain. Prints both rates and their ratio; exits 1 unless
// both verify every block with every diff 0, give every block the same snapshot checksum, and the
// ratio is at least `--target` (default 10).
//
//   node --experimental-websocket audit-throughput.js [--blocks N] [--target R] [--jobs N] [--base DIR]
//     [--readers per-query,batched]
//
// With `--base DIR` the chain's database is kept in DIR, and a later run with the same DIR audits
// the chain it finds there (at least N blocks) instead of building another. `--readers` runs only the readers named (the ratio then needs both).

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';

import { Keyring } from '@polkadot/keyring';

import { connect, runAudit, startNode, until } from './lib/node.js';
import { DEV_FEEDERS, feedAll, sudoAll } from './lib/tx.js';

const USAGE = 'usage: node --experimental-websocket audit-throughput.js [--blocks N ≥ 10] [--target R > 0] [--jobs N] [--base DIR] [--readers per-query,batched]';
let opts;
try {
  ({ values: opts } = parseArgs({
    options: { blocks: { type: 'string', default: '5000' }, target: { type: 'string', default: '10' }, jobs: { type: 'string' }, base: { type: 'string' }, readers: { type: 'string', default: 'per-query,batched' }, help: { type: 'boolean', short: 'h', default: false } },
    strict: true
  }));
} catch (err) {
  console.error(`${err.message}\n${USAGE}`);
  process.exit(2);
}
if (opts.help) {
  console.log(USAGE);
  process.exit(0);
}
const blocks = Number(opts.blocks);
const target = Number(opts.target);
const readers = opts.readers.split(',');
if (!Number.isInteger(blocks) || blocks < 10 || !(target > 0) || !readers.every((r) => ['per-query', 'batched'].includes(r))) {
  console.error(USAGE);
  process.exit(2);
}

const keep = opts.base !== undefined;
const base = keep ? path.resolve(opts.base) : fs.mkdtempSync(path.join(os.tmpdir(), 'audit-throughput-'));
const builtMark = path.join(base, 'built.json');
const reuse = keep && fs.existsSync(builtMark) && JSON.parse(fs.readFileSync(builtMark, 'utf8')).blocks >= blocks;
const head = async (api) => (await api.rpc.chain.getHeader()).number.toNumber();
let node = null;
let ok = false;
try {
  let built = null;
  if (!reuse) {
    // A block every 20 ms while the scenario runs, on a database kept for the second start.
    const started = Date.now();
    node = await startNode('throughput', ['--dev', '--sealing', 'manual:20', '--state-pruning', 'archive'], { basePath: base });
    const api = await connect(node);
    const keyring = new Keyring({ type: 'sr25519' });
    const alice = keyring.addFromUri('//Alice');
    const [dave, eve, ferdie] = DEV_FEEDERS.map((uri) => keyring.addFromUri(uri));
    await sudoAll(api, [
      api.tx.subnets.setFloor(0),
      api.tx.emission.setEffectiveRootPropEmissionScaling(true),
      api.tx.emission.setEmissionTopSubnetProportion(700_000),
      api.tx.subnets.setValidating(2, keyring.addFromUri('//Charlie').address, false),
      api.tx.emission.proposeTine('steady', 1_000, [['treasury', 600_000_000], ['buyback', 400_000_000]], 100_000_000, 200_000_000),
      api.tx.emission.proposeTine('bold', 3_000, [['treasury', 700_000_000], ['buyback', 300_000_000]], 100_000_000, 333_333_333),
      api.tx.emission.setMeasureWeights(500_000_000, 300_000_000, 200_000_000),
      api.tx.emission.setTurnLength(50)
    ], alice);
    // Both tines fed in every turn (the two tines alternate as the better one), until the chain is
    // long enough.
    let fed = -1;
    let round = 0;
    while (await head(api) < blocks) {
      const turn = (await api.query.emission.currentTurn()).toNumber();
      if (turn !== fed) {
        const better = round++ % 2 === 0 ? 'steady' : 'bold';
        const worse = better === 'steady' ? 'bold' : 'steady';
        await feedAll(api, turn, [
          [dave, better, 200_000, 800_000_000, true, 900_000_000],
          [eve, better, 150_000, 850_000_000, true, 950_000_000],
          [ferdie, worse, 50_000, 300_000_000, true, 400_000_000],
          [dave, worse, 40_000, 200_000_000, true, 300_000_000],
          [eve, worse, 60_000, 250_000_000, true, 350_000_000]
        ]).catch(() => {}); // a turn that closed before the readings landed: the next one is fed
        fed = turn;
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    await api.disconnect();
    await node.stop();
    built = (Date.now() - started) / 1000;
    if (keep) fs.writeFileSync(builtMark, JSON.stringify({ blocks, seconds: built }));
  }

  // The same database, no new blocks while the audit reads it.
  node = await startNode('throughput-audit', ['--dev', '--sealing', 'manual', '--state-pruning', 'archive'], { basePath: base });
  const api2 = await connect(node);
  await until(30_000, 'the chain back', async () => (await head(api2)) >= blocks);
  await api2.disconnect();
  const range = async (reader) => {
    const out = path.join(base, `${reader}.csv`);
    const args = ['range', '--url', node.wsUrl, '--from', '1', '--to', String(blocks), '--out', out, '--quiet', '--reader', reader];
    if (opts.jobs) args.push('--jobs', opts.jobs);
    const result = await runAudit(args, 3_600_000);
    const summary = result.stdout.trim().split('\n').at(-1) ?? '';
    const rate = Number(/\(([\d.]+) blocks\/s\)/.exec(summary)?.[1] ?? NaN);
    return { code: result.code, summary, rate, lines: fs.existsSync(out) ? fs.readFileSync(out, 'utf8') : '', stderr: result.stderr };
  };
  const skipped = { code: 0, summary: '(not run)', rate: NaN, lines: null, stderr: '' };
  const perQuery = readers.includes('per-query') ? await range('per-query') : skipped;
  const batched = readers.includes('batched') ? await range('batched') : skipped;
  const ratio = batched.rate / perQuery.rate;
  console.log(built === null ? `chain: ${blocks} blocks of the one kept in ${base}` : `chain: ${blocks} blocks built in ${built.toFixed(0)} s`);
  console.log(`per-query reader: ${perQuery.summary}`);
  console.log(`batched reader:   ${batched.summary}`);
  // With one reader there is nothing to compare it with: it must verify every block, and the
  // ratio and the CSVs' equality are not asked for.
  const both = readers.includes('per-query') && readers.includes('batched');
  if (both) console.log(`ratio: ${ratio.toFixed(2)} (target ≥ ${target})`);
  const ran = [perQuery, batched].filter((x) => x !== skipped);
  const same = !both || (perQuery.lines === batched.lines && perQuery.lines?.length > 0);
  if (ran.some((x) => x.code !== 0)) console.error(`a range failed:\n${ran.map((x) => x.stderr).join('\n')}`);
  if (!same) console.error('the readers\' CSVs differ (snapshot checksums or results)');
  ok = ran.every((x) => x.code === 0 && x.lines.length > 0) && same && (!both || ratio >= target);
} finally {
  if (node) await node.stop(!ok);
  if (!keep) fs.rmSync(base, { recursive: true, force: true });
}
process.exit(ok ? 0 : 1);
