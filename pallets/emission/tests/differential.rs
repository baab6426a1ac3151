//! Differential tests: the pallet's pure maths against the exact reference of `reference/` (written
//! from the seeds), on random and adversarial inputs.
//!
//! Decisions must be identical: whether the hard cap fires, which subnets survive each filter, the
//! fork's winner, refusal and gaps. Amounts must lie within the documented rounding bounds:
//!
//! | quantity | bound (pallet vs exact) |
//! | --- | --- |
//! | a filter stage's share | `exact − 2⁻⁶⁴ < pallet ≤ exact` |
//! | a subnet's amount of `E` | `exact − 1 − ⌊E / 2⁶⁴⌋ ≤ pallet ≤ exact` |
//! | utilization (n validators) | `exact − (n + 1) · 2⁻³² < pallet ≤ exact` |
//! | raw root prop | `exact − 2⁻³² < pallet ≤ exact` |
//! | `EffectiveRootProp` | `exact − (n + 3) · 2⁻³² < pallet ≤ exact` |
//! | `RootProp` | `exact − 2⁻³² < pallet ≤ exact` |
//! | block emission after `k` decays | `pallet = exact` (exact rationals for `k ≤ 2048`; beyond, inside the reference's 2⁻⁵¹² bracket) |
//! | a tine's measure, a fork's gaps | equal |
//!
//! `EMISSION_DIFF_CASES` sets the cases per property (default 2,000: the fixed-seed subset CI
//! runs); `EMISSION_DIFF_SEED` the seed (default fixed). `scripts/differential.sh` runs 10⁶ per
//! property in release.

#![allow(clippy::arithmetic_side_effects, clippy::indexing_slicing, clippy::unwrap_used)]

mod reference;

use num_bigint::BigInt;
use num_traits::{ToPrimitive, Zero};
use pallet_emission::math::{
	self,
	fork::{self, Candidate, MeasureWeights, Reading},
	FilterSettings, Shares,
};
use reference::{q, ratio, Q};
use sp_runtime::{FixedI128, FixedPointNumber, Perbill, Permill, Perquintill};
use std::collections::BTreeMap;
use substrate_fixed::types::{U64F64, U96F32};

/// SplitMix64: a small, seedable, reproducible generator.
struct Rng(u64);

impl Rng {
	fn next(&mut self) -> u64 {
		self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
		let mut z = self.0;
		z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
		z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
		z ^ (z >> 31)
	}
	fn below(&mut self, n: u64) -> u64 {
		if n == 0 {
			0
		} else {
			self.next() % n
		}
	}
	fn chance(&mut self, percent: u64) -> bool {
		self.below(100) < percent
	}
	fn u128(&mut self) -> u128 {
		u128::from(self.next()) << 64 | u128::from(self.next())
	}
	/// A value of a random bit length up to `bits`, or one of the edge values.
	fn sized(&mut self, bits: u32) -> u128 {
		match self.below(10) {
			0 => 0,
			1 => 1,
			2 => (1u128 << bits) - 1,
			_ => {
				let len = self.below(u64::from(bits) + 1) as u32;
				if len == 0 {
					0
				} else {
					self.u128() >> (128 - len)
				}
			},
		}
	}
}

fn cases() -> u64 {
	std::env::var("EMISSION_DIFF_CASES")
		.ok()
		.and_then(|v| v.parse().ok())
		.unwrap_or(2_000)
}

fn rng(property: u64) -> Rng {
	let seed = std::env::var("EMISSION_DIFF_SEED")
		.ok()
		.and_then(|v| v.parse().ok())
		.unwrap_or(0x5eed_0003_u64);
	Rng(seed ^ property.wrapping_mul(0x1000_0000_01b3))
}

fn fixed96(x: U96F32) -> Q {
	ratio(x.to_bits(), 1u128 << 32)
}

fn fixed64(x: U64F64) -> Q {
	ratio(x.to_bits(), 1u128 << 64)
}

fn two_pow(bits: u32) -> Q {
	Q::new(1.into(), num_bigint::BigInt::from(1) << bits)
}

/// `reference ≥ pallet > reference − bound` (or `≥` with `inclusive`).
fn assert_below_within(pallet: &Q, exact: &Q, bound: &Q, inclusive: bool, what: &str) {
	assert!(pallet <= exact, "{what}: pallet {pallet} above exact {exact}");
	let gap = exact - pallet;
	if inclusive {
		assert!(&gap <= bound, "{what}: pallet {pallet} below exact {exact} by {gap} > {bound}");
	} else {
		assert!(&gap < bound, "{what}: pallet {pallet} below exact {exact} by {gap} ≥ {bound}");
	}
}

// ---- epochs: utilization, raw root prop, ERP, the hard cap ----

