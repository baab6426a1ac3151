//! Pure, total emission maths: no storage, no `Config`, no panics.
//!
//! Everything here is a function of its arguments, so the audit tool and the tests can
//! reproduce every number the pallet stores. Each function documents its rounding: all
//! substrate-fixed multiplications and divisions truncate toward zero (round down, as every
//! value here is non-negative), and sums saturate at the type's maximum.
//!
//! Division always goes through `checked_div`: substrate-fixed's `/` and `saturating_div` panic on
//! a zero divisor.

use crate::{Balance, NetUid};
use alloc::{collections::BTreeMap, vec::Vec};
use sp_runtime::{helpers_128bit::multiply_by_rational_with_rounding, Perbill, Permill, Rounding};
use substrate_fixed::types::{U64F64, U96F32};

mod div;
pub mod fork;
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
	with_values(shares, normalize_values);
}

/// Run `f` over the shares' values (in netuid order) and write them back.
fn with_values(shares: &mut Shares, f: impl FnOnce(&mut [U64F64])) {
	let mut values: Vec<U64F64> = shares.values().copied().collect();
	f(&mut values);
	for (share, value) in shares.values_mut().zip(values) {
		*share = value;
	}
}

/// [`normalize`] over the values alone.
fn normalize_values(values: &mut [U64F64]) {
	let zero = U64F64::from_num(0u32);
	let exact_sum = values.iter().try_fold(zero, |acc, v| acc.checked_add(*v));
	let sum = match exact_sum {
		Some(sum) => sum,
		None => {
			let n = U64F64::saturating_from_num(values.len());
			for value in values.iter_mut() {
				*value = value.checked_div(n).unwrap_or(zero);
			}
			saturating_sum(values.iter().copied(), zero)
		},
	};
	// Every share divided by the same sum: one reciprocal, then a few multiplications per share
	// (`div`; bit for bit `checked_div`).
	// A zero share stays zero (filtered subnets: half of them or more after a cut).
	let Some(divisor) = div::Divisor::new(sum.to_bits()) else { return };
	for value in values.iter_mut().filter(|value| **value != zero) {
		*value = match divisor.quotient(value.to_bits()) {
			Some(bits) => U64F64::from_bits(bits),
			None => value.checked_div(sum).unwrap_or(zero),
		};
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
	let netuids: Vec<NetUid> = shares.keys().copied().collect();
	with_values(shares, |values| scale_values(&netuids, values, erp, root_prop));
}

/// [`scale_by_effective_root_prop`] over values, `netuids[i]` being the subnet of `values[i]`
/// (increasing).
fn scale_values(
	netuids: &[NetUid],
	values: &mut [U64F64],
	erp: &BTreeMap<NetUid, U96F32>,
	root_prop: &BTreeMap<NetUid, U96F32>,
) {
	// All three are ordered by netuid: walk them side by side instead of looking each subnet up.
	let mut erp = erp.iter().peekable();
	let mut root_prop = root_prop.iter().peekable();
	for (netuid, value) in netuids.iter().zip(values.iter_mut()) {
		let e = next_for(&mut erp, *netuid);
		let r = next_for(&mut root_prop, *netuid);
		*value = mul_u64f64(*value, u96_to_u64f64(e.min(r)));
	}
	normalize_values(values);
}

/// `a.saturating_mul(b)` (the product rounded down, saturating), with one 64-by-64-bit
/// multiplication when both are below 1: the case of a normalized share times a factor in
/// `[0, 1)`.
pub(crate) fn mul_u64f64(a: U64F64, b: U64F64) -> U64F64 {
	match (u64::try_from(a.to_bits()), u64::try_from(b.to_bits())) {
		(Ok(x), Ok(y)) => U64F64::from_bits(u128::from(x).wrapping_mul(u128::from(y)) >> 64),
		_ => a.saturating_mul(b),
	}
}

/// The value of `netuid` in an ordered map walked in increasing netuid order (0 when missing).
fn next_for<'a>(
	entries: &mut core::iter::Peekable<impl Iterator<Item = (&'a NetUid, &'a U96F32)>>,
	netuid: NetUid,
) -> U96F32 {
	while entries.next_if(|(n, _)| **n < netuid).is_some() {}
	entries
		.next_if(|(n, _)| **n == netuid)
		.map(|(_, v)| *v)
		.unwrap_or(U96F32::from_bits(0))
}

/// `U64F64::saturating_from_num(x)` for a `U96F32`: the same value with 32 more fractional bits,
/// or the largest `U64F64` when it does not fit.
fn u96_to_u64f64(x: U96F32) -> U64F64 {
	let bits = x.to_bits();
	if bits >> 96 == 0 {
		U64F64::from_bits(bits << 32)
	} else {
		U64F64::from_bits(u128::MAX)
	}
}

