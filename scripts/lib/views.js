// Batched, shared reads of block states for `audit.js range`.
//
// The per-query reader (`api.at(hash).query…`, one RPC per value and a decoration per block) reads
// each block's state twice (once as a block's outputs, once as the next block's inputs) and spends
// most of its time in round trips. A `StateViews` gives `read` the same interface (`query`, `consts`)
// over one view per block hash: every value the snapshot asks for in one tick is fetched with one
// `state_queryStorageAt`, a map's keys with `state_getKeysPaged`, and the values are kept, so the
// state after block n is read once and serves block n + 1's inputs. Values are decoded as
// polkadot.js decodes a storage query (the same codec types, the metadata's fallback for a missing
// ValueQuery value, `Option` for an OptionQuery), so the snapshot is the same byte for byte: the
// audit test compares checksums of both readers' snapshots. A vector value (a block's events) is
// decoded element by element, each element's codec kept by its bytes: most event records repeat
// earlier blocks' byte for byte, and decoding them was the largest part of the client's time.

import { hexToU8a } from '@polkadot/util';

import { withRetry } from './client.js';
import { BatchRpc } from './rpc.js';
import { Skippers, splitVec } from './scale.js';

const PAGE = 1000;
/** Decoded vector elements kept per registry (the most recently decoded). */
const ELEMENTS_KEPT = 4096;

/** The value type of a storage entry (`unwrapStorageSi` in polkadot.js). */
function valueType (meta) {
  return meta.type.isPlain ? meta.type.asPlain : meta.type.asMap.value;
}

/** Decode a storage value (0x-hex, or null when absent) as polkadot.js's `rpc-core` does. */
function decode (registry, meta, hash, value) {
  const type = registry.createLookupType(valueType(meta));
  const isOptional = meta.modifier.isOptional;
  if (value === null || value === undefined) {
    const fallback = meta.fallback ? hexToU8a(meta.fallback.toHex()) : undefined;
    return registry.createTypeUnsafe(type, [fallback], { blockHash: hash, isFallback: Boolean(meta.fallback), isOptional, isPedantic: false });
  }
  const input = hexToU8a(value);
  return registry.createTypeUnsafe(type, [isOptional ? registry.createTypeUnsafe(type, [input], { blockHash: hash }) : input],
    { blockHash: hash, isFallback: false, isOptional, isPedantic: false });
}

/**
 * `hash()` for a decorated storage entry and its arguments, computed once: `table` maps each entry
 * to its arguments' results (keyed by the arguments' hex).
 */
function hashedOnce (table, entry, args, hash) {
  let results = table.get(entry);
  if (!results) {
    results = new Map();
    table.set(entry, results);
  }
  const id = args.map((a) => (a && a.toHex ? a.toHex() : String(a))).join(',');
  let result = results.get(id);
  if (result === undefined) {
    result = hash();
    results.set(id, result);
  }
  return result;
}

/** One block's state: values fetched in batches and kept. */
class View {
  constructor (views, hash, decoration) {
    this.views = views;
    this.hash = hash;
    this.registry = decoration.registry;
    this.consts = decoration.consts;
    this.values = new Map(); // hex key → Promise<codec>
    this.pending = new Map(); // hex key → { meta, resolve, reject }
    this.keyLists = new Map(); // hex pallet prefix → Promise<hex keys>
    this.raw = views.takeRaw(hash); // hex key → raw value, prefetched for a range of blocks
    this.listed = views.takeListed(hash); // hex pallet prefix → hex keys, prefetched likewise
    const view = this;
    this.query = new Proxy({}, {
      get (_, pallet) {
        const items = decoration.query[pallet];
        if (!items) return undefined;
        return new Proxy({}, {
          get (__, item) {
            const entry = items[item];
            return entry ? view.wrap(entry) : undefined;
          }
        });
      }
    });
  }

  /** A decorated storage entry's interface over this view: `()`, `.entries()`, `.keys()`, `.multi()`. */
  wrap (entry) {
    const fn = (...args) => this.value(this.views.keyOf(entry, args), entry.creator.meta);
    fn.multi = (list) => Promise.all(list.map((a) => fn(...(Array.isArray(a) ? a : [a]))));
    fn.keys = (...args) => this.keys(entry, args);
    fn.entries = async (...args) => {
      const keys = await this.keys(entry, args);
      const values = await Promise.all(keys.map((k) => this.value(k.toHex(), entry.creator.meta)));
      return keys.map((k, i) => [k, values[i]]);
    };
    return fn;
  }

