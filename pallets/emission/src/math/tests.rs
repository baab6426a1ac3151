//! Tests of the pure maths: boundaries, ties, exact thresholds, maximum sizes, and properties.

#![allow(clippy::arithmetic_side_effects)]

use super::*;
use proptest::prelude::*;
use sp_runtime::{Perbill, Permill, Perquintill};
use std::collections::BTreeMap;

fn fixed(n: u64) -> U64F64 {
	U64F64::from_num(n)
}

fn fx96(n: u64) -> U96F32 {
	U96F32::from_num(n)
}

/// `num / den` in U96F32, rounded down.
fn ratio96(num: u64, den: u64) -> U96F32 {
	fx96(num).checked_div(fx96(den)).unwrap()
}

fn shares(values: &[u64]) -> Shares {
	values
		.iter()
		.enumerate()
		.map(|(i, v)| (NetUid::try_from(i).unwrap(), fixed(*v)))
		.collect()
}

fn sum(shares: &Shares) -> U64F64 {
	shares.values().fold(fixed(0), |a, v| a + *v)
}

/// The netuids with a non-zero share.
fn survivors(shares: &Shares) -> Vec<NetUid> {
	shares.iter().filter(|(_, v)| **v > fixed(0)).map(|(k, _)| *k).collect()
}

/// Tolerance of a normalized sum: one unit in the last place per share.
fn tolerance(n: usize) -> U64F64 {
	U64F64::from_bits(n as u128 + 1)
}

fn assert_sums_to_one(shares: &Shares) {
	let total = sum(shares);
	assert!(total <= fixed(1), "sum {total} > 1");
	assert!(fixed(1) - total <= tolerance(shares.len()), "sum {total} too far below 1");
}

// ---- normalize ----

#[test]
fn normalize_empty_map_stays_empty() {
	let mut s = Shares::new();
	normalize(&mut s);
	assert!(s.is_empty());
}

#[test]
fn normalize_all_zero_stays_all_zero() {
	let mut s = shares(&[0, 0, 0]);
	normalize(&mut s);
	assert_eq!(s, shares(&[0, 0, 0]));
}

#[test]
fn normalize_single_share_becomes_one() {
	let mut s = shares(&[7]);
	normalize(&mut s);
	assert_eq!(s[&0], fixed(1));
}

#[test]
fn normalize_divides_by_the_sum() {
	let mut s = shares(&[1, 3]);
	normalize(&mut s);
	assert_eq!(s[&0], U64F64::from_bits(1u128 << 62)); // 1/4
	assert_eq!(s[&1], U64F64::from_bits(3u128 << 62)); // 3/4
	assert_eq!(sum(&s), fixed(1));
}

#[test]
fn normalize_thirds_round_down() {
	let mut s = shares(&[1, 1, 1]);
	normalize(&mut s);
	let third = fixed(1).checked_div(fixed(3)).unwrap();
	assert!(s.values().all(|v| *v == third));
	assert_sums_to_one(&s);
}

#[test]
fn normalize_overflowing_sum_keeps_ratios() {
	let max = U64F64::max_value();
	let mut s: Shares = [(0, max), (1, max), (2, fixed(0))].into_iter().collect();
	normalize(&mut s);
	assert_eq!(s[&0], s[&1]);
	assert_eq!(s[&2], fixed(0));
	assert_sums_to_one(&s);
}

// ---- scale_by_effective_root_prop ----

#[test]
fn erp_scaling_uses_the_minimum_of_erp_and_root_prop() {
	let mut s = shares(&[1, 1]);
	let erp: BTreeMap<NetUid, U96F32> = [(0, ratio96(1, 2)), (1, ratio96(1, 4))].into();
	// Subnet 0 has ERP 1/2 but RootProp 1/4: it scales by 1/4, like subnet 1.
	let rp: BTreeMap<NetUid, U96F32> = [(0, ratio96(1, 4)), (1, ratio96(1, 2))].into();
	scale_by_effective_root_prop(&mut s, &erp, &rp);
	assert_eq!(s[&0], s[&1]);
	assert_sums_to_one(&s);
}

#[test]
fn erp_scaling_moves_emission_toward_higher_factor() {
	let mut s = shares(&[1, 1]);
	let erp: BTreeMap<NetUid, U96F32> = [(0, ratio96(3, 4)), (1, ratio96(1, 4))].into();
	let rp = erp.clone();
	scale_by_effective_root_prop(&mut s, &erp, &rp);
	assert_eq!(s[&0], U64F64::from_bits(3u128 << 62));
	assert_eq!(s[&1], U64F64::from_bits(1u128 << 62));
}