/// Validators with stakes and dividends drawn to hit the seed's boundaries: dividends in
/// proportion to stake (utilization 1), exactly half the stake earning everything, the issue's
/// thirds, zeros, unregistered earners, huge and tiny values.
fn epoch_case(r: &mut Rng) -> (BTreeMap<u32, u128>, BTreeMap<u32, u128>, BTreeMap<u32, u128>) {
	let n = match r.below(20) {
		0 => 0,
		1 => 256,
		_ => 1 + r.below(8),
	} as u32;
	let bits = if r.chance(20) { 90 } else { 40 };
	let mut stakes = BTreeMap::new();
	let mut root = BTreeMap::new();
	let mut alpha = BTreeMap::new();
	let shape = r.below(6);
	let unit = 1 + r.sized(30);
	for i in 0..n {
		let stake = match shape {
			0 => unit,
			_ => r.sized(bits),
		};
		if stake > 0 {
			stakes.insert(i, stake);
		}
		let dividend = match shape {
			// Proportional to stake: utilization exactly 1.
			1 => stake.saturating_mul(unit) >> 20,
			// Half of the (equal) validators earn everything.
			0 if i % 2 == 0 => unit * 3,
			0 => 0,
			_ if r.chance(30) => 0,
			_ => r.sized(bits),
		};
		if dividend > 0 {
			root.insert(i, dividend);
		}
		if r.chance(60) {
			alpha.insert(i, r.sized(bits));
		}
	}
	if shape == 5 {
		// The case, scaled: stakes [2, 2, 2]·s, dividends [1, 2, 15]·d: exactly 1/2.
		stakes = [(0, 2 * unit), (1, 2 * unit), (2, 2 * unit)].into();
		let d = 1 + r.sized(20);
		root = [(0, d), (1, 2 * d), (2, 15 * d)].into();
		if r.chance(50) {
			// One unit off, either way.
			let k = r.below(3) as u32;
			let v = root[&k];
			root.insert(k, if r.chance(50) { v + 1 } else { v - 1 });
		}
	}
	if r.chance(10) {
		// An unregistered key earns root dividends: they count in the total only.
		root.insert(10_000, r.sized(bits).max(1));
	}
	(alpha, root, stakes)
}

#[test]
fn epochs_agree_with_the_reference() {
	let mut r = rng(1);
	let (mut capped, mut exact_halves) = (0u64, 0u64);
	for case in 0..cases() {
		let (alpha, root, stakes) = epoch_case(&mut r);
		let pallet = math::settle_epoch(&alpha, &root, &stakes);
		let exact = reference::epoch(&alpha, &root, &stakes);
		let what = format!("case {case}: alpha {alpha:?} root {root:?} stakes {stakes:?}");
		assert_eq!(pallet.capped, exact.capped, "hard cap decision, {what}");
		assert_eq!(pallet.recycled, exact.recycled, "recycled, {what}");
		capped += u64::from(exact.capped);
		exact_halves += u64::from(exact.utilization == ratio(1, 2));
		// The fixed-point values only where they are not saturated (every total below 2⁹⁶).
		let fits = |m: &BTreeMap<u32, u128>| m.values().sum::<u128>() < 1u128 << 95;
		if fits(&alpha) &&
			fits(&root) &&
			fits(&stakes) &&
			fits(&alpha.iter().chain(root.iter()).map(|(k, v)| (*k, *v)).collect())
		{
			let n = stakes.len() as u128;
			let u_bound = q(n + 1) * two_pow(32);
			assert_below_within(
				&fixed96(pallet.utilization),
				&exact.utilization,
				&u_bound,
				false,
				&format!("utilization, {what}"),
			);
			assert_below_within(
				&fixed96(pallet.raw_root_prop),
				&exact.raw_root_prop,
				&two_pow(32),
				false,
				&format!("raw root prop, {what}"),
			);
			let erp_bound = q(n + 3) * two_pow(32);
			assert_below_within(
				&fixed96(pallet.effective_root_prop),
				&exact.effective_root_prop,
				&erp_bound,
				false,
				&format!("ERP, {what}"),
			);
		}
	}
	println!("epochs: {} cases, {capped} capped, {exact_halves} at exactly 1/2", cases());
	assert!(capped > 0 && exact_halves > 0, "the generator must reach the cap and its boundary");
}

#[test]
fn root_prop_agrees_with_the_reference() {
	let mut r = rng(2);
	for case in 0..cases() {
		let root = r.sized(90);
		let alpha = r.sized(90);
		let w = match r.below(4) {
			0 => 0,
			1 => 1_000_000_000,
			2 => 180_000_000,
			_ => r.below(1_000_000_001) as u32,
		};
		let pallet = fixed96(math::root_prop(root, alpha, Perbill::from_parts(w)));
		let exact = reference::root_prop(root, alpha, w);
		assert_below_within(
			&pallet,
			&exact,
			&two_pow(32),
			false,
			&format!("case {case}: RootProp({root}, {alpha}, {w})"),
		);
	}
}

// ---- filters and the split ----

struct FilterCase {
	weights: BTreeMap<u16, u64>,
	erp_bits: BTreeMap<u16, u128>,
	rp_bits: BTreeMap<u16, u128>,
	/// Emission rates below 100 %, parts per 10⁹.
	rates: BTreeMap<u16, u32>,
	settings: FilterSettings,
}

