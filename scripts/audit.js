#!/usr/bin/env node
// The emission audit tool: rebuild any block's emission from chain state, prove that the recomputed
// numbers equal the chain's (diff = 0), and answer counterfactuals. See `node audit.js help`.

import fs from 'node:fs';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';

import { encodeAddress } from './lib/address.js';

import { UserError, connectApi, isPruned, prunedError, withRetry } from './lib/client.js';
import { replayBlock } from './lib/model.js';
import { csv, pct, stagesSvg, table, verifyTable } from './lib/report.js';
import { FORMAT, checksumOf, label, resolveBlock, takeSnapshot } from './lib/snapshot.js';
import { onchainAmounts, verifySnapshot } from './lib/verify.js';
import { categories, mergeCategories, resultOf, verifyRange } from './lib/range.js';
import { epochBlocks, identityDiffs, replayForward, report, units } from './lib/restitution.js';
import { fixedToDecimal } from './lib/fixed.js';

/** The format of a range's consolidated snapshot file (`range --snapshot-out`). */
export const RANGE_FORMAT = 'emission-audit-range/1';
import { isEntryPoint } from './lib/entry.js';


const USAGE = `usage: node audit.js <command> [options]

commands:
  snapshot        --url WS --at BLOCK [--out FILE.json]
                  read every input of BLOCK's emission (parent state) and every output (its events
                  and state) into one JSON file with a checksum (default FILE: snapshot-<n>.json)
  verify          (--snapshot FILE.json | --url WS --at BLOCK) [--out FILE.csv]
                  recompute the block independently of the runtime; print computed / on-chain /
                  diff per quantity; exit 0 only when every diff is 0
  counterfactual  --what RULE (--url WS --at BLOCK | --snapshot FILE.json [--url WS]) [--out FILE.csv]
                  the same block with one rule lifted: per-subnet actual, counterfactual, diff;
                  cross-checked against the runtime API's counterfactual preview when --url is given
                  RULE: ${'%RULES%'}
                  | top-proportion=PPM | absolute-limit=N|none | erp-scaling=on|off
                  | schedule=INITIAL:FACTOR:EPOCH_LENGTH[:CAP] (another schedule; FACTOR a decimal)
  range           --url WS --from A --to B [--out FILE.csv] [--jobs N] [--workers W]
                  [--reader batched|per-query]
                  verify every block from A to B (inclusive) with a progress bar and a summary;
                  N snapshots are read ahead at once (default 16); the batched reader (default)
                  reads each block's state once, in batches, on W worker threads (default: 2, or
                  the number of CPUs if fewer); per-query reads value by value (the snapshot
                  command's reader) on the main thread: the same snapshots, slower;
                  --snapshot-out FILE.json writes every block's snapshot into one file with a
                  checksum; the summary sums the rows by category (computed, on chain, diff)
  range           --snapshot FILE.json
                  re-verify a range offline from its file (no node): the same rows and summary
  restitution     --what RULE (--url WS (--from A --to B | --epoch NETUID:N) | --snapshot FILE.json
                  [--epoch NETUID:N]) [--out VALIDATORS.csv] [--subnets-out SUBNETS.csv] [--units]
                  blocks A..B (each verified first) replayed forward with RULE changed, the
                  counterfactual state carried from block to block; per subnet and per validator:
                  actual, counterfactual, diff; Σ owed net and positive only; totals issued,
                  withheld, distributed, recycled. First it checks the identity (no rule changed:
                  every diff 0) and refuses to answer if it fails. --epoch names one subnet epoch
                  (the blocks whose emission it settles) and keeps that subnet's rows; --units
                  prints token amounts with the chain's decimals (offline: --decimals D)
  picture         (--url WS --at BLOCK | --snapshot FILE.json) [--out FILE.svg]
                  an SVG of each subnet's share after each filter stage (default FILE: block-<n>.svg)

options:
  --url WS        node RPC address (ws://127.0.0.1:9944); the node must keep old state:
                  run it with --state-pruning archive
  --at BLOCK      block number or 0x block hash
  --out FILE      where to write the command's file output
  --quiet         no progress output; verify prints only mismatches and the result
  --retries N     tries per RPC request on transient errors (default 5, backoff 250 ms doubling)
  --timeout S     seconds to wait for the node to answer the first time (default 15)

exit status: 0 ok, 1 a diff is not 0 (or the runtime API disagrees), 2 bad arguments or an
unusable node, 3 an unexpected error`;

/** The rules a counterfactual can lift, as changes to the block's inputs. */
export const COUNTERFACTUALS = {
  'no-hard-cap': (s) => ({ settings: s, hardCap: false, subnetRates: true }),
  'no-erp-scaling': (s) => ({ settings: { ...s, erpScaling: false }, hardCap: true, subnetRates: true }),
  'no-top-proportion': (s) => ({ settings: { ...s, topProportion: 1_000_000 }, hardCap: true, subnetRates: true }),
  'no-absolute-limit': (s) => ({ settings: { ...s, absoluteLimit: null }, hardCap: true, subnetRates: true }),
  // The three filters off (the subnets' emission rates, which are not a filter, stay).
  'no-filters': () => ({ settings: { erpScaling: false, topProportion: 1_000_000, absoluteLimit: null }, hardCap: true, subnetRates: true }),
  // Every subnet at 100 % (spec 106 on; before it, the same as the block).
  'no-subnet-rates': (s) => ({ settings: s, hardCap: true, subnetRates: false })
};