#[test]
fn erp_scaling_missing_entry_scales_to_zero() {
	let mut s = shares(&[1, 1, 1]);
	let erp: BTreeMap<NetUid, U96F32> = [(0, fx96(1)), (1, fx96(1))].into();
	let rp: BTreeMap<NetUid, U96F32> = [(0, fx96(1)), (2, fx96(1))].into();
	scale_by_effective_root_prop(&mut s, &erp, &rp);
	assert_eq!(survivors(&s), vec![0]);
	assert_eq!(s[&0], fixed(1));
}

#[test]
fn erp_scaling_all_zero_factors_give_all_zero() {
	let mut s = shares(&[5, 3]);
	scale_by_effective_root_prop(&mut s, &BTreeMap::new(), &BTreeMap::new());
	assert_eq!(s, shares(&[0, 0]));
}

// ---- keep_top_k ----

#[test]
fn keep_top_k_zero_zeroes_everything() {
	let mut s = shares(&[3, 2, 1]);
	keep_top_k(&mut s, 0);
	assert_eq!(s, shares(&[0, 0, 0]));
}

#[test]
fn keep_top_k_at_or_above_len_leaves_map_unchanged() {
	for k in [3, 4, u32::MAX] {
		let mut s = shares(&[3, 2, 1]);
		keep_top_k(&mut s, k);
		assert_eq!(s, shares(&[3, 2, 1]), "k = {k}");
	}
}

#[test]
fn keep_top_k_keeps_the_largest_and_normalizes() {
	let mut s = shares(&[1, 4, 2, 3]);
	keep_top_k(&mut s, 2);
	assert_eq!(survivors(&s), vec![1, 3]);
	assert_eq!(s[&1], fixed(4).checked_div(fixed(7)).unwrap());
	assert_sums_to_one(&s);
}

#[test]
fn keep_top_k_keeps_every_tie_at_the_cut() {
	let mut s = shares(&[5, 3, 3, 3, 1]);
	keep_top_k(&mut s, 2);
	assert_eq!(survivors(&s), vec![0, 1, 2, 3]);
	assert_sums_to_one(&s);
}

#[test]
fn keep_top_k_all_tied_keeps_all() {
	let mut s = shares(&[2, 2, 2]);
	keep_top_k(&mut s, 1);
	assert_eq!(survivors(&s), vec![0, 1, 2]);
}

#[test]
fn keep_top_k_with_fewer_non_zero_than_k_keeps_the_non_zero() {
	let mut s = shares(&[0, 5, 0, 0]);
	keep_top_k(&mut s, 2);
	assert_eq!(survivors(&s), vec![1]);
	assert_eq!(s[&1], fixed(1));
}

#[test]
fn keep_top_k_at_maximum_size() {
	let mut s: Shares = (0..=u16::MAX).map(|i| (i, fixed(u64::from(i)))).collect();
	keep_top_k(&mut s, 10);
	assert_eq!(survivors(&s), ((u16::MAX - 9)..=u16::MAX).collect::<Vec<_>>());
	assert_sums_to_one(&s);
}

// ---- top_proportion ----

#[test]
fn top_proportion_count_rounds_up_in_integers() {
	assert_eq!(top_proportion_count(5, Permill::from_percent(40)), 2);
	assert_eq!(top_proportion_count(5, Permill::from_percent(41)), 3);
	assert_eq!(top_proportion_count(1, Permill::from_percent(50)), 1);
	assert_eq!(top_proportion_count(3, Permill::from_percent(50)), 2);
	assert_eq!(top_proportion_count(4, Permill::from_percent(50)), 2);
	assert_eq!(top_proportion_count(10, Permill::from_parts(1)), 1);
	assert_eq!(top_proportion_count(0, Permill::from_percent(50)), 1);
	assert_eq!(top_proportion_count(0, Permill::zero()), 1);
	assert_eq!(top_proportion_count(7, Permill::one()), 7);
	assert_eq!(top_proportion_count(1_000_000, Permill::from_parts(999_999)), 999_999);
	assert_eq!(top_proportion_count(usize::MAX, Permill::one()), u32::MAX);
}

#[test]
fn top_proportion_full_leaves_map_unchanged() {
	let mut s = shares(&[3, 0, 1]);
	top_proportion(&mut s, Permill::one());
	assert_eq!(s, shares(&[3, 0, 1]));
}

#[test]
fn top_proportion_counts_zero_shares_in_n() {
	// n = 4 (zeros included), 50 % → k = 2.
	let mut s = shares(&[4, 3, 0, 0]);
	top_proportion(&mut s, Permill::from_percent(50));
	assert_eq!(survivors(&s), vec![0, 1]);
}