fn filter_case(r: &mut Rng) -> FilterCase {
	let n = match r.below(25) {
		0 => 0,
		1 => 1,
		2 => 1_024,
		3 => 2,
		_ => 1 + r.below(40),
	} as u16;
	// Few distinct values, so that ties at a cut are common.
	let palette: Vec<u64> = (0..1 + r.below(4)).map(|_| r.sized(64) as u64).collect();
	let factors: Vec<u128> = (0..1 + r.below(4))
		.map(|_| match r.below(5) {
			0 => 0,
			1 => 1 << 32,
			2 => (1 << 32) / 3,
			_ => r.below((1 << 32) + 1).into(),
		})
		.collect();
	let mut weights = BTreeMap::new();
	let mut erp_bits = BTreeMap::new();
	let mut rp_bits = BTreeMap::new();
	let mut rates = BTreeMap::new();
	// Rates in half of the cases: 0, the thirds and a half (not exact in binary), one part, or
	// random.
	let rated = if r.chance(50) { 0 } else { 1 + r.below(100) };
	for i in 0..n {
		let netuid = if n == 1_024 { i } else { r.below(u64::from(u16::MAX)) as u16 };
		let w = if r.chance(70) {
			palette[r.below(palette.len() as u64) as usize]
		} else {
			r.sized(64) as u64
		};
		weights.insert(netuid, w);
		if r.chance(rated) {
			let rate = match r.below(6) {
				0 => 0,
				1 => 333_333_333,
				2 => 500_000_000,
				3 => 666_666_667,
				4 => 1,
				_ => r.below(1_000_000_000) as u32,
			};
			rates.insert(netuid, rate);
		}
		if r.chance(90) {
			erp_bits.insert(netuid, factors[r.below(factors.len() as u64) as usize]);
		}
		if r.chance(95) {
			rp_bits.insert(netuid, factors[r.below(factors.len() as u64) as usize]);
		}
	}
	let n = weights.len() as u64;
	let ppm = match r.below(6) {
		0 => 1_000_000,
		1 => 1,
		2 => 500_000,
		// n · ppm exactly an integer number of subnets: the ceil boundary.
		3 if n > 0 => ((1 + r.below(n)) * 1_000_000 / n) as u32,
		_ => 1 + r.below(1_000_000) as u32,
	};
	let limit = match r.below(4) {
		0 => None,
		1 => Some(1),
		_ => Some(1 + r.below(n.max(1) + 2) as u16),
	};
	FilterCase {
		weights,
		erp_bits,
		rp_bits,
		rates,
		settings: FilterSettings {
			erp_scaling: r.chance(60),
			top_proportion: Permill::from_parts(ppm.clamp(1, 1_000_000)),
			absolute_limit: limit,
		},
	}
}

/// Whether the keys after ERP scaling sum to `2¹²⁸` or more (possible only with rates: base weights
/// near `2⁶⁴` times `10⁹` times factors near 1 over many subnets): the pallet then shifts the keys
/// before normalizing, and a share may lie above the exact one by a few `2⁻¹²⁷`.
fn keys_overflow(c: &FilterCase) -> bool {
	let mut sum = BigInt::zero();
	for (netuid, w) in &c.weights {
		let mut key = BigInt::from(*w);
		if c.weights.keys().any(|n| c.rates.contains_key(n)) {
			key *= BigInt::from(*c.rates.get(netuid).unwrap_or(&1_000_000_000));
		}
		if c.settings.erp_scaling {
			let e = c.erp_bits.get(netuid).copied().unwrap_or(0);
			let p = c.rp_bits.get(netuid).copied().unwrap_or(0);
			key *= BigInt::from(e.min(p).min(1 << 32));
		}
		sum += key;
	}
	sum >= BigInt::from(1u8) << 128
}

fn check_stage(pallet: &Shares, exact: &BTreeMap<u16, Q>, what: &str) -> usize {
	check_stage_within(pallet, exact, what, false)
}

/// [`check_stage`]; with `shifted` (the keys past `2¹²⁸`, [`keys_overflow`]) a share lies within
/// `2⁻⁶⁴ + (n + 1) · 2⁻¹²⁶` of the exact one, on either side.
fn check_stage_within(
	pallet: &Shares,
	exact: &BTreeMap<u16, Q>,
	what: &str,
	shifted: bool,
) -> usize {
	assert_eq!(pallet.len(), exact.len(), "{what}: subnets");
	let tiny = two_pow(64);
	let above = ratio(pallet.len() as u128 + 1, 1) * two_pow(126);
	let mut survivors = 0;
	for (netuid, share) in pallet {
		let e = &exact[netuid];
		let p = fixed64(*share);
		if e.is_zero() {
			assert!(
				p.is_zero(),
				"{what}: subnet {netuid} filtered exactly, share {p} in the pallet"
			);
		} else {
			survivors += 1;
			if e >= &tiny {
				assert!(
					!p.is_zero(),
					"{what}: subnet {netuid} survives exactly, not in the pallet"
				);
			}
		}
		if shifted {
			let gap = if p > *e { &p - e } else { e - &p };
			assert!(
				gap < &tiny + &above,
				"{what}: subnet {netuid} {p} vs exact {e} (keys shifted)"
			);
		} else {
			assert_below_within(&p, e, &tiny, false, &format!("{what}: subnet {netuid}"));
		}
	}
	survivors
}