  value (key, meta) {
    let p = this.values.get(key);
    if (!p) {
      this.views.known.add(key);
      if (this.raw && this.raw.has(key)) {
        p = Promise.resolve(this.views.decoded(this.registry, meta, this.hash, key, this.raw.get(key)));
        this.values.set(key, p);
        return p;
      }
      p = new Promise((resolve, reject) => {
        if (this.pending.size === 0) queueMicrotask(() => this.flush());
        this.pending.set(key, { meta, resolve, reject });
      });
      this.values.set(key, p);
    }
    return p;
  }

  async flush () {
    const batch = [...this.pending];
    this.pending.clear();
    try {
      const [set] = await this.views.send('state_queryStorageAt', [batch.map(([k]) => k), this.hash]);
      const got = new Map(set.changes);
      for (const [key, { meta, resolve }] of batch) resolve(this.views.decoded(this.registry, meta, this.hash, key, got.get(key) ?? null));
    } catch (err) {
      for (const [key, { reject }] of batch) {
        this.values.delete(key);
        reject(err);
      }
    }
  }

  /**
   * A map's keys (with `args`, a prefix of its keys), from one listing of every key of its pallet
   * at this block (`state_getKeysPaged` on the pallet's prefix): one request per pallet and block,
   * not one per map.
   */
  async keys (entry, args) {
    const prefix = this.views.prefixOf(entry, args);
    const pallet = prefix.slice(0, 34); // 0x + twox128(pallet)
    let p = this.keyLists.get(pallet);
    if (!p) {
      this.views.pallets.add(pallet);
      const listed = this.listed?.get(pallet);
      p = listed ? Promise.resolve(listed) : (async () => {
        const out = [];
        let start = null;
        for (;;) {
          const page = await this.views.send('state_getKeysPaged', [pallet, PAGE, start, this.hash]);
          out.push(...page);
          if (page.length < PAGE) break;
          this.views.paged.add(pallet);
          start = page[page.length - 1];
        }
        return out;
      })();
      p.catch(() => this.keyLists.delete(pallet));
      this.keyLists.set(pallet, p);
    }
    // The listing grouped once by storage item (pallet and item hashes: 0x + 64 hex digits), so a
    // map's keys are looked up among its own, not filtered out of the whole pallet's.
    const listing = await p;
    let byItem = this.views.itemGroups.get(listing);
    if (!byItem) {
      byItem = new Map();
      for (const k of listing) {
        const item = k.slice(0, 66);
        if (!byItem.has(item)) byItem.set(item, []);
        byItem.get(item).push(k);
      }
      this.views.itemGroups.set(listing, byItem);
    }
    const own = byItem.get(prefix.slice(0, 66)) ?? [];
    return (prefix.length > 66 ? own.filter((k) => k.startsWith(prefix)) : own).map((k) => this.views.storageKey(this.registry, entry, k));
  }

}

/**
 * Views of block states, one per block hash (the last `keep` kept), each decorated with its own
 * block's metadata (one decoration per runtime version).
 */
export class StateViews {
  constructor (api, retry = {}, keep = 16, { url = null } = {}) {
    this.api = api;
    this.retry = retry;
    this.keep = keep;
    this.views = new Map();
    this.versions = new Map();
    this.headers = new Map();
    this.decorations = new Map();
    this.codecs = new Map();
    this.known = new Set();
    this.raws = new Map();
    this.pallets = new Set(); // pallet prefixes whose keys a view listed
    this.paged = new Set(); // those whose keys took more than a page: not prefetched
    this.listings = new Map(); // block hash → Map(pallet prefix → keys), prefetched
    this.keyCodecs = new WeakMap(); // storage entry creator → Map(hex key → its codec)
    this.itemGroups = new WeakMap(); // a pallet's key listing → Map(item prefix → its keys)
    this.elements = new WeakMap(); // registry → { skippers, codecs: element bytes → codec }
    this.keyHexes = new WeakMap();
    this.keyPrefixes = new WeakMap();
    // Its own connection to the node: the calls of a tick go as one batch.
    if (!url) throw new Error('StateViews needs the node\'s address (its own batch connection)');
    this.rpc = new BatchRpc(url);
  }

  /** Close the batch connection, if any. */
  close () {
    this.rpc.close();
  }

