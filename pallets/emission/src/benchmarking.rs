//! Benchmarks of the emission pallet (frame-benchmarking v2).

#![allow(clippy::arithmetic_side_effects, clippy::float_arithmetic)]

use super::*;
use crate::types::{EmissionSchedule, TineMeasureWeights, TineReading};
use alloc::vec::Vec;
use frame_benchmarking::v2::*;
use frame_support::{
	traits::{EnsureOrigin, Get},
	BoundedVec,
};
use frame_system::{pallet_prelude::BlockNumberFor, RawOrigin};
use sp_runtime::{Perbill, Permill, Perquintill};

/// Sets up the chain's subnets for the benchmarks (the pallet cannot: they live behind
/// [`Config::Subnets`]).
pub trait BenchmarkHelper<AccountId> {
	/// Register `subnets` subnets (netuids `0..subnets`) with distinct base weights, each with
	/// emission to pay out at its epoch, and `validators` validators on subnet 0. The worst epoch
	/// per validator read: every validator but the first has root and alpha stake and validates
	/// (each is paid at the epoch, the most writes); the first is registered and does not
	/// validate, holding nearly all the root stake, so that the epoch reads it, pays nothing for
	/// it and the hard cap fires (the recycling on top of every payment).
	fn setup_subnets(subnets: u32, validators: u32);

	/// Set the floor [`Config::Floor`] reads (so that it can be read) to `floor`.
	fn set_floor(floor: Balance);
}

/// `MaxFeeders` feeders (accounts `seed..seed + MaxFeeders`), quorum 1, stored.
fn max_feeders<T: Config>(seed: u32) -> Vec<T::AccountId> {
	let mut feeders: Vec<T::AccountId> =
		(0..T::MaxFeeders::get()).map(|i| account("feeder", seed + i, 0)).collect();
	feeders.sort();
	Feeders::<T>::put(BoundedVec::truncate_from(feeders.clone()));
	ReadingQuorum::<T>::put(1);
	feeders
}

/// A full reading.
fn full_reading(growth: i64) -> TineReading {
	let p = Some(Perbill::from_percent(50));
	TineReading {
		reserve_growth_ppm: Some(growth),
		depth_stability: p,
		floor_held: Some(true),
		retention: p,
	}
}

/// Every one of `feeders`' submission (sorted) for tine `id` in turn 0.
fn submit_all<T: Config>(id: &[u8], feeders: &[T::AccountId], growth: i64) {
	let name: NameOf<T> = id.to_vec().try_into().unwrap_or_default();
	let by = feeders.iter().map(|who| (who.clone(), full_reading(growth))).collect();
	Submissions::<T>::insert(
		&name,
		TurnSubmissionsOf::<T> { turn: 0, by: BoundedVec::truncate_from(by) },
	);
}

/// A name of `MaxNameLen` bytes, distinct for each `i`.
fn long_name<T: Config>(prefix: u8, i: u32) -> Vec<u8> {
	let len = usize::try_from(T::MaxNameLen::get()).unwrap_or(usize::MAX).max(5);
	let mut name = alloc::vec![prefix; len];
	for (slot, byte) in name.iter_mut().rev().zip(i.to_le_bytes()) {
		*slot = byte;
	}
	name
}

/// A split over `MaxReserves` reserves whose weights sum to exactly one.
fn max_split<T: Config>() -> Vec<(Vec<u8>, Perbill)> {
	let r = T::MaxReserves::get().max(1);
	let each = 1_000_000_000 / r;
	let first = 1_000_000_000 - each * (r - 1);
	(0..r)
		// Names as long as allowed (the most bytes to hash), each with an account of its own
		// (the most mints).
		.map(|i| (long_name::<T>(b'r', i), Perbill::from_parts(if i == 0 { first } else { each })))
		.collect()
}

