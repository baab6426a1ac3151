//! A reference implementation of the emission rules in exact rational arithmetic, written from
//! the seed texts (`seeds/003`: utilization, `RootProp`, `EffectiveRootProp`, the hard cap, the
//! three filters, the block split; `seeds/001`: the subsidy schedule; `seeds/000`: the fork
//! choice) and `DESIGN.md`, not from the pallet's code. Nothing here rounds except where a seed
//! says an amount is a whole number of units (`floor`), and nothing here imports the pallet.
//!
//! Where the project deliberately departs from a seed (DESIGN.md, "Where we deliberately go beyond
//! the seeds"), the departure is marked `DESIGN:` and encoded as documented, so that the
//! differential tests check the documented behaviour.

#![allow(dead_code, clippy::arithmetic_side_effects, clippy::indexing_slicing)]

use num_bigint::BigInt;
use num_rational::BigRational;
use num_traits::{One, Signed, ToPrimitive, Zero};
use std::collections::{BTreeMap, BTreeSet};

/// A rational number.
pub type Q = BigRational;

pub fn q(n: u128) -> Q {
	Q::from_integer(BigInt::from(n))
}

pub fn qi(n: i128) -> Q {
	Q::from_integer(BigInt::from(n))
}

pub fn ratio(num: u128, den: u128) -> Q {
	Q::new(BigInt::from(num), BigInt::from(den))
}

/// `floor(x)` of a non-negative rational, as `u128` (saturating).
pub fn floor_u128(x: &Q) -> u128 {
	x.floor().to_integer().to_u128().unwrap_or(u128::MAX)
}

pub fn min(a: Q, b: Q) -> Q {
	if a < b {
		a
	} else {
		b
	}
}

// ---- seed 003: one subnet epoch ----

/// The outcome of an epoch, exactly.
#[derive(Clone, Debug, PartialEq)]
pub struct Epoch {
	pub utilization: Q,
	pub raw_root_prop: Q,
	pub effective_root_prop: Q,
	pub capped: bool,
	pub recycled: u128,
}

/// "For each root-staked validator registered on the subnet:
///   expected_share = root_stake_i / total_root_stake_on_subnet
///   actual_share   = root_dividends_i / total_root_dividends
///   efficiency_i   = min(actual_share / expected_share, 1.0)
///   utilization    = sum(root_stake_i * efficiency_i) / total_root_stake_on_subnet"
///
/// `root_stakes` are the registered validators' root stakes; `root_dividends` every root
/// dividend of the epoch (the total counts every key). A validator with zero stake has no
/// expected share and adds nothing. No stake or no dividends: utilization 0.
pub fn utilization(root_stakes: &BTreeMap<u32, u128>, root_dividends: &BTreeMap<u32, u128>) -> Q {
	let total_stake: Q = root_stakes.values().map(|s| q(*s)).sum();
	let total_dividends: Q = root_dividends.values().map(|d| q(*d)).sum();
	if total_stake.is_zero() || total_dividends.is_zero() {
		return Q::zero();
	}
	let mut sum = Q::zero();
	for (key, stake) in root_stakes {
		if *stake == 0 {
			continue;
		}
		let expected = q(*stake) / &total_stake;
		let actual = q(root_dividends.get(key).copied().unwrap_or(0)) / &total_dividends;
		let efficiency = min(actual / expected, Q::one());
		sum += q(*stake) * efficiency;
	}
	sum / total_stake
}

