//! The emission filters (seed 003): normalization, ERP scaling, top proportion, absolute limit,
//! and the split of a block's emission by the shares.

use super::{saturating_sum, Balance, NetUid};
use alloc::{collections::BTreeMap, vec::Vec};
use sp_runtime::{helpers_128bit::multiply_by_rational_with_rounding, Perbill, Permill, Rounding};
use substrate_fixed::types::{U64F64, U96F32};

/// Emission shares of subnets. After [`normalize`] they sum to 1 (up to rounding) or are all 0.
pub type Shares = BTreeMap<NetUid, U64F64>;

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
	let Some(divisor) = super::div::Divisor::new(sum.to_bits()) else { return };
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
pub(crate) fn u96_to_u64f64(x: U96F32) -> U64F64 {
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

/// `2⁶⁴`, the denominator of a `U64F64`'s bits.
const U64F64_ONE_BITS: u128 = 1u128 << 64;

/// `floor(amount × share)`, exactly (128-bit intermediate, rounded down). A share above 1 is
/// treated as 1, so the result never exceeds `amount`.
pub fn amount_for_share(amount: Balance, share: U64F64) -> Balance {
	let bits = share.to_bits().min(U64F64_ONE_BITS);
	multiply_by_rational_with_rounding(amount, bits, U64F64_ONE_BITS, Rounding::Down).unwrap_or(0)
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

/// Per-subnet emission rates below 100 % (a subnet missing has 100 %).
pub type Rates = BTreeMap<NetUid, Perbill>;

/// The shares after each stage of the emission filter pipeline.
#[derive(Clone, PartialEq, Eq, Debug, Default)]
pub struct FilterStages {
	/// Base weights, normalized.
	pub base: Shares,
	/// Base weights times each subnet's emission rate, normalized (equal to `base` when no subnet
	/// of the set has a rate below 100 %).
	pub after_rate: Shares,
	/// After `EffectiveRootProp` scaling (equal to `after_rate` when scaling is off).
	pub after_erp_scaling: Shares,
	/// After the top-proportion filter.
	pub after_top_proportion: Shares,
	/// After the absolute limit: the shares emission follows.
	pub after_absolute_limit: Shares,
}

/// Run the filter pipeline: base weights → the subnets' emission rates → [`normalize`] →
/// [`scale_by_effective_root_prop`] (if enabled) → [`top_proportion`] → [`absolute_limit`].
pub fn filter_pipeline(
	base_weights: &BTreeMap<NetUid, u64>,
	rates: &Rates,
	settings: FilterSettings,
	erp: &BTreeMap<NetUid, U96F32>,
	root_prop: &BTreeMap<NetUid, U96F32>,
) -> FilterStages {
	let netuids: Vec<NetUid> = base_weights.keys().copied().collect();
	let as_shares =
		|keys: &[u128]| -> Shares { netuids.iter().copied().zip(normalize_keys(keys)).collect() };
	let mut stages = FilterStages::default();
	let last =
		filter_keys(&netuids, base_weights, rates, settings, erp, root_prop, |stage, keys| {
			match stage {
				Stage::Base => stages.base = as_shares(keys),
				Stage::AfterRate => stages.after_rate = as_shares(keys),
				Stage::AfterErpScaling => stages.after_erp_scaling = as_shares(keys),
				Stage::AfterTopProportion => stages.after_top_proportion = as_shares(keys),
			}
		});
	stages.after_absolute_limit = as_shares(&last);
	stages
}

/// The last stage of [`filter_pipeline`] alone (what the hook splits the emission by), in
/// netuid order: the same shares, bit for bit, as the pipeline's last stage, with less work. The
/// keys are normalized once, at the end (every stage's shares are its keys normalized once), and
/// the two cuts are made as one ([`cut_count`]).
pub fn filter_shares(
	base_weights: &BTreeMap<NetUid, u64>,
	rates: &Rates,
	settings: FilterSettings,
	erp: &BTreeMap<NetUid, U96F32>,
	root_prop: &BTreeMap<NetUid, U96F32>,
) -> Vec<(NetUid, U64F64)> {
	let mut netuids: Vec<NetUid> = Vec::with_capacity(base_weights.len());
	let mut keys: Vec<u128> = Vec::with_capacity(base_weights.len());
	for (netuid, weight) in base_weights {
		netuids.push(*netuid);
		keys.push(u128::from(*weight));
	}
	rate_keys(&netuids, &mut keys, rates);
	if settings.erp_scaling {
		scale_keys(&netuids, &mut keys, erp, root_prop);
	}
	if let Some(k) = cut_count(keys.len(), settings) {
		keep_top_k_keys(&mut keys, k);
	}
	netuids.into_iter().zip(normalize_keys(&keys)).collect()
}

/// The `k` of the one cut that leaves the same subnets as the top-proportion filter followed by
/// the absolute limit over `n` subnets: the smaller of the two `k`s (`None` when neither filter is
/// on).
///
/// A cut at `k` ([`keep_top_k_keys`]) keeps a prefix of the keys in decreasing order: those at
/// least the `k`-th largest non-zero key `a_k` (all of them when at most `k` are non-zero). After
/// a cut at `k1`, a cut at `k2` keeps those at least the `k2`-th largest of the prefix, which is
/// `a_k2` itself whenever it cuts at all. So for `k2 < k1` the two cuts keep what a cut at `k2`
/// keeps; for `k2 ≥ k1` the second either keeps every survivor, or its threshold `a_k2` is a
/// survivor's key, at least `a_k1` and at most it: equal, and again every survivor stays.
fn cut_count(n: usize, settings: FilterSettings) -> Option<u32> {
	let top = (settings.top_proportion != Permill::one())
		.then(|| top_proportion_count(n, settings.top_proportion));
	let limit = settings.absolute_limit.map(u32::from);
	match (top, limit) {
		(Some(a), Some(b)) => Some(a.min(b)),
		(a, b) => a.or(b),
	}
}

/// A stage of the filter chain before the last.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Stage {
	Base,
	AfterRate,
	AfterErpScaling,
	AfterTopProportion,
}

/// The filter chain over keys in netuid order, telling `stage` the keys after each stage but the
/// last, and returning the last stage's keys.
///
/// The chain decides on exact integer keys, not on rounded shares: a subnet's key is its base
/// weight, times its emission rate in parts per billion when any subnet of the set has a rate
/// below 100 % ([`rate_keys`]), times `min(EffectiveRootProp, RootProp)` (as `U96F32` bits, at
/// most 1) when ERP scaling is on. Every stage's shares are the surviving keys normalized once
/// (`floor(key · 2⁶⁴ / Σ keys)`, [`normalize_keys`]), which in exact arithmetic is the seed's
/// "scale, renormalize, filter, renormalize": normalizing divides every key by one positive number,
/// so the ranking, the ties at a cut and the ratios are those of the exact shares. So which subnets
/// survive a cut never depends on rounding, each share is within `2⁻⁶⁴` below the exact one (while
/// the keys sum to less than `2¹²⁸`: see [`normalize_keys`]), and only the stages a caller looks at
/// need normalizing (the hook: the last one).
///
/// "Exact" is over the values the chain stores: ties at a cut are decided on the base weights and
/// the stored `EffectiveRootProp`/`RootProp` bits (the seed's inputs as the chain keeps them), not
/// on an epoch's unrounded inputs. Two subnets whose unrounded ERPs are equal but whose stored
/// ERPs differ by a rounding are not tied.
fn filter_keys(
	netuids: &[NetUid],
	base_weights: &BTreeMap<NetUid, u64>,
	rates: &Rates,
	settings: FilterSettings,
	erp: &BTreeMap<NetUid, U96F32>,
	root_prop: &BTreeMap<NetUid, U96F32>,
	mut stage: impl FnMut(Stage, &[u128]),
) -> Vec<u128> {
	let mut keys: Vec<u128> = base_weights.values().map(|w| u128::from(*w)).collect();
	stage(Stage::Base, &keys);
	rate_keys(netuids, &mut keys, rates);
	stage(Stage::AfterRate, &keys);
	if settings.erp_scaling {
		scale_keys(netuids, &mut keys, erp, root_prop);
	}
	stage(Stage::AfterErpScaling, &keys);
	if settings.top_proportion != Permill::one() {
		let k = top_proportion_count(keys.len(), settings.top_proportion);
		keep_top_k_keys(&mut keys, k);
	}
	stage(Stage::AfterTopProportion, &keys);
	if let Some(limit) = settings.absolute_limit {
		keep_top_k_keys(&mut keys, u32::from(limit));
	}
	keys
}

/// `floor(key · 2⁶⁴ / Σ keys)` for every key, as `U64F64` shares (all 0 when every key is 0).
///
/// Without emission rates keys are at most `2⁹⁶` and there are at most `2¹⁶` of them (one per
/// netuid), so the sum fits in `u128`. With rates a key can reach `2¹²⁶` (`2⁶⁴ · 10⁹ · 2³²`), and
/// the sum of many such keys can pass `2¹²⁸`: then every key is first shifted right by the sum's
/// excess bits (`s`, so that the shifted sum fits), and the shares are `floor((key ≫ s) · 2⁶⁴ /
/// Σ (key ≫ s))`: still at most 1 in total, but no longer within `2⁻⁶⁴` of the exact shares
/// (the cuts were made on the exact keys before; no runtime's base weights come near this).
fn normalize_keys(keys: &[u128]) -> Vec<U64F64> {
	let wide_sum = keys
		.iter()
		.fold((0u128, 0u128), |acc, k| super::wide::saturating_add(acc, (0, *k)));
	let shift = 128u32.saturating_sub(wide_sum.0.leading_zeros());
	if shift == 0 {
		let divisor = super::div::Divisor::new(wide_sum.1);
		return keys.iter().map(|key| share_of_key(&divisor, *key)).collect();
	}
	let shifted: Vec<u128> = keys.iter().map(|key| key.checked_shr(shift).unwrap_or(0)).collect();
	let divisor = super::div::Divisor::new(key_sum(&shifted));
	shifted.iter().map(|key| share_of_key(&divisor, *key)).collect()
}

/// The keys' sum, saturating.
fn key_sum(keys: &[u128]) -> u128 {
	keys.iter().fold(0u128, |acc, k| acc.saturating_add(*k))
}

/// Multiply each key by its subnet's emission rate in parts per billion (`10⁹` for a subnet
/// without a rate), when at least one subnet of the set has a rate; otherwise leave the keys as
/// they are. Both give the same shares and the same cuts (normalizing and ranking do not change
/// under a common factor), so a chain without rates keeps its keys, bit for bit, and a rate of
/// 0 % makes the subnet's key 0: it is out of every cut, and its share goes to the others by the
/// normalization. Exact: a key is at most `2⁶⁴` here.
pub fn rate_keys(netuids: &[NetUid], keys: &mut [u128], rates: &Rates) {
	if !netuids.iter().any(|netuid| rates.contains_key(netuid)) {
		return;
	}
	let mut rates = rates.iter().peekable();
	for (netuid, key) in netuids.iter().zip(keys.iter_mut()) {
		while rates.next_if(|(n, _)| *n < netuid).is_some() {}
		let parts = rates
			.next_if(|(n, _)| *n == netuid)
			.map_or(Perbill::one().deconstruct(), |(_, rate)| rate.deconstruct());
		*key = key.saturating_mul(u128::from(parts));
	}
}

/// `floor(key · 2⁶⁴ / sum)` as a share, `divisor` being the sum's (`None`: the sum is 0); 1 for a
/// key above a saturated sum.
fn share_of_key(divisor: &Option<super::div::Divisor>, key: u128) -> U64F64 {
	let bits = match (divisor, key) {
		(_, 0) | (None, _) => 0,
		(Some(d), k) => d.quotient(k).unwrap_or(1u128 << 64),
	};
	U64F64::from_bits(bits)
}

/// Multiply each key by `min(erp, root_prop)` of its subnet, as `U96F32` bits clamped to `2³²`
/// (the factor is at most 1): exact, as `key ≤ 2⁶⁴ · 10⁹ < 2⁹⁴` here. A subnet missing from either
/// map scales by 0.
fn scale_keys(
	netuids: &[NetUid],
	keys: &mut [u128],
	erp: &BTreeMap<NetUid, U96F32>,
	root_prop: &BTreeMap<NetUid, U96F32>,
) {
	const ONE_BITS: u128 = 1u128 << 32;
	let mut erp = MapCursor::new(erp);
	let mut root_prop = MapCursor::new(root_prop);
	for (netuid, key) in netuids.iter().zip(keys.iter_mut()) {
		// The minimum of two unsigned fixed-point values is the minimum of their bits.
		let factor = erp.bits_for(*netuid).min(root_prop.bits_for(*netuid)).min(ONE_BITS);
		*key = key.saturating_mul(factor);
	}
}

/// An ordered map walked once in increasing key order, for lookups in increasing netuid order.
struct MapCursor<'a> {
	entries: alloc::collections::btree_map::Iter<'a, NetUid, U96F32>,
	current: Option<(&'a NetUid, &'a U96F32)>,
}