/** Parts per 10^18 of a decimal fraction in [0, 1] ("0.9995", "1"), exactly; null if it is not one. */
function quintillionths (text) {
  const m = /^(0|1)(?:\.(\d{1,18}))?$/.exec(text);
  if (!m) return null;
  const parts = BigInt(m[1]) * 10n ** 18n + BigInt((m[2] ?? '').padEnd(18, '0') || '0');
  return parts <= 10n ** 18n ? parts : null;
}

/**
 * A rule changed, as `(settings) => options` for the replay: one of COUNTERFACTUALS (a rule lifted),
 * or a setting given another value: `top-proportion=PPM` (1 – 1,000,000), `absolute-limit=N|none`,
 * `erp-scaling=on|off`, `schedule=INITIAL:FACTOR:EPOCH_LENGTH[:CAP]` (FACTOR a decimal in [0, 1]).
 */
export function ruleOf (what) {
  if (COUNTERFACTUALS[what]) return COUNTERFACTUALS[what];
  const bad = (why) => new UserError(`--what ${what}: ${why}\n(one of ${Object.keys(COUNTERFACTUALS).join(', ')}, or top-proportion=PPM, absolute-limit=N|none, erp-scaling=on|off, schedule=INITIAL:FACTOR:EPOCH_LENGTH[:CAP])`);
  const m = /^([a-z-]+)=(.+)$/.exec(what ?? '');
  if (!m) throw bad('not a rule');
  const [, name, value] = m;
  const keep = (extra) => (s) => ({ settings: { ...s, ...extra.settings }, hardCap: true, subnetRates: true, ...(extra.schedule ? { schedule: extra.schedule } : {}) });
  if (name === 'top-proportion') {
    if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > 1_000_000) throw bad('the proportion is parts per million, 1 to 1000000');
    return keep({ settings: { topProportion: Number(value) } });
  }
  if (name === 'absolute-limit') {
    if (value === 'none') return keep({ settings: { absoluteLimit: null } });
    if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > 0xffff) throw bad('the limit is a number of subnets, 1 to 65535, or none');
    return keep({ settings: { absoluteLimit: Number(value) } });
  }
  if (name === 'erp-scaling') {
    if (value !== 'on' && value !== 'off') throw bad('on or off');
    return keep({ settings: { erpScaling: value === 'on' } });
  }
  if (name === 'schedule') {
    const [initial, factor, epochLength, cap, ...more] = value.split(':');
    const parts = quintillionths(factor ?? '');
    if (more.length || !/^\d+$/.test(initial ?? '') || parts === null || !/^\d+$/.test(epochLength ?? '') || Number(epochLength) < 1 ||
      Number(epochLength) > 0xffff_ffff || (cap !== undefined && !/^\d+$/.test(cap))) {
      throw bad('INITIAL (units per block) : FACTOR (a decimal from 0 to 1) : EPOCH_LENGTH (blocks, ≥ 1) [: CAP (units)]');
    }
    return keep({ settings: {}, schedule: { initial, decayFactor: parts.toString(), epochLength: Number(epochLength), supplyCap: cap ?? null } });
  }
  throw bad(`no rule "${name}"`);
}

const OPTIONS = {
  url: { type: 'string' },
  at: { type: 'string' },
  out: { type: 'string' },
  snapshot: { type: 'string' },
  'snapshot-out': { type: 'string' },
  'subnets-out': { type: 'string' },
  epoch: { type: 'string' },
  units: { type: 'boolean', default: false },
  decimals: { type: 'string' },
  what: { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string' },
  quiet: { type: 'boolean', default: false },
  retries: { type: 'string' },
  jobs: { type: 'string' },
  workers: { type: 'string' },
  reader: { type: 'string' },
  timeout: { type: 'string' },
  help: { type: 'boolean', default: false }
};

function parse (argv) {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UserError(`${err.message}\n\n${usage()}`);
  }
  const [command, ...extra] = parsed.positionals;
  if (extra.length) throw new UserError(`unexpected argument "${extra[0]}"\n\n${usage()}`);
  return { command, opts: parsed.values };
}

const usage = () => USAGE.replace('%RULES%', Object.keys(COUNTERFACTUALS).join(' | '));

function positiveInt (name, value, fallback) {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value) || Number(value) < 1) throw new UserError(`--${name} must be a positive integer, got "${value}"`);
  return Number(value);
}

function need (opts, ...names) {
  for (const name of names) {
    if (opts[name] === undefined) throw new UserError(`missing --${name}\n\n${usage()}`);
  }
}

/** Read and check a snapshot file. */
function loadSnapshot (file) {
  let snapshot;
  try {
    snapshot = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new UserError(`cannot read snapshot ${file}: ${err.code === 'ENOENT' ? 'no such file' : err.message}`);
  }
  if (snapshot?.format !== FORMAT) throw new UserError(`${file} is not an audit snapshot (format "${snapshot?.format}", expected "${FORMAT}")`);
  return snapshot;
}

function write (file, content, quiet) {
  fs.writeFileSync(file, content);
  if (!quiet) console.error(`wrote ${file}`);
}