/// "raw_root_prop = root_dividends / (alpha_dividends + root_dividends);
/// EffectiveRootProp = raw_root_prop * utilization. If a subnet's utilization drops below 50%,
/// all root dividends for that subnet are recycled and EffectiveRootProp is set to 0."
/// DESIGN: exactly 1/2 is not capped; nothing is capped without root dividends.
pub fn epoch(
	alpha_dividends: &BTreeMap<u32, u128>,
	root_dividends: &BTreeMap<u32, u128>,
	root_stakes: &BTreeMap<u32, u128>,
) -> Epoch {
	let alpha: Q = alpha_dividends.values().map(|d| q(*d)).sum();
	let root: Q = root_dividends.values().map(|d| q(*d)).sum();
	let u = utilization(root_stakes, root_dividends);
	let total = &alpha + &root;
	let raw = if total.is_zero() { Q::zero() } else { &root / total };
	let capped = !root.is_zero() && u < ratio(1, 2);
	let erp = if capped { Q::zero() } else { &raw * &u };
	let recycled = if capped { root_dividends.values().sum() } else { 0 };
	Epoch { utilization: u, raw_root_prop: raw, effective_root_prop: erp, capped, recycled }
}

/// `RootProp` from stake totals: the root share of the dividend weights `alpha + tao_weight ·
/// root` (tao_weight in parts per billion).
pub fn root_prop(root_stake: u128, alpha_stake: u128, tao_weight_ppb: u32) -> Q {
	let weighted = q(root_stake) * ratio(u128::from(tao_weight_ppb), 1_000_000_000);
	let total = q(alpha_stake) + &weighted;
	if total.is_zero() {
		Q::zero()
	} else {
		weighted / total
	}
}

// ---- seed 003: the emission filters ----

/// Settings of the three filters.
#[derive(Clone, Copy, Debug)]
pub struct Filters {
	pub erp_scaling: bool,
	/// Parts per million.
	pub top_proportion_ppm: u32,
	pub absolute_limit: Option<u16>,
}

/// Each stage's shares, exactly.
#[derive(Clone, Debug)]
pub struct Stages {
	pub base: BTreeMap<u16, Q>,
	pub after_rate: BTreeMap<u16, Q>,
	pub after_erp_scaling: BTreeMap<u16, Q>,
	pub after_top_proportion: BTreeMap<u16, Q>,
	pub after_absolute_limit: BTreeMap<u16, Q>,
}

/// "After each filter, shares are re-normalized to sum to 1.0." All zero stays all zero.
fn renormalize(shares: &mut BTreeMap<u16, Q>) {
	let sum: Q = shares.values().cloned().sum();
	if sum.is_zero() {
		return;
	}
	for share in shares.values_mut() {
		*share = &*share / &sum;
	}
}

/// Keep the top `k` by share; "when subnets tie at the k-th position, all tied subnets are now
/// kept": everything at least the k-th largest share survives.
fn keep_top(shares: &mut BTreeMap<u16, Q>, k: usize) {
	if k >= shares.len() {
		return;
	}
	if k == 0 {
		shares.values_mut().for_each(|s| *s = Q::zero());
		return;
	}
	let mut sorted: Vec<Q> = shares.values().cloned().collect();
	sorted.sort_by(|a, b| b.cmp(a));
	let threshold = sorted[k - 1].clone();
	for share in shares.values_mut() {
		if *share < threshold {
			*share = Q::zero();
		}
	}
}

