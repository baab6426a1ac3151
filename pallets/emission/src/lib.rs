#![doc = include_str!("../README.md")]
#![cfg_attr(not(feature = "std"), no_std)]
#![deny(missing_docs)]
// `unwrap_used`/`expect_used` are denied in the hand-written modules (`impls`, `math`, ...): the
// FRAME macros expand to `expect` calls that the lint would report on the `#[pallet::*]` lines.
#![deny(clippy::arithmetic_side_effects, clippy::indexing_slicing, clippy::float_arithmetic)]

extern crate alloc;

pub use pallet::*;
pub use weights::WeightInfo;

mod impls;
pub mod math;
pub mod traits;
pub mod types;
pub mod weights;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
#[cfg(feature = "runtime-benchmarks")]
pub use benchmarking::BenchmarkHelper;
#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;

/// Identifier of a subnet.
pub type NetUid = u16;

/// Amounts of the native token, in its smallest unit.
pub type Balance = u128;

#[frame_support::pallet]
pub mod pallet {
	use super::{
		traits::{SubnetEconomy, SubnetInfo},
		types::{EmissionSchedule, EpochRecord},
		Balance, NetUid, WeightInfo,
	};
	use frame_support::pallet_prelude::*;
	use frame_system::pallet_prelude::*;
	use sp_runtime::{Perbill, Permill};
	use substrate_fixed::types::U96F32;

	/// The in-code storage version.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(0);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// Configuration of the emission pallet.
	#[pallet::config]
	pub trait Config: frame_system::Config {
		/// The origin allowed to change the emission settings (Root in the dev runtime).
		type AdminOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// The chain's subnets: who is eligible, their dividends, where emission goes.
		type Subnets: SubnetEconomy<Self::AccountId>;

		/// The most subnets the pallet reads in one block; bounds the hook's work.
		#[pallet::constant]
		type MaxSubnets: Get<u32>;

		/// The most validators per subnet epoch the pallet reads; bounds the hook's work.
		#[pallet::constant]
		type MaxValidatorsPerSubnet: Get<u32>;

		/// Weights of this pallet's calls and hooks, from benchmarks.
		type WeightInfo: WeightInfo;

		/// Sets up the chain's subnets for benchmarks.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: crate::BenchmarkHelper<Self::AccountId>;
	}

	/// `EffectiveRootProp` of each subnet, from its last epoch: the root share of its dividends
	/// scaled by root-stake utilization, 0 when the hard cap fired. Missing means 0.
	#[pallet::storage]
	pub type EffectiveRootProp<T> = StorageMap<_, Twox64Concat, NetUid, U96F32, OptionQuery>;

	/// `RootProp` of each subnet, from its stake totals at its last epoch. Missing means 0.
	#[pallet::storage]
	pub type RootProp<T> = StorageMap<_, Twox64Concat, NetUid, U96F32, OptionQuery>;

	/// Whether emission shares are scaled by `min(EffectiveRootProp, RootProp)`. Off by default.
	#[pallet::storage]
	pub type EffectiveRootPropEmissionScaling<T> = StorageValue<_, bool, ValueQuery>;

	/// Default of [`EmissionTopSubnetProportion`]: every subnet receives emission.
	#[pallet::type_value]
	pub fn DefaultTopSubnetProportion() -> Permill {
		Permill::one()
	}

	/// The proportion of subnets, ranked by emission share, that receive emission.
	///
	/// `100 %` (the default) keeps every subnet. The number of subnets kept is
	/// `max(ceil(n · proportion), 1)`; never zero (see
	/// [`Pallet::set_emission_top_subnet_proportion`]).
	#[pallet::storage]
	pub type EmissionTopSubnetProportion<T> =
		StorageValue<_, Permill, ValueQuery, DefaultTopSubnetProportion>;

	/// The most subnets that receive emission; `None` (the default): no limit.
	#[pallet::storage]
	pub type EmissionTopSubnetAbsoluteLimit<T> = StorageValue<_, u16, OptionQuery>;

	/// The block emission schedule; `None`: nothing is emitted.
	#[pallet::storage]
	pub type Schedule<T> = StorageValue<_, EmissionSchedule, OptionQuery>;

	/// Everything this pallet has emitted so far (to subnets and recycled).
	#[pallet::storage]
	pub type TotalIssued<T> = StorageValue<_, Balance, ValueQuery>;

	/// The last epoch of each subnet: the numbers needed to re-derive it.
	#[pallet::storage]
	pub type LastEpoch<T: Config> =
		StorageMap<_, Twox64Concat, NetUid, EpochRecord<BlockNumberFor<T>>, OptionQuery>;

