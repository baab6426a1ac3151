//! Weights for `pallet_emission`.
//!
//! PLACEHOLDER until `scripts/bench.sh` regenerates this file from the benchmarks.

#![cfg_attr(rustfmt, rustfmt_skip)]
#![allow(unused_parens)]
#![allow(unused_imports)]
#![allow(missing_docs)]

use frame_support::{traits::Get, weights::{Weight, constants::RocksDbWeight}};
use core::marker::PhantomData;

/// The weight of each call and hook step of `pallet_emission`.
pub trait WeightInfo {
	fn set_emission_top_subnet_proportion() -> Weight;
	fn set_effective_root_prop_emission_scaling() -> Weight;
	fn set_emission_top_subnet_absolute_limit() -> Weight;
	fn set_emission_schedule() -> Weight;
	fn distribute_block_emission(s: u32, ) -> Weight;
	fn settle_epoch(v: u32, ) -> Weight;
	fn propose_tine() -> Weight;
	fn withdraw_tine() -> Weight;
	fn set_measure_weights() -> Weight;
	fn set_turn_length() -> Weight;
	fn submit_reading() -> Weight;
	fn turn_check() -> Weight;
	fn close_turn(t: u32, ) -> Weight;
}

/// Weights measured on the dev runtime, for a runtime's `Config::WeightInfo`.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	fn set_emission_top_subnet_proportion() -> Weight {
		Weight::from_parts(6_000_000, 1489)
			.saturating_add(T::DbWeight::get().reads(1_u64))
			.saturating_add(T::DbWeight::get().writes(1_u64))
	}
	fn set_effective_root_prop_emission_scaling() -> Weight {
		Weight::from_parts(6_000_000, 1489)
			.saturating_add(T::DbWeight::get().reads(1_u64))
			.saturating_add(T::DbWeight::get().writes(1_u64))
	}
	fn set_emission_top_subnet_absolute_limit() -> Weight {
		Weight::from_parts(6_000_000, 1489)
			.saturating_add(T::DbWeight::get().reads(1_u64))
			.saturating_add(T::DbWeight::get().writes(1_u64))
	}
	fn set_emission_schedule() -> Weight {
		Weight::from_parts(8_000_000, 1489)
			.saturating_add(T::DbWeight::get().reads(2_u64))
			.saturating_add(T::DbWeight::get().writes(1_u64))
	}
	fn distribute_block_emission(s: u32, ) -> Weight {
		Weight::from_parts(20_000_000, 1489)
			.saturating_add(Weight::from_parts(5_000_000, 0).saturating_mul(s.into()))
			.saturating_add(T::DbWeight::get().reads(4_u64))
			.saturating_add(T::DbWeight::get().reads((4_u64).saturating_mul(s.into())))
			.saturating_add(T::DbWeight::get().writes(2_u64))
			.saturating_add(T::DbWeight::get().writes((2_u64).saturating_mul(s.into())))
	}
	fn settle_epoch(v: u32, ) -> Weight {
		Weight::from_parts(30_000_000, 3000)
			.saturating_add(Weight::from_parts(2_000_000, 0).saturating_mul(v.into()))
			.saturating_add(T::DbWeight::get().reads(3_u64))
			.saturating_add(T::DbWeight::get().reads((2_u64).saturating_mul(v.into())))
			.saturating_add(T::DbWeight::get().writes(5_u64))
			.saturating_add(T::DbWeight::get().writes((2_u64).saturating_mul(v.into())))
	}
	fn propose_tine() -> Weight {
		Weight::from_parts(30_000_000, 4000)
			.saturating_add(T::DbWeight::get().reads(3_u64))
			.saturating_add(T::DbWeight::get().writes(2_u64))
	}
	fn withdraw_tine() -> Weight {
		Weight::from_parts(20_000_000, 4000)
			.saturating_add(T::DbWeight::get().reads(2_u64))
			.saturating_add(T::DbWeight::get().writes(2_u64))
	}
	fn set_measure_weights() -> Weight {
		Weight::from_parts(8_000_000, 1500)
			.saturating_add(T::DbWeight::get().reads(1_u64))
			.saturating_add(T::DbWeight::get().writes(1_u64))
	}
	fn set_turn_length() -> Weight {
		Weight::from_parts(8_000_000, 1500)
			.saturating_add(T::DbWeight::get().reads(1_u64))
			.saturating_add(T::DbWeight::get().writes(1_u64))
	}
	fn submit_reading() -> Weight {
		Weight::from_parts(20_000_000, 4000)
			.saturating_add(T::DbWeight::get().reads(2_u64))
			.saturating_add(T::DbWeight::get().writes(1_u64))
	}
	fn turn_check() -> Weight {
		Weight::from_parts(3_000_000, 1500)
			.saturating_add(T::DbWeight::get().reads(2_u64))
	}
	fn close_turn(t: u32, ) -> Weight {
		Weight::from_parts(40_000_000, 4000)
			.saturating_add(Weight::from_parts(10_000_000, 0).saturating_mul(t.into()))
			.saturating_add(T::DbWeight::get().reads(6_u64))
			.saturating_add(T::DbWeight::get().reads((2_u64).saturating_mul(t.into())))
			.saturating_add(T::DbWeight::get().writes(6_u64))
			.saturating_add(T::DbWeight::get().writes((2_u64).saturating_mul(t.into())))
	}
}

impl WeightInfo for () {
	fn set_emission_top_subnet_proportion() -> Weight { Weight::from_parts(6_000_000, 1489) }
	fn set_effective_root_prop_emission_scaling() -> Weight { Weight::from_parts(6_000_000, 1489) }
	fn set_emission_top_subnet_absolute_limit() -> Weight { Weight::from_parts(6_000_000, 1489) }
	fn set_emission_schedule() -> Weight { Weight::from_parts(8_000_000, 1489) }
	fn distribute_block_emission(s: u32, ) -> Weight {
		Weight::from_parts(20_000_000, 1489).saturating_add(Weight::from_parts(5_000_000, 0).saturating_mul(s.into()))
	}
	fn settle_epoch(v: u32, ) -> Weight {
		Weight::from_parts(30_000_000, 3000).saturating_add(Weight::from_parts(2_000_000, 0).saturating_mul(v.into()))
	}
	fn propose_tine() -> Weight { Weight::from_parts(30_000_000, 4000) }
	fn withdraw_tine() -> Weight { Weight::from_parts(20_000_000, 4000) }
	fn set_measure_weights() -> Weight { Weight::from_parts(8_000_000, 1500) }
	fn set_turn_length() -> Weight { Weight::from_parts(8_000_000, 1500) }
	fn submit_reading() -> Weight { Weight::from_parts(20_000_000, 4000) }
	fn turn_check() -> Weight { Weight::from_parts(3_000_000, 1500) }
	fn close_turn(t: u32, ) -> Weight {
		Weight::from_parts(40_000_000, 4000).saturating_add(Weight::from_parts(10_000_000, 0).saturating_mul(t.into()))
	}
}