/// The three filters in order (seed 003, "Emission filters"), from base weights.
///
/// 0. Rates (issue 31): each subnet's share is multiplied by its emission rate (`rates_ppb`, parts
///    per 10⁹; a subnet missing has 100 %) "before the filters", and re-normalized.
/// 1. ERP scaling: "multiplies each subnet's emission share by min(EffectiveRootProp, RootProp) and
///    re-normalizes" (a subnet without a value has 0).
/// 2. Top proportion: "keeps only the top X% of subnets by share. Uses ceil() rounding so a single
///    subnet always counts as in top 50%." DESIGN: k = max(ceil(n · ppm / 10⁶), 1), n counting
///    every subnet.
/// 3. Absolute limit: "hard cap on number of subnets receiving emission"; DESIGN: applied when more
///    than N subnets have a share, ties at the cut kept.
pub fn filters(
	base_weights: &BTreeMap<u16, u64>,
	rates_ppb: &BTreeMap<u16, u32>,
	settings: Filters,
	erp: &BTreeMap<u16, Q>,
	root_prop: &BTreeMap<u16, Q>,
) -> Stages {
	let mut shares: BTreeMap<u16, Q> =
		base_weights.iter().map(|(n, w)| (*n, q(u128::from(*w)))).collect();
	renormalize(&mut shares);
	let base = shares.clone();
	for (netuid, share) in shares.iter_mut() {
		let rate = rates_ppb.get(netuid).copied().unwrap_or(1_000_000_000);
		*share = &*share * ratio(u128::from(rate), 1_000_000_000);
	}
	renormalize(&mut shares);
	let after_rate = shares.clone();
	if settings.erp_scaling {
		for (netuid, share) in shares.iter_mut() {
			let e = erp.get(netuid).cloned().unwrap_or_else(Q::zero);
			let r = root_prop.get(netuid).cloned().unwrap_or_else(Q::zero);
			*share = &*share * min(e, r);
		}
		renormalize(&mut shares);
	}
	let after_erp_scaling = shares.clone();
	let n = shares.len() as u128;
	let k = (n * u128::from(settings.top_proportion_ppm)).div_ceil(1_000_000).max(1);
	keep_top(&mut shares, usize::try_from(k).unwrap_or(usize::MAX));
	renormalize(&mut shares);
	let after_top_proportion = shares.clone();
	if let Some(limit) = settings.absolute_limit {
		let with_share = shares.values().filter(|s| !s.is_zero()).count();
		if with_share > usize::from(limit) {
			keep_top(&mut shares, usize::from(limit));
			renormalize(&mut shares);
		}
	}
	Stages {
		base,
		after_rate,
		after_erp_scaling,
		after_top_proportion,
		after_absolute_limit: shares,
	}
}

/// The block split: each subnet gets `floor(emission × share)` whole units; what is left is
/// recycled (DESIGN: "emission that cannot be assigned is recycled").
pub fn split(emission: u128, shares: &BTreeMap<u16, Q>) -> (BTreeMap<u16, u128>, u128) {
	let amounts: BTreeMap<u16, u128> =
		shares.iter().map(|(n, s)| (*n, floor_u128(&(q(emission) * s)))).collect();
	let assigned: u128 = amounts.values().sum();
	(amounts, emission - assigned)
}

// ---- seed 001: the subsidy schedule ----

/// "subsidy pool initial × exp(decay × (epoch−genesis))", per block with a discrete factor given
/// in parts per 10¹⁸: `floor(initial × factor^(block / epoch_length))`, limited to what the cap
/// leaves.
///
/// For `k ≤ 2048` decays the amount is computed exactly (the rational `factor^k` has at most about
/// 123,000 bits) and both returned values are the exact floor. Beyond, `factor^k` is bracketed:
/// `[lo, hi]` with `lo ≤ factor^k ≤ hi`, each product rounded outward at 2⁻⁵¹² (every rounding is
/// in the safe direction, so the bracket is rigorous). Returns `(floor(initial · lo),
/// floor(initial · hi))`, each limited by the cap; the exact amount lies between them.
pub fn block_emission(
	initial: u128,
	factor_parts: u64,
	epoch_length: u32,
	cap: Option<u128>,
	block: u64,
	outstanding: u128,
) -> (u128, u128) {
	if epoch_length == 0 {
		return (0, 0);
	}
	let k = block / u64::from(epoch_length);
	let factor = ratio(u128::from(factor_parts), 1_000_000_000_000_000_000);
	let limit = |amount: u128| match cap {
		Some(cap) => amount.min(cap.saturating_sub(outstanding)),
		None => amount,
	};
	if k <= 2048 {
		let exact = floor_u128(&(q(initial) * pow_exact(&factor, k)));
		return (limit(exact), limit(exact));
	}
	let (lo, hi) = pow_bracket(&factor, k);
	(limit(floor_u128(&(q(initial) * lo))), limit(floor_u128(&(q(initial) * hi))))
}

