//! Weights for `pallet_emission`.
//!
//! NOT YET GENERATED: these figures are the template's estimate for one storage read and one
//! storage write. Regenerate with `scripts/bench.sh` (the benchmarking CLI is behind the node's
//! `runtime-benchmarks` feature).

#![cfg_attr(rustfmt, rustfmt_skip)]
#![allow(unused_parens)]
#![allow(unused_imports)]
#![allow(missing_docs)]

use frame_support::{traits::Get, weights::{Weight, constants::RocksDbWeight}};
use core::marker::PhantomData;

/// Weight functions needed for `pallet_emission`.
pub trait WeightInfo {
	fn set_emission_top_subnet_proportion() -> Weight;
}

/// Weights for `pallet_emission` using the dev node.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	/// Storage: `Emission::EmissionTopSubnetProportion` (r:1 w:1)
	/// Proof: `Emission::EmissionTopSubnetProportion` (`max_values`: Some(1), `max_size`: Some(4), added: 499, mode: `MaxEncodedLen`)
	fn set_emission_top_subnet_proportion() -> Weight {
		Weight::from_parts(6_000_000, 1489)
			.saturating_add(T::DbWeight::get().reads(1_u64))
			.saturating_add(T::DbWeight::get().writes(1_u64))
	}
}

// For backwards compatibility and tests.
impl WeightInfo for () {
	/// Storage: `Emission::EmissionTopSubnetProportion` (r:1 w:1)
	/// Proof: `Emission::EmissionTopSubnetProportion` (`max_values`: Some(1), `max_size`: Some(4), added: 499, mode: `MaxEncodedLen`)
	fn set_emission_top_subnet_proportion() -> Weight {
		Weight::from_parts(6_000_000, 1489)
			.saturating_add(RocksDbWeight::get().reads(1_u64))
			.saturating_add(RocksDbWeight::get().writes(1_u64))
	}
}
