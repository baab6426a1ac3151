// `CheckMetadataHash` against both builds of the runtime: the default wasm (no hash) and the one
// built with the feature `metadata-hash` (`scripts/build-metadata-hash-runtime.sh`), on dev chains.
// polkadot.js and PAPI sign against both as they do by default (mode Disabled); a signer that
// commits to the metadata (mode Enabled, the hash computed here from the node's metadata V15 with
// `@polkadot-api/merkleize-metadata`) is accepted by the hashed build only, and only with the
// right hash.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import { merkleizeMetadata } from '@polkadot-api/merkleize-metadata';
import { Keyring } from '@polkadot/keyring';
import { u8aToHex } from '@polkadot/util';

import { FAST_DEV, connect, nodeBinary, startNode, until } from '../lib/node.js';
import { connectPapi, papiSigner } from '../lib/papi.js';
import { findEvents, submit } from '../lib/tx.js';

const UNIT = 10n ** 12n;

/** The metadata-hash wasm built by `scripts/build-metadata-hash-runtime.sh`. */
function hashedWasm () {
  const target = process.env.CARGO_TARGET_DIR || path.join(os.homedir(), '.cache', 'emission-target');
  const file = path.join(target, 'metadata-hash', 'emission_runtime.compact.compressed.wasm');
  if (!fs.existsSync(file)) throw new Error(`${file} is missing: run scripts/build-metadata-hash-runtime.sh`);
  return fs.readFileSync(file);
}

/** The RFC-78 metadata hash of the chain `api` is connected to, from its metadata V15. */
async function metadataHash (api) {
  const opaque = await api.call.metadata.metadataAtVersion(15);
  const bytes = opaque.unwrap().toU8a(true);
  return merkleizeMetadata(bytes, { decimals: 12, tokenSymbol: 'UNIT' }).digest();
}

/** Run the signing checks against the node `node`; `hashed` says whether its runtime has the hash. */
function signingChecks (name, getNode, hashed) {
  describe(name, () => {
    let api;
    let papi;
    let alice;
    let bob;

    before(async () => {
      const node = getNode();
      api = await connect(node);
      papi = connectPapi(node.wsUrl);
      const keyring = new Keyring({ type: 'sr25519' });
      alice = keyring.addFromUri('//Alice');
      // Not a validator of the dev economy (whose dividends would move its balance), not endowed.
      bob = keyring.addFromUri('//MetadataHash//Recipient');
      await until(60_000, 'block 2', async () => (await api.rpc.chain.getHeader()).number.toNumber() >= 2);
    });

    after(async () => {
      if (papi) papi.client.destroy();
      if (api) await api.disconnect();
    });

    it('has the templates\' transaction extensions, CheckMetadataHash among them and WeightReclaim last', async () => {
      const ids = api.registry.metadata.extrinsic.transactionExtensions.map((e) => e.identifier.toString());
      assert.deepEqual(ids, ['CheckNonZeroSender', 'CheckSpecVersion', 'CheckTxVersion', 'CheckGenesis', 'CheckMortality',
        'CheckNonce', 'CheckWeight', 'ChargeTransactionPayment', 'CheckMetadataHash', 'WeightReclaim']);
    });

    it('polkadot.js signs as by default (mode Disabled)', async () => {
      const before = (await api.query.system.account(bob.address)).data.free.toBigInt();
      const { events, dispatchError } = await submit(api, api.tx.balances.transferKeepAlive(bob.address, UNIT), alice);
      assert.equal(dispatchError, null);
      assert.equal(findEvents(events, 'balances', 'Transfer').length, 1);
      assert.equal((await api.query.system.account(bob.address)).data.free.toBigInt(), before + UNIT);
    });

    it('PAPI signs as by default (mode Disabled)', async () => {
      const { signer } = await papiSigner('//Alice');
      const result = await papi.api.tx.Balances.transfer_keep_alive({ dest: { type: 'Id', value: bob.address }, value: UNIT }).signAndSubmit(signer);
      assert.equal(result.ok, true, JSON.stringify(result.dispatchError));
      assert.ok(result.events.some((e) => e.type === 'Balances' && e.value.type === 'Transfer'));
    });

    it(hashed ? 'accepts mode Enabled with the metadata\'s hash, and refuses a wrong hash' : 'refuses mode Enabled: the runtime has no hash to check', async () => {
      const hash = await metadataHash(api);
      const enabled = (digest) => submit(api, api.tx.balances.transferKeepAlive(bob.address, UNIT), alice, { mode: 1, metadataHash: u8aToHex(digest) });
      if (hashed) {
        const { events, dispatchError } = await enabled(hash);
        assert.equal(dispatchError, null);
        assert.equal(findEvents(events, 'balances', 'Transfer').length, 1);
        const wrong = Uint8Array.from(hash);
        wrong[0] ^= 1;
        await assert.rejects(enabled(wrong), /bad signature|BadProof|Invalid Transaction/i);
      } else {
        await assert.rejects(enabled(hash), /Could not lookup information|CannotLookup|Invalid Transaction/i);
      }
    });
  });
}

describe('CheckMetadataHash on both builds', () => {
  let plain;
  let hashed;
  let tmp;

  before(async () => {
    const spec = JSON.parse(execFileSync(nodeBinary(), ['export-chain-spec', '--chain', 'dev'], { maxBuffer: 64 << 20, stdio: ['ignore', 'pipe', 'ignore'] }).toString());
    const code = hashedWasm();
    assert.notEqual(spec.genesis.runtimeGenesis.code, u8aToHex(code), 'the hashed build differs from the default one');
    spec.genesis.runtimeGenesis.code = u8aToHex(code);
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'emission-metadata-hash-'));
    const specFile = path.join(tmp, 'dev-metadata-hash.json');
    fs.writeFileSync(specFile, JSON.stringify(spec));
    plain = await startNode('metadata-plain', FAST_DEV);
    hashed = await startNode('metadata-hashed', ['--chain', specFile, '--alice', '--validator', '--sealing', 'manual:250', '--node-key', '0'.repeat(63) + '1']);
  });

  after(async () => {
    if (plain) await plain.stop();
    if (hashed) await hashed.stop();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  signingChecks('the default build (no metadata hash)', () => plain, false);
  signingChecks('the metadata-hash build', () => hashed, true);
});