/// `x^k`, exactly.
pub fn pow_exact(x: &Q, k: u64) -> Q {
	let (mut result, mut base, mut e) = (Q::one(), x.clone(), k);
	while e > 0 {
		if e & 1 == 1 {
			result = &result * &base;
		}
		e >>= 1;
		if e > 0 {
			base = &base * &base;
		}
	}
	result
}

/// `x` rounded down (or up) to a multiple of 2⁻⁵¹².
fn round_to_grid(x: &Q, up: bool) -> Q {
	let scale = Q::from_integer(BigInt::one() << 512u32);
	let scaled = x * &scale;
	let n = if up { scaled.ceil() } else { scaled.floor() };
	n / scale
}

/// `[lo, hi] ∋ x^k` for `0 ≤ x ≤ 1`, by square-and-multiply on both bounds, rounding `lo` down
/// and `hi` up after every product.
pub fn pow_bracket(x: &Q, k: u64) -> (Q, Q) {
	let (mut lo, mut hi) = (Q::one(), Q::one());
	let (mut base_lo, mut base_hi) = (x.clone(), x.clone());
	let mut e = k;
	while e > 0 {
		if e & 1 == 1 {
			lo = round_to_grid(&(&lo * &base_lo), false);
			hi = round_to_grid(&(&hi * &base_hi), true);
		}
		e >>= 1;
		if e > 0 {
			base_lo = round_to_grid(&(&base_lo * &base_lo), false);
			base_hi = round_to_grid(&(&base_hi * &base_hi), true);
		}
	}
	(lo, hi)
}

// ---- seed 000: the fork choice ----

/// A turn reading (seed 000's `TurnReading`): growth in parts per million, the others in parts per
/// billion.
#[derive(Clone, Copy, Debug, Default)]
pub struct Reading {
	pub growth_ppm: Option<i64>,
	pub depth_ppb: Option<u32>,
	pub floor_held: Option<bool>,
	pub retention_ppb: Option<u32>,
}

/// The weights (parts per billion), each possibly unset.
#[derive(Clone, Copy, Debug, Default)]
pub struct Weights {
	pub growth: Option<u32>,
	pub depth: Option<u32>,
	pub retention: Option<u32>,
}

/// `measureTine`: "a tine that let the floor fall cannot be measured at all"; "a missing input
/// yields no measure, not a zero"; otherwise the weighted sum.
///
/// DESIGN: the seed's code rejects only `floorHeld === false`; its comment says "the floor is not
/// optional", and the pallet follows the comment: an unknown floor (`None`) gives no measure.
pub fn measure(r: &Reading, w: &Weights) -> Option<Q> {
	if r.floor_held != Some(true) {
		return None;
	}
	let growth = Q::new(BigInt::from(r.growth_ppm?), BigInt::from(1_000_000));
	let depth = ratio(u128::from(r.depth_ppb?), 1_000_000_000);
	let retention = ratio(u128::from(r.retention_ppb?), 1_000_000_000);
	let wg = ratio(u128::from(w.growth?), 1_000_000_000);
	let wd = ratio(u128::from(w.depth?), 1_000_000_000);
	let wr = ratio(u128::from(w.retention?), 1_000_000_000);
	Some(growth * wg + depth * wd + retention * wr)
}

/// A tine: id (bytes), the turn it was born in, its reading.
#[derive(Clone, Debug)]
pub struct Tine {
	pub id: Vec<u8>,
	pub born_at_turn: u32,
	pub reading: Reading,
}

/// Why a fork was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
	NoMeasurableTine,
	FloorWouldFall,
	FloorUnreadable,
}

