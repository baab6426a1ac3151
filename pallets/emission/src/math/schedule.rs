//! The block emission schedule (seed 001's subsidy pool): `floor(initial × factor^k)` exactly, for
//! a decay factor in parts per 10¹⁸ ([`Perquintill`]).
//!
//! # How the floor is exact
//!
//! `factor^k` is bracketed in fixed point with 256 fractional bits: square-and-multiply over the
//! bits of `k` (at most 64 squarings and 64 products), once with every product rounded down (a
//! lower bound `lo`) and once rounded up (an upper bound `hi`), starting from the factor rounded
//! down and up. Then `floor(initial · lo)` and `floor(initial · hi)` are both computed exactly; the
//! exact `floor(initial × factor^k)` lies between them.
//!
//! - **Bound.** With `ε = 2⁻²⁵⁶`, `hi − lo ≤ (4k + 136)·ε` (the `j`-th square of a bound is within
//!   `2^(j+1)·ε` of `factor^(2^j)`: squaring doubles an error and adds one rounding; the squares
//!   the bits of `k` select add up to `2k` on each side; each of at most 64 products rounds once;
//!   the squared errors are below `2⁻¹⁸⁰·ε`). For `k < 2⁶⁴` and `initial < 2¹²⁸` the two floors are
//!   therefore within `2⁻⁶¹` units of each other: equal, or one apart with an integer between.
//! - **Decided** (the two floors are equal, the case of every input the tests and the differential
//!   run met but the ones built to miss it): that is the exact floor.
//! - **Not decided, `k ≤ 128`**: the exact comparison `initial · a^k ≥ hi_floor · b^k` (the factor
//!   in lowest terms `a / b`) on integers of at most `128 · 60 + 128` bits picks the floor. This
//!   covers every case where `initial × factor^k` is itself an integer (it can be only when `b^k`
//!   divides `initial`, so `k < 128` as `b ≥ 2`): there the bracket always holds the integer.
//! - **Not decided, `k > 128`**: the exact amount is then not an integer, and lies within `initial
//!   · (hi − lo) < 2⁻⁶¹` units of one; the lower floor is returned (one unit below the exact
//!   floor). No such input is known; finding one needs `k > 128` and the fractional part of
//!   `initial × factor^k` within `2⁻⁶¹` of 0 or 1.
//!
//! Work: at most 256 products of 5-limb numbers, and for the exact comparison at most 2 × 128
//! one-limb products of numbers of at most 122 limbs; no allocation beyond these numbers.

use super::{big::Nat, Balance};
use sp_runtime::Perquintill;

/// Fractional limbs of the fixed point: `1 = 2^(64 · FRAC_LIMBS)` = `2²⁵⁶`.
const FRAC_LIMBS: usize = 4;

/// The denominator of a [`Perquintill`].
const QUINTILLION: u64 = 1_000_000_000_000_000_000;

/// The largest exponent the exact comparison runs for (see the module docs).
pub const EXACT_MAX_EXPONENT: u64 = 128;

fn mul_floor(a: &Nat, b: &Nat) -> Nat {
	a.mul(b).shr_limbs(FRAC_LIMBS).0
}

fn mul_ceil(a: &Nat, b: &Nat) -> Nat {
	let (q, dropped) = a.mul(b).shr_limbs(FRAC_LIMBS);
	if dropped {
		q.add_one()
	} else {
		q
	}
}

/// `(floor(initial · lo), floor(initial · hi))` for the bracket `lo ≤ factor^k ≤ hi` of the module
/// docs. The exact `floor(initial × factor^k)` lies between the two, which are at most one apart.
pub fn bracket(initial: Balance, factor: Perquintill, k: u64) -> (Balance, Balance) {
	let scaled = Nat::from_u128(u128::from(factor.deconstruct())).shl_limbs(FRAC_LIMBS);
	let Some((factor_lo, rem)) = scaled.div_rem_small(QUINTILLION) else { return (0, 0) };
	let factor_hi = if rem > 0 { factor_lo.add_one() } else { factor_lo.clone() };
	let one = Nat::pow2_limbs(FRAC_LIMBS);
	let (mut lo, mut hi) = (one.clone(), one);
	let (mut base_lo, mut base_hi) = (factor_lo, factor_hi);
	let mut e = k;
	while e > 0 {
		if e & 1 == 1 {
			lo = mul_floor(&lo, &base_lo);
			hi = mul_ceil(&hi, &base_hi);
		}
		e >>= 1;
		if e > 0 {
			base_lo = mul_floor(&base_lo, &base_lo);
			base_hi = mul_ceil(&base_hi, &base_hi);
		}
	}
	let initial_nat = Nat::from_u128(initial);
	// Both bounds are at most 1, so both amounts are at most `initial`.
	let amount =
		|bound: &Nat| mul_floor(&initial_nat, bound).to_u128().unwrap_or(initial).min(initial);
	(amount(&lo), amount(&hi))
}