  /**
   * A storage value decoded, or the codec decoded for the same key, bytes and metadata at an
   * earlier block (most values do not change from block to block; `read` only reads codecs).
   */
  decoded (registry, meta, hash, key, value) {
    const cached = this.codecs.get(key);
    if (cached && cached.value === value && cached.registry === registry) return cached.codec;
    const codec = this.decodeVec(registry, meta, hash, value) ?? decode(registry, meta, hash, value);
    this.codecs.set(key, { value, registry, codec });
    return codec;
  }

  /**
   * A present plain vector value (a block's events) decoded element by element, each element whose
   * bytes were decoded before (in any block, by the same registry) reused: the same codecs
   * `decode` makes, in a vector made of them. Null when the value is not such a vector, or its
   * bytes do not split into its elements (then `decode` decodes it whole).
   */
  decodeVec (registry, meta, hash, value) {
    if (value === null || value === undefined || meta.modifier.isOptional || !meta.type.isPlain) return null;
    let state = this.elements.get(registry);
    if (!state) {
      state = { skippers: new Skippers(registry.lookup), codecs: new Map() };
      this.elements.set(registry, state);
    }
    const def = registry.lookup.getSiType(meta.type.asPlain).def;
    if (!def.isSequence) return null;
    const u8a = hexToU8a(value);
    const ranges = splitVec(state.skippers, def.asSequence.type, u8a);
    if (!ranges || ranges.length === 0) return null;
    // The element type as the vector's class names it (so that the vector keeps these codecs).
    const sub = registry.lookup.getTypeDef(meta.type.asPlain).sub;
    const elemType = sub && !Array.isArray(sub) ? sub.lookupName || sub.type : null;
    if (!elemType) return null;
    const elems = ranges.map(([a, b]) => {
      const bytes = value.slice(2 + 2 * a, 2 + 2 * b);
      let codec = state.codecs.get(bytes);
      if (!codec) {
        codec = registry.createTypeUnsafe(elemType, [u8a.subarray(a, b)], { blockHash: hash });
        if (codec.encodedLength !== b - a) return null;
        if (state.codecs.size >= ELEMENTS_KEPT) state.codecs.delete(state.codecs.keys().next().value);
        state.codecs.set(bytes, codec);
      }
      return codec;
    });
    if (elems.includes(null)) return null;
    const vec = registry.createTypeUnsafe(registry.createLookupType(meta.type.asPlain), [elems],
      { blockHash: hash, isFallback: false, isOptional: false, isPedantic: false });
    // The vector must hold these very codecs (not copies re-made from them).
    return vec.length === elems.length && elems.every((e, i) => vec[i] === e) ? vec : null;
  }

  /** A map entry's `StorageKey` with its metadata (its `args` decoded), made once per key. */
  storageKey (registry, entry, hex) {
    let codecs = this.keyCodecs.get(entry.creator);
    if (!codecs) {
      codecs = new Map();
      this.keyCodecs.set(entry.creator, codecs);
    }
    const cached = codecs.get(hex);
    if (cached && cached.registry === registry) return cached.key;
    const { meta, section, method } = entry.creator;
    const key = registry.createType('StorageKey', hex).setMeta(meta, section, method);
    codecs.set(hex, { registry, key });
    return key;
  }

  /** The hex key prefix of `entry` with `args` (a prefix of its keys), hashed once per entry and arguments. */
  prefixOf (entry, args) {
    return hashedOnce(this.keyPrefixes, entry, args, () => entry.keyPrefix(...args));
  }

  /** The hex storage key of `entry(...args)`, hashed once per entry and arguments. */
  keyOf (entry, args) {
    // Per decorated entry: another runtime version may hash the same item differently.
    return hashedOnce(this.keyHexes, entry, args, () => entry.key(...args));
  }

