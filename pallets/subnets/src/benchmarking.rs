//! Benchmarks of the subnets pallet (frame-benchmarking v2).

#![allow(clippy::arithmetic_side_effects, clippy::float_arithmetic)]

use super::*;
use frame_benchmarking::v2::*;
use frame_support::traits::{EnsureOrigin, Get};
use frame_system::RawOrigin;
use pallet_emission::{Balance, NetUid};

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

/// Every validator of subnet `netuid` owed enough to open its account, and some alpha: a full
/// ledger, each payout a new account's mint and an alpha write.
fn full_ledger<T: Config>(netuid: NetUid) -> Result<(), BenchmarkError> {
	use frame_support::traits::fungible::Inspect;
	let tao = T::Currency::minimum_balance().saturating_mul(10);
	let mut ledger = OwedTable::<T>::default();
	for (who, _) in Validators::<T>::iter_prefix(netuid) {
		ledger
			.try_insert(who, Owed { tao, alpha: 1_000 })
			.map_err(|_| BenchmarkError::Weightless)?;
	}
	let total = tao.saturating_mul(ledger.len() as u128);
	UnclaimedTotal::<T>::mutate(|t| *t = t.saturating_add(total));
	Unclaimed::<T>::insert(netuid, ledger);
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

	/// Every validator owed: each is paid out (a new account's mint and an alpha write).
	#[benchmark]
	fn remove_subnet() -> Result<(), BenchmarkError> {
		full_subnet::<T>(7)?;
		full_ledger::<T>(7)?;
		// Emission pending: the removal hands it over to be recycled (the most work).
		PendingEmission::<T>::mutate(|pending| pending.try_insert(7, 1_000_000).map(|_| ()))
			.map_err(|_| BenchmarkError::Weightless)?;
		let origin = origin::<T>()?;
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, 7);
		assert!(!Subnets::<T>::get().contains_key(&7));
		assert_eq!(UnclaimedTotal::<T>::get(), 0);
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

	/// The validator owed, in a full ledger: paid out as it leaves.
	#[benchmark]
	fn remove_validator() -> Result<(), BenchmarkError> {
		full_subnet::<T>(7)?;
		full_ledger::<T>(7)?;
		let who: T::AccountId = account("validator", 0, 0);
		let origin = origin::<T>()?;
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, 7, who.clone());
		assert!(!Validators::<T>::contains_key(7, &who));
		assert_eq!(AlphaBalances::<T>::get(7, &who), 1_000);
		Ok(())
	}

	/// A claim out of a full ledger, minting into a new account.
	#[benchmark]
	fn claim_dividends() -> Result<(), BenchmarkError> {
		full_subnet::<T>(7)?;
		full_ledger::<T>(7)?;
		let who: T::AccountId = account("validator", 0, 0);
		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), 7);
		assert_eq!(Pallet::<T>::unclaimed(7, &who), Owed::default());
		assert_eq!(AlphaBalances::<T>::get(7, &who), 1_000);
		Ok(())
	}

	/// The dev economy's part of a subnet epoch of `v` validators, as the emission pallet calls
	/// it (its stake totals, the dividends, their delivery with the cap fired), so that its cost
	/// is stated apart from the emission pallet's own (PERFORMANCE.md). Set up as the emission
	/// pallet's `settle_epoch` benchmark sets it up.
	#[benchmark]
	fn epoch(v: Linear<1, { T::MaxValidatorsPerSubnet::get() }>) {
		use pallet_emission::{traits::SubnetEconomy, BenchmarkHelper};
		EmissionBenchmarkHelper::<T>::setup_subnets(T::MaxSubnets::get(), v);
		#[block]
		{
			let _ = Pallet::<T>::root_prop_inputs(0);
			let mut dividends = Pallet::<T>::epoch_dividends(0, 1);
			let root: Balance = dividends.root.values().fold(0, |t, x| t.saturating_add(*x));
			dividends.root.clear();
			let _ = Pallet::<T>::deliver_epoch_dividends(0, 1, dividends, root);
		}
		assert_eq!(u32::try_from(Unclaimed::<T>::get(0).len()), Ok(v));
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

	/// `l` alpha balances of a removed subnet, all cleared.
	#[benchmark]
	fn clear_alpha(l: Linear<1, { T::MaxAlphaClear::get() }>) -> Result<(), BenchmarkError> {
		for i in 0..l {
			let who: T::AccountId = account("holder", i, 0);
			AlphaBalances::<T>::insert(7, who, 1_000);
		}
		let caller: T::AccountId = whitelisted_caller();
		#[extrinsic_call]
		_(RawOrigin::Signed(caller), 7, l);
		assert!(!Pallet::<T>::has_alpha(7));
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
		// Every validator already owed: the epoch's credit decodes and rewrites a full ledger.
		let _ = full_ledger::<T>(0);
	}
}
