//! v1 → v2: tine readings come from oracle feeders. v1 kept one reading per tine and turn
//! (`Readings`, submitted by a single origin); v2 keeps each feeder's submission,
//! per tine ([`crate::Submissions`]), and forms the reading from them. The open turn's v1 readings
//! cannot be attributed to a feeder and are removed (the feeders submit again; a turn whose close
//! comes first has no measure and is refused, as with any missing reading); the feeders and the
//! quorum are set from `Initial` (a runtime parameter), when valid.

use crate::{Config, Feeders, Pallet, ReadingQuorum};
use alloc::vec::Vec;
use core::marker::PhantomData;
use frame_support::{
	migrations::VersionedMigration,
	traits::{Get, UncheckedOnRuntimeUpgrade},
	weights::Weight,
};

/// The layout v1 stored.
// `storage_alias` adds an undocumented prefix type beside the alias.
#[allow(missing_docs)]
pub mod v1 {
	use crate::{types::TineReading, Config, NameOf, Pallet};
	use frame_support::{
		pallet_prelude::{OptionQuery, Twox64Concat},
		storage_alias, Blake2_128Concat,
	};

	/// `Readings` as v1 stored it: `(turn, tine) → reading`.
	#[storage_alias]
	pub type Readings<T: Config> = StorageDoubleMap<
		Pallet<T>,
		Twox64Concat,
		u32,
		Blake2_128Concat,
		NameOf<T>,
		TineReading,
		OptionQuery,
	>;
}

/// The most v1 readings there can be: one per tine of the open turn (v1 removed a tine's reading
/// with the tine and cleared a turn's at its close), under the bound of the specs that stored
/// them (64 tines), not this runtime's `MaxTines`, which may be lower.
fn max_readings<T: Config>() -> u32 {
	super::v3::OLD_MAX_TINES
}

/// Remove the v1 readings; set the feeders and the quorum from `Initial`.
pub struct InnerMigrateV1ToV2<T, Initial>(PhantomData<(T, Initial)>);

impl<T: Config, Initial: Get<(Vec<T::AccountId>, u32)>> UncheckedOnRuntimeUpgrade
	for InnerMigrateV1ToV2<T, Initial>
{
	fn on_runtime_upgrade() -> Weight {
		let db = <T as frame_system::Config>::DbWeight::get();
		let removed = v1::Readings::<T>::clear(max_readings::<T>(), None);
		let mut writes = u64::from(removed.unique);
		let (feeders, quorum) = Initial::get();
		match Pallet::<T>::validate_feeders(feeders, quorum) {
			Ok((feeders, quorum)) => {
				Feeders::<T>::put(feeders);
				ReadingQuorum::<T>::put(quorum);
				writes = writes.saturating_add(2);
			},
			Err(e) => log::warn!(
				target: "runtime::emission",
				"v2 migration: initial feeders not set ({e:?}); set them with set_feeders"
			),
		}
		db.reads_writes(u64::from(removed.loops), writes)
	}

	#[cfg(feature = "try-runtime")]
	fn pre_upgrade() -> Result<Vec<u8>, sp_runtime::TryRuntimeError> {
		use codec::Encode;
		let readings = u32::try_from(v1::Readings::<T>::iter_keys().count()).unwrap_or(u32::MAX);
		frame_support::ensure!(readings <= max_readings::<T>(), "more v1 readings than tines");
		Ok(readings.encode())
	}

	#[cfg(feature = "try-runtime")]
	fn post_upgrade(_state: Vec<u8>) -> Result<(), sp_runtime::TryRuntimeError> {
		frame_support::ensure!(
			v1::Readings::<T>::iter_keys().next().is_none(),
			"v1 readings left after the upgrade"
		);
		let (feeders, quorum) = Initial::get();
		if let Ok((feeders, quorum)) = Pallet::<T>::validate_feeders(feeders, quorum) {
			frame_support::ensure!(Feeders::<T>::get() == feeders, "feeders not set");
			frame_support::ensure!(ReadingQuorum::<T>::get() == quorum, "quorum not set");
		}
		Ok(())
	}
}

/// v1 → v2, run once: the storage version guards it (and is set to 2 after).
pub type MigrateV1ToV2<T, Initial> = VersionedMigration<
	1,
	2,
	InnerMigrateV1ToV2<T, Initial>,
	Pallet<T>,
	<T as frame_system::Config>::DbWeight,
>;
