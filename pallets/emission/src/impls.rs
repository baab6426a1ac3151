//! Bodies of the calls: validation and the storage writes.

#![deny(clippy::unwrap_used, clippy::expect_used)]

use crate::{Config, EmissionTopSubnetProportion, Error, Pallet};
use sp_runtime::{DispatchError, Permill};

impl<T: Config> Pallet<T> {
	/// Check a top-subnet proportion: it must keep at least one subnet, so it must not be 0.
	pub(crate) fn validate_top_subnet_proportion(proportion: Permill) -> Result<(), Error<T>> {
		if proportion.is_zero() {
			return Err(Error::<T>::ZeroTopSubnetProportion);
		}
		Ok(())
	}

	/// Validate and store a new top-subnet proportion; returns the previous one.
	pub(crate) fn do_set_emission_top_subnet_proportion(
		proportion: Permill,
	) -> Result<Permill, DispatchError> {
		Self::validate_top_subnet_proportion(proportion)?;
		Ok(EmissionTopSubnetProportion::<T>::mutate(|current| {
			core::mem::replace(current, proportion)
		}))
	}

	/// Invariants of the pallet's storage, checked by `try-runtime` and after every unit test.
	#[cfg(any(feature = "try-runtime", test))]
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		frame_support::ensure!(
			!EmissionTopSubnetProportion::<T>::get().is_zero(),
			"EmissionTopSubnetProportion is 0"
		);
		Ok(())
	}
}