#[test]
fn top_proportion_of_a_single_subnet_keeps_it() {
	let mut s = shares(&[9]);
	top_proportion(&mut s, Permill::from_parts(1));
	assert_eq!(s[&0], fixed(9));
}

#[test]
fn top_proportion_forty_percent_of_five_keeps_two() {
	let mut s = shares(&[1, 2, 3, 4, 5]);
	top_proportion(&mut s, Permill::from_percent(40));
	assert_eq!(survivors(&s), vec![3, 4]);
	assert_sums_to_one(&s);
}

// ---- absolute_limit ----

#[test]
fn absolute_limit_none_leaves_map_unchanged() {
	let mut s = shares(&[1, 2, 3]);
	absolute_limit(&mut s, None);
	assert_eq!(s, shares(&[1, 2, 3]));
}

#[test]
fn absolute_limit_at_exactly_the_non_zero_count_leaves_map_unchanged() {
	let mut s = shares(&[1, 0, 3]);
	absolute_limit(&mut s, Some(2));
	assert_eq!(s, shares(&[1, 0, 3]));
}

#[test]
fn absolute_limit_below_the_non_zero_count_keeps_top_limit() {
	let mut s = shares(&[1, 2, 3]);
	absolute_limit(&mut s, Some(1));
	assert_eq!(survivors(&s), vec![2]);
	assert_eq!(s[&2], fixed(1));
}

#[test]
fn absolute_limit_zero_zeroes_everything() {
	let mut s = shares(&[1, 2]);
	absolute_limit(&mut s, Some(0));
	assert_eq!(s, shares(&[0, 0]));
}

#[test]
fn absolute_limit_keeps_ties() {
	let mut s = shares(&[2, 2, 1]);
	absolute_limit(&mut s, Some(1));
	assert_eq!(survivors(&s), vec![0, 1]);
}

// ---- utilization ----

fn stakes(values: &[(u32, u64)]) -> BTreeMap<u32, U96F32> {
	values.iter().map(|(k, v)| (*k, fx96(*v))).collect()
}

#[test]
fn utilization_is_zero_without_stake_or_dividends() {
	assert_eq!(utilization(&stakes(&[]), &stakes(&[(1, 5)])), fx96(0));
	assert_eq!(utilization(&stakes(&[(1, 0)]), &stakes(&[(1, 5)])), fx96(0));
	assert_eq!(utilization(&stakes(&[(1, 5)]), &stakes(&[])), fx96(0));
	assert_eq!(utilization(&stakes(&[(1, 5)]), &stakes(&[(1, 0)])), fx96(0));
}

#[test]
fn utilization_is_one_when_dividends_follow_stake() {
	let s = stakes(&[(1, 100), (2, 300)]);
	let d = stakes(&[(1, 10), (2, 30)]);
	assert_eq!(utilization(&s, &d), fx96(1));
}

#[test]
fn utilization_single_validator_earning_is_one() {
	assert_eq!(utilization(&stakes(&[(1, 7)]), &stakes(&[(1, 1)])), fx96(1));
}

#[test]
fn utilization_exactly_half_when_one_of_two_equal_validators_earns_everything() {
	let s = stakes(&[(1, 100), (2, 100)]);
	let d = stakes(&[(1, 50)]);
	let u = utilization(&s, &d);
	assert_eq!(u, ratio96(1, 2));
	let (s, d) = (ints(&[(1, 100), (2, 100)]), ints(&[(1, 50)]));
	assert!(!hard_cap_applies(utilization_at_least_half(&s, &d), true));
}

#[test]
fn utilization_over_earning_is_capped_at_the_expected_share() {
	// Validator 1 (25 % of stake) earns 75 %: efficiency 1, counts 25. Validator 2 (75 %)
	// earns 25 %: efficiency 1/3, counts 25. Utilization 50/100.
	let s = stakes(&[(1, 25), (2, 75)]);
	let d = stakes(&[(1, 75), (2, 25)]);
	assert_eq!(utilization(&s, &d), ratio96(1, 2));
}

#[test]
fn utilization_dividends_of_unregistered_keys_count_in_the_total_only() {
	// Key 9 is not registered on the subnet: its dividends dilute everybody's actual share.
	let s = stakes(&[(1, 100)]);
	let d = stakes(&[(1, 40), (9, 60)]);
	assert_eq!(utilization(&s, &d), ratio96(2, 5));
}

#[test]
fn utilization_just_below_half_is_capped() {
	// 4999 of 10000 stake earns everything, the rest earns nothing.
	let s = stakes(&[(1, 4_999), (2, 5_001)]);
	let d = stakes(&[(1, 1)]);
	let u = utilization(&s, &d);
	assert!(u < ratio96(1, 2));
	let (s, d) = (ints(&[(1, 4_999), (2, 5_001)]), ints(&[(1, 1)]));
	assert!(hard_cap_applies(utilization_at_least_half(&s, &d), true));
}

