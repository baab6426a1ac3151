// Submit extrinsics with polkadot.js and report what happened to them in their block.

import { Metadata, TypeRegistry } from '@polkadot/types';
import { u8aToHex } from '@polkadot/util';
import { xxhashAsU8a } from '@polkadot/util-crypto';

/**
 * Sign and send `tx` with `signer`; resolve when it is in a block (or finalized) with
 * `{ blockHash, events, dispatchError }`. `nonce` -1 asks the node for the next one (counting the
 * pool); give explicit nonces to send several transactions at once. Other `options` go to the
 * signer as they are (e.g. `mode` and `metadataHash` for `CheckMetadataHash`). `dispatchError` is the decoded error of a failed
 * extrinsic (`{ section, name }`), or null when the extrinsic succeeded.
 */
export function submit (api, tx, signer, options = {}) {
  return submitStaged(api, tx, signer, options).included;
}

/**
 * {@link submit}, in two stages: `accepted` resolves once the node's pool has taken the
 * transaction (the watch subscription is open), `included` as `submit` does. Sending a signer's
 * transactions one after the other's acceptance keeps their nonces in order at the pool: none
 * arrives as a future transaction (the fork-aware pool was seen dropping one of nine sent at once).
 */
export function submitStaged (api, tx, signer, { timeoutMs = 60_000, nonce = -1, ...options } = {}) {
  let accept;
  let refuse;
  const accepted = new Promise((resolve, reject) => { accept = resolve; refuse = reject; });
  const included = new Promise((resolve, reject) => {
    let unsub = null;
    const timer = setTimeout(() => {
      if (unsub) unsub();
      reject(new Error(`extrinsic not in a block after ${timeoutMs} ms`));
    }, timeoutMs);
    tx.signAndSend(signer, { ...options, nonce }, ({ status, events, dispatchError }) => {
      if (status.isInvalid || status.isDropped || status.isUsurped) {
        clearTimeout(timer);
        if (unsub) unsub();
        reject(new Error(`extrinsic ${status.type}`));
        return;
      }
      // A node that finalizes each block as it seals it (`--sealing`) may report `Finalized`
      // without an `InBlock` first.
      if (!status.isInBlock && !status.isFinalized) return;
      clearTimeout(timer);
      if (unsub) unsub();
      resolve({
        blockHash: (status.isInBlock ? status.asInBlock : status.asFinalized).toHex(),
        events,
        dispatchError: dispatchError ? decodeError(api, dispatchError) : null
      });
    }).then((u) => { unsub = u; accept(); }, (err) => { clearTimeout(timer); refuse(err); reject(err); });
  });
  // `included` carries the error; `accepted`'s rejection is for a caller that awaits it.
  accepted.catch(() => {});
  return { accepted, included };
}

/** Decode a `DispatchError` to `{ section, name }` (`{ section: 'system', name: 'BadOrigin' }`). */
export function decodeError (api, dispatchError) {
  if (dispatchError.isModule) {
    const meta = api.registry.findMetaError(dispatchError.asModule);
    return { section: meta.section, name: meta.name };
  }
  return { section: 'system', name: dispatchError.type };
}

/** The events of `section.method` among `events` (records from `submit`). */
export function findEvents (events, section, method) {
  return events
    .map(({ event }) => event)
    .filter((event) => event.section === section && event.method === method);
}

/**
 * Set the runtime code through sudo: `sudo.sudoUncheckedWeight(system.setCode(code))` (setCode
 * weighs a whole block, more than a normal extrinsic may). Resolves, once the call is in a block,
 * with `{ block, blockHash, events, error, version }`: `error` the inner call's decoded error or
 * null; on success, after the next block (the first of the new runtime, which runs its
 * migrations) is in, `version` the runtime version the code set.
 */
