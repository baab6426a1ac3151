#!/usr/bin/env node
// The audit walkthrough, generated: a fresh dev chain with manual sealing (a block only when this
// script asks for one, so every block number and amount is the same on every run), a scenario
// (ERP scaling and the top-50 % filter on, subnet 2's root validator stops validating so its epochs
// are hard-capped, a tine kept at a turn close that withholds), then the audit tool's commands and
// their output, written as Markdown. `scripts/test/walkthrough.test.js` runs it and compares its
// output with the committed `docs/audit-walkthrough.md`, so the documentation cannot drift from
// the tool.

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import { Keyring } from '@polkadot/keyring';

import { isEntryPoint } from './lib/entry.js';
import { connect, startNode } from './lib/node.js';
import { decodeError, findEvents } from './lib/tx.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.dirname(here);

/** The address the Markdown shows for the node (the script's own node listens elsewhere). */
export const SHOWN_URL = 'ws://127.0.0.1:9944';

const USAGE = `usage: node scripts/walkthrough.js [--out-dir DIR]

Start a fresh archive dev node (manual sealing) with the built release binary (EMISSION_NODE or
$CARGO_TARGET_DIR/release/emission-node), drive the walkthrough's scenario, run the audit tool's
commands against it and write DIR/audit-walkthrough.md and DIR/audit-walkthrough.svg
(default DIR: docs/ of the repository). Exit 0 when every command did what the walkthrough says.`;

/**
 * What differs between two runs of the walkthrough, replaced by a placeholder: block and state
 * hashes, checksums, and the time a command took.
 */
export function normalize (text) {
  return text
    .replace(/0x[0-9a-f]{64}/g, '0x…')
    .replace(/sha256:[0-9a-f]{64}/g, 'sha256:…')
    .replace(/[\d.]+ s \([\d.]+ blocks\/s\)/g, '… s (… blocks/s)');
}

/** Run the audit tool as a user would (from the repository root); resolve its output. */
function audit (args, url) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--experimental-websocket', path.join('scripts', 'audit.js'), ...args.map((a) => (a === SHOWN_URL ? url : a))], { cwd: root });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, stdout: stdout.split(url).join(SHOWN_URL), stderr: stderr.split(url).join(SHOWN_URL) }));
  });
}