/// `fork`'s result: kept, cut with gaps, refusal.
#[derive(Clone, Debug, PartialEq)]
pub struct Fork {
	pub kept: Option<Vec<u8>>,
	pub cut: BTreeMap<Vec<u8>, Option<Q>>,
	pub refused: Option<Refusal>,
}

/// `fork`: "only a tine with a real measure is eligible"; none: refused. "keep the highest
/// measure. ties resolve to the older tine." DESIGN: a tie in measure and age goes to the lower
/// id (the seed's stable sort keeps input order, which on chain is storage order). "the floor gate
/// runs before the fork is allowed to land": false refuses; "if it cannot read the floor, it
/// fails closed and the fork is refused". Every other tine is cut with `winner − measure`, or no
/// gap without a measure.
pub fn fork(tines: &[Tine], w: &Weights, floor: impl Fn(&[u8]) -> Option<bool>) -> Fork {
	let refused = |why| Fork { kept: None, cut: BTreeMap::new(), refused: Some(why) };
	let scored: Vec<(&Tine, Option<Q>)> =
		tines.iter().map(|t| (t, measure(&t.reading, w))).collect();
	let mut eligible: Vec<(&Tine, Q)> =
		scored.iter().filter_map(|(t, m)| m.clone().map(|m| (*t, m))).collect();
	if eligible.is_empty() {
		return refused(Refusal::NoMeasurableTine);
	}
	eligible.sort_by(|(a, ma), (b, mb)| {
		mb.cmp(ma).then(a.born_at_turn.cmp(&b.born_at_turn)).then(a.id.cmp(&b.id))
	});
	let (winner, best) = eligible[0].clone();
	match floor(&winner.id) {
		Some(true) => {},
		Some(false) => return refused(Refusal::FloorWouldFall),
		None => return refused(Refusal::FloorUnreadable),
	}
	let cut = scored
		.iter()
		.filter(|(t, _)| t.id != winner.id)
		.map(|(t, m)| (t.id.clone(), m.as_ref().map(|m| &best - m)))
		.collect();
	Fork { kept: Some(winner.id.clone()), cut, refused: None }
}

/// The distinct ids, for generators that must not repeat one.
pub fn distinct(ids: &[Vec<u8>]) -> bool {
	ids.iter().collect::<BTreeSet<_>>().len() == ids.len()
}

/// `|x|` of a rational.
pub fn abs(x: &Q) -> Q {
	x.abs()
}

/// What a tine's config withholds from a block's `emission` while the floor is short by
/// `deficit`, and how much of it reaches the depth reserve (seed 000's reserves, as DESIGN.md and
/// the pallet's docs define them): the fee `⌊E · bps / 10⁴⌋` (bps at most 10⁴), the depth feed
/// `⌊fee · feed⌋`, the lean `min(⌊rest · pull⌋, deficit − feed)` (0 when the feed covers the
/// deficit), each reserve `⌊(rest − lean) · weight⌋`, and what the reserves do not take (the
/// rounding) to depth too. Returns `(withheld, to_depth)`. Fractions in parts per 10⁹.
pub fn withhold(
	emission: u128,
	fee_bps: u16,
	feed_ppb: u32,
	pull_ppb: u32,
	split_ppb: &[u32],
	deficit: u128,
) -> (u128, u128) {
	let bps = u128::from(fee_bps.min(10_000));
	let withheld = floor_u128(&(q(emission) * ratio(bps, 10_000)));
	let fed = floor_u128(&(q(withheld) * ratio(u128::from(feed_ppb), 1_000_000_000)));
	let rest = withheld - fed;
	let pull = floor_u128(&(q(rest) * ratio(u128::from(pull_ppb), 1_000_000_000)));
	let lean = pull.min(deficit.saturating_sub(fed));
	let shared = rest - lean;
	let parts: u128 = split_ppb
		.iter()
		.map(|w| floor_u128(&(q(shared) * ratio(u128::from(*w), 1_000_000_000))))
		.sum();
	(withheld, withheld - parts)
}
