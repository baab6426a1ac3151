//! The schedule on arbitrary parameters: no panic; never more than `initial`, never beyond the cap,
//! never increasing from one epoch to the next; the amount inside its bracket, which is at most one
//! unit wide.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pallet_emission::math::{block_emission, decayed, schedule::bracket};
use sp_runtime::Perquintill;

fuzz_target!(|input: (u128, u64, u32, Option<u128>, u64, u128)| {
	let (initial, factor, epoch_length, cap, block, outstanding) = input;
	let factor = Perquintill::from_parts(factor % 1_000_000_000_000_000_000);
	let amount = block_emission(initial, factor, epoch_length, cap, block, outstanding);
	assert!(amount <= initial);
	if let Some(cap) = cap {
		assert!(amount <= cap.saturating_sub(outstanding));
	}
	if epoch_length > 0 {
		let later = block.saturating_add(u64::from(epoch_length));
		assert!(block_emission(initial, factor, epoch_length, cap, later, outstanding) <= amount);
		let k = block / u64::from(epoch_length);
		let (lo, hi) = bracket(initial, factor, k);
		let exact = decayed(initial, factor, k);
		assert!(k == 0 || (lo <= exact && exact <= hi && hi - lo <= 1));
	} else {
		assert_eq!(amount, 0);
	}
});