/// Whether `initial × factor^k ≥ candidate`, exactly: `initial · a^k ≥ candidate · b^k` with
/// `a / b` the factor in lowest terms. `None` when `k` exceeds [`EXACT_MAX_EXPONENT`].
pub fn reaches_exactly(
	initial: Balance,
	factor: Perquintill,
	k: u64,
	candidate: Balance,
) -> Option<bool> {
	if k > EXACT_MAX_EXPONENT {
		return None;
	}
	let parts = factor.deconstruct();
	let g = gcd(parts, QUINTILLION);
	let a = parts.checked_div(g)?;
	let b = QUINTILLION.checked_div(g)?;
	let (mut lhs, mut rhs) = (Nat::from_u128(initial), Nat::from_u128(candidate));
	for _ in 0..k {
		lhs = lhs.mul_small(a);
		rhs = rhs.mul_small(b);
	}
	Some(lhs >= rhs)
}

fn gcd(mut a: u64, mut b: u64) -> u64 {
	while b != 0 {
		let r = a.checked_rem(b).unwrap_or(0);
		a = b;
		b = r;
	}
	a.max(1)
}

/// `floor(initial × factor^k)`, exactly except in the case the module docs bound (`k > 128` and
/// the exact amount within `2⁻⁶¹` units of an integer: one unit below).
pub fn decayed(initial: Balance, factor: Perquintill, k: u64) -> Balance {
	if k == 0 || factor == Perquintill::one() {
		return initial;
	}
	if initial == 0 || factor.is_zero() {
		return 0;
	}
	let (lo, hi) = bracket(initial, factor, k);
	if lo == hi {
		return lo;
	}
	match reaches_exactly(initial, factor, k, hi) {
		Some(true) => hi,
		_ => lo,
	}
}

/// The block emission schedule's amount for one block (seed 001's subsidy pool).
///
/// `floor(initial × factor^(block / epoch_length))` ([`decayed`]), then limited to what
/// `supply_cap` leaves after `issued` (what is outstanding: issued and not recycled). An
/// `epoch_length` of 0 yields 0 (it is rejected when set).
pub fn block_emission(
	initial: Balance,
	decay_factor: Perquintill,
	epoch_length: u32,
	supply_cap: Option<Balance>,
	block: u64,
	issued: Balance,
) -> Balance {
	let Some(epochs) = block.checked_div(u64::from(epoch_length)) else { return 0 };
	let amount = decayed(initial, decay_factor, epochs);
	match supply_cap {
		Some(cap) => amount.min(cap.saturating_sub(issued)),
		None => amount,
	}
}

/// A lower bound on every block's emission in the `blocks` blocks after `now`, while the schedule
/// stays as it is: the amount at the last of them (the schedule never increases), with the most
/// those blocks can issue (`blocks` times the first one's) counted as outstanding, and never above
/// the first one's. Recycling during those blocks only leaves more room under the cap, so it
/// cannot make a block issue less. `ledger_room` is what the issued total can still count
/// (`Balance::MAX − TotalIssued`): a block never issues more, so it bounds them too.
#[allow(clippy::too_many_arguments)]
pub fn min_emission_over(
	initial: Balance,
	decay_factor: Perquintill,
	epoch_length: u32,
	supply_cap: Option<Balance>,
	now: u64,
	blocks: u32,
	outstanding: Balance,
	ledger_room: Balance,
) -> Balance {
	let first = block_emission(
		initial,
		decay_factor,
		epoch_length,
		supply_cap,
		now.saturating_add(1),
		outstanding,
	)
	.min(ledger_room);
	let most = first.saturating_mul(u128::from(blocks));
	block_emission(
		initial,
		decay_factor,
		epoch_length,
		supply_cap,
		now.saturating_add(u64::from(blocks)),
		outstanding.saturating_add(most),
	)
	.min(first)
	.min(ledger_room.saturating_sub(most))
}
