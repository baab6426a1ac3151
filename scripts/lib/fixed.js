// Fixed-point arithmetic of the emission pallet, re-implemented in BigInt so that the audit tool
// reproduces the runtime's numbers bit for bit without calling into the runtime.
//
// Every function names the Rust operation it mirrors and its rounding:
//
// - substrate-fixed `U64F64` / `U96F32`: unsigned, 128 bits; a value is `bits / 2^frac`.
//   `saturating_mul` = floor(a·b / 2^frac), capped at 2^128 − 1; `checked_div` = floor(a·2^frac / b),
//   `null` on division by 0 or overflow; `from_num(n)` = n·2^frac.
// - sp-arithmetic `multiply_by_rational_with_rounding(a, b, c, Down)` = floor(a·b / c), `null` when
//   c = 0 or the result does not fit in u128.
// - `Perbill::mul_floor(x)` = floor(x·parts / 10^9).
// - sp-arithmetic `FixedI128` (10^18 inner units per 1): `checked_mul` = sign · floor(|a|·|b| / 10^18),
//   saturating to the i128 bounds.

export const U128_MAX = (1n << 128n) - 1n;
export const I128_MAX = (1n << 127n) - 1n;
export const I128_MIN = -(1n << 127n);
export const ONE_64 = 1n << 64n; // U64F64 1
export const ONE_32 = 1n << 32n; // U96F32 1
export const BILLION = 1_000_000_000n;
export const FIXED_I128_DIV = 1_000_000_000_000_000_000n;

const sat = (v) => (v > U128_MAX ? U128_MAX : v);

/** `saturating_add` of two unsigned 128-bit values. */
export function satAdd (a, b) {
  return sat(a + b);
}

/** `saturating_sub` of two unsigned values (floor at 0). */
export function satSub (a, b) {
  return a > b ? a - b : 0n;
}

/** Unsigned fixed `saturating_mul` with `frac` fractional bits: floor(a·b / 2^frac), saturating. */
export function fixedMul (a, b, frac) {
  return sat((a * b) >> BigInt(frac));
}

/** Unsigned fixed `checked_div`: floor(a·2^frac / b); `null` when b = 0 or it overflows. */
export function fixedDiv (a, b, frac) {
  if (b === 0n) return null;
  const q = (a << BigInt(frac)) / b;
  return q > U128_MAX ? null : q;
}

/** `saturating_from_num(n)` for an unsigned integer `n`. */
export function fromInt (n, frac) {
  return sat(BigInt(n) << BigInt(frac));
}

/** `U64F64::saturating_from_num(x: U96F32)`: the same value with 32 more fractional bits. */
export function u96ToU64f64 (bits) {
  return sat(bits << 32n);
}

/** `multiply_by_rational_with_rounding(a, b, c, Rounding::Down)`. */
export function mulDivFloor (a, b, c) {
  if (c === 0n) return null;
  const q = (a * b) / c;
  return q > U128_MAX ? null : q;
}

/** `Perbill::mul_floor(x)` with `parts` in 10^-9. */
export function perbillMulFloor (parts, x) {
  return (x * BigInt(parts)) / BILLION;
}

const clampI128 = (v) => (v > I128_MAX ? I128_MAX : v < I128_MIN ? I128_MIN : v);

/** `FixedI128::saturating_from_rational(n, d)` (Minor rounding: toward zero). */
export function fixedI128FromRational (n, d) {
  const negative = (n < 0n) !== (d < 0n);
  const mag = ((n < 0n ? -n : n) * FIXED_I128_DIV) / (d < 0n ? -d : d);
  return clampI128(negative ? -mag : mag);
}

/** `FixedI128::saturating_mul` (Minor rounding: toward zero, saturating by sign). */
export function fixedI128Mul (a, b) {
  const negative = (a < 0n) !== (b < 0n);
  const mag = ((a < 0n ? -a : a) * (b < 0n ? -b : b)) / FIXED_I128_DIV;
  return clampI128(negative ? -mag : mag);
}

/** `i128::saturating_add`. */
export function i128SatAdd (a, b) {
  return clampI128(a + b);
}

/** A fixed value (bits) as a decimal string with `digits` decimals (display only, floor). */
export function fixedToDecimal (bits, frac, digits = 9) {
  const scale = 10n ** BigInt(digits);
  const whole = bits >> BigInt(frac);
  const rest = ((bits - (whole << BigInt(frac))) * scale) >> BigInt(frac);
  return `${whole}.${rest.toString().padStart(digits, '0')}`;
}
