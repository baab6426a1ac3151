//! Pure, total emission maths: no storage, no `Config`, no panics.
//!
//! Everything here is a function of its arguments, so the audit tool and the tests can
//! reproduce every number the pallet stores. Each function documents its rounding: all
//! substrate-fixed multiplications and divisions truncate toward zero (round down, as every
//! value here is non-negative), and sums saturate at the type's maximum.
//!
//! Division always goes through `checked_div`: substrate-fixed's `/` and `saturating_div` panic on
//! a zero divisor.

#![deny(clippy::unwrap_used, clippy::expect_used)]

use crate::NetUid;
use alloc::{collections::BTreeMap, vec::Vec};
use sp_runtime::Permill;
use substrate_fixed::types::{U64F64, U96F32};

#[cfg(test)]
mod tests;

/// Emission shares of subnets. After [`normalize`] they sum to 1 (up to rounding) or are all 0.
pub type Shares = BTreeMap<NetUid, U64F64>;

/// Sum of `values`, saturating at the type's maximum.
fn saturating_sum<V: Copy + SaturatingAdd>(values: impl Iterator<Item = V>, zero: V) -> V {
	values.fold(zero, |acc, v| acc.sat_add(v))
}

/// Saturating addition of substrate-fixed values (a local trait: the crate has no common one).
trait SaturatingAdd {
	fn sat_add(self, other: Self) -> Self;
}
impl SaturatingAdd for U64F64 {
	fn sat_add(self, other: Self) -> Self {
		self.saturating_add(other)
	}
}
impl SaturatingAdd for U96F32 {
	fn sat_add(self, other: Self) -> Self {
		self.saturating_add(other)
	}
}

/// Divide every share by the sum of all shares, so that they sum to 1.
///
/// An empty or all-zero map is left as it is (all zero). Each quotient is rounded down, so the
/// result sums to at most 1 and at least `1 - n·2⁻⁶⁴`. If the exact sum would overflow
/// `U64F64`, every share is first divided by the number of shares (rounded down), which keeps
/// their ratios up to that rounding.
pub fn normalize(shares: &mut Shares) {
	let exact_sum = shares.values().try_fold(U64F64::from_num(0u32), |acc, v| acc.checked_add(*v));
	let sum = match exact_sum {
		Some(sum) => sum,
		None => {
			let n = U64F64::saturating_from_num(shares.len());
			for share in shares.values_mut() {
				*share = share.checked_div(n).unwrap_or(U64F64::from_num(0u32));
			}
			saturating_sum(shares.values().copied(), U64F64::from_num(0u32))
		},
	};
	if sum == U64F64::from_num(0u32) {
		return;
	}
	for share in shares.values_mut() {
		*share = share.checked_div(sum).unwrap_or(U64F64::from_num(0u32));
	}
}

/// Scale each subnet's share by `min(erp, root_prop)` of that subnet, then [`normalize`].
///
/// A subnet missing from either map scales by 0. Taking the minimum stops a subnet from raising
/// its factor above its `RootProp` by switching its alpha validators off. The factor is
/// converted to `U64F64` (saturating; exact for factors in `[0, 1]`) and the product is rounded
/// down.
pub fn scale_by_effective_root_prop(
	shares: &mut Shares,
	erp: &BTreeMap<NetUid, U96F32>,
	root_prop: &BTreeMap<NetUid, U96F32>,
) {
	let zero = U96F32::from_num(0u32);
	for (netuid, share) in shares.iter_mut() {
		let erp = erp.get(netuid).copied().unwrap_or(zero);
		let root_prop = root_prop.get(netuid).copied().unwrap_or(zero);
		let factor = U64F64::saturating_from_num(erp.min(root_prop));
		*share = share.saturating_mul(factor);
	}
	normalize(shares);
}

/// Keep the `k` largest shares, zero the others and [`normalize`].
///
/// Ties at the cut are all kept: every share equal to the k-th largest survives, so more than
/// `k` subnets may survive. `k = 0` zeroes every share. `k` at or above the number of entries
/// leaves the map exactly as it is (not even normalized).
pub fn keep_top_k(shares: &mut Shares, k: u32) {
	let k = usize::try_from(k).unwrap_or(usize::MAX);
	if k >= shares.len() {
		return;
	}
	let zero = U64F64::from_num(0u32);
	let Some(cut_index) = k.checked_sub(1) else {
		shares.values_mut().for_each(|share| *share = zero);
		return;
	};
	let mut sorted: Vec<U64F64> = shares.values().copied().collect();
	sorted.sort_unstable_by(|a, b| b.cmp(a));
	// `k - 1 < len` here, so the cut exists; `zero` keeps the function total regardless.
	let threshold = sorted.get(cut_index).copied().unwrap_or(zero);
	for share in shares.values_mut() {
		if *share < threshold {
			*share = zero;
		}
	}
	normalize(shares);
}