#[test]
fn filters_and_split_agree_with_the_reference() {
	let mut r = rng(3);
	let (mut cut, mut tied, mut rated, mut shifted) = (0u64, 0u64, 0u64, 0u64);
	for case in 0..cases() {
		let c = filter_case(&mut r);
		let erp: BTreeMap<u16, U96F32> =
			c.erp_bits.iter().map(|(n, b)| (*n, U96F32::from_bits(*b))).collect();
		let rp: BTreeMap<u16, U96F32> =
			c.rp_bits.iter().map(|(n, b)| (*n, U96F32::from_bits(*b))).collect();
		let rates: math::Rates =
			c.rates.iter().map(|(n, p)| (*n, Perbill::from_parts(*p))).collect();
		let pallet = math::filter_pipeline(&c.weights, &rates, c.settings, &erp, &rp);
		let exact = reference::filters(
			&c.weights,
			&c.rates,
			reference::Filters {
				erp_scaling: c.settings.erp_scaling,
				top_proportion_ppm: c.settings.top_proportion.deconstruct(),
				absolute_limit: c.settings.absolute_limit,
			},
			&c.erp_bits.iter().map(|(n, b)| (*n, ratio(*b, 1 << 32))).collect(),
			&c.rp_bits.iter().map(|(n, b)| (*n, ratio(*b, 1 << 32))).collect(),
		);
		let what =
			|stage: &str| format!("case {case} {stage}: {:?} {:?}", c.weights.len(), c.settings);
		check_stage(&pallet.base, &exact.base, &what("base"));
		check_stage(&pallet.after_rate, &exact.after_rate, &what("rates"));
		rated += u64::from(!c.rates.is_empty());
		let overflow = keys_overflow(&c);
		shifted += u64::from(overflow);
		let scaled = check_stage_within(
			&pallet.after_erp_scaling,
			&exact.after_erp_scaling,
			&what("ERP scaling"),
			overflow,
		);
		let top = check_stage_within(
			&pallet.after_top_proportion,
			&exact.after_top_proportion,
			&what("top proportion"),
			overflow,
		);
		let last = check_stage_within(
			&pallet.after_absolute_limit,
			&exact.after_absolute_limit,
			&what("absolute limit"),
			overflow,
		);
		cut += u64::from(last < scaled);
		let k = (c.weights.len() as u64 * u64::from(c.settings.top_proportion.deconstruct()))
			.div_ceil(1_000_000)
			.max(1);
		tied += u64::from(top as u64 > k);
		// The hook's shares are the last stage.
		let hook = math::filter_shares(&c.weights, &rates, c.settings, &erp, &rp);
		assert_eq!(hook, pallet.after_absolute_limit.clone().into_iter().collect::<Vec<_>>());

		// The split of a block's emission by those shares.
		let emission = match r.below(4) {
			0 => 1_000_000_000_000,
			1 => r.sized(64),
			2 => r.sized(100),
			_ => r.below(10_000).into(),
		};
		let (amounts, recycled) = math::split_emission(emission, &pallet.after_absolute_limit);
		let (exact_amounts, exact_recycled) =
			reference::split(emission, &exact.after_absolute_limit);
		let slack = 1 + (emission >> 64);
		for (netuid, amount) in &amounts {
			let e = exact_amounts[netuid];
			assert!(
				*amount <= e && e - amount <= slack,
				"{}: subnet {netuid} amount {amount} vs exact {e}",
				what("split")
			);
		}
		assert_eq!(amounts.values().sum::<u128>() + recycled, emission, "conservation");
		assert!(recycled >= exact_recycled);
	}
	println!(
		"filters: {} cases, {cut} cut by a filter, {tied} keeping ties beyond k, {rated} with \
		 rates, {shifted} with keys past 2^128",
		cases()
	);
	assert!(cut > 0 && tied > 0 && rated > 0, "the generator must reach cuts, ties and rates");
}

// ---- the schedule ----

