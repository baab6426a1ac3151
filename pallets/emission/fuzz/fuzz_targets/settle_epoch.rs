//! A subnet epoch on arbitrary dividends and stakes: no panic; utilization and ERP in [0, 1]; the
//! cap fires exactly when there are root dividends and the exact utilization is below 1/2, and
//! then recycles every root dividend and zeroes ERP.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pallet_emission::math::{settle_epoch, utilization_at_least_half};
use std::collections::BTreeMap;
use substrate_fixed::types::U96F32;

fuzz_target!(|input: (Vec<(u8, u128)>, Vec<(u8, u128)>, Vec<(u8, u128)>)| {
	let (alpha, root, stakes) = input;
	let alpha: BTreeMap<u8, u128> = alpha.into_iter().collect();
	let root: BTreeMap<u8, u128> = root.into_iter().collect();
	let stakes: BTreeMap<u8, u128> = stakes.into_iter().collect();
	let s = settle_epoch(&alpha, &root, &stakes);
	let one = U96F32::from_num(1u32);
	assert!(s.utilization <= one && s.effective_root_prop <= one && s.raw_root_prop <= one);
	let any_root = root.values().any(|v| *v > 0);
	assert_eq!(s.capped, any_root && !utilization_at_least_half(&stakes, &root));
	if s.capped {
		assert_eq!(s.recycled, s.root_total);
		assert_eq!(s.effective_root_prop, U96F32::from_num(0u32));
	} else {
		assert_eq!(s.recycled, 0);
	}
});
