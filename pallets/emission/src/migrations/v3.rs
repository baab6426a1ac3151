//! v2 → v3: the state specs 100 and 101 allowed, within the bounds of this runtime.
//!
//! Those specs allowed [`OLD_MAX_TINES`] (64) tines; a runtime's `MaxTines` may be lower (the dev
//! runtime's is 16 since spec 103). A bound is part of the storage layout: without this migration
//! the fork would read only `MaxTines` of the tines (in hash order), every proposal would fail
//! with `TooManyTines`, a feeder removed by `set_feeders` would keep its submissions on the tines
//! beyond the bound, and a `LastFork` cutting more than `MaxTines` tines would not decode.
//!
//! What it does, deterministically:
//! - **Tines**: when more than `MaxTines` exist, the ones kept are the active tine (it governs),
//!   then the oldest (`born_at_turn`, then the lower id: the fork's own tie-break, so the tines the
//!   fork would prefer on equal measures stay); every other tine is removed with its submissions,
//!   each evented as [`crate::Event::TineRemovedAtUpgrade`].
//! - **v1 readings** (`Readings`, at most one per tine of the open turn, so at most 64): all
//!   removed, including those the v1 → v2 migration of specs 102 and 103 left (it cleared at most
//!   `MaxTines`).
//! - **`LastFork`**: a record cutting more than `MaxTines` tines keeps its turn, its kept tine and
//!   its refusal, and the first `MaxTines` entries of its cut in the record's order (the order the
//!   fork cut them); the number dropped is evented ([`crate::Event::ForkRecordTrimmedAtUpgrade`]).
//!   A record that fits is left as it is.
//! - Submissions of tines that no longer exist are removed.
//! - **`EpochQueue`** gains each queued subnet's count of due epochs (issue 29: a subnet that falls
//!   due again while it waits is no longer skipped): each waiting subnet keeps its place with a
//!   count of 1.

use crate::{
	migrations::v2::v1 as v1_layout, types::ForkRecord, ActiveTine, Config, EpochQueue, Event,
	LastFork, NameOf, Pallet, Submissions, TineOf, Tines,
};
use alloc::vec::Vec;
use core::marker::PhantomData;
use frame_support::{
	migrations::VersionedMigration,
	traits::{ConstU32, Get, UncheckedOnRuntimeUpgrade},
	weights::Weight,
	BoundedVec,
};

/// The most tines specs 100 and 101 allowed (their `MaxTines`).
pub const OLD_MAX_TINES: u32 = 64;

/// The layout `LastFork` had under the old bound.
// `storage_alias` adds an undocumented prefix type beside the alias.
#[allow(missing_docs)]
pub mod old {
	use super::*;
	use frame_support::{pallet_prelude::OptionQuery, storage_alias};

	/// A fork record as specs 100 and 101 could store it: up to 64 cut tines.
	pub type OldForkRecord<T> = ForkRecord<ConstU32<OLD_MAX_TINES>, <T as Config>::MaxNameLen>;

	/// `LastFork` read with the old bound.
	#[storage_alias]
	pub type LastFork<T: Config> = StorageValue<Pallet<T>, OldForkRecord<T>, OptionQuery>;

	/// `EpochQueue` as v2 stored it: the netuids alone.
	#[storage_alias]
	pub type EpochQueue<T: Config> = StorageValue<
		Pallet<T>,
		BoundedVec<crate::NetUid, <T as Config>::MaxSubnets>,
		frame_support::pallet_prelude::ValueQuery,
	>;
}

/// The order tines are kept in when there are too many: the active one first, then the oldest
/// (`born_at_turn`), then the lower id.
fn keep_order<T: Config>(tines: &mut [(NameOf<T>, TineOf<T>)], active: Option<&NameOf<T>>) {
	tines.sort_by(|(a_id, a), (b_id, b)| {
		let a_key = (Some(a_id) != active, a.born_at_turn, a_id);
		let b_key = (Some(b_id) != active, b.born_at_turn, b_id);
		a_key.cmp(&b_key)
	});
}

/// Trim the tines, the readings and the last fork record to this runtime's bounds.
pub struct InnerMigrateV2ToV3<T>(PhantomData<T>);