#[test]
fn the_schedule_agrees_with_the_reference() {
	let mut r = rng(4);
	let mut exact = 0u64;
	for case in 0..cases() {
		let bits = if r.chance(50) { 64 } else { 100 };
		let initial = r.sized(bits);
		let factor: u64 = match r.below(6) {
			0 => 0,
			1 => 999_999_999_999_999_999,
			2 => 990_000_000_000_000_000,
			3 => 999_525_112_794_640_200,
			// Tenths and fifths: amounts that are exact integers when `initial` holds the powers.
			4 => [100_000_000_000_000_000, 200_000_000_000_000_000, 300_000_000_000_000_000]
				[r.below(3) as usize],
			_ => r.below(1_000_000_000_000_000_000),
		};
		let epoch_length = 1 + r.below(1_000) as u32;
		let block = match r.below(5) {
			0 => r.below(10_000),
			1 => u64::from(u32::MAX),
			2 => r.below(300) * u64::from(epoch_length),
			_ => r.below(1 << 40),
		};
		let k = block / u64::from(epoch_length);
		// Sometimes a multiple of the factor's denominator to the k-th power: an exact integer.
		let initial = if factor == 300_000_000_000_000_000 && k <= 38 && r.chance(50) {
			10u128.pow(k as u32) * u128::from(r.below(1000))
		} else if factor == 200_000_000_000_000_000 && k <= 55 && r.chance(50) {
			5u128.pow(k as u32) * u128::from(r.below(1000)) + u128::from(r.below(2))
		} else {
			initial
		};
		let cap = if r.chance(30) { Some(r.sized(110)) } else { None };
		let outstanding = cap
			.map(|c| {
				if r.chance(50) {
					c
				} else {
					u128::from(r.below((c.min(u128::from(u64::MAX) - 1) as u64) + 1))
				}
			})
			.unwrap_or(0);
		let pallet = math::block_emission(
			initial,
			Perquintill::from_parts(factor),
			epoch_length,
			cap,
			block,
			outstanding,
		);
		let (exact_lo, exact_hi) =
			reference::block_emission(initial, factor, epoch_length, cap, block, outstanding);
		if exact_lo == exact_hi {
			exact += 1;
		}
		// The exact floor where the reference knows it; inside its (2⁻⁵¹²) bracket where not.
		assert!(
			exact_lo <= pallet && pallet <= exact_hi,
			"case {case}: {initial} × {factor}·10⁻¹⁸^{k}: pallet {pallet}, exact in [{exact_lo}, {exact_hi}]"
		);
	}
	println!("schedule: {} cases, {exact} against the exact floor", cases());
	assert!(exact > 0);
}

// ---- the fork (seed 000) ----

fn reading(r: &mut Rng, palette: &[reference::Reading]) -> reference::Reading {
	if r.chance(50) && !palette.is_empty() {
		return palette[r.below(palette.len() as u64) as usize];
	}
	let some = |r: &mut Rng| r.chance(90);
	reference::Reading {
		growth_ppm: some(r).then(|| match r.below(4) {
			0 => 0,
			1 => -(r.below(1 << 40) as i64),
			_ => r.below(1 << 40) as i64,
		}),
		depth_ppb: some(r).then(|| r.below(1_000_000_001) as u32),
		floor_held: match r.below(10) {
			0 => None,
			1 => Some(false),
			_ => Some(true),
		},
		retention_ppb: some(r).then(|| r.below(1_000_000_001) as u32),
	}
}

fn to_pallet(r: &reference::Reading) -> Reading {
	Reading {
		reserve_growth_ppm: r.growth_ppm,
		depth_stability: r.depth_ppb.map(Perbill::from_parts),
		floor_held: r.floor_held,
		retention: r.retention_ppb.map(Perbill::from_parts),
	}
}

fn fixed_i128(x: FixedI128) -> Q {
	Q::new(x.into_inner().into(), FixedI128::DIV.into())
}

#[test]
fn the_fork_agrees_with_the_reference() {
	let mut r = rng(5);
	let (mut kept, mut refused, mut tie_breaks) = (0u64, 0u64, 0u64);
	for case in 0..cases() {
		let n = match r.below(10) {
			0 => 0,
			1 => 64,
			_ => 1 + r.below(6),
		};
		let palette: Vec<reference::Reading> =
			(0..r.below(3)).map(|_| reading(&mut r, &[])).collect();
		let tines: Vec<reference::Tine> = (0..n)
			.map(|i| reference::Tine {
				id: format!("t{:02}", (i * 7919 + case) % 100).into_bytes(),
				born_at_turn: r.below(3) as u32,
				reading: reading(&mut r, &palette),
			})
			.collect();
		let mut seen = std::collections::BTreeSet::new();
		let tines: Vec<reference::Tine> =
			tines.into_iter().filter(|t| seen.insert(t.id.clone())).collect();
		let unset = |r: &mut Rng| r.chance(5);
		let w = reference::Weights {
			growth: (!unset(&mut r)).then(|| r.below(1_000_000_001) as u32),
			depth: (!unset(&mut r)).then(|| r.below(1_000_000_001) as u32),
			retention: (!unset(&mut r)).then(|| r.below(1_000_000_001) as u32),
		};
		let weights = MeasureWeights {
			reserve_growth: w.growth.map(Perbill::from_parts),
			depth_stability: w.depth.map(Perbill::from_parts),
			retention: w.retention.map(Perbill::from_parts),
		};
		let gate = match r.below(6) {
			0 => None,
			1 => Some(false),
			_ => Some(true),
		};
		let candidates: Vec<Candidate<Vec<u8>>> = tines
			.iter()
			.map(|t| {
				let m = fork::measure(&to_pallet(&t.reading), &weights);
				assert_eq!(
					m.map(fixed_i128),
					reference::measure(&t.reading, &w),
					"case {case}: measure of {:?}",
					t.reading
				);
				Candidate { id: t.id.clone(), born_at_turn: t.born_at_turn, measure: m }
			})
			.collect();
		let pallet = fork::choose(&candidates, |_| gate);
		let exact = reference::fork(&tines, &w, |_| gate);
		assert_eq!(pallet.kept, exact.kept, "case {case}: kept");
		let refusal = pallet.refused.map(|x| match x {
			fork::Refusal::NoMeasurableTine => reference::Refusal::NoMeasurableTine,
			fork::Refusal::FloorWouldFall => reference::Refusal::FloorWouldFall,
			fork::Refusal::FloorUnreadable => reference::Refusal::FloorUnreadable,
		});
		assert_eq!(refusal, exact.refused, "case {case}: refusal");
		let cut: BTreeMap<Vec<u8>, Option<Q>> =
			pallet.cut.iter().map(|(id, g)| (id.clone(), g.map(fixed_i128))).collect();
		assert_eq!(cut, exact.cut, "case {case}: cut and gaps");
		kept += u64::from(exact.kept.is_some());
		refused += u64::from(exact.refused.is_some());
		if let Some(winner) = &exact.kept {
			let best = candidates.iter().find(|c| &c.id == winner).unwrap().measure;
			tie_breaks += u64::from(candidates.iter().filter(|c| c.measure == best).count() > 1);
		}
	}
	println!(
		"fork: {} cases, {kept} kept, {refused} refused, {tie_breaks} decided by a tie-break",
		cases()
	);
	assert!(kept > 0 && refused > 0 && tie_breaks > 0);
}