#[test]
fn utilization_with_huge_values_does_not_panic_and_stays_in_range() {
	let big = U96F32::max_value();
	let s: BTreeMap<u32, U96F32> = [(1, big), (2, big)].into();
	let d: BTreeMap<u32, U96F32> = [(1, big), (2, big)].into();
	let u = utilization(&s, &d);
	assert!(u <= fx96(1));
}

// ---- effective_root_prop and the hard cap ----

#[test]
fn effective_root_prop_is_root_fraction_times_utilization() {
	assert_eq!(effective_root_prop(fx96(3), fx96(1), fx96(1)), ratio96(1, 4));
	assert_eq!(effective_root_prop(fx96(1), fx96(1), ratio96(1, 2)), ratio96(1, 4));
	assert_eq!(effective_root_prop(fx96(0), fx96(5), fx96(1)), fx96(1));
	assert_eq!(effective_root_prop(fx96(5), fx96(0), fx96(1)), fx96(0));
}

#[test]
fn effective_root_prop_is_zero_without_dividends() {
	assert_eq!(effective_root_prop(fx96(0), fx96(0), fx96(1)), fx96(0));
}

#[test]
fn hard_cap_threshold_is_one_half() {
	assert_eq!(HARD_CAP_THRESHOLD, ratio96(1, 2));
}

fn ints(values: &[(u32, u128)]) -> BTreeMap<u32, u128> {
	values.iter().copied().collect()
}

#[test]
fn hard_cap_fires_only_without_half_utilization_and_with_root_dividends() {
	assert!(!hard_cap_applies(true, true));
	assert!(hard_cap_applies(false, true));
	assert!(!hard_cap_applies(false, false));
	assert!(!hard_cap_applies(true, false));
}

/// The counterexample: stakes [2, 2, 2], root dividends [1, 2, 15]. By hand:
/// S = 6, D = 18; expected shares 1/3 each; actual 1/18, 2/18, 15/18; efficiencies 1/6, 1/3, 1;
/// utilization (2/6 + 2/3 + 2) / 6 = 3 / 6 = 1/2 exactly: not capped. The rounded fixed-point
/// value is one unit below 1/2, which capped it before the exact decision.
#[test]
fn utilization_of_exactly_half_by_a_sum_of_thirds_is_not_capped() {
	let s = ints(&[(1, 2), (2, 2), (3, 2)]);
	let d = ints(&[(1, 1), (2, 2), (3, 15)]);
	assert!(utilization_at_least_half(&s, &d));
	let fixed =
		utilization(&stakes(&[(1, 2), (2, 2), (3, 2)]), &stakes(&[(1, 1), (2, 2), (3, 15)]));
	assert!(fixed < HARD_CAP_THRESHOLD, "the stored value rounds below 1/2");
	let settlement = settle_epoch(&ints(&[(1, 100)]), &d, &s);
	assert!(!settlement.capped);
	assert_eq!(settlement.recycled, 0);
	// Dividends [1, 2, 14]: S·D = 102; Σ min(div·S, stake·D) = 6 + 12 + 34 = 52 ≥ 51: not
	// capped. Dividends [0, 2, 15]: S·D = 102; 0 + 12 + 34 = 46 < 51: capped.
	assert!(utilization_at_least_half(&s, &ints(&[(1, 1), (2, 2), (3, 14)])));
	assert!(!utilization_at_least_half(&s, &ints(&[(1, 0), (2, 2), (3, 15)])));
	assert!(settle_epoch(&ints(&[]), &ints(&[(2, 2), (3, 15)]), &s).capped);
}

#[test]
fn utilization_at_least_half_at_the_edges() {
	// No registered stake, or no dividends: utilization 0.
	assert!(!utilization_at_least_half(&ints(&[]), &ints(&[(1, 5)])));
	assert!(!utilization_at_least_half(&ints(&[(1, 5)]), &ints(&[])));
	// Dividends only to an unregistered key: 0.
	assert!(!utilization_at_least_half(&ints(&[(1, 5)]), &ints(&[(9, 5)])));
	// Half of the dividends to an unregistered key, the rest to the only registered one: 1/2.
	assert!(utilization_at_least_half(&ints(&[(1, 5)]), &ints(&[(1, 7), (9, 7)])));
	assert!(!utilization_at_least_half(&ints(&[(1, 5)]), &ints(&[(1, 7), (9, 8)])));
	// Huge values: products of 2^127 by 2^127 need the 256-bit comparison.
	let big = 1u128 << 126;
	assert!(utilization_at_least_half(&ints(&[(1, big), (2, big)]), &ints(&[(1, big)])));
	assert!(!utilization_at_least_half(&ints(&[(1, big), (2, big + 1)]), &ints(&[(1, big)])));
}

