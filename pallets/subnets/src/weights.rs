//! Weights for `pallet_subnets`.
//!
//! PLACEHOLDER until `scripts/bench.sh` regenerates this file from the benchmarks.

#![cfg_attr(rustfmt, rustfmt_skip)]
#![allow(unused_parens)]
#![allow(unused_imports)]
#![allow(missing_docs)]

use frame_support::{traits::Get, weights::{Weight, constants::RocksDbWeight}};
use core::marker::PhantomData;

/// The weight of each call of `pallet_subnets`.
pub trait WeightInfo {
	fn register_subnet() -> Weight;
	fn remove_subnet() -> Weight;
	fn set_base_weight() -> Weight;
	fn set_tempo() -> Weight;
	fn register_validator() -> Weight;
	fn remove_validator() -> Weight;
	fn set_validating() -> Weight;
	fn set_floor() -> Weight;
}

/// Weights measured on the dev runtime, for a runtime's `Config::WeightInfo`.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	fn register_subnet() -> Weight {
		Weight::from_parts(40_000_000, 3600)
			.saturating_add(T::DbWeight::get().reads(4_u64))
			.saturating_add(T::DbWeight::get().writes(4_u64))
	}
	fn remove_subnet() -> Weight {
		Weight::from_parts(200_000_000, 3600)
			.saturating_add(T::DbWeight::get().reads(70_u64))
			.saturating_add(T::DbWeight::get().writes(70_u64))
	}
	fn set_base_weight() -> Weight {
		Weight::from_parts(10_000_000, 3500)
			.saturating_add(T::DbWeight::get().reads(1_u64))
			.saturating_add(T::DbWeight::get().writes(1_u64))
	}
	fn set_tempo() -> Weight {
		Weight::from_parts(10_000_000, 3500)
			.saturating_add(T::DbWeight::get().reads(1_u64))
			.saturating_add(T::DbWeight::get().writes(1_u64))
	}
	fn register_validator() -> Weight {
		Weight::from_parts(20_000_000, 3600)
			.saturating_add(T::DbWeight::get().reads(2_u64))
			.saturating_add(T::DbWeight::get().writes(2_u64))
	}
	fn remove_validator() -> Weight {
		Weight::from_parts(20_000_000, 3600)
			.saturating_add(T::DbWeight::get().reads(2_u64))
			.saturating_add(T::DbWeight::get().writes(2_u64))
	}
	fn set_validating() -> Weight {
		Weight::from_parts(15_000_000, 3600)
			.saturating_add(T::DbWeight::get().reads(1_u64))
			.saturating_add(T::DbWeight::get().writes(1_u64))
	}
	fn set_floor() -> Weight {
		Weight::from_parts(8_000_000, 1500)
			.saturating_add(T::DbWeight::get().reads(1_u64))
			.saturating_add(T::DbWeight::get().writes(1_u64))
	}
}

impl WeightInfo for () {
	fn register_subnet() -> Weight { Weight::from_parts(40_000_000, 3600) }
	fn remove_subnet() -> Weight { Weight::from_parts(200_000_000, 3600) }
	fn set_base_weight() -> Weight { Weight::from_parts(10_000_000, 3500) }
	fn set_tempo() -> Weight { Weight::from_parts(10_000_000, 3500) }
	fn register_validator() -> Weight { Weight::from_parts(20_000_000, 3600) }
	fn remove_validator() -> Weight { Weight::from_parts(20_000_000, 3600) }
	fn set_validating() -> Weight { Weight::from_parts(15_000_000, 3600) }
	fn set_floor() -> Weight { Weight::from_parts(8_000_000, 1500) }
}
