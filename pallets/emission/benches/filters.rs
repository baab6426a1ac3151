//! The filter chain in native code over 1,024 shares, against one sort of 1,024 values, timed in
//! the same run: `cargo bench -p pallet-emission --bench filters`. Prints both times and their
//! ratio; exits with an error when the ratio is above the target (2).

#![allow(clippy::arithmetic_side_effects, clippy::float_arithmetic, clippy::unwrap_used)]

use pallet_emission::math::{filter_pipeline, filter_shares, FilterSettings, Rates};
use sp_runtime::Permill;
use std::{collections::BTreeMap, hint::black_box, time::Instant};
use substrate_fixed::types::{U64F64, U96F32};

const SUBNETS: u16 = 1024;
const ROUNDS: u32 = 2_000;
const TARGET: f64 = 2.0;

/// A deterministic pseudo-random sequence (an LCG): the same inputs every run.
fn lcg(state: &mut u64) -> u64 {
	*state = state
		.wrapping_mul(6_364_136_223_846_793_005)
		.wrapping_add(1_442_695_040_888_963_407);
	*state >> 16
}

fn main() {
	let mut seed = 42u64;
	let base: BTreeMap<u16, u64> =
		(0..SUBNETS).map(|n| (n, 1 + lcg(&mut seed) % 1_000_000)).collect();
	let fraction = |s: &mut u64| {
		U96F32::from_num(lcg(s) % 1_000_000)
			.checked_div(U96F32::from_num(1_000_000u32))
			.unwrap()
	};
	let erp: BTreeMap<u16, U96F32> = (0..SUBNETS).map(|n| (n, fraction(&mut seed))).collect();
	let root_prop: BTreeMap<u16, U96F32> = (0..SUBNETS).map(|n| (n, fraction(&mut seed))).collect();
	// Every filter on and biting: two cuts, each by a sort.
	let settings = FilterSettings {
		erp_scaling: true,
		top_proportion: Permill::from_percent(75),
		absolute_limit: Some(SUBNETS / 2),
	};
	let values: Vec<U64F64> = (0..SUBNETS)
		.map(|_| U64F64::from_bits(u128::from(lcg(&mut seed)) << 40))
		.collect();

	// Interleave the measurements so that all see the same machine state.
	let (mut filters, mut stages, mut sorts) = (0u128, 0u128, 0u128);
	for _ in 0..ROUNDS {
		let start = Instant::now();
		black_box(filter_shares(
			black_box(&base),
			black_box(&Rates::new()),
			settings,
			black_box(&erp),
			black_box(&root_prop),
		));
		filters += start.elapsed().as_nanos();

		let start = Instant::now();
		black_box(filter_pipeline(
			black_box(&base),
			black_box(&Rates::new()),
			settings,
			black_box(&erp),
			black_box(&root_prop),
		));
		stages += start.elapsed().as_nanos();

		let mut copy = black_box(values.clone());
		let start = Instant::now();
		copy.sort_unstable_by(|a, b| b.cmp(a));
		sorts += start.elapsed().as_nanos();
		black_box(copy);
	}
	let filter_ns = filters as f64 / f64::from(ROUNDS);
	let sort_ns = sorts as f64 / f64::from(ROUNDS);
	let ratio = filter_ns / sort_ns;
	let stages_ns = stages as f64 / f64::from(ROUNDS);
	println!(
		"filter chain over {SUBNETS} shares (the hook's filter_shares): {:.1} µs",
		filter_ns / 1_000.0
	);
	println!(
		"with every stage kept (the previews' filter_pipeline):      {:.1} µs ({:.2} sorts)",
		stages_ns / 1_000.0,
		stages_ns / sort_ns
	);
	println!(
		"one sort of {SUBNETS} values (sort_unstable):                 {:.1} µs",
		sort_ns / 1_000.0
	);
	println!("ratio: {ratio:.2} (target ≤ {TARGET})");
	if ratio > TARGET {
		eprintln!("the filter chain costs more than {TARGET} sorts");
		std::process::exit(1);
	}
}