/** The tool's context: a lazily connected API and the retry policy. */
function context (opts) {
  const retry = {
    attempts: positiveInt('retries', opts.retries, 5),
    onRetry: (err, attempt, wait) => { if (!opts.quiet) console.error(`transient RPC error (${err.message}); retry ${attempt} in ${wait} ms`); }
  };
  const timeoutMs = positiveInt('timeout', opts.timeout, 15) * 1000;
  let api = null;
  return {
    retry,
    timeoutMs,
    async api () {
      if (!api) {
        need(opts, 'url');
        api = await connectApi(opts.url, { timeoutMs });
      }
      return api;
    },
    async close () { if (api) await api.disconnect(); }
  };
}

/** The snapshot a command works on: from --snapshot, else read live at --at. */
async function snapshotFor (opts, ctx) {
  if (opts.snapshot !== undefined) return loadSnapshot(opts.snapshot);
  need(opts, 'url', 'at');
  return takeSnapshot(await ctx.api(), opts.at, ctx.retry);
}

function header (snapshot) {
  const b = snapshot.block;
  return `block #${b.number} ${b.hash} (${snapshot.chain.name}, ${b.specName} v${b.specVersion})`;
}

// ---------------------------------------------------------------------------------------------

async function cmdSnapshot (opts, ctx) {
  need(opts, 'url', 'at');
  const snapshot = await takeSnapshot(await ctx.api(), opts.at, ctx.retry);
  const out = opts.out ?? `snapshot-${snapshot.block.number}.json`;
  if (out === '-') {
    process.stdout.write(JSON.stringify(snapshot, null, 2) + '\n');
  } else {
    write(out, JSON.stringify(snapshot, null, 2) + '\n', opts.quiet);
    if (!opts.quiet) console.log(`${header(snapshot)}\n${snapshot.checksum}`);
  }
  return 0;
}

async function cmdVerify (opts, ctx) {
  const snapshot = await snapshotFor(opts, ctx);
  const result = verifySnapshot(snapshot);
  const bad = result.rows.filter((r) => !r.ok);
  console.log(header(snapshot));
  if (!result.checksumOk) console.log(`checksum mismatch: the file says ${snapshot.checksum}, its content hashes to ${checksumOf(snapshot)} (edited after it was taken)`);
  console.log(verifyTable(opts.quiet ? bad : result.rows));
  if (opts.out) {
    write(opts.out, csv(['group', 'quantity', 'computed', 'onchain', 'diff'],
      result.rows.map((r) => [r.group, r.quantity, r.computed, r.onchain, r.diff])), opts.quiet);
  }
  console.log(result.ok
    ? `OK: ${result.rows.length} quantities, every diff is 0`
    : `FAILED: ${bad.length} of ${result.rows.length} quantities differ${result.checksumOk ? '' : '; checksum mismatch'}`);
  return result.ok ? 0 : 1;
}

/** The runtime API's counterfactual preview at the block's parent: what it says the block would do. */
async function apiCounterfactual (api, snapshot, settings, hardCap, subnetRates, retry) {
  try {
    const at = await withRetry(() => api.at(snapshot.block.parentHash), retry);
    // `subnetRates` is a field from EmissionApi version 4 (spec 106) on; older runtimes ignore it.
    const s = await withRetry(() => at.call.emissionApi.counterfactualShares({
      subnetRates, erpScaling: settings.erpScaling, topProportion: settings.topProportion, absoluteLimit: settings.absoluteLimit, hardCap
    }), retry);
    const m = (list) => new Map(list.map(([n, v]) => [n.toNumber(), v.toBigInt()]));
    return {
      blockEmission: s.blockEmission.toBigInt(),
      withheld: s.withheld.toBigInt(),
      recycled: s.recycled.toBigInt(),
      amounts: m(s.amounts),
      stages: {
        base: m(s.base),
        // Before version 4 there was no rate stage: every subnet at 100 %, the base shares.
        afterRate: s.afterRate ? m(s.afterRate) : m(s.base),
        afterErpScaling: m(s.afterErpScaling),
        afterTopProportion: m(s.afterTopProportion),
        afterAbsoluteLimit: m(s.afterAbsoluteLimit)
      }
    };
  } catch (err) {
    if (isPruned(err)) throw prunedError(`block #${snapshot.block.number - 1}`);
    throw err;
  }
}

/** Compare the tool's counterfactual with the runtime API's; the differing items. */
export function compareWithApi (cf, apiResult) {
  const differences = [];
  const same = (what, a, b) => { if (a !== b) differences.push(`${what}: audit ${a}, runtime API ${b}`); };
  same('block emission', cf.issued, apiResult.blockEmission);
  same('withheld', cf.withheld, apiResult.withheld);
  same('recycled', cf.recycled, apiResult.recycled);
  for (const stage of ['base', 'afterRate', 'afterErpScaling', 'afterTopProportion', 'afterAbsoluteLimit']) {
    const netuids = new Set([...(cf.stages?.[stage]?.keys() ?? []), ...apiResult.stages[stage].keys()]);
    for (const n of netuids) same(`${stage} share of subnet ${n}`, cf.stages?.[stage]?.get(n) ?? 0n, apiResult.stages[stage].get(n) ?? 0n);
  }
  const netuids = new Set([...cf.amounts.keys(), ...apiResult.amounts.keys()]);
  for (const n of netuids) same(`amount of subnet ${n}`, cf.amounts.get(n) ?? 0n, apiResult.amounts.get(n) ?? 0n);
  return differences;
}

