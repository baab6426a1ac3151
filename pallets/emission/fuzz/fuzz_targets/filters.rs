//! The filter chain and the block split on arbitrary subnets (up to 1,024), rates, factors and
//! settings:
//! no panic; every stage's shares sum to at most 1; the split conserves the emission; filtered
//! subnets get nothing.
#![no_main]

use libfuzzer_sys::{arbitrary::Unstructured, fuzz_target};
use pallet_emission::math::{filter_pipeline, filter_shares, split_emission, FilterSettings, Rates};
use sp_runtime::{Perbill, Permill};
use std::collections::BTreeMap;
use substrate_fixed::types::{U64F64, U96F32};

fuzz_target!(|data: &[u8]| {
	let mut u = Unstructured::new(data);
	let (Ok(n), Ok(erp_on), Ok(ppm), Ok(limit), Ok(emission)) = (
		u.int_in_range(0u16..=1_024),
		u.arbitrary::<bool>(),
		u.int_in_range(1u32..=1_000_000),
		u.arbitrary::<Option<u16>>(),
		u.arbitrary::<u128>(),
	) else {
		return;
	};
	let mut weights = BTreeMap::new();
	let mut erp = BTreeMap::new();
	let mut rp = BTreeMap::new();
	let mut rates = Rates::new();
	for _ in 0..n {
		let (Ok(netuid), Ok(w), Ok(e), Ok(r), Ok(rate)) = (
			u.arbitrary::<u16>(),
			u.arbitrary::<u64>(),
			u.arbitrary::<u128>(),
			u.arbitrary::<u128>(),
			u.arbitrary::<Option<u32>>(),
		) else {
			break;
		};
		weights.insert(netuid, w);
		if let Some(parts) = rate {
			rates.insert(netuid, Perbill::from_parts(parts));
		}
		erp.insert(netuid, U96F32::from_bits(e));
		rp.insert(netuid, U96F32::from_bits(r));
	}
	let settings = FilterSettings {
		erp_scaling: erp_on,
		top_proportion: Permill::from_parts(ppm),
		absolute_limit: limit.filter(|l| *l > 0),
	};
	let stages = filter_pipeline(&weights, &rates, settings, &erp, &rp);
	let one = U64F64::from_num(1u32);
	for stage in [&stages.base, &stages.after_rate, &stages.after_erp_scaling, &stages.after_top_proportion, &stages.after_absolute_limit] {
		let sum = stage.values().fold(U64F64::from_num(0u32), |a, s| a.saturating_add(*s));
		assert!(sum <= one, "a stage sums above 1");
	}
	assert_eq!(
		filter_shares(&weights, &rates, settings, &erp, &rp),
		stages.after_absolute_limit.clone().into_iter().collect::<Vec<_>>()
	);
	let (amounts, recycled) = split_emission(emission, &stages.after_absolute_limit);
	let total = amounts.values().try_fold(recycled, |a, x| a.checked_add(*x));
	assert_eq!(total, Some(emission), "the split conserves the emission");
	for (netuid, amount) in &amounts {
		if stages.after_absolute_limit[netuid] == U64F64::from_num(0u32) {
			assert_eq!(*amount, 0);
		}
	}
});