// ---- properties ----

fn share_map() -> impl Strategy<Value = Shares> {
	prop::collection::btree_map(any::<u16>(), 0u64..=u64::MAX, 0..64).prop_map(|m| {
		m.into_iter()
			.map(|(k, v)| (k, U64F64::from_bits(u128::from(v) << 20)))
			.collect()
	})
}

fn fixed96_map() -> impl Strategy<Value = BTreeMap<u16, U96F32>> {
	prop::collection::btree_map(any::<u16>(), 0u64..=u64::MAX, 0..32)
		.prop_map(|m| m.into_iter().map(|(k, v)| (k, U96F32::from_num(v))).collect())
}

fn ratio_map() -> impl Strategy<Value = BTreeMap<u16, U96F32>> {
	prop::collection::btree_map(any::<u16>(), 0u32..=(1u32 << 31), 0..32).prop_map(|m| {
		m.into_iter().map(|(k, v)| (k, U96F32::from_bits(u128::from(v) << 1))).collect()
	})
}

fn is_normalized_or_zero(s: &Shares) -> bool {
	let total = sum(s);
	total == fixed(0) || (total <= fixed(1) && fixed(1) - total <= tolerance(s.len()))
}

proptest! {
	#[test]
	fn normalize_sums_to_one_or_zero(mut s in share_map()) {
		let was_zero = s.values().all(|v| *v == fixed(0));
		normalize(&mut s);
		prop_assert!(is_normalized_or_zero(&s));
		prop_assert_eq!(sum(&s) == fixed(0), was_zero);
	}

	#[test]
	fn erp_scaling_sums_to_one_or_zero(mut s in share_map(), erp in ratio_map(), rp in ratio_map()) {
		scale_by_effective_root_prop(&mut s, &erp, &rp);
		prop_assert!(is_normalized_or_zero(&s));
	}

	#[test]
	fn keep_top_k_survivors_and_ties(mut s in share_map(), k in 0u32..80) {
		normalize(&mut s);
		let before = s.clone();
		keep_top_k(&mut s, k);
		prop_assert!(is_normalized_or_zero(&s));
		let non_zero = before.values().filter(|v| **v > fixed(0)).count();
		let kept = s.values().filter(|v| **v > fixed(0)).count();
		prop_assert!(kept >= (k as usize).min(non_zero));
		if (k as usize) < before.len() && k > 0 {
			let mut sorted: Vec<U64F64> = before.values().copied().collect();
			sorted.sort_unstable_by(|a, b| b.cmp(a));
			let kth = sorted[k as usize - 1];
			for (netuid, share) in &before {
				if *share == kth && kth > fixed(0) {
					prop_assert!(s[netuid] > fixed(0), "tie at the cut dropped");
				}
				if *share < kth {
					prop_assert_eq!(s[netuid], fixed(0));
				}
			}
		}
	}

	#[test]
	fn top_proportion_keeps_at_least_one_non_zero(mut s in share_map(), ppm in 1u32..=1_000_000) {
		normalize(&mut s);
		let had_non_zero = s.values().any(|v| *v > fixed(0));
		top_proportion(&mut s, Permill::from_parts(ppm));
		prop_assert!(is_normalized_or_zero(&s));
		prop_assert_eq!(s.values().any(|v| *v > fixed(0)), had_non_zero);
	}

	#[test]
	fn absolute_limit_bounds_survivors_up_to_ties(mut s in share_map(), limit in 1u16..80) {
		normalize(&mut s);
		absolute_limit(&mut s, Some(limit));
		prop_assert!(is_normalized_or_zero(&s));
	}

	#[test]
	fn utilization_and_erp_stay_in_unit_interval(
		stakes in fixed96_map(), dividends in fixed96_map(), alpha in 0u64..=u64::MAX, root in 0u64..=u64::MAX,
	) {
		let u = utilization(&stakes, &dividends);
		prop_assert!(u <= fx96(1));
		let erp = effective_root_prop(fx96(alpha), fx96(root), u);
		prop_assert!(erp <= fx96(1));
	}
}

#[test]
fn u96_to_u64f64_matches_saturating_from_num() {
	for bits in [0u128, 1, 1 << 32, (1 << 96) - 1, 1 << 96, u128::MAX, 0x1234_5678_9abc_def0] {
		let x = U96F32::from_bits(bits);
		assert_eq!(super::u96_to_u64f64(x), U64F64::saturating_from_num(x), "{bits}");
	}
}

