//! Benchmarks of the subnets pallet (frame-benchmarking v2).

#![allow(clippy::arithmetic_side_effects, clippy::float_arithmetic)]

use super::*;
use frame_benchmarking::v2::*;
use frame_support::traits::{EnsureOrigin, Get};
use pallet_emission::NetUid;

fn origin<T: Config>() -> Result<T::RuntimeOrigin, BenchmarkError> {
	T::AdminOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)
}

/// Fill subnet `netuid` with the most validators.
fn full_subnet<T: Config>(netuid: NetUid) -> Result<(), BenchmarkError> {
	Pallet::<T>::do_register_subnet(netuid, 10, 1_000).map_err(|_| BenchmarkError::Weightless)?;
	for i in 0..T::MaxValidatorsPerSubnet::get() {
		let who: T::AccountId = account("validator", i, 0);
		Pallet::<T>::do_register_validator(netuid, who, 1_000, 1_000)
			.map_err(|_| BenchmarkError::Weightless)?;
	}
	Ok(())
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn register_subnet() -> Result<(), BenchmarkError> {
		let origin = origin::<T>()?;
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, 7, 10, 1_000);
		assert!(Subnets::<T>::get().contains_key(&7));
		Ok(())
	}

	#[benchmark]
	fn remove_subnet() -> Result<(), BenchmarkError> {
		full_subnet::<T>(7)?;
		// Emission pending: the removal hands it over to be recycled (the most work).
		PendingEmission::<T>::mutate(|pending| pending.try_insert(7, 1_000_000).map(|_| ()))
			.map_err(|_| BenchmarkError::Weightless)?;
		let origin = origin::<T>()?;
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, 7);
		assert!(!Subnets::<T>::get().contains_key(&7));
		Ok(())
	}

	#[benchmark]
	fn set_base_weight() -> Result<(), BenchmarkError> {
		Pallet::<T>::do_register_subnet(7, 10, 1_000).map_err(|_| BenchmarkError::Weightless)?;
		let origin = origin::<T>()?;
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, 7, 5);
		assert_eq!(Pallet::<T>::subnet(7).map(|s| s.base_weight), Some(5));
		Ok(())
	}

	#[benchmark]
	fn set_tempo() -> Result<(), BenchmarkError> {
		Pallet::<T>::do_register_subnet(7, 10, 1_000).map_err(|_| BenchmarkError::Weightless)?;
		let origin = origin::<T>()?;
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, 7, 3);
		assert_eq!(Pallet::<T>::subnet(7).map(|s| s.tempo), Some(3));
		Ok(())
	}

	#[benchmark]
	fn register_validator() -> Result<(), BenchmarkError> {
		Pallet::<T>::do_register_subnet(7, 10, 1_000).map_err(|_| BenchmarkError::Weightless)?;
		let who: T::AccountId = account("validator", 0, 0);
		let origin = origin::<T>()?;
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, 7, who.clone(), 1_000, 1_000);
		assert!(Validators::<T>::contains_key(7, who));
		Ok(())
	}

	#[benchmark]
	fn remove_validator() -> Result<(), BenchmarkError> {
		full_subnet::<T>(7)?;
		let who: T::AccountId = account("validator", 0, 0);
		let origin = origin::<T>()?;
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, 7, who.clone());
		assert!(!Validators::<T>::contains_key(7, who));
		Ok(())
	}

	#[benchmark]
	fn set_validating() -> Result<(), BenchmarkError> {
		full_subnet::<T>(7)?;
		let who: T::AccountId = account("validator", 0, 0);
		let origin = origin::<T>()?;
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, 7, who.clone(), false);
		assert_eq!(Validators::<T>::get(7, who).map(|v| v.validating), Some(false));
		Ok(())
	}

	#[benchmark]
	fn set_floor() -> Result<(), BenchmarkError> {
		let origin = origin::<T>()?;
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, Some(1_000));
		assert_eq!(Floor::<T>::get(), Some(1_000));
		Ok(())
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}

/// Benchmark setup for the emission pallet's hook, over this pallet's subnets.
pub struct EmissionBenchmarkHelper<T>(core::marker::PhantomData<T>);

impl<T: Config> pallet_emission::BenchmarkHelper<T::AccountId> for EmissionBenchmarkHelper<T> {
	fn set_floor(floor: pallet_emission::Balance) {
		Floor::<T>::put(floor);
	}

	fn setup_subnets(subnets: u32, validators: u32) {
		use frame_support::traits::fungible::Inspect;
		// Enough pending that every validator's dividend clears the existential deposit.
		let pending = T::Currency::minimum_balance().saturating_mul(1_000_000);
		// Both tables built in memory and written once (not one write per subnet).
		let mut table = SubnetTable::<T>::default();
		let mut pending_table = PendingTable::<T>::default();
		for n in 0..subnets {
			let netuid = NetUid::try_from(n).unwrap_or(NetUid::MAX);
			let details =
				SubnetDetails { tempo: 0, base_weight: 1_000 + u64::from(n), validators: 0 };
			let _ = table.try_insert(netuid, details);
			let _ = pending_table.try_insert(netuid, pending);
		}
		if let Some(first) = table.get_mut(&0) {
			first.validators = validators;
		}
		Subnets::<T>::put(table);
		PendingEmission::<T>::put(pending_table);
		for i in 0..validators {
			let who: T::AccountId = account("validator", i, 0);
			// Every validator but the first validates and is paid at the epoch (the most
			// writes); the first, registered with nearly all the root stake and not validating,
			// is read, paid nothing, and makes utilization fall below 1/2 (the cap fires).
			let details = if i == 0 {
				ValidatorDetails {
					root_stake: 1_000_000_000_000,
					alpha_stake: 0,
					validating: false,
				}
			} else {
				ValidatorDetails { root_stake: 1_000, alpha_stake: 1_000, validating: true }
			};
			Validators::<T>::insert(0, who, details);
		}
	}
}