/** The counterfactual of a snapshot: per-subnet rows and totals. */
export function counterfactualOf (snapshot, what) {
  const options = ruleOf(what)(snapshot.inputs.settings);
  const cf = replayBlock(snapshot, options);
  const onchain = onchainAmounts(snapshot);
  const netuids = [...new Set([...cf.amounts.keys(), ...onchain.keys()])].sort((a, b) => a - b);
  const rows = netuids.map((netuid) => {
    const actual = onchain.get(netuid) ?? 0n;
    const counterfactual = cf.amounts.get(netuid) ?? 0n;
    return { netuid, actual, counterfactual, diff: counterfactual - actual };
  });
  const net = rows.reduce((a, r) => a + r.diff, 0n);
  const positive = rows.reduce((a, r) => a + (r.diff > 0n ? r.diff : 0n), 0n);
  // Root dividends of the epochs settled in this block: who keeps them with the rule lifted.
  const actual = replayBlock(snapshot);
  const dividends = [];
  for (const e of cf.epochs) {
    const real = actual.epochs.find((x) => x.netuid === e.netuid);
    for (const d of e.dividends) {
      const was = real?.dividends.find((x) => x.validator === d.validator);
      const diff = d.root - (was?.root ?? 0n);
      if (diff !== 0n) dividends.push({ netuid: e.netuid, validator: d.validator, actual: was?.root ?? 0n, counterfactual: d.root, diff });
    }
  }
  return { options, cf, rows, net, positive, dividends };
}

async function cmdCounterfactual (opts, ctx) {
  need(opts, 'what');
  ruleOf(opts.what);
  const snapshot = await snapshotFor(opts, ctx);
  const { options, cf, rows, net, positive, dividends } = counterfactualOf(snapshot, opts.what);
  const body = csv(['netuid', 'actual', 'counterfactual', 'diff'], [
    ...rows.map((r) => [r.netuid, r.actual, r.counterfactual, r.diff]),
    ['total (net difference)', rows.reduce((a, r) => a + r.actual, 0n), rows.reduce((a, r) => a + r.counterfactual, 0n), net],
    ['total (positive differences only)', '', '', positive]
  ]);
  console.log(`${header(snapshot)}\ncounterfactual: ${opts.what}`);
  console.log(table(['subnet', 'actual', 'counterfactual', 'diff'], rows.map((r) => [r.netuid, r.actual, r.counterfactual, r.diff])));
  console.log(`net difference ${net}; positive differences only ${positive}`);
  for (const d of dividends) {
    console.log(`root dividends on subnet ${d.netuid} to ${encodeAddress(d.validator)}: actual ${d.actual}, counterfactual ${d.counterfactual}, diff ${d.diff}`);
  }
  if (opts.out) write(opts.out, body, opts.quiet); else process.stdout.write(`\n${body}`);

  if (opts.url === undefined) {
    console.log('runtime API cross-check: skipped (no --url)');
    return 0;
  }
  if (options.schedule) {
    console.log('runtime API cross-check: not available (the runtime API previews other settings, not another schedule)');
    return 0;
  }
  const api = await ctx.api();
  const apiResult = await apiCounterfactual(api, snapshot, options.settings, options.hardCap, options.subnetRates, ctx.retry);
  const differences = compareWithApi(cf, apiResult);
  if (differences.length) {
    console.log(`runtime API cross-check: DISAGREES on ${differences.length} items`);
    for (const d of differences) console.log(`  ${d}`);
    return 1;
  }
  console.log('runtime API cross-check: agrees (block emission, withheld, every stage share and amount, recycled)');
  return 0;
}

/** A progress bar on stderr (a line every 10 % when stderr is not a terminal). */
function progress (total, quiet) {
  const tty = process.stderr.isTTY;
  let lastDecile = -1;
  return (done, failed) => {
    if (quiet) return;
    const frac = total ? done / total : 1;
    if (tty) {
      const width = 30;
      const fill = Math.round(frac * width);
      process.stderr.write(`\r[${'#'.repeat(fill)}${'.'.repeat(width - fill)}] ${done}/${total} blocks, ${failed} failed`);
      if (done === total) process.stderr.write('\n');
    } else {
      const decile = Math.floor(frac * 10);
      if (decile !== lastDecile) {
        lastDecile = decile;
        process.stderr.write(`${done}/${total} blocks verified, ${failed} failed\n`);
      }
    }
  };
}

/** The per-category summary of a range: quantities, Σ computed, Σ on chain, Σ diff, mismatches. */
function categoryTable (results) {
  const total = {};
  for (const r of results) mergeCategories(total, r.categories ?? {});
  return table(['category', 'quantities', 'computed (Σ numeric)', 'on chain (Σ numeric)', 'diff (Σ)', 'mismatches'],
    Object.entries(total).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, c]) => [k, c.quantities, c.computed, c.onchain, c.diff, c.mismatches]));
}