/// Keep the `k` largest shares, zero the others and [`normalize`].
///
/// Ties at the cut are all kept: every share equal to the k-th largest survives, so more than
/// `k` subnets may survive. `k = 0` zeroes every share. `k` at or above the number of entries
/// leaves the map exactly as it is (not even normalized).
pub fn keep_top_k(shares: &mut Shares, k: u32) {
	with_values(shares, |values| keep_top_k_values(values, k));
}

/// [`keep_top_k`] over the values alone.
fn keep_top_k_values(values: &mut [U64F64], k: u32) {
	let k = usize::try_from(k).unwrap_or(usize::MAX);
	if k >= values.len() {
		return;
	}
	let zero = U64F64::from_num(0u32);
	let Some(cut_index) = k.checked_sub(1) else {
		values.iter_mut().for_each(|value| *value = zero);
		return;
	};
	// The k-th largest share, found in linear time (no full sort needed). `k - 1 < len` here, so
	// the cut exists; `zero` keeps the function total regardless.
	let mut scratch: Vec<U64F64> = values.to_vec();
	let threshold = if cut_index < scratch.len() {
		*scratch.select_nth_unstable_by(cut_index, |a, b| b.cmp(a)).1
	} else {
		zero
	};
	for value in values.iter_mut() {
		if *value < threshold {
			*value = zero;
		}
	}
	normalize_values(values);
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
	with_values(shares, |values| top_proportion_values(values, proportion));
}

/// [`top_proportion`] over the values alone.
fn top_proportion_values(values: &mut [U64F64], proportion: Permill) {
	if proportion == Permill::one() {
		return;
	}
	keep_top_k_values(values, top_proportion_count(values.len(), proportion));
}

/// Keep at most `limit` subnets with emission ([`keep_top_k`] with `limit`).
///
/// `None` leaves the map unchanged, and so does a map with at most `limit` non-zero shares.
pub fn absolute_limit(shares: &mut Shares, limit: Option<u16>) {
	with_values(shares, |values| absolute_limit_values(values, limit));
}

/// [`absolute_limit`] over the values alone.
fn absolute_limit_values(values: &mut [U64F64], limit: Option<u16>) {
	let Some(limit) = limit else { return };
	let zero = U64F64::from_num(0u32);
	let non_zero = values.iter().filter(|value| **value > zero).count();
	if non_zero <= usize::from(limit) {
		return;
	}
	keep_top_k_values(values, u32::from(limit));
}

/// Root-stake utilization of a subnet: how well its root validators earned their expected share
/// of the root dividends.
///
/// `root_stakes` holds the root stake of each validator registered on the subnet; only they
/// count. With `S = Σ stake` and `D = Σ dividends` (all keys of `root_dividends`, registered or
/// not):
///
/// ```text
/// efficiency_i = min((div_i / D) / (stake_i / S), 1)
/// utilization  = Σ stake_i · efficiency_i / S = Σ min(div_i · S / D, stake_i) / S
/// ```
///
/// The right-hand form is what is computed: `div_i · S / D` exactly on the values' bits (a
/// 256-bit intermediate), rounded down; the final division rounded down. Sums saturate. The
/// result is 0 when `S` or `D` is 0 and never exceeds 1; dividends proportional to stake give
/// exactly 1.
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
		// `div_i ≤ D`, so the quotient is at most `S` and fits.
		let expected_bits = multiply_by_rational_with_rounding(
			dividend.to_bits(),
			total_stake.to_bits(),
			total_dividends.to_bits(),
			Rounding::Down,
		)
		.unwrap_or(0);
		acc.saturating_add(U96F32::from_bits(expected_bits).min(*stake))
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

/// `2⁶⁴`, the denominator of a `U64F64`'s bits.
const U64F64_ONE_BITS: u128 = 1u128 << 64;

/// `floor(amount × share)`, exactly (128-bit intermediate, rounded down). A share above 1 is
/// treated as 1, so the result never exceeds `amount`.
pub fn amount_for_share(amount: Balance, share: U64F64) -> Balance {
	let bits = share.to_bits().min(U64F64_ONE_BITS);
	multiply_by_rational_with_rounding(amount, bits, U64F64_ONE_BITS, Rounding::Down).unwrap_or(0)
}

/// A `Perbill` as `U64F64`, rounded down (exact for `0` and `100 %`).
pub fn perbill_to_fixed(p: Perbill) -> U64F64 {
	U64F64::from_num(p.deconstruct())
		.checked_div(U64F64::from_num(1_000_000_000u32))
		.unwrap_or(U64F64::from_num(0u32))
}

