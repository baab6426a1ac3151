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
pub mod weights;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;

/// Identifier of a subnet.
pub type NetUid = u16;

#[frame_support::pallet]
pub mod pallet {
	use super::WeightInfo;
	use frame_support::pallet_prelude::*;
	use frame_system::pallet_prelude::*;
	use sp_runtime::Permill;

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

		/// Weights of this pallet's calls and hooks, from benchmarks.
		type WeightInfo: WeightInfo;
	}

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
	}

	/// Errors of the emission pallet.
	#[pallet::error]
	pub enum Error<T> {
		/// A top-subnet proportion of 0 would keep no subnet and stop all emission.
		ZeroTopSubnetProportion,
	}

	/// Genesis settings of the emission pallet.
	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// Initial top-subnet proportion; `None` keeps the default (`100 %`).
		pub emission_top_subnet_proportion: Option<Permill>,
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
		}
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
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
	}

	#[pallet::view_functions]
	impl<T: Config> Pallet<T> {
		/// The top-subnet proportion in force.
		pub fn emission_top_subnet_proportion() -> Permill {
			EmissionTopSubnetProportion::<T>::get()
		}
	}
}
