// A polkadot.js client for command-line tools: a bounded connect, retries with backoff on
// transient RPC errors, and errors a person can act on (an unreachable node, a pruned state).

import { ApiPromise, WsProvider } from '@polkadot/api';

/** An error the tools print as one line (no stack trace) before exiting with `code`. */
export class UserError extends Error {
  constructor (message, code = 2) {
    super(message);
    this.name = 'UserError';
    this.code = code;
  }
}

const PRUNED = /state already discarded|state is not available|unknown block|header was not found|not found in the database/i;
const TRANSIENT = /disconnected|not connected|no response received|timeout|timed out|1006|ECONNRESET|ECONNREFUSED|socket hang up|503|502|504|temporarily unavailable|abnormal closure/i;

/** True for RPC errors that a retry can fix. */
export function isTransient (err) {
  const message = String(err?.message ?? err);
  return !PRUNED.test(message) && TRANSIENT.test(message);
}

/** True for the node's "this block's state is gone" errors. */
export function isPruned (err) {
  return PRUNED.test(String(err?.message ?? err));
}

/** The error shown when the node no longer has a block's state. */
export function prunedError (what) {
  return new UserError(
    `the node has no state for ${what}: it was pruned. Run the node with \`--state-pruning archive\` ` +
    '(an archive node keeps every block\'s state) and try again.'
  );
}

/**
 * Run `fn` and retry it on transient RPC errors: `attempts` tries in all, waiting `baseMs`, then
 * twice as long each time. `onRetry(err, attempt, waitMs)` is told about each retry.
 */
export async function withRetry (fn, { attempts = 5, baseMs = 250, onRetry = () => {} } = {}) {
  let wait = baseMs;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (attempt >= attempts || !isTransient(err)) throw err;
      onRetry(err, attempt, wait);
      await new Promise((resolve) => setTimeout(resolve, wait));
      wait *= 2;
    }
  }
}

// polkadot.js logs connection failures itself (console.error lines tagged API-WS / RPC-CORE); a tool
// reports them once, as a UserError, instead.
const NOISE = /API-WS|RPC-CORE|API\/INIT|REGISTRY/;
function quietPolkadotLogs () {
  for (const level of ['error', 'warn', 'log']) {
    const original = console[level].bind(console);
    console[level] = (...args) => {
      if (args.some((a) => typeof a === 'string' && NOISE.test(a))) return;
      original(...args);
    };
  }
}

/**
 * For the command-line tools: connect to `url` ({@link connectApi}); when that fails with a
 * `UserError` (an unreachable node, a bad address, a chain without the pallet), print it as one
 * line on stderr and exit with its code (2), never a hang or a stack trace.
 */
export async function connectOrExit (url, options = {}) {
  try {
    return await connectApi(url, options);
  } catch (err) {
    if (!(err instanceof UserError)) throw err;
    console.error(`error: ${err.message}`);
    process.exit(err.code);
  }
}

/**
 * Connect to `url`; a `UserError` when the node cannot be reached within `timeoutMs`, or (unless
 * `requireEmission` is false) when its chain has no emission pallet and `EmissionApi`.
 */
export async function connectApi (url, { timeoutMs = 15_000, requireEmission = true } = {}) {
  if (!/^wss?:\/\/[^\s]+$/.test(url)) throw new UserError(`--url must be a ws:// or wss:// address, got "${url}"`);
  quietPolkadotLogs();
  const provider = new WsProvider(url, 1_000, {}, 60_000);
  let timer;
  const timeout = new Promise((resolve, reject) => {
    timer = setTimeout(() => reject(new UserError(`cannot reach a node at ${url} (no answer within ${timeoutMs / 1000} s): is it running, and is the address right?`)), timeoutMs);
  });
  try {
    const api = await Promise.race([ApiPromise.create({ provider, noInitWarn: true }), timeout]);
    if (requireEmission && (!api.query.emission || !api.call.emissionApi)) {
      await api.disconnect();
      throw new UserError(`the chain at ${url} has no emission pallet or EmissionApi`);
    }
    return api;
  } catch (err) {
    await provider.disconnect().catch(() => {});
    throw err;
  } finally {
    clearTimeout(timer);
  }
}