/// Found by the 10⁶-case run against the `Perbill` schedule: its documented bound was too tight.
/// The exact schedule has no bound to state: the same case gives the exact floor.
#[test]
fn the_case_that_broke_the_old_bound_is_exact() {
	let (initial, factor, k) =
		(643_588_345_075_925_455_690_806_796u128, 999_992_677_000_000_000u64, 3_663u64);
	let pallet = math::block_emission(initial, Perquintill::from_parts(factor), 1, None, k, 0);
	let (lo, hi) = reference::block_emission(initial, factor, 1, None, k, 0);
	assert_eq!(
		(lo, hi),
		(626_554_059_537_036_313_502_450_052, 626_554_059_537_036_313_502_450_052)
	);
	assert_eq!(pallet, lo);
}

/// Gonka's epoch 267, from the reference's exact rationals.
#[test]
fn gonka_epoch_267_by_the_reference() {
	let (lo, hi) =
		reference::block_emission(323_000_000_000_000, 999_525_112_794_640_200, 1, None, 266, 0);
	assert_eq!((lo, hi), (284_661_946_392_231, 284_661_946_392_231));
}

// ---- the floor gate (seed 000) against the turn it promises ----

/// A split in parts per 10⁹ summing to 10⁹: one reserve, halves, thirds (333_333_333 and
/// 666_666_667), or random.
fn split_ppb(r: &mut Rng) -> Vec<u32> {
	match r.below(4) {
		0 => vec![1_000_000_000],
		1 => vec![500_000_000, 500_000_000],
		2 => vec![333_333_333, 666_666_667],
		_ => {
			let a = r.below(1_000_000_001) as u32;
			let b = r.below(u64::from(1_000_000_000 - a) + 1) as u32;
			vec![a, b, 1_000_000_000 - a - b]
		},
	}
}

/// A fraction in parts per 10⁹: 0, 1, a third, a half, two thirds, all, or random.
fn fraction_ppb(r: &mut Rng) -> u32 {
	match r.below(7) {
		0 => 0,
		1 => 1_000_000_000,
		2 => 333_333_333,
		3 => 500_000_000,
		4 => 666_666_667,
		5 => 1,
		_ => r.below(1_000_000_001) as u32,
	}
}