async function main (argv) {
  const { values } = parseArgs({ args: argv, options: { 'out-dir': { type: 'string' }, help: { type: 'boolean', default: false } }, strict: true });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const outDir = path.resolve(values['out-dir'] ?? path.join(root, 'docs'));
  fs.mkdirSync(outDir, { recursive: true });
  const node = await startNode('walkthrough', ['--dev', '--sealing', 'manual', '--state-pruning', 'archive']);
  let failed = true;
  const api = await connect(node);
  try {
    const keyring = new Keyring({ type: 'sr25519' });
    const alice = keyring.addFromUri('//Alice');
    const nonces = new Map();
    const nonce = async (pair) => {
      if (!nonces.has(pair.address)) nonces.set(pair.address, (await api.rpc.system.accountNextIndex(pair.address)).toNumber());
      const n = nonces.get(pair.address);
      nonces.set(pair.address, n + 1);
      return n;
    };
    /** Seal one block (finalized at once); resolve its number and its events. */
    const seal = async () => {
      const made = await api.rpc.engine.createBlock(true, true);
      const hash = made.blockHash.toHex();
      const header = await api.rpc.chain.getHeader(hash);
      const events = await (await api.at(hash)).query.system.events();
      return { number: header.number.toNumber(), events };
    };
    /** Submit signed extrinsics (immortal), seal a block, check that each succeeded. */
    const step = async (list) => {
      for (const [tx, pair] of list) {
        await tx.signAsync(pair, { nonce: await nonce(pair), era: 0 });
        await api.rpc.author.submitExtrinsic(tx);
      }
      const block = await seal();
      for (const { event } of block.events) {
        if (event.section === 'system' && event.method === 'ExtrinsicFailed') {
          const err = decodeError(api, event.data.dispatchError);
          throw new Error(`block #${block.number}: an extrinsic failed: ${err.section}.${err.name}`);
        }
        if (event.section === 'sudo' && event.method === 'Sudid' && event.data.sudoResult.isErr) {
          const err = decodeError(api, event.data.sudoResult.asErr);
          throw new Error(`block #${block.number}: a sudo call failed: ${err.section}.${err.name}`);
        }
      }
      if (block.events.filter(({ event }) => event.section === 'system' && event.method === 'ExtrinsicSuccess').length < list.length + 1) {
        throw new Error(`block #${block.number}: not every extrinsic was included`);
      }
      return block;
    };
    const sudo = (call) => [api.tx.sudo.sudo(call), alice];

    // The scenario.
    await seal();
    await seal();
    const charlie = keyring.addFromUri('//Charlie').address;
    const setup = await step([
      sudo(api.tx.emission.setEffectiveRootPropEmissionScaling(true)),
      sudo(api.tx.emission.setEmissionTopSubnetProportion(500_000)),
      sudo(api.tx.subnets.setValidating(2, charlie, false)),
      sudo(api.tx.subnets.setFloor(0)),
      sudo(api.tx.emission.setMeasureWeights(500_000_000, 300_000_000, 200_000_000)),
      sudo(api.tx.emission.proposeTine('bold', 3_000, [['treasury', 700_000_000], ['buyback', 300_000_000]], 100_000_000, 333_333_333)),
      sudo(api.tx.emission.setTurnLength(1_000))
    ]);
    const turn = (await api.query.emission.currentTurn()).toNumber();
    const [dave, eve] = ['//Dave', '//Eve'].map((uri) => keyring.addFromUri(uri));
    await step([
      [api.tx.emission.submitReading(turn, 'bold', 200_000, 800_000_000, true, 900_000_000), dave],
      [api.tx.emission.submitReading(turn, 'bold', 150_000, 850_000_000, true, 950_000_000), eve],
      sudo(api.tx.emission.setTurnLength(1))
    ]);
    // Blocks until the tine is kept and a capped epoch of subnet 2 has settled after it, then two.
    let forkBlock = 0;
    let cappedBlock = 0;
    for (let i = 0; i < 40 && !(forkBlock && cappedBlock); i++) {
      const block = await seal();
      if (!forkBlock && findEvents(block.events, 'emission', 'ForkDecided').some((e) => e.data.result.kept.isSome)) forkBlock = block.number;
      if (forkBlock && block.number > forkBlock && findEvents(block.events, 'emission', 'EpochSettled').some((e) => e.data.capped.isTrue)) cappedBlock = block.number;
    }
    if (!forkBlock || !cappedBlock) throw new Error('the scenario did not reach a kept tine and a capped epoch');
    await step([sudo(api.tx.emission.setTurnLength(1_000))]);
    const last = (await seal()).number;

    // The commands, and what each printed.
    const svg = path.join(outDir, 'audit-walkthrough.svg');
    const commands = [
      ['verify', '--url', SHOWN_URL, '--at', String(cappedBlock)],
      ['counterfactual', '--what', 'no-hard-cap', '--url', SHOWN_URL, '--at', String(cappedBlock)],
      ['range', '--url', SHOWN_URL, '--from', '1', '--to', String(last)],
      ['restitution', '--what', 'no-hard-cap', '--url', SHOWN_URL, '--from', '1', '--to', String(last), '--quiet'],
      ['restitution', '--what', 'no-hard-cap', '--url', SHOWN_URL, '--epoch', `2:${(cappedBlock + 3) / 5}`, '--units', '--quiet'],
      ['picture', '--url', SHOWN_URL, '--at', String(cappedBlock), '--out', svg, '--quiet']
    ];
    const sections = [];
    for (const args of commands) {
      const result = await audit(args, node.wsUrl);
      if (result.code !== 0) throw new Error(`audit.js ${args.join(' ')} exited ${result.code}:\n${result.stdout}${result.stderr}`);
      const shown = args.map((a) => (a === svg ? 'docs/audit-walkthrough.svg' : a)).join(' ');
      sections.push(`\`\`\`text\n$ node scripts/audit.js ${shown}\n${result.stdout.trimEnd()}\n\`\`\``);
    }
    const md = `# The audit tool, step by step

Generated by \`node scripts/walkthrough.js\` (run it to see the same on your machine; it needs the release node
built) against a fresh archive dev chain with manual sealing, so that every block number and amount is the same on
every run; only hashes, checksums and timings differ. \`scripts/test/walkthrough.test.js\` runs it and compares the
output with this file.

The scenario, one block each after two empty blocks: sudo turns ERP scaling and the top-50 % filter on, stops
Charlie validating on subnet 2 (its utilization falls below 1/2: its epochs are hard-capped), sets the floor to 0
and the measure weights (50 %, 30 %, 20 %) and proposes a tine \`bold\` (30 % fee, split 70/30 between \`treasury\`
and \`buyback\`, a third to the depth reserve, floor pull 10 %) (block #${setup.number}); two feeders read it and
the turn length is set to 1 (block #${setup.number + 1}), so the next block closes the turn and keeps \`bold\`
(block #${forkBlock}); subnet 2's epoch at block #${cappedBlock} is capped; the chain goes on to block #${last}.

\`verify\` recomputes block #${cappedBlock} from its parent's state and compares every quantity with the chain
(each row says which two sources it compares; the \`reference\` rows are seed 003's and seed 000's rules in exact
rationals):

${sections[0]}

\`counterfactual\` is that block with the hard cap lifted and every other input the same:

${sections[1]}

\`range\` verifies every block so far, with the summary by category:

${sections[2]}

\`restitution\` replays the whole range forward with the cap lifted, carrying the counterfactual state from block to
block, after checking that with no rule changed it gives the chain's amounts; what each subnet and validator was
paid and would have been paid:

${sections[3]}

The same for the one epoch of subnet 2 at block #${cappedBlock}, named as the subnet's epoch, in tokens:

${sections[4]}

\`picture\` draws the block's filter stages:

${sections[5]}

![Each subnet's share after each filter stage, block ${cappedBlock}](audit-walkthrough.svg)
`;
    fs.writeFileSync(path.join(outDir, 'audit-walkthrough.md'), md);
    console.log(`wrote ${path.join(outDir, 'audit-walkthrough.md')} and ${svg} (blocks 1..${last}; fork at #${forkBlock}, capped epoch at #${cappedBlock})`);
    failed = false;
    return 0;
  } finally {
    await api.disconnect();
    await node.stop(failed);
  }
}

if (isEntryPoint(import.meta.url)) {
  main(process.argv.slice(2)).then((code) => process.exit(code), (err) => {
    console.error(`error: ${err?.message ?? err}`);
    process.exit(err?.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' ? 2 : 1);
  });
}