/// Insert tine number `i` (a maximal config) directly.
fn add_tine<T: Config>(i: u32) -> Vec<u8> {
	let id = long_name::<T>(b't', i);
	let _ = Pallet::<T>::do_propose_tine(
		id.clone(),
		250,
		max_split::<T>(),
		Perbill::from_percent(10),
		Perbill::from_percent(20),
	);
	id
}

fn full_weights<T: Config>() {
	MeasureWeights::<T>::put(TineMeasureWeights {
		reserve_growth: Some(Perbill::from_percent(50)),
		depth_stability: Some(Perbill::from_percent(30)),
		retention: Some(Perbill::from_percent(20)),
	});
}

/// Every filter on and biting: ERP scaling, the top 75 % (a sort), then at most half of those
/// (another sort).
fn worst_case_settings<T: Config>(subnets: u32) {
	EffectiveRootPropEmissionScaling::<T>::put(true);
	EmissionTopSubnetProportion::<T>::put(Permill::from_percent(75));
	let limit = u16::try_from(subnets / 2).unwrap_or(u16::MAX).max(1);
	EmissionTopSubnetAbsoluteLimit::<T>::put(limit);
	// Epochs of one block and a factor next to one: at the last block a `u32` block number
	// allows, the schedule's power takes the most rounds (32 squarings and 32 products per bound)
	// on numbers that stay full.
	Schedule::<T>::put(EmissionSchedule {
		initial: 1_000_000_000_000,
		decay_factor: Perquintill::from_parts(999_999_999_999_999_999),
		epoch_length: 1,
		supply_cap: Some(Balance::MAX),
	});
}

/// The last block a `u32` block number allows (the schedule's largest exponent).
fn last_block<T: Config>() -> BlockNumberFor<T> {
	u32::MAX.into()
}

/// `ScalingInputs` for subnets `0..subnets` (ERP = RootProp = distinct values ≤ 1).
fn fill_scaling_inputs<T: Config>(subnets: u32) {
	use substrate_fixed::types::U96F32;
	ScalingInputs::<T>::mutate(|table| {
		for n in 0..subnets {
			let netuid = NetUid::try_from(n).unwrap_or(NetUid::MAX);
			let value = U96F32::from_num(n + 1).checked_div(U96F32::from_num(subnets + 1));
			let value = value.unwrap_or(U96F32::from_num(1u32));
			let _ = table.try_insert(netuid, (value, value));
		}
	});
}