/** Re-verify a range offline from its consolidated snapshot file: no node. */
function loadRange (name) {
  let file;
  try {
    file = JSON.parse(fs.readFileSync(name, 'utf8'));
  } catch (err) {
    throw new UserError(`cannot read range snapshot ${name}: ${err.code === 'ENOENT' ? 'no such file' : err.message}`);
  }
  if (file?.format !== RANGE_FORMAT) throw new UserError(`${name} is not a range snapshot (format "${file?.format}", expected "${RANGE_FORMAT}")`);
  const checksumOk = checksumOf(file) === file.checksum;
  const results = file.blocks.map((snapshot) => {
    const result = verifySnapshot(snapshot);
    return { ...resultOf(snapshot.block.number, snapshot, result), ok: result.ok };
  });
  return { file, checksumOk, results };
}

function rangeOffline (opts) {
  const { file, checksumOk, results } = loadRange(opts.snapshot);
  const failed = results.filter((r) => !r.ok);
  for (const r of failed) {
    console.log(`block #${r.number} ${r.hash}: ${r.bad.length} quantities differ`);
    console.log(verifyTable(r.bad));
  }
  console.log(categoryTable(results));
  console.log(`range #${file.from}..#${file.to} re-verified offline from ${opts.snapshot}: ${results.length} blocks, ` +
    `${results.length - failed.length} verified, ${failed.length} failed; file checksum ${checksumOk ? 'holds' : 'MISMATCH'}`);
  return failed.length === 0 && checksumOk ? 0 : 1;
}

/**
 * Read and verify blocks `from`..`to` (resolved) as `range` does; with `keep`, their snapshots too.
 * Returns the per-block results in order and the range's counts.
 */
