// Where a SCALE-encoded value ends, from the metadata's portable type registry, without decoding it:
// `views.js` splits a storage vector (a block's events) into its elements' bytes, so that an element
// whose bytes it has decoded before is not decoded again (most of a block's event records repeat
// earlier blocks' byte for byte).

const FIXED = { Bool: 1, Char: 4, U8: 1, I8: 1, U16: 2, I16: 2, U32: 4, I32: 4, U64: 8, I64: 8, U128: 16, I128: 16, U256: 32, I256: 32 };

/** A value that does not fit the bytes: the caller decodes the whole value the usual way. */
export class ScaleError extends Error {}

/** `[value, offset after it]` of the compact integer at `at` (the value as a Number when small). */
export function compactAt (u8a, at) {
  const b = u8a[at];
  if (b === undefined) throw new ScaleError('compact past the end');
  switch (b & 3) {
    case 0: return [b >>> 2, at + 1];
    case 1: return [(b | (u8a[at + 1] << 8)) >>> 2, at + 2];
    case 2: return [((b | (u8a[at + 1] << 8) | (u8a[at + 2] << 16)) >>> 2) + u8a[at + 3] * 2 ** 22, at + 4];
    default: {
      const bytes = (b >>> 2) + 4;
      let value = 0;
      for (let i = bytes - 1; i >= 0; i--) value = value * 256 + u8a[at + 1 + i];
      return [value, at + 1 + bytes];
    }
  }
}

/** A vector's length prefix; more elements than bytes left cannot be (no element type here is empty). */
function lengthAt (u8a, at) {
  const [n, start] = compactAt(u8a, at);
  if (n > u8a.length - start) throw new ScaleError(`a vector of ${n} elements in ${u8a.length - start} bytes`);
  return [n, start];
}

/**
 * The skippers of one registry: `of(id)(u8a, at)` is the offset after the value of lookup type `id`
 * that starts at `at`. Throws `ScaleError` on bytes that do not fit (past the end, an unknown
 * variant) and on type shapes it does not know.
 */
export class Skippers {
  constructor (lookup) {
    this.lookup = lookup;
    this.cache = new Map();
  }

  of (id) {
    const key = Number(id);
    const cached = this.cache.get(key);
    if (cached) return cached;
    // Recursive types (a call inside a call) refer to themselves: resolved lazily.
    let built = null;
    this.cache.set(key, (u8a, at) => built(u8a, at));
    try {
      built = this.build(this.lookup.getSiType(key).def);
    } catch (err) {
      if (!(err instanceof ScaleError)) throw err;
      const { message } = err;
      built = () => { throw new ScaleError(message); };
    }
    this.cache.set(key, built);
    return built;
  }

  build (def) {
    const end = (u8a, at) => {
      if (at > u8a.length) throw new ScaleError('past the end');
      return at;
    };
    if (def.isComposite || def.isTuple) {
      const ids = def.isComposite ? def.asComposite.fields.map((f) => f.type) : [...def.asTuple];
      const fields = ids.map((t) => this.of(t));
      return (u8a, at) => {
        for (const f of fields) at = f(u8a, at);
        return at;
      };
    }
    if (def.isVariant) {
      const variants = new Map(def.asVariant.variants.map((v) => [v.index.toNumber(), v.fields.map((f) => this.of(f.type))]));
      return (u8a, at) => {
        const fields = variants.get(u8a[at]);
        if (!fields) throw new ScaleError(`no variant ${u8a[at]}`);
        at += 1;
        for (const f of fields) at = f(u8a, at);
        return at;
      };
    }
    if (def.isSequence) {
      const elem = this.of(def.asSequence.type);
      return (u8a, at) => {
        const [n, start] = lengthAt(u8a, at);
        at = start;
        for (let i = 0; i < n; i++) at = elem(u8a, at);
        return end(u8a, at);
      };
    }
    if (def.isArray) {
      const n = def.asArray.len.toNumber();
      const elem = this.of(def.asArray.type);
      return (u8a, at) => {
        for (let i = 0; i < n; i++) at = elem(u8a, at);
        return end(u8a, at);
      };
    }
    if (def.isCompact) return (u8a, at) => end(u8a, compactAt(u8a, at)[1]);
    if (def.isPrimitive) {
      const type = def.asPrimitive.type;
      if (type === 'Str') {
        return (u8a, at) => {
          const [n, start] = compactAt(u8a, at);
          return end(u8a, start + n);
        };
      }
      const size = FIXED[type];
      if (size === undefined) throw new ScaleError(`primitive ${type}`);
      return (u8a, at) => end(u8a, at + size);
    }
    throw new ScaleError(`type shape ${def.type}`);
  }
}

/**
 * The byte ranges of the elements of a SCALE vector of lookup type `elemId` in `u8a`, or null when
 * the bytes are not exactly such a vector.
 */
export function splitVec (skippers, elemId, u8a) {
  try {
    const skip = skippers.of(elemId);
    const [n, start] = lengthAt(u8a, 0);
    const ranges = [];
    let at = start;
    for (let i = 0; i < n; i++) {
      const next = skip(u8a, at);
      ranges.push([at, next]);
      at = next;
    }
    return at === u8a.length ? ranges : null;
  } catch (err) {
    if (err instanceof ScaleError) return null;
    throw err;
  }
}