/// The number of subnets the top-proportion filter keeps out of `n`:
/// `max(ceil(n · proportion), 1)`, in integer arithmetic (parts per million, rounded up).
pub fn top_proportion_count(n: usize, proportion: Permill) -> u32 {
	let n = u64::try_from(n).unwrap_or(u64::MAX);
	let ppm = u64::from(proportion.deconstruct());
	let scaled = n.saturating_mul(ppm);
	let k = scaled.div_ceil(1_000_000);
	u32::try_from(k).unwrap_or(u32::MAX).max(1)
}

/// Keep the top `proportion` of subnets by share ([`keep_top_k`] with
/// [`top_proportion_count`]; `n` counts every entry, zero shares included).
///
/// `100 %` leaves the map unchanged.
pub fn top_proportion(shares: &mut Shares, proportion: Permill) {
	if proportion == Permill::one() {
		return;
	}
	keep_top_k(shares, top_proportion_count(shares.len(), proportion));
}

/// Keep at most `limit` subnets with emission ([`keep_top_k`] with `limit`).
///
/// `None` leaves the map unchanged, and so does a map with at most `limit` non-zero shares.
pub fn absolute_limit(shares: &mut Shares, limit: Option<u16>) {
	let Some(limit) = limit else { return };
	let zero = U64F64::from_num(0u32);
	let non_zero = shares.values().filter(|share| **share > zero).count();
	if non_zero <= usize::from(limit) {
		return;
	}
	keep_top_k(shares, u32::from(limit));
}

/// Root-stake utilization of a subnet: how well its root validators earned their expected share
/// of the root dividends.
///
/// `root_stakes` holds the root stake of each validator registered on the subnet; only they
/// count. With `S = Σ stake` and `D = Σ dividends` (all keys of `root_dividends`, registered or
/// not):
///
/// ```text
/// actual_i     = div_i / D                      (rounded down)
/// efficiency_i = min(actual_i / (stake_i / S), 1)
/// utilization  = Σ stake_i · efficiency_i / S = Σ min(actual_i · S, stake_i) / S
/// ```
///
/// The right-hand form is what is computed (fewer divisions): `actual_i · S` is rounded down
/// and saturates, the final division is rounded down. The result is 0 when `S` or `D` is 0 and
/// never exceeds 1.
pub fn utilization<K: Ord>(
	root_stakes: &BTreeMap<K, U96F32>,
	root_dividends: &BTreeMap<K, U96F32>,
) -> U96F32 {
	let zero = U96F32::from_num(0u32);
	let total_stake = saturating_sum(root_stakes.values().copied(), zero);
	let total_dividends = saturating_sum(root_dividends.values().copied(), zero);
	if total_stake == zero || total_dividends == zero {
		return zero;
	}
	let earned = root_stakes.iter().fold(zero, |acc, (key, stake)| {
		let dividend = root_dividends.get(key).copied().unwrap_or(zero);
		let actual = dividend.checked_div(total_dividends).unwrap_or(zero);
		acc.saturating_add(actual.saturating_mul(total_stake).min(*stake))
	});
	earned.checked_div(total_stake).unwrap_or(zero).min(U96F32::from_num(1u32))
}

/// `EffectiveRootProp`: the root share of a subnet's dividends, scaled by utilization.
///
/// `root / (alpha + root) · utilization`; the quotient and the product are rounded down, the sum
/// saturates. 0 when `alpha + root` is 0.
pub fn effective_root_prop(
	total_alpha_dividends: U96F32,
	total_root_dividends: U96F32,
	utilization: U96F32,
) -> U96F32 {
	let zero = U96F32::from_num(0u32);
	let total = total_alpha_dividends.saturating_add(total_root_dividends);
	total_root_dividends
		.checked_div(total)
		.unwrap_or(zero)
		.saturating_mul(utilization)
}

/// One half, the utilization below which the hard cap fires.
pub const HARD_CAP_THRESHOLD: U96F32 = U96F32::from_bits(1u128 << 31);

/// Whether the hard cap recycles all of a subnet's root dividends: only when there are root
/// dividends and utilization is below 1/2 (exactly 1/2 is not capped).
pub fn hard_cap_applies(utilization: U96F32, any_root_dividends: bool) -> bool {
	any_root_dividends && utilization < HARD_CAP_THRESHOLD
}
