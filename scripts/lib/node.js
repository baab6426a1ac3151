// Start and stop real `emission-node` processes for the end-to-end tests.
//
// Every node gets free ports (or the ones it is given, to come back on them after a restart), a
// temporary base path (`--tmp`) unless it is given a persistent one, and a log file under
// `scripts/logs/`. Logs of a passing run are deleted; logs of a failing run are kept and their
// path is printed. Nodes are stopped with SIGTERM (then SIGKILL) when a test ends, and also when
// this process exits or is interrupted, so no node outlives the test run.

import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { ApiPromise, WsProvider } from '@polkadot/api';

const here = path.dirname(fileURLToPath(import.meta.url));
export const LOG_DIR = path.resolve(here, '..', 'logs');

/** Path of the node binary: `$EMISSION_NODE`, else the release build in the cargo target dir. */
export function nodeBinary () {
  if (process.env.EMISSION_NODE) return process.env.EMISSION_NODE;
  const target = process.env.CARGO_TARGET_DIR || path.join(os.homedir(), '.cache', 'emission-target');
  return path.join(target, 'release', 'emission-node');
}

/** A TCP port that was free a moment ago (the kernel picks it). */
export function freePort () {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * A dev chain for tests that do not test consensus: `--dev` with a block sealed and finalized
 * every 250 ms (`--sealing manual:250`) instead of a 3 s Aura slot and GRANDPA. The runtime still
 * sees one Aura slot per block (and, from block 3 on, one slot duration of time). Tests of
 * authoring, finality and block timing use `--dev` (Aura + GRANDPA).
 */
export const FAST_DEV = ['--dev', '--sealing', 'manual:250'];

const running = new Set();

function killAll (signal) {
  for (const node of running) {
    try { node.child.kill(signal); } catch { /* already gone */ }
  }
}
process.on('exit', () => killAll('SIGKILL'));
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => { killAll('SIGKILL'); process.exit(130); });
}

/**
 * Start a node. `args` are extra CLI flags (e.g. `['--dev']`). Resolves once its RPC answers.
 * `basePath` keeps the node's database and keystore there (a restart on it goes on from its
 * state) instead of `--tmp`; `rpcPort` and `p2pPort` reuse given ports.
 * Returns `{ name, rpcPort, p2pPort, wsUrl, logFile, child, stop(keepLog), kill() }`.
 */
export async function startNode (name, args, { timeoutMs = 120_000, basePath = null, rpcPort: givenRpc = null, p2pPort: givenP2p = null } = {}) {
  const binary = nodeBinary();
  if (!fs.existsSync(binary)) {
    throw new Error(`node binary not found at ${binary}: build it with \`cargo build --release -p emission-node\` or set EMISSION_NODE`);
  }
  fs.mkdirSync(LOG_DIR, { recursive: true });
  const rpcPort = givenRpc ?? await freePort();
  const p2pPort = givenP2p ?? await freePort();
  const logFile = path.join(LOG_DIR, `${name}-${process.pid}-${rpcPort}.log`);
  // A restarted node appends to its log: one file tells the whole story.
  const log = fs.openSync(logFile, 'a');
  const fullArgs = [
    ...(basePath ? ['--base-path', basePath] : ['--tmp']),
    '--rpc-port', String(rpcPort),
    '--port', String(p2pPort),
    '--no-prometheus',
    '--no-telemetry',
    '--no-mdns',
    '--rpc-cors', 'all',
    ...args
  ];
  const child = spawn(binary, fullArgs, { stdio: ['ignore', log, log] });
  fs.closeSync(log);
  const node = {
    name,
    rpcPort,
    p2pPort,
    wsUrl: `ws://127.0.0.1:${rpcPort}`,
    logFile,
    child,
    exited: false,
    async stop (keepLog = false) {
      running.delete(node);
      if (!node.exited) {
        const gone = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await gone;
        clearTimeout(timer);
      }
      if (keepLog) {
        console.error(`[${name}] log kept at ${logFile}`);
      } else {
        fs.rmSync(logFile, { force: true });
      }
    },
    /** SIGKILL, as a crash: no shutdown, nothing flushed; resolves when the process is gone. */
    async kill () {
      running.delete(node);
      if (node.exited) return;
      const gone = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await gone;
    }
  };
  child.on('exit', () => { node.exited = true; });
  running.add(node);

  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (node.exited) {
      await node.stop(true);
      throw new Error(`${name} exited before its RPC came up; see ${logFile}`);
    }
    if (await rpcAnswers(rpcPort)) return node;
    if (Date.now() > deadline) {
      await node.stop(true);
      throw new Error(`${name}: RPC did not answer within ${timeoutMs} ms; see ${logFile}`);
    }
    await sleep(250);
  }
}

/** True when `method` (default `system_health`) answers over HTTP on `port`. */
export async function rpcAnswers (port, method = 'system_health') {
  try {
    const res = await fetch(`http://127.0.0.1:${port}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params: [] })
    });
    return res.ok;
  } catch {
    return false;
  }
}

/** A plain JSON-RPC call over HTTP to `node`; resolves the whole reply, `{ result }` or `{ error }`. */
export async function rpcRaw (node, method, params = []) {
  const res = await fetch(`http://127.0.0.1:${node.rpcPort}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params })
  });
  return res.json();
}

/** A plain JSON-RPC call over HTTP (raw hex in and out, no metadata); resolves its result, throws its error. */
export async function rpc (node, method, params = []) {
  const body = await rpcRaw(node, method, params);
  if (body.error) throw new Error(`${method}: ${JSON.stringify(body.error)}`);
  return body.result;
}

/** The node's libp2p peer id, read over RPC. */
export function peerId (node) {
  return rpc(node, 'system_localPeerId');
}

/** Connect polkadot.js to a node. */
export async function connect (node) {
  const provider = new WsProvider(node.wsUrl, 1000, {}, 30_000);
  return ApiPromise.create({ provider, throwOnConnect: true, noInitWarn: true });
}

export function sleep (ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Poll `check()` every 250 ms until it returns a truthy value, and resolve with that value;
 * throw `what` after `ms`.
 */
export async function until (ms, what, check) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`${what} (not within ${ms / 1000} s)`);
    await sleep(250);
  }
}

/** Run `scripts/audit.js args`; resolve with `{ code, stdout, stderr }` (code 0 on success). */
export function runAudit (args, timeout = 300_000) {
  return new Promise((resolve) => {
    execFile('node', [path.resolve(here, '..', 'audit.js'), ...args], { timeout, maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      resolve({ code: err ? err.code : 0, stdout, stderr });
    });
  });
}

/**
 * Run `fn(nodes)` with nodes started by `starters` (async functions returning nodes). Every node
 * is stopped afterwards; logs are kept if `fn` (or a start) fails.
 */
export async function withNodes (starters, fn) {
  const nodes = [];
  let failed = true;
  try {
    for (const start of starters) nodes.push(await start(nodes));
    await fn(nodes);
    failed = false;
  } finally {
    for (const node of nodes) await node.stop(failed);
  }
}
