//! The division helper (a shared divisor with a precomputed reciprocal) against substrate-fixed's
//! `checked_div`, bit for bit, on arbitrary numerators and divisors.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pallet_emission::math::div::Divisor;
use substrate_fixed::types::U64F64;

fuzz_target!(|input: (u128, u128)| {
	let (a, s) = input;
	let Some(d) = Divisor::new(s) else {
		assert_eq!(s, 0);
		return;
	};
	let expected = if a <= s {
		U64F64::from_bits(a).checked_div(U64F64::from_bits(s)).map(|q| q.to_bits())
	} else {
		None
	};
	assert_eq!(d.quotient(a), expected);
});