export async function setCode (api, code, signer, { timeoutMs = 120_000 } = {}) {
  const tx = api.tx.sudo.sudoUncheckedWeight(api.tx.system.setCode(code), { refTime: 0, proofSize: 0 });
  const { blockHash, dispatchError } = await submit(api, tx, signer, { timeoutMs });
  if (dispatchError) throw new Error(`sudo extrinsic failed: ${dispatchError.section}.${dispatchError.name}`);
  const block = (await api.rpc.chain.getHeader(blockHash)).number.toNumber();
  const { registry, events } = await eventsWithParentMetadata(api, blockHash);
  const sudid = findEvents(events, 'sudo', 'Sudid');
  if (sudid.length !== 1) throw new Error(`block #${block}: ${sudid.length} Sudid events, expected 1`);
  const result = sudid[0].data.sudoResult;
  if (result.isErr) return { block, blockHash, events, error: decodeError({ registry }, result.asErr), version: null };
  const deadline = Date.now() + timeoutMs;
  while ((await api.rpc.chain.getHeader()).number.toNumber() <= block) {
    if (Date.now() > deadline) throw new Error(`no block after #${block} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return { block, blockHash, events, error: null, version: await api.rpc.state.getRuntimeVersion(blockHash) };
}

/**
 * The events of block `blockHash`, decoded in a registry of their own with the metadata of the
 * runtime that ran the block (its parent's). A connected polkadot.js client updates its default
 * registry in place when the runtime changes, and `api.at` may hand back that registry for a
 * block it had cached before the change, so the block that sets the code is decoded with the new
 * metadata; this does not depend on that cache.
 */
export async function eventsWithParentMetadata (api, blockHash) {
  const header = await api.rpc.chain.getHeader(blockHash);
  const registry = new TypeRegistry();
  const metadata = await api.rpc.state.getMetadata(header.parentHash);
  registry.setMetadata(new Metadata(registry, metadata.toU8a()));
  const key = u8aToHex(new Uint8Array([...xxhashAsU8a('System', 128), ...xxhashAsU8a('Events', 128)]));
  const raw = await api.rpc.state.getStorage(key, blockHash);
  const bytes = raw.isSome === undefined ? raw.toU8a(true) : raw.unwrap().toU8a(true);
  const records = registry.createType('Vec<EventRecord>', bytes);
  return { registry, events: records };
}

/**
 * Send every call through sudo signed by `signer`, in order (one nonce each, all at once), and
 * wait until all are in blocks. Throws if an extrinsic or an inner call failed.
 */
export async function sudoAll (api, calls, signer) {
  const first = (await api.rpc.system.accountNextIndex(signer.address)).toNumber();
  // Each sent once the pool holds the one before it: in nonce order, none waiting as a future one.
  const results = [];
  for (const [i, call] of calls.entries()) {
    const { accepted, included } = submitStaged(api, api.tx.sudo.sudo(call), signer, { nonce: first + i });
    results.push(included);
    try {
      await accepted;
    } catch (err) {
      for (const r of results) r.catch(() => {});
      throw err;
    }
  }
  for (const [i, { events, dispatchError }] of (await Promise.all(results)).entries()) {
    if (dispatchError) throw new Error(`sudo call ${i}: extrinsic failed: ${dispatchError.section}.${dispatchError.name}`);
    const sudid = findEvents(events, 'sudo', 'Sudid');
    if (sudid.length === 0) throw new Error(`sudo call ${i}: no Sudid event`);
    const result = sudid[0].data.sudoResult;
    if (result.isErr) {
      const err = decodeError(api, result.asErr);
      throw new Error(`sudo call ${i}: inner call failed: ${err.section}.${err.name}`);
    }
  }
}

/** The dev chains' oracle feeders (the runtime's `DevFeeders`; quorum 2). */
export const DEV_FEEDERS = ['//Dave', '//Eve', '//Ferdie'];

/**
 * Submit readings signed by their feeders, all at once: `readings` is `[[feeder pair, tine id,
 * growth ppm, depth stability, floor held, retention], …]` for `turn`. A feeder may appear more
 * than once: its submissions get consecutive nonces (a later one for the same tine replaces the
 * earlier). Throws on a failed submission; returns the results.
 */
export async function feedAll (api, turn, readings) {
  const next = new Map();
  for (const [feeder] of readings) {
    if (!next.has(feeder.address)) next.set(feeder.address, (await api.rpc.system.accountNextIndex(feeder.address)).toNumber());
  }
  const results = await Promise.all(readings.map(([feeder, id, ...fields]) => {
    const nonce = next.get(feeder.address);
    next.set(feeder.address, nonce + 1);
    return submit(api, api.tx.emission.submitReading(turn, id, ...fields), feeder, { nonce });
  }));
  for (const r of results) {
    if (r.dispatchError) throw new Error(`submitReading failed: ${r.dispatchError.section}.${r.dispatchError.name}`);
  }
  return results;
}