impl<'a> MapCursor<'a> {
	fn new(map: &'a BTreeMap<NetUid, U96F32>) -> Self {
		let mut entries = map.iter();
		let current = entries.next();
		Self { entries, current }
	}

	/// The bits of `netuid`'s value (0 when missing); `netuid` at least the previous one asked.
	fn bits_for(&mut self, netuid: NetUid) -> u128 {
		while let Some((n, value)) = self.current {
			if *n > netuid {
				break;
			}
			self.current = self.entries.next();
			if *n == netuid {
				return value.to_bits();
			}
		}
		0
	}
}

/// Zero every key below the `k`-th largest (ties at the cut all kept); `k = 0` zeroes every key.
/// Zero keys are already out: the cut is found among the others (none is zeroed when at most `k`
/// are non-zero), in linear time.
fn keep_top_k_keys(keys: &mut [u128], k: u32) {
	let k = usize::try_from(k).unwrap_or(usize::MAX);
	if k == 0 {
		keys.iter_mut().for_each(|key| *key = 0);
		return;
	}
	let mut non_zero: Vec<u128> = keys.iter().copied().filter(|key| *key > 0).collect();
	if k >= non_zero.len() {
		return;
	}
	// The k-th largest is the (len - k)-th smallest (0-based): selected in the natural order.
	let Some(index) = non_zero.len().checked_sub(k) else { return };
	let threshold = match non_zero.get(index) {
		Some(_) => *non_zero.select_nth_unstable(index).1,
		None => return,
	};
	for key in keys.iter_mut() {
		if *key < threshold {
			*key = 0;
		}
	}
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