/// Whenever the gate passes a config, the floor is met by the end of the next turn: simulated
/// block by block from the schedule and the withholding rules in exact rationals (the reference),
/// not from the gate's formula, with recycling (which leaves more room under the supply cap)
/// between blocks. The gate as it stood before issue 29 (which counted the split's dust of the
/// turn's lowest emission) is run beside it: the simulation must catch it, or the check could
/// not fail.
#[test]
fn the_floor_gate_holds_its_promise_over_the_next_turn() {
	let mut r = rng(6);
	let (mut passed, mut tight, mut old_broken) = (0u64, 0u64, 0u64);
	for case in 0..cases() {
		let fee_bps = match r.below(5) {
			0 => 0,
			1 => 1,
			2 => 10_000,
			_ => r.below(10_001) as u16,
		};
		let mut feed = fraction_ppb(&mut r);
		let mut pull = fraction_ppb(&mut r);
		let mut split = split_ppb(&mut r);
		let mut initial = match r.below(4) {
			0 => 999 + r.below(3) as u128,
			1 => r.sized(20),
			2 => r.sized(64),
			_ => 1_000 * u128::from(r.below(10)) + r.below(7) as u128,
		};
		let mut factor: u64 = match r.below(4) {
			0 => 999_000_000_000_000_000,
			1 => 500_000_000_000_000_000,
			2 => 999_525_112_794_640_200,
			_ => r.below(1_000_000_000_000_000_000),
		};
		let epoch_length = 1 + r.below(40) as u32;
		let blocks = r.below(30) as u32;
		// One case in ten where only the split's dust reaches depth, and the emission falls from
		// an even amount (no dust of halves) to an odd one (dust 1) within the turn.
		let dusty = r.chance(10);
		if dusty {
			(feed, pull, split, initial, factor) =
				(0, 0, vec![500_000_000, 500_000_000], 1_000, 999_000_000_000_000_000);
		}
		let now = r.below(u64::from(epoch_length) * 60);
		let cap = if r.chance(30) { Some(r.sized(30)) } else { None };
		let mut outstanding = cap.map(|c| r.below(c as u64 + 1) as u128).unwrap_or(0);
		let mut issued = if r.chance(5) { u128::MAX - r.sized(24) } else { outstanding };
		outstanding = outstanding.min(issued);
		let lowest = math::min_emission_over(
			initial,
			Perquintill::from_parts(factor),
			epoch_length,
			cap,
			now,
			blocks,
			outstanding,
			u128::MAX - issued,
		);
		// Deficits around what the turn can restore: its blocks' fees.
		let scale = (initial.min(1 << 40) * u128::from(fee_bps) / 10_000 + 1) * u128::from(blocks);
		let deficit = match r.below(4) {
			_ if dusty => 1 + r.below(u64::from(blocks) + 1) as u128,
			0 => 1 + r.below(20) as u128,
			_ => 1 + (r.u128() % (scale + 2)),
		};
		let (p, w) = (Perbill::from_parts(pull), Perbill::from_parts(feed));
		let gate = math::floor::floor_would_hold(fee_bps, w, p, deficit, lowest, blocks);
		let parts: Vec<Perbill> = split.iter().map(|x| Perbill::from_parts(*x)).collect();
		let old_gate = u128::from(blocks) *
			math::floor::withhold(lowest, fee_bps, w, p, &parts, deficit).to_depth >=
			deficit;

		// The next turn, block by block: the schedule's exact `floor(initial · factor^k)` (k the
		// block's decays, the power kept from block to block), limited by the cap and the ledger.
		let mut left = deficit;
		// `factor^k` as the unreduced fraction `parts^k / (10¹⁸)^k`, exact (no gcd to keep).
		let (parts, one) = (BigInt::from(factor), BigInt::from(1_000_000_000_000_000_000u64));
		let mut decays = (now + 1) / u64::from(epoch_length);
		let (mut num, mut den) = (parts.pow(decays as u32), one.pow(decays as u32));
		for block in now + 1..=now + u64::from(blocks) {
			while decays < block / u64::from(epoch_length) {
				num *= &parts;
				den *= &one;
				decays += 1;
			}
			let scheduled = (BigInt::from(initial) * &num / &den).to_u128().unwrap_or(u128::MAX);
			let room = cap.map_or(u128::MAX, |c| c.saturating_sub(outstanding));
			let emission = scheduled.min(room).min(u128::MAX - issued);
			let (_, to_depth) = reference::withhold(emission, fee_bps, feed, pull, &split, left);
			left = left.saturating_sub(to_depth);
			issued += emission;
			outstanding += emission;
			if r.chance(10) {
				outstanding -= outstanding.min(r.sized(16));
			}
		}
		if gate {
			passed += 1;
			assert_eq!(
				left, 0,
				"case {case}: the gate passed fee {fee_bps} bps, feed {feed}, pull {pull}, split {split:?} \
				 from a deficit of {deficit} over {blocks} blocks (lowest emission {lowest}), and the floor \
				 ended {left} short"
			);
		}
		if left == 0 && !gate {
			tight += 1;
		}
		if old_gate && left > 0 {
			old_broken += 1;
		}
	}
	println!(
		"floor gate: {} cases, {passed} passed (each met by the turn's end), {tight} refused that the \
		 turn would have met, {old_broken} where the pre-issue-29 gate passed and the floor fell",
		cases()
	);
	assert!(passed > cases() / 10, "the gate must pass often enough to be tested");
	assert!(old_broken > 0, "the simulation must catch the gate that counted the dust");
}

// ---- the supply projection against the schedule's definition ----

/// `floor(initial · (parts / 10¹⁸)^k)` for `k = 0, 1, …` while positive (at most `max` terms),
/// exactly: the factor in lowest terms `a / b`, the numerator `initial · a^k` and the denominator
/// `b^k` each grown by one product per term.
fn exact_amounts(initial: u128, parts: u64, max: usize) -> Vec<u128> {
	let (mut a, mut b) = (parts, 1_000_000_000_000_000_000u64);
	let g = num_integer_gcd(a, b);
	a /= g;
	b /= g;
	let (mut num, mut den) = (BigInt::from(initial), BigInt::from(1u8));
	let mut out = Vec::new();
	while out.len() < max {
		let v = &num / &den;
		if v.is_zero() {
			break;
		}
		out.push(v.to_u128().unwrap());
		num *= a;
		den *= b;
	}
	out
}

