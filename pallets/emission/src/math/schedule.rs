//! The block emission schedule (seed 001's subsidy pool).

use super::{amount_for_share, Balance};
use sp_runtime::Perbill;
use substrate_fixed::types::U64F64;

/// A `Perbill` as `U64F64`, rounded down (exact for `0` and `100 %`).
pub fn perbill_to_fixed(p: Perbill) -> U64F64 {
	U64F64::from_num(p.deconstruct())
		.checked_div(U64F64::from_num(1_000_000_000u32))
		.unwrap_or(U64F64::from_num(0u32))
}

/// `factor^exponent` as `U64F64`, by square-and-multiply over the exponent's bits (at most 64
/// rounds). Every multiplication rounds down, so the result is at most the exact power, and at
/// most `(2 · exponent + 64) · 2⁻⁶⁴` below it: the `j`-th square is at most `(2^(j+1) − 1) · 2⁻⁶⁴`
/// below `factor^(2^j)` (squaring doubles an error and adds one rounding), the squares the
/// exponent's bits select add up to `2 · exponent`, and each of at most 64 products rounds once.
pub fn decay_power(factor: Perbill, exponent: u64) -> U64F64 {
	let mut base = perbill_to_fixed(factor);
	let mut result = U64F64::from_num(1u32);
	let mut e = exponent;
	while e > 0 {
		if e & 1 == 1 {
			result = result.saturating_mul(base);
		}
		e >>= 1;
		if e > 0 {
			base = base.saturating_mul(base);
		}
	}
	result
}

/// The block emission schedule's amount for one block (seed 001's subsidy pool).
///
/// `floor(initial × factor^(block / epoch_length))`, where `factor^k` is [`decay_power`]
/// (`U64F64`, rounded down) and the product is exact and rounded down, so the amount is at most
/// `1 + initial · (2k + 64) / 2⁶⁴` below the exact `floor(initial × factor^k)`; then limited to
/// what `supply_cap` leaves after `issued` (what is outstanding: issued and not recycled). An
/// `epoch_length` of 0 yields 0 (it is rejected when set).
pub fn block_emission(
	initial: Balance,
	decay_factor: Perbill,
	epoch_length: u32,
	supply_cap: Option<Balance>,
	block: u64,
	issued: Balance,
) -> Balance {
	let Some(epochs) = block.checked_div(u64::from(epoch_length)) else { return 0 };
	let amount = amount_for_share(initial, decay_power(decay_factor, epochs));
	match supply_cap {
		Some(cap) => amount.min(cap.saturating_sub(issued)),
		None => amount,
	}
}
