//! A subnet epoch (seed 003): root-stake utilization, `RootProp`, `EffectiveRootProp` and the
//! hard cap.

use super::{saturating_sum, Balance, NetUid};
use alloc::collections::BTreeMap;
use sp_runtime::{helpers_128bit::multiply_by_rational_with_rounding, Perbill, Rounding};
use substrate_fixed::types::U96F32;

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

/// One half, the utilization below which the hard cap fires (as stored: `U96F32` bits). The cap
/// itself is decided exactly by [`utilization_at_least_half`], not by comparing with this value.
pub const HARD_CAP_THRESHOLD: U96F32 = U96F32::from_bits(1u128 << 31);

/// Whether the exact root-stake utilization of [`utilization`] is at least 1/2, decided in integer
/// arithmetic without any division or rounding.
///
/// With `S = Σ stake` (registered validators) and `D = Σ dividends` (every key), utilization is
/// `Σ min(div_i · S / D, stake_i) / S`, so `utilization ≥ 1/2 ⇔ 2 · Σ min(div_i · S, stake_i · D) ≥
/// S · D`, compared on 256-bit products. `S = 0` or `D = 0` gives utilization 0: `false`. The sums
/// saturate at `u128::MAX` (unreachable for real stakes: the whole supply is far below it).
pub fn utilization_at_least_half<K: Ord>(
	root_stakes: &BTreeMap<K, Balance>,
	root_dividends: &BTreeMap<K, Balance>,
) -> bool {
	use super::wide;
	let total_stake = root_stakes.values().fold(0u128, |acc, v| acc.saturating_add(*v));
	let total_dividends = root_dividends.values().fold(0u128, |acc, v| acc.saturating_add(*v));
	if total_stake == 0 || total_dividends == 0 {
		return false;
	}
	let earned = root_stakes.iter().fold((0u128, 0u128), |acc, (key, stake)| {
		let dividend = root_dividends.get(key).copied().unwrap_or(0);
		let term = wide::mul(dividend, total_stake).min(wide::mul(*stake, total_dividends));
		wide::saturating_add(acc, term)
	});
	earned >= wide::half_rounded_up(wide::mul(total_stake, total_dividends))
}

/// Whether the hard cap recycles all of a subnet's root dividends: only when there are root
/// dividends and the exact utilization is below 1/2 (exactly 1/2 is not capped).
pub fn hard_cap_applies(utilization_at_least_half: bool, any_root_dividends: bool) -> bool {
	any_root_dividends && !utilization_at_least_half
}

/// Whether a subnet's epoch runs at `block`: `(block + netuid + 1) % (tempo + 1) == 0`
/// (Subtensor's rule; the netuid offset spreads epochs of subnets with one tempo over blocks).
pub fn epoch_is_due(netuid: NetUid, tempo: u16, block: u64) -> bool {
	let period = u64::from(tempo).saturating_add(1);
	let position = block.saturating_add(u64::from(netuid)).saturating_add(1);
	position.checked_rem(period) == Some(0)
}

/// `RootProp` of a subnet from its stake totals: `w·root / (alpha + w·root)` with `w` the TAO
/// weight, as `floor(2³² · root·w_ppb / (alpha·10⁹ + root·w_ppb))`: one rounding, down, so within
/// `2⁻³²` below the exact value. 0 when the numerator or the denominator is 0.
///
/// Exact while `root·w_ppb` and `alpha·10⁹ + root·w_ppb` fit in `u128` (stakes below about
/// `3·10²⁹` units); above that both stakes are halved until they fit, which keeps the ratio to
/// within `2⁻⁹⁰` of it. (Flooring the weighted stake first, as this did before, gave 0 instead of 1
/// for a root stake of 1 and no alpha.)
pub fn root_prop(root_stake: Balance, alpha_stake: Balance, tao_weight: Perbill) -> U96F32 {
	let w = u128::from(tao_weight.deconstruct());
	let (mut root, mut alpha) = (root_stake, alpha_stake);
	let (weighted, total) = loop {
		let weighted = root.checked_mul(w);
		let total = alpha
			.checked_mul(1_000_000_000)
			.and_then(|a| weighted.and_then(|n| a.checked_add(n)));
		match (weighted, total) {
			(Some(n), Some(d)) => break (n, d),
			_ => {
				root >>= 1;
				alpha >>= 1;
			},
		}
	};
	if weighted == 0 || total == 0 {
		return U96F32::from_num(0u32);
	}
	// `weighted ≤ total`: the quotient is at most 2³².
	let bits = multiply_by_rational_with_rounding(weighted, 1u128 << 32, total, Rounding::Down)
		.unwrap_or(0);
	U96F32::from_bits(bits)
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
	let capped =
		hard_cap_applies(utilization_at_least_half(root_stakes, root_dividends), root_total > 0);
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
