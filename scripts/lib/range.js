// Verify a range of blocks: read each block's snapshot and verify it, in block order. Shared by
// `audit.js range` and its worker threads (`range-worker.js`), each of which verifies a part of the
// range over its own connection.

import { takeSnapshot } from './snapshot.js';
import { verifySnapshot } from './verify.js';
import { StateViews } from './views.js';

/** Blocks whose values are prefetched with one request (the batched reader). */
const CHUNK = 64;

/**
 * Verify blocks `from..to` (numbers) over `api`; `onResult` is told each block's result in block
 * order: `{ number, hash, ok, rows, bad, checksum, issued, epochs, fork }`. With `batched`, snapshots
 * are read through `StateViews`: the first block on its own (it tells which values a block needs),
 * then each chunk of `CHUNK` blocks with its values prefetched in one request. `jobs` snapshots are
 * read ahead at once (the round trips overlap). With `url` (the node's address), the batched reader's
 * own calls go over a connection of their own, the calls of a tick as one JSON-RPC batch.
 */
export async function verifyRange ({ api, url = null, from, to, retry, jobs, batched, keep = false, onResult }) {
  const views = batched ? new StateViews(api, retry, 2 * jobs + 4, { url }) : null;
  try {
    await verifyBlocks({ views, api, from, to, retry, jobs, keep, onResult });
  } finally {
    views?.close();
  }
}

async function verifyBlocks ({ views, api, from, to, retry, jobs, keep, onResult }) {
  const hashes = new Map();
  const blockAt = (n) => {
    if (!views) return n;
    if (!hashes.has(n)) hashes.set(n, views.blockHash(n).then((h) => ({ number: n, hash: h.toHex() })));
    return hashes.get(n);
  };
  const inFlight = new Map();
  const chunks = new Map();
  const chunkOf = (n) => (n === from ? n : from + 1 + Math.floor((n - from - 1) / CHUNK) * CHUNK);
  const prefetch = (n) => {
    if (!views || n === from) return null;
    const start = chunkOf(n);
    if (!chunks.has(start)) {
      chunks.set(start, (async () => {
        await inFlight.get(from)?.catch(() => {});
        const end = Math.min(start + CHUNK - 1, to);
        const list = [];
        for (let k = start - 1; k <= end; k++) list.push(blockAt(k));
        await views.prefetch((await Promise.all(list)).map((b) => b.hash));
      })());
      chunks.delete(start - 2 * CHUNK);
    }
    return chunks.get(start);
  };
  const fetchAhead = (n) => {
    if (n <= to && !inFlight.has(n)) {
      const p = Promise.resolve(prefetch(n)).then(() => blockAt(n)).then((at) => takeSnapshot(api, at, retry, views, false));
      p.catch(() => {}); // awaited below, in order
      inFlight.set(n, p);
      // The next chunk's values are on their way while this one's blocks are verified (after the
      // first block is in flight: a chunk waits for it).
      if (n + CHUNK <= to) prefetch(n + CHUNK)?.catch(() => {});
    }
  };
  for (let n = from; n <= to; n++) {
    for (let k = n; k < n + jobs; k++) fetchAhead(k);
    const snapshot = await inFlight.get(n);
    inFlight.delete(n);
    hashes.delete(n - 1);
    // Just read: its checksum was computed from this object, the check could not fail.
    const result = verifySnapshot(snapshot, { checksum: false });
    onResult({ ...resultOf(n, snapshot, result), ...(keep ? { snapshot } : {}) });
  }
}

/** What a range reports of a verified snapshot: its rows summed by category, and its failures. */
export function resultOf (number, snapshot, result) {
  return {
    number,
    hash: snapshot.block.hash,
    ok: result.ok,
    rows: result.rows.length,
    bad: result.rows.filter((r) => !r.ok),
    checksum: snapshot.checksum,
    issued: result.replay.issued,
    epochs: result.replay.epochs.length,
    fork: Boolean(result.replay.fork),
    categories: categories(result.rows)
  };
}

/**
 * A category of rows: the group without its subnet ("epoch of subnet 2" → "epoch"; "dividends on
 * subnet 1" → "dividends"), so that a range sums like quantities of every subnet.
 */
export function categoryOf (group) {
  return group.replace(/ (of|on) subnet \d+$/, '');
}

/** Rows summed by category: how many, how many differ, and Σ computed, Σ on chain, Σ diff of the numeric ones. */
export function categories (rows) {
  const out = {};
  for (const r of rows) {
    const c = (out[categoryOf(r.group)] ??= { quantities: 0, mismatches: 0, computed: 0n, onchain: 0n, diff: 0n });
    c.quantities++;
    if (!r.ok) c.mismatches++;
    if (typeof r.computed === 'bigint' && typeof r.onchain === 'bigint') {
      c.computed += r.computed;
      c.onchain += r.onchain;
      c.diff += r.diff ?? r.computed - r.onchain;
    }
  }
  return out;
}

/** Add `b`'s category sums into `a`. */
export function mergeCategories (a, b) {
  for (const [k, v] of Object.entries(b)) {
    const c = (a[k] ??= { quantities: 0, mismatches: 0, computed: 0n, onchain: 0n, diff: 0n });
    c.quantities += v.quantities;
    c.mismatches += v.mismatches;
    c.computed += BigInt(v.computed);
    c.onchain += BigInt(v.onchain);
    c.diff += BigInt(v.diff);
  }
  return a;
}