#[test]
fn mul_u64f64_matches_saturating_mul_at_the_boundaries() {
	let edges = [
		0u128,
		1,
		u128::from(u64::MAX) - 1,
		u128::from(u64::MAX),
		1 << 64,
		(1 << 64) + 1,
		1 << 127,
		u128::MAX,
	];
	for a in edges {
		for b in edges {
			let (x, y) = (U64F64::from_bits(a), U64F64::from_bits(b));
			assert_eq!(super::mul_u64f64(x, y), x.saturating_mul(y), "{a} × {b}");
		}
	}
}

proptest! {
	#[test]
	fn mul_u64f64_matches_saturating_mul(a in any::<u128>(), b in any::<u128>(), small_a in any::<u64>(), small_b in any::<u64>()) {
		for (a, b) in [(a, b), (u128::from(small_a), u128::from(small_b)), (u128::from(small_a), b)] {
			let (x, y) = (U64F64::from_bits(a), U64F64::from_bits(b));
			prop_assert_eq!(super::mul_u64f64(x, y), x.saturating_mul(y));
		}
	}
}

/// Found by the differential test against the exact reference: flooring the weighted root stake
/// first gave `RootProp` 0 for root stake 1, TAO weight 18 % and no alpha; exactly it is 1.
#[test]
fn root_prop_of_a_tiny_root_stake_is_not_floored_away() {
	assert_eq!(root_prop(1, 0, Perbill::from_percent(18)), fx96(1));
	// 0.18 / (1 + 0.18) = 9/59, within 2⁻³² below.
	let exact_bits = (9u128 << 32) / 59;
	assert_eq!(root_prop(1, 1, Perbill::from_percent(18)).to_bits(), exact_bits);
	assert_eq!(root_prop(0, 5, Perbill::from_percent(18)), fx96(0));
	assert_eq!(root_prop(u128::MAX, u128::MAX, Perbill::one()), ratio96(1, 2));
}

/// Found by the differential test: the decay exponent was cut at `u32::MAX` epochs, so a block
/// beyond `2³² · epoch_length` emitted as if fewer epochs had passed.
#[test]
fn decay_exponent_is_not_cut_at_u32() {
	// 1 − 10⁻⁹ per epoch: after 2³² epochs about e^-4.3 is left, after 1.5 · 2³² about e^-6.4; with
	// the exponent cut at u32::MAX both amounts were the same (0.99 per epoch gave 0 for both, so
	// this test could not fail before).
	let factor = Perquintill::from_parts(999_999_999_000_000_000);
	let at = |k: u64| block_emission(1u128 << 100, factor, 1, None, k, 0);
	let (cut, beyond) = (at(u64::from(u32::MAX)), at(u64::from(u32::MAX) + (1u64 << 31)));
	assert!(beyond > 0 && beyond < cut);
	assert_eq!(decayed(u128::MAX, Perquintill::from_percent(50), 1u64 << 40), 0);
}

// ---- the schedule's exact floor (values worked out by hand or given by the issue) ----

/// Gonka's subsidy for epoch 267 (genesis epoch 1, so 266 decays): `323 · 10¹²` at
/// `exp(−0.000475)` written as the shortest float64 decimal, `0.9995251127946402`; the pool
/// Gonka's chain paid out for that epoch.
#[test]
fn gonka_epoch_267_to_the_unit() {
	let factor = Perquintill::from_parts(999_525_112_794_640_200);
	assert_eq!(decayed(323_000_000_000_000, factor, 266), 284_661_946_392_231);
	// The same through the block schedule: epoch length 1, block 266.
	assert_eq!(block_emission(323_000_000_000_000, factor, 1, None, 266, 0), 284_661_946_392_231);
	// A Perbill factor (nine digits) misses it by tens of millions of units.
	let nine_digits = Perquintill::from_parts(999_525_113_000_000_000);
	let off = decayed(323_000_000_000_000, nine_digits, 266) - 284_661_946_392_231;
	assert!(off > 10_000_000, "{off}");
}