async function collectRange (opts, ctx, api, from, to, keep) {
  const total = to.number - from.number + 1;
  const tick = progress(total, opts.quiet);
  const started = process.hrtime.bigint();
  const results = [];
  const snapshots = [];
  const counts = { failed: 0, quantities: 0, issued: 0n, epochs: 0, forks: 0 };
  tick(0, 0);
  const reader = opts.reader ?? 'batched';
  if (reader !== 'batched' && reader !== 'per-query') throw new UserError(`--reader must be batched or per-query, got "${reader}"`);
  const jobs = positiveInt('jobs', opts.jobs, reader === 'batched' ? 16 : 4);
  // The batched reader's blocks are shared among worker threads (contiguous parts, one connection
  // each): reading and verifying is the client's work, and it is CPU-bound.
  const workers = reader === 'batched' ? Math.min(positiveInt('workers', opts.workers, Math.min(2, os.availableParallelism())), total) : 1;
  const byNumber = new Map();
  let next = from.number;
  const accept = (r) => {
    byNumber.set(r.number, r);
    while (byNumber.has(next)) {
      const x = byNumber.get(next);
      byNumber.delete(next);
      if (!x.ok) counts.failed++;
      counts.quantities += x.rows;
      counts.issued += x.issued;
      counts.epochs += x.epochs;
      if (x.fork) counts.forks++;
      if (x.snapshot) snapshots.push(x.snapshot);
      delete x.snapshot;
      results.push(x);
      tick(next - from.number + 1, counts.failed);
      next++;
    }
  };
  if (workers <= 1) {
    await verifyRange({ api, url: opts.url, from: from.number, to: to.number, retry: ctx.retry, jobs, batched: reader === 'batched', keep, onResult: accept });
  } else {
    const size = Math.ceil(total / workers);
    const parts = [];
    for (let a = from.number; a <= to.number; a += size) parts.push([a, Math.min(a + size - 1, to.number)]);
    await Promise.all(parts.map(([a, b]) => new Promise((resolve, reject) => {
      const worker = new Worker(new URL('./lib/range-worker.js', import.meta.url), {
        workerData: { url: opts.url, from: a, to: b, jobs, keep, attempts: ctx.retry.attempts, timeoutMs: ctx.timeoutMs }
      });
      let done = false;
      worker.on('message', (m) => {
        if (m.result) accept(m.result);
        else if (m.retry) ctx.retry.onRetry({ message: m.retry.message }, m.retry.attempt, m.retry.wait);
        else if (m.done) { done = true; resolve(); } else if (m.error) {
          done = true;
          reject(m.error.name === 'UserError' ? new UserError(m.error.message, m.error.code) : new Error(m.error.message));
        }
      });
      worker.on('error', reject);
      worker.on('exit', (code) => { if (!done) reject(new Error(`a range worker exited (code ${code}) before it was done`)); });
    })));
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { results, snapshots, total, seconds, ...counts };
}

/** `--from`/`--to` resolved on the node, checked. */
async function rangeBounds (opts, ctx, api) {
  const from = await resolveBlock(api, opts.from, ctx.retry);
  const to = await resolveBlock(api, opts.to, ctx.retry);
  if (from.number < 1) throw new UserError('--from must be at least 1 (genesis runs no hook)');
  if (to.number < from.number) throw new UserError(`--to (#${to.number}) is before --from (#${from.number})`);
  return { from, to };
}

async function cmdRange (opts, ctx) {
  if (opts.snapshot !== undefined) return rangeOffline(opts);
  need(opts, 'url', 'from', 'to');
  const api = await ctx.api();
  const { from, to } = await rangeBounds(opts, ctx, api);
  const keep = opts['snapshot-out'] !== undefined;
  const { results, snapshots, total, seconds, failed, quantities, issued, epochs, forks } = await collectRange(opts, ctx, api, from, to, keep);
  for (const r of results.filter((x) => !x.ok)) {
    console.log(`block #${r.number} ${r.hash}: ${r.bad.length} quantities differ`);
    console.log(verifyTable(r.bad));
  }
  if (opts.out) {
    write(opts.out, csv(['block', 'hash', 'ok', 'quantities', 'mismatches', 'snapshot'],
      results.map((r) => [r.number, r.hash, r.ok, r.rows, r.bad.length, r.checksum])), opts.quiet);
  }
  if (keep) {
    const body = { format: RANGE_FORMAT, chain: snapshots[0]?.chain ?? null, from: from.number, to: to.number, blocks: snapshots };
    write(opts['snapshot-out'], JSON.stringify({ ...body, checksum: checksumOf(body) }), opts.quiet);
  }
  if (!opts.quiet) console.log(categoryTable(results));
  console.log(`range #${from.number}..#${to.number}: ${total} blocks, ${total - failed} verified, ${failed} failed; ` +
    `${quantities} quantities compared; ${issued} units issued; ${epochs} epochs; ${forks} forks; ` +
    `${seconds.toFixed(1)} s (${(total / seconds).toFixed(2)} blocks/s)`);
  return failed === 0 ? 0 : 1;
}

/** `--epoch NETUID:N` parsed. */
function parseEpoch (value) {
  const m = /^(\d+):(\d+)$/.exec(value);
  if (!m || Number(m[2]) < 1) throw new UserError(`--epoch must be NETUID:N (N ≥ 1, the subnet's epoch number), got "${value}"`);
  return { netuid: Number(m[1]), n: Number(m[2]) };
}

/** The subnet's tempo in a snapshot's inputs, or a clear error. */
function tempoIn (snapshot, netuid) {
  const subnet = snapshot.inputs.subnets.find((x) => x.netuid === netuid);
  if (!subnet) throw new UserError(`subnet ${netuid} is not registered at block #${snapshot.block.number}`);
  return subnet.tempo;
}

const settles = (events, netuid) => events.some((e) => e.section === 'emission' && e.method === 'EpochSettled' && Number(e.data.netuid) === netuid);

async function cmdRestitution (opts, ctx) {
  need(opts, 'what');
  const rule = ruleOf(opts.what);
  const epoch = opts.epoch !== undefined ? parseEpoch(opts.epoch) : null;
  let snapshots;
  let decimals = null;
  let symbol = '';
  let source;
  if (opts.snapshot !== undefined) {
    const { file, checksumOk, results } = loadRange(opts.snapshot);
    const failed = results.filter((r) => !r.ok);
    if (!checksumOk || failed.length) {
      console.log(`restitution refused: ${opts.snapshot} ${checksumOk ? '' : 'fails its checksum; '}${failed.length} of its blocks do not verify (run range --snapshot on it)`);
      return 1;
    }
    snapshots = file.blocks;
    if (epoch) {
      if (!snapshots.length) throw new UserError(`${opts.snapshot} holds no block`);
      const { from, to } = epochBlocks(epoch.netuid, epoch.n, tempoIn(snapshots[0], epoch.netuid));
      const last = snapshots.findIndex((x) => x.block.number >= to && settles(x.outputs.events, epoch.netuid));
      const first = snapshots.findIndex((x) => x.block.number === from);
      if (first < 0 || last < 0) throw new UserError(`epoch ${epoch.n} of subnet ${epoch.netuid} (blocks #${from}..#${to}, and its settlement) is not within ${opts.snapshot} (#${file.from}..#${file.to})`);
      snapshots = snapshots.slice(first, last + 1);
    }
    if (opts.units) {
      if (opts.decimals === undefined) throw new UserError('--units needs --decimals D offline (a range file does not record the chain\'s token)');
      decimals = Number(opts.decimals);
    }
    source = `${opts.snapshot} (every block re-verified offline)`;
  } else {
    need(opts, 'url');
    const api = await ctx.api();
    let from;
    let to;
    if (epoch) {
      if (opts.from !== undefined || opts.to !== undefined) throw new UserError('--epoch names the range: give it without --from and --to');
      const finalizedHash = (await withRetry(() => api.rpc.chain.getFinalizedHead(), ctx.retry)).toHex();
      const head = { hash: finalizedHash, number: (await withRetry(() => api.rpc.chain.getHeader(finalizedHash), ctx.retry)).number.toNumber() };
      const tempoAt = async (number) => {
        const hash = (await withRetry(() => api.rpc.chain.getBlockHash(number), ctx.retry)).toHex();
        const at = await withRetry(() => api.at(hash), ctx.retry);
        const entry = [...(await withRetry(() => at.query.subnets.subnets(), ctx.retry)).entries()].find(([n]) => n.toNumber() === epoch.netuid);
        return entry ? entry[1].tempo.toNumber() : null;
      };
      // The subnet's tempo at the finalized head or, removed since, at the last block that has it.
      let tempo = await tempoAt(head.number);
      if (tempo === null) {
        let lo = 1;
        let hi = head.number;
        if (await tempoAt(lo) === null) throw new UserError(`subnet ${epoch.netuid} is not registered at the finalized block #${head.number}, nor at #1`);
        while (hi - lo > 1) {
          const mid = Math.floor((lo + hi) / 2);
          if (await tempoAt(mid) === null) hi = mid; else lo = mid;
        }
        tempo = await tempoAt(lo);
      }
      const blocks = epochBlocks(epoch.netuid, epoch.n, tempo);
      // The epoch settles at its due block, or later when the queue holds it: look up to 64 blocks on.
      let settled = null;
      for (let b = blocks.to; b <= Math.min(blocks.to + 64, head.number) && settled === null; b++) {
        const at = await resolveBlock(api, String(b), ctx.retry, false);
        const events = await withRetry(async () => (await api.at(at.hash)).query.system.events(), ctx.retry);
        if (events.some(({ phase, event }) => phase.isInitialization && event.section === 'emission' && event.method === 'EpochSettled' && event.data.netuid.toNumber() === epoch.netuid)) settled = b;
      }
      if (settled === null) throw new UserError(`epoch ${epoch.n} of subnet ${epoch.netuid} (due at #${blocks.to}, tempo ${tempo}) has not settled in a finalized block`);
      from = await resolveBlock(api, String(blocks.from), ctx.retry);
      to = await resolveBlock(api, String(settled), ctx.retry);
    } else {
      need(opts, 'from', 'to');
      ({ from, to } = await rangeBounds(opts, ctx, api));
    }
    const r = await collectRange(opts, ctx, api, from, to, true);
    if (r.failed) {
      for (const x of r.results.filter((y) => !y.ok)) {
        console.log(`block #${x.number} ${x.hash}: ${x.bad.length} quantities differ`);
        console.log(verifyTable(x.bad));
      }
      console.log(`restitution refused: ${r.failed} of blocks #${from.number}..#${to.number} do not verify`);
      return 1;
    }
    snapshots = r.snapshots;
    if (opts.units) {
      decimals = api.registry.chainDecimals[0];
      symbol = api.registry.chainTokens[0] ?? '';
    }
    source = `${opts.url} (every block verified: ${r.quantities} quantities, 0 diffs)`;
  }
  if (epoch) {
    const last = snapshots.at(-1);
    if (tempoIn(snapshots[0], epoch.netuid) !== tempoIn(last, epoch.netuid)) throw new UserError(`the tempo of subnet ${epoch.netuid} changed within the epoch: name the blocks with --from and --to`);
  }
  const fmt = (v) => (decimals === null ? v.toString() : units(v, decimals, symbol));
  const a = snapshots[0].block.number;
  const b = snapshots.at(-1).block.number;
  console.log(`restitution over #${a}..#${b} (${snapshots.length} blocks) from ${source}`);
  console.log(`rule: ${opts.what}${epoch ? `; epoch ${epoch.n} of subnet ${epoch.netuid}` : ''}`);

  // The identity first: with no rule changed the carried replay must give the chain's amounts.
  const identity = identityDiffs(snapshots);
  if (identity.diffs.length) {
    console.log(`identity FAILS: with no rule changed the replay carried over the range differs from the chain in ${identity.diffs.length} of ${identity.quantities} quantities:`);
    for (const d of identity.diffs) console.log(`  ${d}`);
    console.log('restitution refused: the replay does not reproduce the chain over this range');
    return 1;
  }
  console.log(`identity: with no rule changed, the replay carried over the range gives the chain's amounts: 0 diffs in ${identity.quantities} quantities`);

  const rep = report(replayForward(snapshots, (inputs) => rule(inputs.settings)), { netuid: epoch?.netuid ?? null });
  const erpCell = (x) => (x === null ? '' : `${fixedToDecimal(x, 32)} (0x${x.toString(16)})`);
  console.log('\nper subnet (native units; ERP after the range as a decimal and its U96F32 bits):');
  console.log(table(['subnet', 'emission actual', 'counterfactual', 'diff', 'dividends actual', 'counterfactual', 'diff', 'capped actual', 'counterfactual', 'diff', 'ERP actual', 'ERP counterfactual'],
    rep.subnets.map((x) => [x.netuid, fmt(x.emission.actual), fmt(x.emission.counterfactual), fmt(x.emission.diff),
      fmt(x.dividends.actual), fmt(x.dividends.counterfactual), fmt(x.dividends.diff),
      fmt(x.recycled.actual), fmt(x.recycled.counterfactual), fmt(x.recycled.diff),
      erpCell(x.erp?.actual ?? null), erpCell(x.erp?.counterfactual ?? null)])));
  console.log('\nper validator (native dividends):');
  console.log(table(['subnet', 'validator', 'actual', 'counterfactual', 'owed (diff)'],
    rep.validators.map((v) => [v.netuid, encodeAddress(v.validator), fmt(v.actual), fmt(v.counterfactual), fmt(v.diff)])));
  console.log(`\nΣ owed (net): ${fmt(rep.owedNet)}`);
  console.log(`Σ owed (positive only): ${fmt(rep.owedPositive)}`);
  const line = (what, x) => console.log(`${what}: actual ${fmt(x.actual)}, counterfactual ${fmt(x.counterfactual)}, diff ${fmt(x.counterfactual - x.actual)}`);
  line('total issued', rep.summary.issued);
  line('total withheld', rep.summary.withheld);
  line('total to subnets', rep.summary.toSubnets);
  line('total distributed to validators', rep.summary.distributed);
  line('total recycled', rep.summary.recycled);
  for (const x of rep.summary.recycledBy) line(`  recycled (${x.reason})`, x);
  for (const f of rep.forks) console.log(`fork at #${f.block} decided differently: chain kept ${f.actual ? label(f.actual) : 'none'}, counterfactual keeps ${f.counterfactual ? label(f.counterfactual) : 'none'}`);
  if (opts.out) {
    write(opts.out, csv(['netuid', 'validator', 'validator_hex', 'actual', 'counterfactual', 'diff'], [
      ...rep.validators.map((v) => [v.netuid, encodeAddress(v.validator), v.validator, v.actual, v.counterfactual, v.diff]),
      ['total (owed net)', '', '', rep.validators.reduce((s, v) => s + v.actual, 0n), rep.validators.reduce((s, v) => s + v.counterfactual, 0n), rep.owedNet],
      ['total (owed positive only)', '', '', '', '', rep.owedPositive]
    ]), opts.quiet);
  }
  if (opts['subnets-out']) {
    const bitsOr = (x) => (x === null || x === undefined ? '' : `0x${x.toString(16)}`);
    const decOr = (x) => (x === null || x === undefined ? '' : fixedToDecimal(x, 32));
    write(opts['subnets-out'], csv(['netuid', 'emission_actual', 'emission_counterfactual', 'emission_diff',
      'dividends_actual', 'dividends_counterfactual', 'dividends_diff', 'capped_actual', 'capped_counterfactual', 'capped_diff',
      'erp_actual', 'erp_actual_bits', 'erp_counterfactual', 'erp_counterfactual_bits'],
    rep.subnets.map((x) => [x.netuid, x.emission.actual, x.emission.counterfactual, x.emission.diff,
      x.dividends.actual, x.dividends.counterfactual, x.dividends.diff, x.recycled.actual, x.recycled.counterfactual, x.recycled.diff,
      decOr(x.erp?.actual), bitsOr(x.erp?.actual), decOr(x.erp?.counterfactual), bitsOr(x.erp?.counterfactual)])), opts.quiet);
  }
  return 0;
}

async function cmdPicture (opts, ctx) {
  const snapshot = await snapshotFor(opts, ctx);
  const replay = replayBlock(snapshot);
  if (!replay.stages) throw new UserError(`block #${snapshot.block.number} issued no emission: there are no shares to draw`);
  const tine = snapshot.inputs.activeTine;
  const svg = stagesSvg({
    title: `Emission of block #${snapshot.block.number}: ${replay.issued} units`,
    subtitle: [
      `withheld ${replay.withheld}${tine ? ` by tine "${label(tine.id)}"` : ''}, to subnets ${replay.toSubnets}, recycled ${replay.recycled}`,
      'bars: each subnet\'s share after each filter stage; under them: the amount it received'
    ],
    stages: replay.stages,
    amounts: replay.amounts,
    settings: snapshot.inputs.settings,
    rates: snapshot.inputs.subnetRates ?? {}
  });
  const out = opts.out ?? `block-${snapshot.block.number}.svg`;
  write(out, svg, opts.quiet);
  if (!opts.quiet) {
    console.log(table(['subnet', 'base', 'rate', 'after rate', 'ERP scaling', 'top proportion', 'absolute limit', 'amount'],
      [...replay.stages.base.keys()].map((n) => [n, pct(replay.stages.base.get(n)),
        `${(snapshot.inputs.subnetRates?.[n] ?? 1_000_000_000) / 10_000_000} %`, pct(replay.stages.afterRate.get(n)),
        pct(replay.stages.afterErpScaling.get(n)),
        pct(replay.stages.afterTopProportion.get(n)), pct(replay.stages.afterAbsoluteLimit.get(n)), replay.amounts.get(n) ?? 0n])));
  }
  return 0;
}

const COMMANDS = { snapshot: cmdSnapshot, verify: cmdVerify, counterfactual: cmdCounterfactual, range: cmdRange, restitution: cmdRestitution, picture: cmdPicture };

export async function main (argv) {
  let ctx = null;
  try {
    const { command, opts } = parse(argv);
    if (opts.help || command === 'help') {
      console.log(usage());
      return 0;
    }
    if (command === undefined) throw new UserError(`missing command\n\n${usage()}`);
    const run = COMMANDS[command];
    if (!run) throw new UserError(`unknown command "${command}"\n\n${usage()}`);
    ctx = context(opts);
    return await run(opts, ctx);
  } catch (err) {
    if (err instanceof UserError) {
      console.error(`error: ${err.message}`);
      return err.code;
    }
    console.error(`error: ${err?.message ?? err}`);
    if (process.env.AUDIT_DEBUG) console.error(err?.stack);
    else console.error('(unexpected: set AUDIT_DEBUG=1 for the stack trace)');
    return 3;
  } finally {
    if (ctx) await ctx.close().catch(() => {});
  }
}

if (isEntryPoint(import.meta.url)) {
  process.exit(await main(process.argv.slice(2)));
}
