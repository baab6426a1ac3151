//! Benchmarks of the emission pallet (frame-benchmarking v2).

#![allow(clippy::arithmetic_side_effects, clippy::float_arithmetic)]

use super::*;
use crate::types::EmissionSchedule;
use frame_benchmarking::v2::*;
use frame_support::traits::{EnsureOrigin, Get};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::{Perbill, Permill};

/// Sets up the chain's subnets for the benchmarks (the pallet cannot: they live behind
/// [`Config::Subnets`]).
pub trait BenchmarkHelper<AccountId> {
	/// Register `subnets` subnets (netuids `0..subnets`) with distinct base weights and
	/// `validators` validators each, every validator with root and alpha stake; all but the
	/// first validator of each subnet stop validating, so that the hard cap fires; and give each
	/// subnet emission to pay out at its epoch.
	fn setup_subnets(subnets: u32, validators: u32);
}

fn worst_case_settings<T: Config>() {
	EffectiveRootPropEmissionScaling::<T>::put(true);
	EmissionTopSubnetProportion::<T>::put(Permill::from_percent(50));
	EmissionTopSubnetAbsoluteLimit::<T>::put(1u16);
	Schedule::<T>::put(EmissionSchedule {
		initial: 1_000_000_000_000,
		decay_factor: Perbill::from_percent(99),
		epoch_length: 1_000,
		supply_cap: Some(Balance::MAX),
	});
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn set_emission_top_subnet_proportion() -> Result<(), BenchmarkError> {
		let origin =
			T::AdminOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let proportion = Permill::from_percent(50);

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, proportion);

		assert_eq!(EmissionTopSubnetProportion::<T>::get(), proportion);
		Ok(())
	}

	#[benchmark]
	fn set_effective_root_prop_emission_scaling() -> Result<(), BenchmarkError> {
		let origin =
			T::AdminOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, true);

		assert!(EffectiveRootPropEmissionScaling::<T>::get());
		Ok(())
	}

	#[benchmark]
	fn set_emission_top_subnet_absolute_limit() -> Result<(), BenchmarkError> {
		let origin =
			T::AdminOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, Some(3));

		assert_eq!(EmissionTopSubnetAbsoluteLimit::<T>::get(), Some(3));
		Ok(())
	}

	#[benchmark]
	fn set_emission_schedule() -> Result<(), BenchmarkError> {
		let origin =
			T::AdminOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		TotalIssued::<T>::put(1_000);

		#[extrinsic_call]
		_(
			origin as T::RuntimeOrigin,
			1_000_000,
			Perbill::from_percent(90),
			100,
			Some(1_000_000_000),
		);

		assert_eq!(Schedule::<T>::get().map(|s| s.epoch_length), Some(100));
		Ok(())
	}

	/// Issue a block's emission across `s` subnets with every filter on.
	#[benchmark]
	fn distribute_block_emission(s: Linear<1, { T::MaxSubnets::get() }>) {
		T::BenchmarkHelper::setup_subnets(s, 1);
		worst_case_settings::<T>();
		for netuid in 0..s {
			let netuid = NetUid::try_from(netuid).unwrap_or(NetUid::MAX);
			EffectiveRootProp::<T>::insert(netuid, substrate_fixed::types::U96F32::from_num(1u32));
			RootProp::<T>::insert(netuid, substrate_fixed::types::U96F32::from_num(1u32));
		}
		let n: BlockNumberFor<T> = 1u32.into();

		#[block]
		{
			let subnets = Pallet::<T>::bounded_subnets();
			Pallet::<T>::distribute_block_emission(n, &subnets);
		}

		assert!(TotalIssued::<T>::get() > 0);
	}

	/// Settle one subnet epoch with `v` validators (the hard cap fires).
	#[benchmark]
	fn settle_epoch(v: Linear<1, { T::MaxValidatorsPerSubnet::get() }>) {
		T::BenchmarkHelper::setup_subnets(1, v);
		let n: BlockNumberFor<T> = 1u32.into();

		#[block]
		{
			Pallet::<T>::settle_subnet_epoch(0, n);
		}

		assert!(LastEpoch::<T>::get(0).is_some());
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}