/// `factor^exponent` as `U64F64`, by square-and-multiply over the exponent's bits (at most 32
/// rounds). Every multiplication rounds down, so the result is at most the exact power.
pub fn decay_power(factor: Perbill, exponent: u32) -> U64F64 {
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
/// (`U64F64`, rounded down) and the product is exact and rounded down; then limited to what
/// `supply_cap` leaves after `issued`. An `epoch_length` of 0 yields 0 (it is rejected when set).
pub fn block_emission(
	initial: Balance,
	decay_factor: Perbill,
	epoch_length: u32,
	supply_cap: Option<Balance>,
	block: u64,
	issued: Balance,
) -> Balance {
	let Some(epochs) = block.checked_div(u64::from(epoch_length)) else { return 0 };
	let exponent = u32::try_from(epochs).unwrap_or(u32::MAX);
	let amount = amount_for_share(initial, decay_power(decay_factor, exponent));
	match supply_cap {
		Some(cap) => amount.min(cap.saturating_sub(issued)),
		None => amount,
	}
}

/// Whether a subnet's epoch runs at `block`: `(block + netuid + 1) % (tempo + 1) == 0`
/// (Subtensor's rule; the netuid offset spreads epochs of subnets with one tempo over blocks).
pub fn epoch_is_due(netuid: NetUid, tempo: u16, block: u64) -> bool {
	let period = u64::from(tempo).saturating_add(1);
	let position = block.saturating_add(u64::from(netuid)).saturating_add(1);
	position.checked_rem(period) == Some(0)
}

/// `RootProp` of a subnet from its stake totals: `w·root / (alpha + w·root)` with `w` the TAO
/// weight. The weighted stake and the quotient round down; 0 when the denominator is 0.
pub fn root_prop(root_stake: Balance, alpha_stake: Balance, tao_weight: Perbill) -> U96F32 {
	let zero = U96F32::from_num(0u32);
	let weighted_root = U96F32::saturating_from_num(tao_weight.mul_floor(root_stake));
	let total = U96F32::saturating_from_num(alpha_stake).saturating_add(weighted_root);
	weighted_root.checked_div(total).unwrap_or(zero)
}

/// A balance as `U96F32`, saturating above `2⁹⁶`.
pub fn to_fixed96(amount: Balance) -> U96F32 {
	U96F32::saturating_from_num(amount)
}

/// What happened at one subnet epoch: the numbers the pallet stores and emits.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub struct EpochSettlement {
	/// Root-stake utilization ([`utilization`]).
	pub utilization: U96F32,
	/// `root / (alpha + root)` of the epoch's dividends (before the cap).
	pub raw_root_prop: U96F32,
	/// `EffectiveRootProp` after the cap (0 when capped).
	pub effective_root_prop: U96F32,
	/// Whether the hard cap fired.
	pub capped: bool,
	/// Sum of the alpha dividends.
	pub alpha_total: Balance,
	/// Sum of the root dividends before the cap.
	pub root_total: Balance,
	/// Root dividends recycled by the cap (all of them, or 0).
	pub recycled: Balance,
}

/// Settle one subnet epoch: utilization over the registered validators' root stakes, the raw root
/// proportion, `EffectiveRootProp` and the hard cap. Sums saturate; see [`utilization`],
/// [`effective_root_prop`] and [`hard_cap_applies`] for the rounding.
pub fn settle_epoch<K: Ord>(
	alpha_dividends: &BTreeMap<K, Balance>,
	root_dividends: &BTreeMap<K, Balance>,
	root_stakes: &BTreeMap<K, Balance>,
) -> EpochSettlement {
	let alpha_total = alpha_dividends.values().fold(0u128, |acc, v| acc.saturating_add(*v));
	let root_total = root_dividends.values().fold(0u128, |acc, v| acc.saturating_add(*v));
	let stakes: BTreeMap<&K, U96F32> =
		root_stakes.iter().map(|(k, v)| (k, to_fixed96(*v))).collect();
	let dividends: BTreeMap<&K, U96F32> =
		root_dividends.iter().map(|(k, v)| (k, to_fixed96(*v))).collect();
	let utilization = utilization(&stakes, &dividends);
	let alpha = to_fixed96(alpha_total);
	let root = to_fixed96(root_total);
	let zero = U96F32::from_num(0u32);
	let raw_root_prop = root.checked_div(alpha.saturating_add(root)).unwrap_or(zero);
	let capped = hard_cap_applies(utilization, root_total > 0);
	let (effective_root_prop, recycled) = if capped {
		(zero, root_total)
	} else {
		(effective_root_prop(alpha, root, utilization), 0)
	};
	EpochSettlement {
		utilization,
		raw_root_prop,
		effective_root_prop,
		capped,
		alpha_total,
		root_total,
		recycled,
	}
}

/// The settings of the three emission filters.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct FilterSettings {
	/// Scale shares by `min(EffectiveRootProp, RootProp)`.
	pub erp_scaling: bool,
	/// Keep the top proportion of subnets.
	pub top_proportion: Permill,
	/// Keep at most this many subnets.
	pub absolute_limit: Option<u16>,
}