/// Emission rates below 100 % (distinct, none 0) for subnets `from..to`.
fn fill_rates<T: Config>(from: u32, to: u32) {
	SubnetEmissionRates::<T>::mutate(|rates| {
		for n in from..to {
			let netuid = NetUid::try_from(n).unwrap_or(NetUid::MAX);
			let _ = rates.try_insert(netuid, Perbill::from_parts(500_000_000 + n));
		}
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
			Perquintill::from_percent(90),
			100,
			Some(1_000_000_000),
		);

		assert_eq!(Schedule::<T>::get().map(|s| s.epoch_length), Some(100));
		Ok(())
	}

	/// Set a subnet's rate with every other subnet already rated (the rates' table at its
	/// largest, a new entry inserted), by the admin origin.
	#[benchmark]
	fn set_subnet_emission_rate() -> Result<(), BenchmarkError> {
		let origin =
			T::AdminOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let subnets = T::MaxSubnets::get();
		T::BenchmarkHelper::setup_subnets(subnets, 1);
		fill_rates::<T>(1, subnets);
		let rate = Perbill::from_percent(25);

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, 0, rate);

		assert_eq!(Pallet::<T>::emission_rate(0), rate);
		Ok(())
	}

	/// Issue a block's emission across `s` subnets with every filter on, every subnet with an
	/// emission rate, and an active tine withholding into `MaxReserves` reserves, the floor read
	/// and leaning.
	#[benchmark]
	fn distribute_block_emission(s: Linear<1, { T::MaxSubnets::get() }>) {
		T::BenchmarkHelper::setup_subnets(s, 1);
		worst_case_settings::<T>(s);
		let id = add_tine::<T>(0);
		let name: NameOf<T> = id.try_into().unwrap_or_default();
		if let Some(tine) = Tines::<T>::get(&name) {
			ActiveTine::<T>::put((name, tine));
		}
		T::BenchmarkHelper::set_floor(Balance::MAX);
		fill_scaling_inputs::<T>(s);
		fill_rates::<T>(0, s);
		let n = last_block::<T>();

		#[block]
		{
			let subnets = Pallet::<T>::bounded_subnets();
			Pallet::<T>::distribute_block_emission(n, &subnets);
		}

		assert!(TotalIssued::<T>::get() > 0);
	}

	/// The epoch queue's update when `s` subnets fall due at once (the queue was empty): every
	/// one appended, `MaxEpochsPerBlock` taken from the front, the queue written.
	#[benchmark]
	fn epoch_queue(s: Linear<1, { T::MaxSubnets::get() }>) {
		let due: Vec<NetUid> = (0..s).map(|n| NetUid::try_from(n).unwrap_or(NetUid::MAX)).collect();

		#[block]
		{
			Pallet::<T>::update_epoch_queue(due.iter().copied());
		}

		let settled = T::MaxEpochsPerBlock::get().min(s);
		assert_eq!(u32::try_from(EpochQueue::<T>::get().len()), Ok(s - settled));
	}

	/// Settle one subnet epoch with `v` validators read: all but one credited (each already owed,
	/// in a full ledger), the hard cap firing.
	#[benchmark]
	fn settle_epoch(v: Linear<1, { T::MaxValidatorsPerSubnet::get() }>) {
		// Every other subnet registered and in the scaling table: the tables the epoch updates
		// are at their largest.
		T::BenchmarkHelper::setup_subnets(T::MaxSubnets::get(), v);
		fill_scaling_inputs::<T>(T::MaxSubnets::get());
		let n: BlockNumberFor<T> = 1u32.into();

		#[block]
		{
			Pallet::<T>::settle_subnet_epoch(0, 1, n);
		}

		let record = LastEpoch::<T>::get(0);
		assert!(record.is_some());
		if v > 1 {
			assert!(record.is_some_and(|r| r.capped && r.recycled > 0));
		}
	}

	#[benchmark]
	fn propose_tine() -> Result<(), BenchmarkError> {
		for i in 1..T::MaxTines::get() {
			add_tine::<T>(i);
		}
		let origin =
			T::AdminOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let id = long_name::<T>(b't', 0);

		#[extrinsic_call]
		_(
			origin as T::RuntimeOrigin,
			id,
			250,
			max_split::<T>(),
			Perbill::from_percent(10),
			Perbill::from_percent(20),
		);

		assert_eq!(Tines::<T>::count(), T::MaxTines::get());
		Ok(())
	}

	/// Withdraw a tine every feeder submitted for.
	#[benchmark]
	fn withdraw_tine() -> Result<(), BenchmarkError> {
		let id = add_tine::<T>(0);
		let feeders = max_feeders::<T>(0);
		submit_all::<T>(&id, &feeders, 1);
		let origin =
			T::AdminOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, id);

		assert_eq!(Tines::<T>::count(), 0);
		assert_eq!(Submissions::<T>::iter().count(), 0);
		Ok(())
	}

	#[benchmark]
	fn set_measure_weights() -> Result<(), BenchmarkError> {
		let origin =
			T::AdminOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let w = Some(Perbill::from_percent(30));

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, w, w, w);

		assert_eq!(MeasureWeights::<T>::get().retention, w);
		Ok(())
	}

	#[benchmark]
	fn set_turn_length() -> Result<(), BenchmarkError> {
		let origin =
			T::AdminOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, 50);

		assert_eq!(TurnLength::<T>::get(), 50);
		Ok(())
	}

	/// A feeder's submission, the feeder last of `MaxFeeders` (the membership search), into the
	/// tine's entry that already holds every other feeder's.
	#[benchmark]
	fn submit_reading() {
		let id = add_tine::<T>(0);
		let feeders = max_feeders::<T>(0);
		let (feeder, others) = match feeders.split_last() {
			Some((last, others)) => (last.clone(), others.to_vec()),
			None => (account("feeder", 0, 0), Vec::new()),
		};
		submit_all::<T>(&id, &others, 1);
		let p = Some(Perbill::from_percent(50));
		let name: NameOf<T> = id.clone().try_into().unwrap_or_default();

		#[extrinsic_call]
		_(RawOrigin::Signed(feeder), 0, id, Some(-1_000), p, Some(true), p);

		let entry = Submissions::<T>::get(&name).map(|e| e.by.len());
		assert_eq!(entry, Some(feeders.len()));
	}

	/// Set `n` new feeders while `MaxFeeders` others leave, each with a submission for every one
	/// of `MaxTines` tines (all removed).
	#[benchmark]
	fn set_feeders(n: Linear<1, { T::MaxFeeders::get() }>) -> Result<(), BenchmarkError> {
		let old = max_feeders::<T>(0);
		for i in 0..T::MaxTines::get() {
			let id = add_tine::<T>(i);
			submit_all::<T>(&id, &old, 1);
		}
		let new: Vec<T::AccountId> = (0..n).map(|i| account("feeder", 1_000_000 + i, 0)).collect();
		let origin =
			T::AdminOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, new, n);

		assert_eq!(Submissions::<T>::iter().count(), 0);
		assert_eq!(u32::try_from(Feeders::<T>::get().len()), Ok(n));
		Ok(())
	}

	/// The schedule's exact comparison at its largest exponent
	/// ([`math::schedule::EXACT_MAX_EXPONENT`] decays of the factor with the largest numerator and
	/// denominator in lowest terms), which a block runs only when the bracket does not decide; the
	/// hook charges it every block.
	#[benchmark]
	fn schedule_exact() {
		let factor = Perquintill::from_parts(999_999_999_999_999_999);
		let k = math::schedule::EXACT_MAX_EXPONENT;
		let reached;

		#[block]
		{
			reached = math::schedule::reaches_exactly(Balance::MAX, factor, k, Balance::MAX);
		}

		assert_eq!(reached, Some(false));
	}

	/// A block in the middle of a turn: only the check.
	#[benchmark]
	fn turn_check() {
		let n: BlockNumberFor<T> = 1u32.into();

		#[block]
		{
			Pallet::<T>::maybe_close_turn(n);
		}

		assert_eq!(CurrentTurn::<T>::get(), 0);
	}

	/// Close a turn with `t` tines, each with a submission from every one of `MaxFeeders`
	/// feeders: each reading formed, the fork lands, every other tine is cut. The floor is below,
	/// so the gate projects the next turn on the schedule at its costliest (the last block a
	/// `u32` allows, a factor next to one).
	#[benchmark]
	fn close_turn(t: Linear<1, { T::MaxTines::get() }>) {
		full_weights::<T>();
		worst_case_settings::<T>(1);
		let n = last_block::<T>();
		frame_system::Pallet::<T>::set_block_number(n);
		T::BenchmarkHelper::set_floor(1);
		let feeders = max_feeders::<T>(0);
		for i in 0..t {
			let id = add_tine::<T>(i);
			submit_all::<T>(&id, &feeders, i64::from(i));
		}

		#[block]
		{
			Pallet::<T>::close_turn(n);
		}

		assert!(ActiveTine::<T>::get().is_some());
		assert_eq!(Tines::<T>::count(), 1);
		// The cut tines' submissions removed; the kept tine's are of a closed turn now.
		assert_eq!(Submissions::<T>::iter().map(|(_, e)| e.turn).collect::<Vec<_>>(), [0]);
		assert_eq!(CurrentTurn::<T>::get(), 1);
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}
