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

/// The most runs of constant emission (schedule epochs) [`project`] walks: it bounds the
/// projection's work (a few 128-bit products per run; a schedule epoch of one block makes a year
/// `BlocksPerYear` runs).
pub const PROJECTION_MAX_RUNS: u64 = 1 << 17;

/// Where the schedule takes supply, walked by [`project`].
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Projection {
	/// Issuance over the `horizon` blocks from the first block: a lower and an upper bound, equal
	/// (exact) when every run of the horizon was walked.
	pub horizon_issuance: (Balance, Balance),
	/// How the walk ended.
	pub end: ProjectionEnd,
}

/// How the schedule's issuance ends, if nothing is recycled and the schedule stays as it is.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum ProjectionEnd {
	/// The budget (what the supply cap and the ledger leave) is used up by block `block`'s
	/// emission: it is the last block that issues.
	BudgetReachedAt {
		/// The last block that issues.
		block: u64,
	},
	/// The amount decays to 0 at block `block` with `issued` issued from the first block on:
	/// the budget is never reached.
	EmissionEndsAt {
		/// The first block that issues nothing.
		block: u64,
		/// Issued from the first block until then.
		issued: Balance,
	},
	/// Not decided within [`PROJECTION_MAX_RUNS`] runs: the walk stopped before block `block`,
	/// having counted `issued` from the first block on.
	NotWithin {
		/// The first block not walked.
		block: u64,
		/// Issued from the first block until then.
		issued: Balance,
	},
}

/// `floor(parts · 2¹²⁸ / 10¹⁸)` and its ceiling: the factor as a 128-bit fraction, bracketed.
fn factor_bits(factor: Perquintill) -> (u128, u128) {
	let parts = u128::from(factor.deconstruct());
	// `parts · 2¹²⁷ / (10¹⁸ / 2)`: below 2¹²⁸ as the factor is below 1.
	let half = u128::from(QUINTILLION / 2);
	let lo = sp_runtime::helpers_128bit::multiply_by_rational_with_rounding(
		parts,
		1u128 << 127,
		half,
		sp_runtime::Rounding::Down,
	);
	let hi = sp_runtime::helpers_128bit::multiply_by_rational_with_rounding(
		parts,
		1u128 << 127,
		half,
		sp_runtime::Rounding::Up,
	);
	(lo.unwrap_or(u128::MAX), hi.unwrap_or(u128::MAX))
}

/// `floor(a · b / 2¹²⁸)` and `ceil(a · b / 2¹²⁸)`.
fn mul_shift(a: u128, b: u128) -> (u128, u128) {
	let (high, low) = super::wide::mul(a, b);
	(high, if low == 0 { high } else { high.saturating_add(1) })
}

/// The schedule's amount per block in schedule epoch `k`, exactly as [`decayed`] gives it (what
/// the chain issues), from `bracket` (`lo ≤ factor^k ≤ hi`, 128-bit fractions, `None` at
/// `k = 0`): `floor(initial · lo)` when it equals `floor(initial · hi)`, else [`decayed`] itself.
fn amount_in_epoch(
	initial: Balance,
	factor: Perquintill,
	k: u64,
	bracket: Option<(u128, u128)>,
) -> Balance {
	let Some((lo, hi)) = bracket else { return decayed(initial, factor, k) };
	let low = mul_shift(initial, lo).0;
	// `hi` may have reached 2¹²⁸ − 1 from rounding up: still an upper bound below 1 + 2⁻¹²⁸.
	let high = mul_shift(initial, hi).0;
	if low == high {
		low
	} else {
		decayed(initial, factor, k)
	}
}