fn num_integer_gcd(mut a: u64, mut b: u64) -> u64 {
	while b != 0 {
		(a, b) = (b, a % b);
	}
	a
}

/// The schedule's definition, block by block from `first`: each block issues
/// `min(floor(initial · factor^(block / length)), what the budget leaves)`. Returns the issuance
/// of the `horizon` blocks from `first`, and how issuance ends: `(true, last issuing block)` when
/// the budget runs out, `(false, first block issuing nothing)` when the amount reaches 0.
fn by_definition(
	amounts: &[u128],
	length: u64,
	first: u64,
	budget: u128,
	horizon: u64,
) -> (u128, (bool, u64), u128) {
	let (mut left, mut in_horizon, mut issued) = (budget, 0u128, 0u128);
	let mut block = first;
	loop {
		let amount = amounts.get((block / length) as usize).copied().unwrap_or(0);
		if left == 0 {
			return (in_horizon, (true, block - 1), issued);
		}
		if amount == 0 {
			return (in_horizon, (false, block), issued);
		}
		let this = amount.min(left);
		left -= this;
		issued += this;
		if block < first + horizon {
			in_horizon += this;
		}
		block += 1;
	}
}

#[test]
fn the_supply_projection_agrees_with_the_schedule_block_by_block() {
	use math::{project, ProjectionEnd, PROJECTION_MAX_RUNS as RUNS};
	let year = 10_519_200u64; // 365.25 days of 3-second blocks (the dev runtime's)
	let unit = 1_000_000_000_000u128;
	// The dev chains' schedule: 1 UNIT per block, × 0.99 every 1,000 blocks, cap 21,000,000 UNIT.
	let dev = exact_amounts(unit, 990_000_000_000_000_000, usize::MAX);
	assert_eq!(dev.len(), 2_750, "floor(10¹² · 0.99^k) > 0 for k < 2,750");
	for (first, budget) in [
		(1u64, 21_000_000 * unit),
		(1, u128::MAX),
		(123_457, 21_000_000 * unit - 99_000 * unit),
		(1, 50_000 * unit),
		(2_000_001, 7 * unit + 1),
	] {
		let (in_year, (capped, at), issued) = by_definition(&dev, 1_000, first, budget, year);
		let p = project(unit, Perquintill::from_percent(99), 1_000, first, budget, year, RUNS);
		assert_eq!(p.horizon_issuance, (in_year, in_year), "dev from {first}, budget {budget}");
		let expected = if capped {
			ProjectionEnd::BudgetReachedAt { block: at }
		} else {
			ProjectionEnd::EmissionEndsAt { block: at, issued }
		};
		assert_eq!(p.end, expected, "dev from {first}, budget {budget}");
	}
	// From block 1 with the dev cap: the schedule ends (2,750 epochs) long before the cap.
	let p = project(unit, Perquintill::from_percent(99), 1_000, 1, 21_000_000 * unit, year, RUNS);
	assert!(matches!(p.end, ProjectionEnd::EmissionEndsAt { block: 2_750_000, .. }));

	// Gonka's subsidy schedule: 323·10¹² per block, × exp(−0.000475) = 0.9995251127946402 per
	// schedule epoch of a day (28,800 blocks): the year is 366 epochs, exactly.
	let gonka = exact_amounts(323_000_000_000_000, 999_525_112_794_640_200, 700);
	assert_eq!(gonka[266], 284_661_946_392_231, "Gonka's epoch 267");
	for first in [1u64, 28_800 * 266 + 5] {
		let (in_year, _, _) = by_definition(&gonka, 28_800, first, u128::MAX, year);
		let p = project(
			323_000_000_000_000,
			Perquintill::from_parts(999_525_112_794_640_200),
			28_800,
			first,
			u128::MAX,
			year,
			RUNS,
		);
		assert_eq!(p.horizon_issuance, (in_year, in_year), "Gonka from {first}");
	}
	// More runs than the walk may take: after 100 runs the horizon's issuance is bounded, below
	// by what the 100 runs issued, above by that plus the 101st run's amount for every block
	// left; the definition's value lies between.
	let amounts = exact_amounts(unit, 990_000_000_000_000_000, usize::MAX);
	for (first, budget) in [(1u64, u128::MAX), (1, 150_000 * unit), (1, 60_000 * unit)] {
		let (in_year, _, _) = by_definition(&amounts, 1_000, first, budget, year);
		let p = project(unit, Perquintill::from_percent(99), 1_000, first, budget, year, 100);
		let walked: u128 = (first..100_000)
			.map(|b| amounts[(b / 1_000) as usize])
			.sum::<u128>()
			.min(budget);
		let most = (walked + amounts[100] * u128::from(year - (100_000 - first))).min(budget);
		assert_eq!(p.horizon_issuance, (walked, most), "budget {budget}");
		assert!(walked <= in_year && in_year <= most);
		if walked < budget {
			assert_eq!(p.end, ProjectionEnd::NotWithin { block: 100_000, issued: walked });
		}
	}
}