#[test]
fn schedule_boundaries() {
	let almost_one = Perquintill::from_parts(999_999_999_999_999_999);
	// n = 0: the initial amount, whatever the factor.
	for f in [Perquintill::zero(), almost_one, Perquintill::from_percent(50)] {
		assert_eq!(decayed(u128::MAX, f, 0), u128::MAX);
	}
	// A factor of 0 leaves nothing after one decay.
	assert_eq!(decayed(u128::MAX, Perquintill::zero(), 1), 0);
	// 1 − 10⁻¹⁸: 10¹⁸ · (1 − 10⁻¹⁸)ⁿ = 10¹⁸ − n + C(n,2)·10⁻¹⁸ − …, so the floor is 10¹⁸ − n for
	// small n, though the exact amount is only about 10⁻¹⁸ above that integer.
	for n in 1..=5u64 {
		assert_eq!(
			decayed(1_000_000_000_000_000_000, almost_one, n),
			1_000_000_000_000_000_000 - u128::from(n)
		);
	}
	// Reaching 0: 2¹⁰⁰ · 2⁻¹⁰⁰ = 1 exactly, 2¹⁰⁰ · 2⁻¹⁰¹ = 1/2.
	let half = Perquintill::from_percent(50);
	assert_eq!(decayed(1u128 << 100, half, 100), 1);
	assert_eq!(decayed(1u128 << 100, half, 101), 0);
	assert_eq!(decayed(1, half, u64::MAX), 0);
	// The largest exponent with a factor next to one: a little under the initial amount.
	let last = decayed(u128::MAX, almost_one, u64::MAX);
	// (1 − 10⁻¹⁸)^(2⁶⁴ − 1) = e^(−18.446…) ≈ 9.74 · 10⁻⁹.
	assert!(last > u128::MAX / 110_000_000 && last < u128::MAX / 100_000_000, "{last}");
	// The supply cap: never more than what it leaves.
	assert_eq!(block_emission(1_000, half, 10, Some(5_000), 10, 4_800), 200);
	assert_eq!(block_emission(1_000, half, 10, Some(5_000), 10, 5_000), 0);
	assert_eq!(block_emission(1_000, half, 10, Some(5_000), 10, 6_000), 0);
	assert_eq!(block_emission(1_000, half, 0, None, 10, 0), 0);
}

/// Where the bracket cannot decide, the exact comparison does: amounts that are integers (the
/// bracket always holds them) and amounts just below one.
#[test]
fn the_exact_comparison_decides_what_the_bracket_cannot() {
	// 1000 · 0.3³ = 27 exactly; 0.3 is not a binary fraction, so the bracket straddles 27.
	let f = Perquintill::from_percent(30);
	assert_eq!(schedule::bracket(1_000, f, 3), (26, 27));
	assert_eq!(decayed(1_000, f, 3), 27);
	assert_eq!(decayed(999, f, 3), 26); // 26.973
	assert_eq!(decayed(1_001, f, 3), 27); // 27.027
									   // 5⁵⁵ · 0.2⁵⁵ = 1 exactly (5⁵⁵ < 2¹²⁸); one unit less is just below 1.
	let fifth = Perquintill::from_percent(20);
	let p = 5u128.pow(55);
	assert_eq!(schedule::bracket(p, fifth, 55), (0, 1));
	assert_eq!(decayed(p, fifth, 55), 1);
	assert_eq!(decayed(p - 1, fifth, 55), 0);
	assert_eq!(schedule::reaches_exactly(p, fifth, 55, 1), Some(true));
	assert_eq!(schedule::reaches_exactly(p - 1, fifth, 55, 1), Some(false));
	assert_eq!(schedule::reaches_exactly(p, fifth, schedule::EXACT_MAX_EXPONENT + 1, 1), None);
}

proptest! {
	/// The bracket holds the amount and is at most one wide; more decays never give more.
	#[test]
	fn the_bracket_is_tight_and_decay_is_monotone(
		initial in any::<u128>(),
		parts in 0u64..1_000_000_000_000_000_000,
		k in any::<u64>(),
	) {
		let f = Perquintill::from_parts(parts);
		let (lo, hi) = schedule::bracket(initial, f, k);
		let amount = decayed(initial, f, k);
		prop_assert!(lo <= amount && amount <= hi && hi - lo <= 1);
		prop_assert!(decayed(initial, f, k.saturating_add(1)) <= amount);
	}
}

// ---- the hook's filter chain: two cuts made as one ----

/// `floor(num · 2⁶⁴ / den)` as a share, worked out in integers.
fn share_of(num: u128, den: u128) -> U64F64 {
	U64F64::from_bits((num << 64) / den)
}

