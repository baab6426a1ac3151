// A worker thread of `audit.js range`: verifies the blocks `from..to` it is given over a connection
// of its own and posts each block's result (in block order), then `{ done: true }`, or
// `{ error }`; each retry after a transient RPC error is posted as `{ retry }` (the parent reports it).

import { parentPort, workerData } from 'node:worker_threads';

import { connectApi } from './client.js';
import { verifyRange } from './range.js';

const { url, from, to, jobs, keep, attempts, timeoutMs } = workerData;
let api = null;
try {
  api = await connectApi(url, { timeoutMs });
  await verifyRange({ api, url, from, to, jobs, batched: true, keep, retry: { attempts, onRetry: (err, attempt, wait) => parentPort.postMessage({ retry: { message: err.message, attempt, wait } }) }, onResult: (r) => parentPort.postMessage({ result: r }) });
  parentPort.postMessage({ done: true });
} catch (err) {
  parentPort.postMessage({ error: { message: err.message, name: err.name, code: err.code } });
} finally {
  if (api) await api.disconnect().catch(() => {});
}