impl<T: Config> UncheckedOnRuntimeUpgrade for InnerMigrateV2ToV3<T> {
	fn on_runtime_upgrade() -> Weight {
		let db = <T as frame_system::Config>::DbWeight::get();
		let (mut reads, mut writes) = (0u64, 0u64);
		let max = T::MaxTines::get();
		let max_len = usize::try_from(max).unwrap_or(usize::MAX);

		// v1 readings: every one left (at most one per tine of the old bound).
		let removed = v1_layout::Readings::<T>::clear(OLD_MAX_TINES, None);
		reads = reads.saturating_add(u64::from(removed.loops));
		writes = writes.saturating_add(u64::from(removed.unique));

		// Tines beyond the bound (the old bound at most: iteration stops there).
		let old_len = usize::try_from(OLD_MAX_TINES).unwrap_or(usize::MAX);
		let mut tines: Vec<(NameOf<T>, TineOf<T>)> =
			Tines::<T>::iter().take(old_len.saturating_add(1)).collect();
		reads = reads
			.saturating_add(u64::try_from(tines.len()).unwrap_or(u64::MAX))
			.saturating_add(1);
		if tines.len() > max_len {
			let active = ActiveTine::<T>::get().map(|(id, _)| id);
			keep_order::<T>(&mut tines, active.as_ref());
			for (id, _) in tines.iter().skip(max_len) {
				Tines::<T>::remove(id);
				Submissions::<T>::remove(id);
				Pallet::<T>::deposit_event(Event::TineRemovedAtUpgrade { id: id.clone() });
				writes = writes.saturating_add(3);
			}
		}
		// Submissions of tines that are gone (the old runtime removed them with their tine; this
		// keeps the invariant whatever it left).
		let orphans: Vec<NameOf<T>> = Submissions::<T>::iter_keys()
			.take(old_len.saturating_mul(2))
			.filter(|id| !Tines::<T>::contains_key(id))
			.collect();
		for id in orphans {
			Submissions::<T>::remove(id);
			writes = writes.saturating_add(1);
		}

		// The epoch queue: one due epoch for each subnet waiting.
		let queue = old::EpochQueue::<T>::get();
		if !queue.is_empty() {
			let counted: Vec<(crate::NetUid, u32)> = queue.iter().map(|n| (*n, 1)).collect();
			EpochQueue::<T>::put(BoundedVec::truncate_from(counted));
			writes = writes.saturating_add(1);
		}
		reads = reads.saturating_add(1);

		// The last fork record, under the old bound.
		reads = reads.saturating_add(1);
		if let Some(record) = old::LastFork::<T>::get() {
			if record.cut.len() > max_len {
				let dropped =
					u32::try_from(record.cut.len().saturating_sub(max_len)).unwrap_or(u32::MAX);
				let cut: Vec<_> = record.cut.into_inner().into_iter().take(max_len).collect();
				LastFork::<T>::put(ForkRecord {
					turn: record.turn,
					kept: record.kept,
					cut: BoundedVec::truncate_from(cut),
					refused: record.refused,
				});
				Pallet::<T>::deposit_event(Event::ForkRecordTrimmedAtUpgrade {
					turn: record.turn,
					dropped,
				});
				writes = writes.saturating_add(2);
			}
		}
		db.reads_writes(reads.saturating_add(u64::from(OLD_MAX_TINES)), writes)
	}

	#[cfg(feature = "try-runtime")]
	fn pre_upgrade() -> Result<Vec<u8>, sp_runtime::TryRuntimeError> {
		use codec::Encode;
		let tines = u32::try_from(Tines::<T>::iter_keys().count()).unwrap_or(u32::MAX);
		frame_support::ensure!(tines <= OLD_MAX_TINES, "more tines than any spec allowed");
		let readings =
			u32::try_from(v1_layout::Readings::<T>::iter_keys().count()).unwrap_or(u32::MAX);
		frame_support::ensure!(readings <= OLD_MAX_TINES, "more v1 readings than tines");
		// The active tine, if it is a tine, must survive.
		let active = ActiveTine::<T>::get()
			.map(|(id, _)| id)
			.filter(|id| Tines::<T>::contains_key(id));
		let queue: Vec<crate::NetUid> = old::EpochQueue::<T>::get().into_inner();
		Ok((tines, active, queue).encode())
	}

	#[cfg(feature = "try-runtime")]
	fn post_upgrade(state: Vec<u8>) -> Result<(), sp_runtime::TryRuntimeError> {
		use codec::Decode;
		let (before, active, queue) =
			<(u32, Option<NameOf<T>>, Vec<crate::NetUid>)>::decode(&mut &state[..])
				.map_err(|_| "bad pre-upgrade state")?;
		let counted: Vec<(crate::NetUid, u32)> = queue.into_iter().map(|n| (n, 1)).collect();
		frame_support::ensure!(
			EpochQueue::<T>::get().into_inner() == counted,
			"the epoch queue did not keep its subnets, in order, with one due epoch each"
		);
		let max = T::MaxTines::get();
		let after = u32::try_from(Tines::<T>::iter_keys().count()).unwrap_or(u32::MAX);
		frame_support::ensure!(after == before.min(max), "tines not trimmed to the bound");
		frame_support::ensure!(Tines::<T>::count() == after, "the tine counter disagrees");
		if let Some(id) = active {
			frame_support::ensure!(Tines::<T>::contains_key(&id), "the active tine was removed");
		}
		frame_support::ensure!(
			v1_layout::Readings::<T>::iter_keys().next().is_none(),
			"v1 readings left after the upgrade"
		);
		frame_support::ensure!(
			Submissions::<T>::iter_keys().all(|id| Tines::<T>::contains_key(id)),
			"submissions of a tine that is gone"
		);
		frame_support::ensure!(
			!LastFork::<T>::exists() || LastFork::<T>::try_get().is_ok(),
			"LastFork does not decode under the runtime's bound"
		);
		Ok(())
	}
}

/// v2 → v3, run once: the storage version guards it (and is set to 3 after).
pub type MigrateV2ToV3<T> = VersionedMigration<
	2,
	3,
	InnerMigrateV2ToV3<T>,
	Pallet<T>,
	<T as frame_system::Config>::DbWeight,
>;
