//! v4 → v5: per-subnet emission rates ([`crate::SubnetEmissionRates`]).
//!
//! Storage version 5 adds one item, the rates below 100 %, read by the hook every block. Its
//! absence means every subnet at 100 %: the behaviour of version 4, so no value is translated.
//! The migration clears the item's key (a chain of version 4 has nothing there; anything found
//! would be a stray value the new code would read as rates) and moves the version to 5, so that a
//! later layout change can tell the layouts apart. `post_upgrade` checks that every rate is 100 %.

use crate::{Config, Pallet, SubnetEmissionRates};
use core::marker::PhantomData;
use frame_support::{
	migrations::VersionedMigration,
	traits::{Get, UncheckedOnRuntimeUpgrade},
	weights::Weight,
};

/// Start every subnet at 100 %.
pub struct InnerMigrateV4ToV5<T>(PhantomData<T>);

impl<T: Config> UncheckedOnRuntimeUpgrade for InnerMigrateV4ToV5<T> {
	fn on_runtime_upgrade() -> Weight {
		if SubnetEmissionRates::<T>::exists() {
			log::warn!(target: "runtime::emission", "v5: a stray value at the rates' key, cleared");
		}
		SubnetEmissionRates::<T>::kill();
		<T as frame_system::Config>::DbWeight::get().reads_writes(1, 1)
	}

	#[cfg(feature = "try-runtime")]
	fn post_upgrade(_state: alloc::vec::Vec<u8>) -> Result<(), sp_runtime::TryRuntimeError> {
		frame_support::ensure!(
			SubnetEmissionRates::<T>::get().is_empty(),
			"v5: every subnet starts at 100 %"
		);
		Ok(())
	}
}

/// v4 → v5, run once: the storage version guards it (and is set to 5 after).
pub type MigrateV4ToV5<T> = VersionedMigration<
	4,
	5,
	InnerMigrateV4ToV5<T>,
	Pallet<T>,
	<T as frame_system::Config>::DbWeight,
>;