/// Walk the schedule from block `first` on, run by run (a run: the blocks of one schedule epoch,
/// which all issue the same amount), with `budget` left to issue (what the supply cap and the
/// ledger leave: each block issues `min(amount, what is left)`), nothing recycled meanwhile:
/// the issuance over the `horizon` blocks from `first`, and how issuance ends.
///
/// Each run's amount is [`decayed`]'s, the chain's own: bracketed with one 128-bit product per
/// bound and run, and computed by [`decayed`] itself where the bracket does not decide. At most
/// `max_runs` runs (the runtime: [`PROJECTION_MAX_RUNS`]): beyond them the horizon's issuance is
/// bounded (below by 0 more, above by the next run's amount for every block left, within the
/// budget) and the end is [`ProjectionEnd::NotWithin`].
pub fn project(
	initial: Balance,
	factor: Perquintill,
	epoch_length: u32,
	first: u64,
	budget: Balance,
	horizon: u64,
	max_runs: u64,
) -> Projection {
	let length = u64::from(epoch_length.max(1));
	let horizon_end = first.saturating_add(horizon);
	let (f_lo, f_hi) = factor_bits(factor);
	let mut k = first.checked_div(length).unwrap_or(0);
	// The bracket of factor^k, by square-and-multiply once, then one product per run.
	let mut bracket = (k > 0).then(|| {
		let (mut lo, mut hi) = (f_lo, f_hi);
		let (mut acc_lo, mut acc_hi): (Option<u128>, Option<u128>) = (None, None);
		let mut e = k;
		while e > 0 {
			if e & 1 == 1 {
				acc_lo = Some(acc_lo.map_or(lo, |a| mul_shift(a, lo).0));
				acc_hi = Some(acc_hi.map_or(hi, |a| mul_shift(a, hi).1));
			}
			e >>= 1;
			if e > 0 {
				lo = mul_shift(lo, lo).0;
				hi = mul_shift(hi, hi).1;
			}
		}
		(acc_lo.unwrap_or(0), acc_hi.unwrap_or(u128::MAX))
	});
	let mut block = first;
	let mut left = budget;
	let mut issued: Balance = 0;
	let mut in_horizon: Balance = 0;
	let mut runs: u64 = 0;
	let end = loop {
		let amount = amount_in_epoch(initial, factor, k, bracket);
		if left == 0 {
			break ProjectionEnd::BudgetReachedAt { block: block.saturating_sub(1) };
		}
		if amount == 0 {
			break ProjectionEnd::EmissionEndsAt { block, issued };
		}
		if runs >= max_runs {
			// What the horizon may still issue: at most the current amount per block left.
			let blocks_left = horizon_end.saturating_sub(block);
			let most = amount.saturating_mul(u128::from(blocks_left)).min(left);
			return Projection {
				horizon_issuance: (in_horizon, in_horizon.saturating_add(most)),
				end: ProjectionEnd::NotWithin { block, issued },
			};
		}
		runs = runs.saturating_add(1);
		let run_end = k.saturating_add(1).saturating_mul(length);
		let blocks = run_end.saturating_sub(block);
		let full = amount.saturating_mul(u128::from(blocks));
		let this_run = full.min(left);
		let in_horizon_blocks = horizon_end.min(run_end).saturating_sub(block);
		let horizon_part = amount.saturating_mul(u128::from(in_horizon_blocks)).min(left);
		in_horizon = in_horizon.saturating_add(horizon_part);
		if this_run < full {
			// The budget runs out inside this run: at the block whose emission uses it up.
			let whole = left.checked_div(amount).unwrap_or(0);
			let last = if left.checked_rem(amount).unwrap_or(0) == 0 {
				whole
			} else {
				whole.saturating_add(1)
			};
			let last = u64::try_from(last).unwrap_or(u64::MAX);
			break ProjectionEnd::BudgetReachedAt {
				block: block.saturating_add(last).saturating_sub(1),
			};
		}
		issued = issued.saturating_add(this_run);
		left = left.saturating_sub(this_run);
		block = run_end;
		k = k.saturating_add(1);
		bracket = Some(match bracket {
			None => (f_lo, f_hi),
			Some((lo, hi)) => (mul_shift(lo, f_lo).0, mul_shift(hi, f_hi).1),
		});
	};
	Projection { horizon_issuance: (in_horizon, in_horizon), end }
}