	/// Events of the emission pallet.
	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// The top-subnet proportion was changed.
		EmissionTopSubnetProportionSet {
			/// The proportion before the change.
			old: Permill,
			/// The proportion now in force.
			new: Permill,
		},
		/// `EffectiveRootProp` scaling of emission shares was switched.
		EffectiveRootPropEmissionScalingSet {
			/// The setting before the change.
			old: bool,
			/// The setting now in force.
			new: bool,
		},
		/// The absolute limit on subnets receiving emission was changed.
		EmissionTopSubnetAbsoluteLimitSet {
			/// The limit before the change.
			old: Option<u16>,
			/// The limit now in force.
			new: Option<u16>,
		},
		/// The block emission schedule was changed.
		EmissionScheduleSet {
			/// The schedule before the change.
			old: Option<EmissionSchedule>,
			/// The schedule now in force.
			new: EmissionSchedule,
		},
		/// A block's emission was issued and shared across subnets.
		BlockEmissionDistributed {
			/// Emission issued this block.
			issued: Balance,
			/// How much of it went to subnets.
			to_subnets: Balance,
			/// How much of it was recycled (no subnet could receive it, or rounding dust).
			recycled: Balance,
			/// How many subnets received a non-zero amount.
			recipients: u32,
		},
		/// A subnet's epoch was settled: utilization, `EffectiveRootProp` and the hard cap.
		EpochSettled {
			/// The subnet.
			netuid: NetUid,
			/// Root-stake utilization.
			utilization: U96F32,
			/// `RootProp` from the stake totals.
			root_prop: U96F32,
			/// `root / (alpha + root)` of the epoch's dividends.
			raw_root_prop: U96F32,
			/// `EffectiveRootProp` stored (0 when capped).
			effective_root_prop: U96F32,
			/// Whether the hard cap fired (utilization below 1/2 with root dividends).
			capped: bool,
			/// Sum of the alpha dividends.
			alpha_dividends: Balance,
			/// Sum of the root dividends before the cap.
			root_dividends: Balance,
			/// Root dividends recycled to the subnet's alpha pool by the cap.
			recycled: Balance,
		},
		/// A subnet was removed; its per-subnet state is gone.
		SubnetStateRemoved {
			/// The subnet.
			netuid: NetUid,
		},
	}

	/// Errors of the emission pallet.
	#[pallet::error]
	pub enum Error<T> {
		/// A top-subnet proportion of 0 would keep no subnet and stop all emission.
		ZeroTopSubnetProportion,
		/// An absolute limit of 0 would keep no subnet and stop all emission; use `None` for no
		/// limit.
		ZeroAbsoluteLimit,
		/// A schedule's decay factor must be below 100 %: emission must decrease.
		DecayFactorNotBelowOne,
		/// A schedule's epoch length must not be 0.
		ZeroScheduleEpochLength,
		/// The supply cap is below what has already been issued.
		SupplyCapBelowIssued,
	}

	/// Genesis settings of the emission pallet.
	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// Initial top-subnet proportion; `None` keeps the default (`100 %`).
		pub emission_top_subnet_proportion: Option<Permill>,
		/// Initial absolute limit; `None`: no limit.
		pub emission_top_subnet_absolute_limit: Option<u16>,
		/// Whether `EffectiveRootProp` scaling starts on.
		pub effective_root_prop_emission_scaling: bool,
		/// Initial schedule as `(initial, decay_factor, epoch_length, supply_cap)`; `None`: no
		/// emission until one is set.
		pub schedule: Option<(Balance, Perbill, u32, Option<Balance>)>,
		#[serde(skip)]
		#[doc(hidden)]
		pub _config: core::marker::PhantomData<T>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			if let Some(proportion) = self.emission_top_subnet_proportion {
				assert!(
					Pallet::<T>::validate_top_subnet_proportion(proportion).is_ok(),
					"genesis: the top-subnet proportion must not be 0"
				);
				EmissionTopSubnetProportion::<T>::put(proportion);
			}
			if let Some(limit) = self.emission_top_subnet_absolute_limit {
				assert!(limit > 0, "genesis: the absolute limit must not be 0");
				EmissionTopSubnetAbsoluteLimit::<T>::put(limit);
			}
			EffectiveRootPropEmissionScaling::<T>::put(self.effective_root_prop_emission_scaling);
			if let Some((initial, decay_factor, epoch_length, supply_cap)) = self.schedule {
				let schedule = EmissionSchedule { initial, decay_factor, epoch_length, supply_cap };
				assert!(
					Pallet::<T>::validate_schedule(&schedule).is_ok(),
					"genesis: invalid emission schedule"
				);
				Schedule::<T>::put(schedule);
			}
		}
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn on_initialize(n: BlockNumberFor<T>) -> Weight {
			Self::do_tick(n)
		}

		fn integrity_test() {
			assert!(T::MaxSubnets::get() > 0, "MaxSubnets must not be 0");
			assert!(T::MaxValidatorsPerSubnet::get() > 0, "MaxValidatorsPerSubnet must not be 0");
			assert!(
				T::MaxSubnets::get() <= u32::from(NetUid::MAX).saturating_add(1),
				"MaxSubnets above the number of netuids"
			);
			let worst = Self::worst_case_tick_weight();
			let max_block = <T as frame_system::Config>::BlockWeights::get().max_block;
			assert!(
				worst.all_lte(Weight::from_parts(
					max_block.ref_time().saturating_div(2),
					max_block.proof_size().saturating_div(2)
				)),
				"the worst-case on_initialize weight {worst:?} exceeds half a block"
			);
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call(weight(<T as Config>::WeightInfo))]
	impl<T: Config> Pallet<T> {
		/// Set the proportion of subnets, ranked by emission share, that receive emission.
		///
		/// `proportion` is a `Permill` (parts per million): `500000` keeps the top half. `0` is
		/// rejected with [`Error::ZeroTopSubnetProportion`]. Emits
		/// [`Event::EmissionTopSubnetProportionSet`].
		#[pallet::call_index(0)]
		pub fn set_emission_top_subnet_proportion(
			origin: OriginFor<T>,
			proportion: Permill,
		) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			let old = Self::do_set_emission_top_subnet_proportion(proportion)?;
			Self::deposit_event(Event::EmissionTopSubnetProportionSet { old, new: proportion });
			Ok(())
		}

		/// Switch scaling of emission shares by `min(EffectiveRootProp, RootProp)`.
		///
		/// Emits [`Event::EffectiveRootPropEmissionScalingSet`].
		#[pallet::call_index(1)]
		pub fn set_effective_root_prop_emission_scaling(
			origin: OriginFor<T>,
			enabled: bool,
		) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			let old =
				EffectiveRootPropEmissionScaling::<T>::mutate(|v| core::mem::replace(v, enabled));
			Self::deposit_event(Event::EffectiveRootPropEmissionScalingSet { old, new: enabled });
			Ok(())
		}

		/// Set the most subnets that receive emission; `None` removes the limit.
		///
		/// `Some(0)` is rejected with [`Error::ZeroAbsoluteLimit`]: it would stop all emission.
		/// Emits [`Event::EmissionTopSubnetAbsoluteLimitSet`].
		#[pallet::call_index(2)]
		pub fn set_emission_top_subnet_absolute_limit(
			origin: OriginFor<T>,
			limit: Option<u16>,
		) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			let old = Self::do_set_absolute_limit(limit)?;
			Self::deposit_event(Event::EmissionTopSubnetAbsoluteLimitSet { old, new: limit });
			Ok(())
		}

		/// Set the block emission schedule.
		///
		/// Per block, `floor(initial × decay_factor^(block / epoch_length))` is issued, never
		/// beyond `supply_cap` in total. `initial` is in the smallest unit; `decay_factor` is a
		/// `Perbill` (parts per billion) below 100 % ([`Error::DecayFactorNotBelowOne`]);
		/// `epoch_length` is in blocks, not 0 ([`Error::ZeroScheduleEpochLength`]); a
		/// `supply_cap` below [`TotalIssued`] is rejected ([`Error::SupplyCapBelowIssued`]).
		/// Emits [`Event::EmissionScheduleSet`].
		#[pallet::call_index(3)]
		pub fn set_emission_schedule(
			origin: OriginFor<T>,
			initial: Balance,
			decay_factor: Perbill,
			epoch_length: u32,
			supply_cap: Option<Balance>,
		) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			let new = EmissionSchedule { initial, decay_factor, epoch_length, supply_cap };
			let old = Self::do_set_schedule(new)?;
			Self::deposit_event(Event::EmissionScheduleSet { old, new });
			Ok(())
		}
	}

	#[pallet::view_functions]
	impl<T: Config> Pallet<T> {
		/// The top-subnet proportion in force.
		pub fn emission_top_subnet_proportion() -> Permill {
			EmissionTopSubnetProportion::<T>::get()
		}

		/// What the schedule issues in block `block` given what has been issued so far.
		pub fn scheduled_emission(block: BlockNumberFor<T>) -> Balance {
			Self::block_emission_at(block)
		}
	}

	impl<T: Config> Pallet<T> {
		/// The subnets the hook reads, bounded by [`Config::MaxSubnets`].
		pub(crate) fn bounded_subnets() -> alloc::vec::Vec<SubnetInfo> {
			let mut subnets = T::Subnets::subnets();
			let max = usize::try_from(T::MaxSubnets::get()).unwrap_or(usize::MAX);
			if subnets.len() > max {
				log::warn!(
					target: "runtime::emission",
					"{} subnets reported, only the first {max} are read",
					subnets.len()
				);
				subnets.truncate(max);
			}
			subnets
		}
	}
}
