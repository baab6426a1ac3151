//! v0 → v1: the schedule's decay factor from a `Perbill` (parts per 10⁹) to a [`Perquintill`]
//! (parts per 10¹⁸), so that a real chain's factor (Gonka's `0.9995251127946402`) can be stored
//! at its precision. The stored value is unchanged: `parts × 10⁹`.

use crate::{types::EmissionSchedule, Config, Pallet, Schedule};
use core::marker::PhantomData;
use frame_support::{
	migrations::VersionedMigration,
	traits::{Get, UncheckedOnRuntimeUpgrade},
	weights::Weight,
};
use sp_runtime::Perquintill;

/// The layout v0 stored.
// `storage_alias` adds an undocumented prefix type beside the alias.
#[allow(missing_docs)]
pub mod v0 {
	use crate::{Balance, Config, Pallet};
	use codec::{Decode, Encode, MaxEncodedLen};
	use frame_support::{pallet_prelude::OptionQuery, storage_alias};
	use scale_info::TypeInfo;
	use sp_runtime::Perbill;

	/// The block emission schedule, its decay factor in parts per 10⁹.
	#[derive(Encode, Decode, MaxEncodedLen, TypeInfo, Clone, Copy, PartialEq, Eq, Debug)]
	pub struct EmissionSchedule {
		/// Emission per block in the first schedule epoch.
		pub initial: Balance,
		/// Each schedule epoch multiplies emission by this factor.
		pub decay_factor: Perbill,
		/// Length of a schedule epoch, in blocks.
		pub epoch_length: u32,
		/// Total emission never exceeds this.
		pub supply_cap: Option<Balance>,
	}

	/// `Schedule` as v0 stored it.
	#[storage_alias]
	pub type Schedule<T: Config> = StorageValue<Pallet<T>, EmissionSchedule, OptionQuery>;
}

/// The same schedule in the v1 layout: the factor's parts times 10⁹ (exact).
pub fn convert(old: v0::EmissionSchedule) -> EmissionSchedule {
	let parts = u64::from(old.decay_factor.deconstruct()).saturating_mul(1_000_000_000);
	EmissionSchedule {
		initial: old.initial,
		decay_factor: Perquintill::from_parts(parts),
		epoch_length: old.epoch_length,
		supply_cap: old.supply_cap,
	}
}

/// Rewrite `Schedule` in the v1 layout (one read, one write).
pub struct InnerMigrateV0ToV1<T>(PhantomData<T>);

impl<T: Config> UncheckedOnRuntimeUpgrade for InnerMigrateV0ToV1<T> {
	fn on_runtime_upgrade() -> Weight {
		let db = <T as frame_system::Config>::DbWeight::get();
		match Schedule::<T>::translate::<v0::EmissionSchedule, _>(|old| old.map(convert)) {
			Ok(Some(_)) => db.reads_writes(1, 1),
			Ok(None) => db.reads(1),
			Err(()) => {
				// Not the v0 layout: left as it is (`try_state` and `post_upgrade` report it).
				log::error!(target: "runtime::emission", "v1 migration: Schedule is not v0");
				db.reads(1)
			},
		}
	}

	#[cfg(feature = "try-runtime")]
	fn pre_upgrade() -> Result<alloc::vec::Vec<u8>, sp_runtime::TryRuntimeError> {
		use codec::Encode;
		// Decodes as v0 or fails here: a raw value that is not v0 is reported before the upgrade.
		let old = v0::Schedule::<T>::try_get().ok();
		frame_support::ensure!(
			old.is_some() || !v0::Schedule::<T>::exists(),
			"Schedule does not decode as v0"
		);
		Ok(old.encode())
	}

	#[cfg(feature = "try-runtime")]
	fn post_upgrade(state: alloc::vec::Vec<u8>) -> Result<(), sp_runtime::TryRuntimeError> {
		use codec::Decode;
		let old = Option::<v0::EmissionSchedule>::decode(&mut &state[..])
			.map_err(|_| "bad pre-upgrade state")?;
		frame_support::ensure!(
			Schedule::<T>::get() == old.map(convert),
			"Schedule not carried over to v1"
		);
		Ok(())
	}
}

/// v0 → v1, run once: the storage version guards it (and is set to 1 after).
pub type MigrateV0ToV1<T> = VersionedMigration<
	0,
	1,
	InnerMigrateV0ToV1<T>,
	Pallet<T>,
	<T as frame_system::Config>::DbWeight,
>;
