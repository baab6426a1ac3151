//! Storage migrations of the runtime that cross pallets.
//!
//! `pallet-subnets` v0 → v1: the recycled total moves to the emission pallet. Recycling is the
//! emission pallet's concept (recycled amounts do not count against its supply cap), so it keeps
//! the one ledger, [`pallet_emission::TotalRecycled`]; the dev economy's old `TotalRecycled` value
//! is added to it and removed.

#![deny(
	clippy::arithmetic_side_effects,
	clippy::unwrap_used,
	clippy::expect_used,
	clippy::indexing_slicing
)]

use crate::Runtime;
use frame_support::{
	migrations::VersionedMigration, storage_alias, traits::UncheckedOnRuntimeUpgrade,
	weights::Weight,
};

/// The v0 storage of `pallet-subnets` that v1 drops.
mod v0 {
	use super::*;

	/// Emission the dev economy recycled (v0).
	#[storage_alias]
	pub type TotalRecycled = StorageValue<Subnets, u128, frame_support::pallet_prelude::ValueQuery>;
}

/// Move `Subnets::TotalRecycled` into `Emission::TotalRecycled`.
pub struct MoveRecycledToEmission;

impl UncheckedOnRuntimeUpgrade for MoveRecycledToEmission {
	fn on_runtime_upgrade() -> Weight {
		let old = v0::TotalRecycled::take();
		pallet_emission::TotalRecycled::<Runtime>::mutate(|total| {
			*total = total.saturating_add(old)
		});
		<Runtime as frame_system::Config>::DbWeight::get().reads_writes(2, 2)
	}

	#[cfg(feature = "try-runtime")]
	fn pre_upgrade() -> Result<alloc::vec::Vec<u8>, sp_runtime::TryRuntimeError> {
		use codec::Encode;
		let expected = pallet_emission::TotalRecycled::<Runtime>::get()
			.checked_add(v0::TotalRecycled::get())
			.ok_or("recycled totals overflow")?;
		Ok(expected.encode())
	}

	#[cfg(feature = "try-runtime")]
	fn post_upgrade(state: alloc::vec::Vec<u8>) -> Result<(), sp_runtime::TryRuntimeError> {
		use codec::Decode;
		let expected = u128::decode(&mut &state[..]).map_err(|_| "bad pre-upgrade state")?;
		frame_support::ensure!(
			pallet_emission::TotalRecycled::<Runtime>::get() == expected,
			"the recycled total did not move"
		);
		frame_support::ensure!(
			!v0::TotalRecycled::exists(),
			"the old recycled total is still stored"
		);
		Ok(())
	}
}

/// `pallet-subnets` v0 → v1, run once (the storage version guards it).
pub type SubnetsV1 = VersionedMigration<
	0,
	1,
	MoveRecycledToEmission,
	pallet_subnets::Pallet<Runtime>,
	<Runtime as frame_system::Config>::DbWeight,
>;

#[cfg(test)]
mod tests {
	use super::*;
	use frame_support::traits::{GetStorageVersion, OnRuntimeUpgrade, StorageVersion};

	#[test]
	fn v0_recycled_total_moves_to_the_emission_pallet_once() {
		sp_io::TestExternalities::default().execute_with(|| {
			StorageVersion::new(0).put::<pallet_subnets::Pallet<Runtime>>();
			v0::TotalRecycled::put(1_234);
			pallet_emission::TotalRecycled::<Runtime>::put(66);
			SubnetsV1::on_runtime_upgrade();
			assert_eq!(pallet_emission::TotalRecycled::<Runtime>::get(), 1_300);
			assert!(!v0::TotalRecycled::exists());
			assert_eq!(pallet_subnets::Pallet::<Runtime>::on_chain_storage_version(), 1);
			// A second run does nothing.
			v0::TotalRecycled::put(5);
			SubnetsV1::on_runtime_upgrade();
			assert_eq!(pallet_emission::TotalRecycled::<Runtime>::get(), 1_300);
		});
	}
}