#[test]
fn filter_shares_one_cut_keeps_the_first_cuts_ties_under_a_looser_limit() {
	// Top 40 % of 5 subnets: k1 = 2, the 2nd largest weight is 3, and the three subnets tied at 3
	// all survive (four in all). The limit of 3 then cuts among the four: its threshold, the 3rd
	// largest, is 3 again, so all four stay. One cut at min(2, 3) = 2 must keep the same four.
	let base: BTreeMap<NetUid, u64> =
		[(1, 5), (2, 3), (3, 3), (4, 3), (5, 1)].into_iter().collect();
	let settings = FilterSettings {
		erp_scaling: false,
		top_proportion: Permill::from_percent(40),
		absolute_limit: Some(3),
	};
	let (erp, rp) = (BTreeMap::new(), BTreeMap::new());
	let expected = vec![
		(1, share_of(5, 14)),
		(2, share_of(3, 14)),
		(3, share_of(3, 14)),
		(4, share_of(3, 14)),
		(5, fixed(0)),
	];
	assert_eq!(filter_shares(&base, &Rates::new(), settings, &erp, &rp), expected);
	let stages = filter_pipeline(&base, &Rates::new(), settings, &erp, &rp);
	assert_eq!(stages.after_absolute_limit.into_iter().collect::<Vec<_>>(), expected);
}

#[test]
fn filter_shares_one_cut_under_a_tighter_limit_with_erp_scaling() {
	// ERP factors 1/3, 2/3 and 1/2 as U96F32 (rounded down), RootProp 1 (so min is the ERP):
	// keys weight × factor bits. Top 75 % of 4: k1 = 3; limit 2: k2 = 2 < k1, one cut at 2.
	let base: BTreeMap<NetUid, u64> = [(1, 9), (2, 6), (3, 6), (4, 1)].into_iter().collect();
	let third = ratio96(1, 3);
	let two_thirds = ratio96(2, 3);
	let half = ratio96(1, 2);
	let erp: BTreeMap<NetUid, U96F32> =
		[(1, third), (2, two_thirds), (3, half), (4, fx96(1))].into_iter().collect();
	let rp: BTreeMap<NetUid, U96F32> = (1..=4).map(|n| (n, fx96(1))).collect();
	let settings = FilterSettings {
		erp_scaling: true,
		top_proportion: Permill::from_percent(75),
		absolute_limit: Some(2),
	};
	// Keys: 9 · ⌊2³²/3⌋, 6 · ⌊2³³/3⌋, 6 · 2³¹, 1 · 2³². The largest two are subnets 2 and 3.
	let k1 = 9 * ((1u128 << 32) / 3);
	let k2 = 6 * ((1u128 << 33) / 3);
	let k3 = 6 * (1u128 << 31);
	let k4 = 1u128 << 32;
	assert_eq!(third.to_bits(), (1u128 << 32) / 3);
	assert!(k2 > k3 && k3 > k1 && k1 > k4);
	let expected =
		vec![(1, fixed(0)), (2, share_of(k2, k2 + k3)), (3, share_of(k3, k2 + k3)), (4, fixed(0))];
	assert_eq!(filter_shares(&base, &Rates::new(), settings, &erp, &rp), expected);
	let stages = filter_pipeline(&base, &Rates::new(), settings, &erp, &rp);
	assert_eq!(stages.after_absolute_limit.into_iter().collect::<Vec<_>>(), expected);
	// The pipeline's middle stage did cut at 3 (subnet 4 out, subnet 1 in).
	assert_eq!(survivors(&stages.after_top_proportion), vec![1, 2, 3]);
}

/// Keys past `2¹²⁸` (base weights at `u64::MAX`, a rate, ERP factors of 1): the keys are shifted
/// before normalizing. Four keys `k` and one `k / 2`: shares within `2⁻⁶⁰` of 2/9 and 1/9, summing
/// to at most 1.
#[test]
fn keys_past_2_pow_128_are_shifted_before_normalizing() {
	let base: BTreeMap<NetUid, u64> = (1..=5).map(|n| (n, u64::MAX)).collect();
	let rates: Rates = [(5, Perbill::from_percent(50))].into_iter().collect();
	let one = U96F32::from_num(1u32);
	let erp: BTreeMap<NetUid, U96F32> = (1..=5).map(|n| (n, one)).collect();
	let settings =
		FilterSettings { erp_scaling: true, top_proportion: Permill::one(), absolute_limit: None };
	let stages = filter_pipeline(&base, &rates, settings, &erp, &erp);
	let ninth = (1u128 << 64) / 9;
	let close = |bits: u128, to: u128| bits.abs_diff(to) < 1 << 4;
	for n in 1..=4 {
		assert!(close(stages.after_erp_scaling[&n].to_bits(), 2 * ninth), "subnet {n}");
	}
	assert!(close(stages.after_erp_scaling[&5].to_bits(), ninth));
	let sum: u128 = stages.after_erp_scaling.values().map(|s| s.to_bits()).sum();
	assert!(sum <= 1 << 64);
	// The hook's shares are the same.
	let hook = filter_shares(&base, &rates, settings, &erp, &erp);
	assert_eq!(hook, stages.after_absolute_limit.into_iter().collect::<Vec<_>>());
}
