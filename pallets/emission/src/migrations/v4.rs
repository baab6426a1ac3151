//! v3 → v4: the ledger becomes one exact identity ([`crate::IssuanceBase`]).
//!
//! From storage version 4 the runtime routes every unit that leaves the currency through the
//! pallet as a recycle ([`crate::adapters`]), and `try_state` checks
//! `total issuance + TotalRecycled + pending + carried = IssuanceBase + TotalIssued` exactly.
//! Before it, transaction fees and reaped accounts' dust left the currency unrecorded. This
//! migration sets `IssuanceBase` to what the identity gives at the upgrade:
//! `total issuance + TotalRecycled + pending + carried − TotalIssued`, that is the genesis
//! endowments less every fee and dust removed before the upgrade (which no record names: the
//! audit reads them from the old blocks' `TransactionFeePaid` and `DustLost` events). It is
//! evented ([`crate::Event::IssuanceBaseSetAtUpgrade`]) so that an auditor can start the identity
//! at the upgrade's block.

use crate::{Config, Event, IssuanceBase, Pallet, TotalIssued};
use core::marker::PhantomData;
use frame_support::{
	migrations::VersionedMigration,
	traits::{Get, UncheckedOnRuntimeUpgrade},
	weights::Weight,
};

/// Set [`IssuanceBase`] from the identity at the upgrade.
pub struct InnerMigrateV3ToV4<T>(PhantomData<T>);

impl<T: Config> UncheckedOnRuntimeUpgrade for InnerMigrateV3ToV4<T> {
	fn on_runtime_upgrade() -> Weight {
		let ((high, low), _) = Pallet::<T>::issuance_identity();
		let issued = TotalIssued::<T>::get();
		// `2¹²⁸·high + low − issued`, exact: the sum may pass 2¹²⁸ when the genesis endowments
		// and the issued total are both large. A base outside the balance type (a broken ledger)
		// saturates, and try_state reports the identity broken.
		let (difference, borrow) = low.overflowing_sub(issued);
		let base = match (high, borrow) {
			(0, false) | (1, true) => difference,
			(0, true) => 0,
			_ => u128::MAX,
		};
		IssuanceBase::<T>::put(base);
		Pallet::<T>::deposit_event(Event::IssuanceBaseSetAtUpgrade { base });
		log::info!(target: "runtime::emission", "v4: the issuance base is {base}");
		// The identity's reads (issuance, recycled, pending, carried, issued) and the write.
		<T as frame_system::Config>::DbWeight::get().reads_writes(6, 2)
	}

	#[cfg(feature = "try-runtime")]
	fn post_upgrade(_state: alloc::vec::Vec<u8>) -> Result<(), sp_runtime::TryRuntimeError> {
		Pallet::<T>::check_issuance_identity()
	}
}

/// v3 → v4, run once: the storage version guards it (and is set to 4 after).
pub type MigrateV3ToV4<T> = VersionedMigration<
	3,
	4,
	InnerMigrateV3ToV4<T>,
	Pallet<T>,
	<T as frame_system::Config>::DbWeight,
>;