  /**
   * Read what the views of `hashes` (consecutive blocks, in order) will ask for, as far as earlier
   * views tell, in one tick (one JSON-RPC batch): every value asked for so far (`known`) at every
   * block with one `state_queryStorage` (the node returns each value at the first block and then
   * only the changes, so unchanged values cross the wire once), and each block's header, runtime
   * version and key listing of every pallet listed so far. A block's snapshot then reads nothing
   * more unless its state has keys no earlier block had; without this its reads were a chain of
   * round trips (header, version, listings, values), and the range waited on them.
   */
  async prefetch (hashes) {
    if (hashes.length === 0) return;
    const keys = [...this.known];
    const pallets = [...this.pallets].filter((pallet) => !this.paged.has(pallet));
    for (const hash of hashes) {
      this.header(hash);
      this.version(hash);
    }
    const listings = Promise.all(hashes.map((hash) => Promise.all(pallets.map((pallet) => this.send('state_getKeysPaged', [pallet, PAGE, null, hash])))));
    listings.catch(() => {}); // awaited below
    const sets = keys.length === 0 ? [] : await this.send('state_queryStorage', [keys, hashes[0], hashes[hashes.length - 1]]);
    const byBlock = new Map(sets.map((set) => [set.block, set.changes]));
    const current = new Map();
    for (const hash of hashes) {
      for (const [key, value] of byBlock.get(hash) ?? []) current.set(key, value);
      if (keys.length > 0 && !this.views.has(hash)) this.raws.set(hash, new Map(current));
    }
    const lists = await listings;
    hashes.forEach((hash, i) => {
      // A full page: the view lists that pallet itself, page by page (and later chunks leave it out).
      const complete = pallets.map((pallet, j) => [pallet, lists[i][j]]).filter(([pallet, list]) => {
        if (list.length < PAGE) return true;
        this.paged.add(pallet);
        return false;
      });
      if (complete.length > 0 && !this.views.has(hash)) this.listings.set(hash, new Map(complete));
    });
    while (this.raws.size > this.keep * 16) this.raws.delete(this.raws.keys().next().value);
    while (this.listings.size > this.keep * 16) this.listings.delete(this.listings.keys().next().value);
  }

  /** The prefetched key listings of a block, once (its view keeps them). */
  takeListed (hash) {
    const listed = this.listings.get(hash) ?? null;
    this.listings.delete(hash);
    return listed;
  }

  /** The prefetched values of a block, once (its view keeps them). */
  takeRaw (hash) {
    const raw = this.raws.get(hash) ?? null;
    this.raws.delete(hash);
    return raw;
  }

  /** The genesis hash and the chain's name: asked once. */
  genesisHash () {
    this.genesis ??= this.blockHash(0);
    return this.genesis;
  }

  /** The hash of block `number` (a `BlockHash` codec). */
  blockHash (number) {
    return this.send('chain_getBlockHash', [number]).then((h) => this.api.registry.createType('BlockHash', h));
  }

  chain () {
    this.chainName ??= withRetry(() => this.api.rpc.system.chain(), this.retry);
    return this.chainName;
  }

  send (method, params) {
    return withRetry(() => this.rpc.send(method, params), this.retry);
  }

  /** The runtime version of a block's state (polkadot.js's codec), fetched once per hash. */
  version (hash) {
    let p = this.versions.get(hash);
    if (!p) {
      // Raw RPCs, decoded with the connection's registry: the decorated calls would look up a
      // registry for every new block hash first (more round trips).
      p = this.send('state_getRuntimeVersion', [hash]).then((v) => this.api.registry.createType('RuntimeVersion', v));
      p.catch(() => this.versions.delete(hash));
      this.versions.set(hash, p);
      if (this.versions.size > this.keep * 16) this.versions.delete(this.versions.keys().next().value);
    }
    return p;
  }

  /** A block's header, fetched once per hash. */
  header (hash) {
    let p = this.headers.get(hash);
    if (!p) {
      p = this.send('chain_getHeader', [hash]).then((h) => {
        if (!h) throw new Error(`header was not found for ${hash}`);
        return this.api.registry.createType('Header', h);
      });
      p.catch(() => this.headers.delete(hash));
      this.headers.set(hash, p);
      if (this.headers.size > this.keep * 16) this.headers.delete(this.headers.keys().next().value);
    }
    return p;
  }

  /**
   * The view of block `hash`'s state, decorated as `api.at(hash)` decorates it: with the metadata
   * of the runtime that executed the block (its parent state's; the genesis state's for genesis).
   */
  async at (hash) {
    let p = this.views.get(hash);
    if (!p) {
      p = (async () => {
        const genesis = (await this.genesisHash()).toHex();
        const executedBy = hash === genesis ? genesis : (await this.header(hash)).parentHash.toHex();
        const version = await this.version(executedBy);
        const spec = `${version.specName.toString()}/${version.specVersion.toNumber()}`;
        let decoration = this.decorations.get(spec);
        if (!decoration) {
          decoration = withRetry(() => this.api.at(hash), this.retry);
          this.decorations.set(spec, decoration);
        }
        return new View(this, hash, await decoration);
      })();
      p.catch(() => this.views.delete(hash));
      this.views.set(hash, p);
      if (this.views.size > this.keep) this.views.delete(this.views.keys().next().value);
    }
    return p;
  }
}
