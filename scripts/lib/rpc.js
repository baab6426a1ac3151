// A JSON-RPC client over one WebSocket that sends the calls made in the same tick as one batch
// (a JSON array, answered by one array: JSON-RPC 2.0 batches, which the node's server accepts).
// `audit.js range` reads a few values per block (a hash, a header, a runtime version, key listings);
// sent one by one through polkadot.js's provider, each costs a WebSocket frame and its
// bookkeeping on both sides, and together they were a large part of the client's time per block.

import { WebSocket } from '@polkadot/x-ws';

/** The most calls in one batch (a batch answers when all of its calls are done). */
const MAX_BATCH = 256;

/** An error the node answered, worded as polkadot.js words it (`code: message: data`). */
export class RpcError extends Error {
  constructor (method, { code, message, data }) {
    super(`${code}: ${message}${data === undefined ? '' : `: ${typeof data === 'string' ? data : JSON.stringify(data)}`}`);
    this.name = 'RpcError';
    this.code = code;
    this.method = method;
  }
}

/**
 * One connection. A call made while it is down opens it again (a transient error for the calls
 * that were in flight when it dropped: `withRetry` repeats them); `close()` ends it for good.
 */
export class BatchRpc {
  constructor (url, { timeoutMs = 15_000 } = {}) {
    this.url = url;
    this.timeoutMs = timeoutMs;
    this.nextId = 1;
    this.queue = []; // calls not sent yet: { id, method, params, resolve, reject }
    this.waiting = new Map(); // id → call
    this.ws = null;
    this.open = false;
    this.ended = false;
  }

  /** Call `method` with `params`; the result, or an `RpcError`. */
  send (method, params) {
    if (this.ended) return Promise.reject(new Error(`disconnected from ${this.url}: closed`));
    if (!this.ws) this.connect();
    return new Promise((resolve, reject) => {
      if (this.queue.length === 0 && this.open) queueMicrotask(() => this.flush());
      this.queue.push({ id: this.nextId++, method, params, resolve, reject });
    });
  }

  connect () {
    const ws = new WebSocket(this.url);
    this.ws = ws;
    const timer = setTimeout(() => {
      this.drop(ws, new Error(`timeout: no WebSocket connection to ${this.url} within ${this.timeoutMs / 1000} s`));
    }, this.timeoutMs);
    ws.onopen = () => {
      clearTimeout(timer);
      this.open = true;
      this.flush();
    };
    ws.onmessage = (event) => this.receive(event.data);
    ws.onerror = () => {};
    ws.onclose = (event) => {
      clearTimeout(timer);
      this.drop(ws, new Error(`disconnected from ${this.url} (${event?.code ?? 1006}): abnormal closure`));
    };
  }

  flush () {
    if (!this.open) return;
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, MAX_BATCH);
      for (const call of batch) this.waiting.set(call.id, call);
      const body = batch.map(({ id, method, params }) => ({ jsonrpc: '2.0', id, method, params }));
      try {
        this.ws.send(JSON.stringify(body.length === 1 ? body[0] : body));
      } catch (err) {
        this.drop(this.ws, new Error(`disconnected from ${this.url}: ${err.message}`));
        return;
      }
    }
  }

  receive (data) {
    let parsed;
    try {
      parsed = JSON.parse(typeof data === 'string' ? data : Buffer.from(data).toString('utf8'));
    } catch {
      return; // not JSON-RPC: ignored
    }
    for (const response of Array.isArray(parsed) ? parsed : [parsed]) {
      const call = this.waiting.get(response?.id);
      if (!call) continue;
      this.waiting.delete(response.id);
      if (response.error) call.reject(new RpcError(call.method, response.error));
      else call.resolve(response.result);
    }
  }

  /** The connection `ws` is gone: reject every call in flight or queued with `err`. */
  drop (ws, err) {
    if (ws !== this.ws) return;
    this.ws = null;
    this.open = false;
    ws.onclose = null;
    try { ws.close(); } catch {}
    for (const call of [...this.waiting.values(), ...this.queue]) call.reject(err);
    this.waiting.clear();
    this.queue = [];
  }

  /** Close the connection for good. */
  close () {
    if (this.ws) this.drop(this.ws, new Error(`disconnected from ${this.url}: closed`));
    this.ended = true;
  }
}