/// The shares after each stage of the emission filter pipeline.
#[derive(Clone, PartialEq, Eq, Debug, Default)]
pub struct FilterStages {
	/// Base weights, normalized.
	pub base: Shares,
	/// After `EffectiveRootProp` scaling (equal to `base` when scaling is off).
	pub after_erp_scaling: Shares,
	/// After the top-proportion filter.
	pub after_top_proportion: Shares,
	/// After the absolute limit: the shares emission follows.
	pub after_absolute_limit: Shares,
}

/// Run the filter pipeline: base weights → [`normalize`] → [`scale_by_effective_root_prop`] (if
/// enabled) → [`top_proportion`] → [`absolute_limit`].
pub fn filter_pipeline(
	base_weights: &BTreeMap<NetUid, u64>,
	settings: FilterSettings,
	erp: &BTreeMap<NetUid, U96F32>,
	root_prop: &BTreeMap<NetUid, U96F32>,
) -> FilterStages {
	let netuids: Vec<NetUid> = base_weights.keys().copied().collect();
	let as_shares = |values: &[U64F64]| -> Shares {
		netuids.iter().copied().zip(values.iter().copied()).collect()
	};
	let mut stages = FilterStages::default();
	filter_values(&netuids, base_weights, settings, erp, root_prop, |stage, values| match stage {
		Stage::Base => stages.base = as_shares(values),
		Stage::AfterErpScaling => stages.after_erp_scaling = as_shares(values),
		Stage::AfterTopProportion => stages.after_top_proportion = as_shares(values),
		Stage::AfterAbsoluteLimit => stages.after_absolute_limit = as_shares(values),
	});
	stages
}

/// The last stage of [`filter_pipeline`] alone (what the hook splits the emission by), in
/// netuid order, without keeping the stages before it.
pub fn filter_shares(
	base_weights: &BTreeMap<NetUid, u64>,
	settings: FilterSettings,
	erp: &BTreeMap<NetUid, U96F32>,
	root_prop: &BTreeMap<NetUid, U96F32>,
) -> Vec<(NetUid, U64F64)> {
	let netuids: Vec<NetUid> = base_weights.keys().copied().collect();
	let mut out = Vec::new();
	filter_values(&netuids, base_weights, settings, erp, root_prop, |stage, values| {
		if stage == Stage::AfterAbsoluteLimit {
			out = netuids.iter().copied().zip(values.iter().copied()).collect();
		}
	});
	out
}

/// A stage of the filter chain.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Stage {
	Base,
	AfterErpScaling,
	AfterTopProportion,
	AfterAbsoluteLimit,
}

/// The filter chain over values in netuid order, telling `stage` each stage's values.
fn filter_values(
	netuids: &[NetUid],
	base_weights: &BTreeMap<NetUid, u64>,
	settings: FilterSettings,
	erp: &BTreeMap<NetUid, U96F32>,
	root_prop: &BTreeMap<NetUid, U96F32>,
	mut stage: impl FnMut(Stage, &[U64F64]),
) {
	// `U64F64::from_num(w)` of a `u64`: exactly `w << 64`.
	let mut values: Vec<U64F64> =
		base_weights.values().map(|w| U64F64::from_bits(u128::from(*w) << 64)).collect();
	normalize_values(&mut values);
	stage(Stage::Base, &values);
	if settings.erp_scaling {
		scale_values(netuids, &mut values, erp, root_prop);
	}
	stage(Stage::AfterErpScaling, &values);
	top_proportion_values(&mut values, settings.top_proportion);
	stage(Stage::AfterTopProportion, &values);
	absolute_limit_values(&mut values, settings.absolute_limit);
	stage(Stage::AfterAbsoluteLimit, &values);
}

/// How a block's emission is split: each subnet's amount (`floor(amount × share)`) and what
/// remains (rounding dust, or everything when every share is 0), which is recycled.
///
/// `shares` in netuid order: a `&Shares`, or the hook's [`filter_shares`] as
/// `shares.iter().map(|(n, s)| (n, s))`.
pub fn split_emission<'a>(
	amount: Balance,
	shares: impl IntoIterator<Item = (&'a NetUid, &'a U64F64)>,
) -> (BTreeMap<NetUid, Balance>, Balance) {
	let mut assigned: Balance = 0;
	let amounts: BTreeMap<NetUid, Balance> = shares
		.into_iter()
		.map(|(netuid, share)| {
			// Shares sum to at most 1, so this never binds; it keeps conservation unconditional.
			let part = amount_for_share(amount, *share).min(amount.saturating_sub(assigned));
			assigned = assigned.saturating_add(part);
			(*netuid, part)
		})
		.collect();
	(amounts, amount.saturating_sub(assigned))
}
