//! Tines and the fork (seed 000): proposals, readings, and the fork at a turn's close. Writes
//! [`Tines`], [`Readings`], [`CurrentTurn`], [`TurnStart`], [`ActiveTine`] and [`LastFork`].

use crate::{
	math::fork,
	traits::FloorGate,
	types::{ForkPreview, ForkRefusal, TineConfig, TineReading},
	ActiveTine, Config, CurrentTurn, Error, Event, ForkRecordOf, LastFork, MeasureWeights, NameOf,
	Pallet, Readings, TineOf, Tines, TurnLength, TurnStart, WeightInfo,
};
use alloc::{collections::BTreeSet, vec::Vec};
use frame_support::{traits::Get, weights::Weight, BoundedVec};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::{
	traits::{AccountIdConversion, BlakeTwo256, Hash, Saturating},
	DispatchError, Perbill,
};

/// The stored form of a refusal.
fn refusal(r: fork::Refusal) -> ForkRefusal {
	match r {
		fork::Refusal::NoMeasurableTine => ForkRefusal::NoMeasurableTine,
		fork::Refusal::FloorWouldFall => ForkRefusal::FloorWouldFall,
		fork::Refusal::FloorUnreadable => ForkRefusal::FloorUnreadable,
	}
}

impl<T: Config> Pallet<T> {
	/// A name as bounded bytes: not empty, at most `MaxNameLen`.
	fn name(bytes: Vec<u8>) -> Result<NameOf<T>, Error<T>> {
		if bytes.is_empty() {
			return Err(Error::<T>::InvalidName);
		}
		BoundedVec::try_from(bytes).map_err(|_| Error::<T>::InvalidName)
	}

	/// The account of the reserve named `name`: the pallet's sub-account for
	/// `blake2_256(("reserve", name).encode())`.
	///
	/// A sub-account keeps only the bytes that fit after the pallet id (20 of a 32-byte account),
	/// so the name itself would be cut and two long names alike at the start would share an
	/// account; its hash depends on every byte. [`Pallet::propose_tine`] still rejects a split
	/// whose accounts coincide, which can happen with short account ids.
	pub fn reserve_account(name: &[u8]) -> T::AccountId {
		T::PalletId::get().into_sub_account_truncating(BlakeTwo256::hash_of(&(b"reserve", name)))
	}

	/// The account of the depth reserve.
	pub fn depth_reserve_account() -> T::AccountId {
		T::PalletId::get().into_sub_account_truncating(b"depth")
	}

	pub(crate) fn do_propose_tine(
		id: Vec<u8>,
		fee_bps: u16,
		split: Vec<(Vec<u8>, Perbill)>,
		floor_pull: Perbill,
		depth_feed: Perbill,
	) -> Result<(NameOf<T>, u32), DispatchError> {
		let id = Self::name(id)?;
		if Tines::<T>::contains_key(&id) {
			return Err(Error::<T>::DuplicateTine.into());
		}
		if Tines::<T>::count() >= T::MaxTines::get() {
			return Err(Error::<T>::TooManyTines.into());
		}
		if fee_bps > 10_000 {
			return Err(Error::<T>::FeeTooHigh.into());
		}
		if split.len() > usize::try_from(T::MaxReserves::get()).unwrap_or(usize::MAX) {
			return Err(Error::<T>::TooManyReserves.into());
		}
		let mut names: Vec<Vec<u8>> = split.iter().map(|(n, _)| n.clone()).collect();
		names.sort();
		names.dedup();
		let total = split
			.iter()
			.try_fold(0u64, |acc, (_, w)| acc.checked_add(u64::from(w.deconstruct())));
		if split.is_empty() || names.len() != split.len() || total != Some(1_000_000_000) {
			return Err(Error::<T>::InvalidSplit.into());
		}
		let split = split
			.into_iter()
			.map(|(n, w)| Self::name(n).map(|n| (n, w)))
			.collect::<Result<Vec<_>, _>>()?;
		let split = BoundedVec::try_from(split).map_err(|_| Error::<T>::TooManyReserves)?;
		let mut accounts = BTreeSet::from([Self::depth_reserve_account()]);
		if !split.iter().all(|(name, _)| accounts.insert(Self::reserve_account(name))) {
			return Err(Error::<T>::ReserveAccountCollision.into());
		}
		let born_at_turn = CurrentTurn::<T>::get();
		let config = TineConfig { fee_bps, split, floor_pull, depth_feed };
		Tines::<T>::insert(&id, TineOf::<T> { config, born_at_turn });
		Ok((id, born_at_turn))
	}

	/// Remove a tine and its reading of the open turn (so that a tine proposed again under the
	/// same id starts without one, and readings never outnumber the tines).
	pub(crate) fn do_withdraw_tine(id: Vec<u8>) -> Result<NameOf<T>, DispatchError> {
		let id = Self::name(id)?;
		Tines::<T>::take(&id).ok_or(Error::<T>::UnknownTine)?;
		Readings::<T>::remove(CurrentTurn::<T>::get(), &id);
		Ok(id)
	}

	pub(crate) fn do_submit_reading(
		turn: u32,
		id: Vec<u8>,
		reading: TineReading,
	) -> Result<NameOf<T>, DispatchError> {
		if turn != CurrentTurn::<T>::get() {
			return Err(Error::<T>::WrongTurn.into());
		}
		let id = Self::name(id)?;
		if !Tines::<T>::contains_key(&id) {
			return Err(Error::<T>::UnknownTine.into());
		}
		Readings::<T>::insert(turn, &id, reading);
		Ok(id)
	}

	/// Whether the open turn closes at block `n`.
	fn turn_closes(n: BlockNumberFor<T>) -> bool {
		let length: BlockNumberFor<T> = TurnLength::<T>::get().into();
		n >= TurnStart::<T>::get().saturating_add(length)
	}

	/// The fork over every tine (at most `MaxTines`) on its reading of `turn`: the tines read,
	/// their candidates (measures) and the outcome. Reads only: [`Pallet::close_turn`] acts on it,
	/// [`Pallet::build_fork_preview`] shows it.
	#[allow(clippy::type_complexity)]
	fn decide_fork(
		turn: u32,
	) -> (Vec<(NameOf<T>, TineOf<T>)>, Vec<fork::Candidate<NameOf<T>>>, fork::ForkOutcome<NameOf<T>>)
	{
		let weights = MeasureWeights::<T>::get();
		let max = usize::try_from(T::MaxTines::get()).unwrap_or(usize::MAX);
		let tines: Vec<(NameOf<T>, TineOf<T>)> = Tines::<T>::iter().take(max).collect();
		let candidates: Vec<fork::Candidate<NameOf<T>>> = tines
			.iter()
			.map(|(id, tine)| {
				let reading = Readings::<T>::get(turn, id).unwrap_or_default();
				fork::Candidate {
					id: id.clone(),
					born_at_turn: tine.born_at_turn,
					measure: fork::measure(&reading, &weights),
				}
			})
			.collect();
		let outcome = fork::choose(&candidates, |id| {
			tines
				.iter()
				.find(|(tid, _)| tid == id)
				.and_then(|(_, tine)| T::FloorGate::floor_would_hold(&tine.config))
		});
		(tines, candidates, outcome)
	}

	/// What the fork would decide if the open turn closed now: behind the view function
	/// `fork_preview` and the runtime API. No storage writes.
	pub(crate) fn build_fork_preview() -> ForkPreview {
		let turn = CurrentTurn::<T>::get();
		let (_, candidates, outcome) = Self::decide_fork(turn);
		let mut measures: Vec<(Vec<u8>, Option<i128>)> = candidates
			.into_iter()
			.map(|c| (c.id.into_inner(), c.measure.map(|m| m.into_inner())))
			.collect();
		measures.sort();
		ForkPreview {
			turn,
			kept: outcome.kept.map(|id| id.into_inner()),
			cut: outcome
				.cut
				.into_iter()
				.map(|(id, gap)| (id.into_inner(), gap.map(|g| g.into_inner())))
				.collect(),
			refused: outcome.refused.map(refusal),
			measures,
		}
	}

	/// Close the open turn: run the fork over every tine on its own reading, store and event the
	/// result, let the winner govern (or keep the previous one on refusal), cut the others, clear
	/// the turn's readings and open the next turn. Returns the number of tines considered.
	pub(crate) fn close_turn(n: BlockNumberFor<T>) -> u32 {
		let turn = CurrentTurn::<T>::get();
		let (tines, _, outcome) = Self::decide_fork(turn);

		if let Some(kept) = &outcome.kept {
			if let Some((_, tine)) = tines.iter().find(|(id, _)| id == kept) {
				let previous = ActiveTine::<T>::get();
				if previous.as_ref().map(|(_, t)| &t.config) != Some(&tine.config) {
					Self::retire_reserve_carry();
				}
				ActiveTine::<T>::put((kept.clone(), tine.clone()));
			}
			for (id, _) in &outcome.cut {
				Tines::<T>::remove(id);
			}
		}
		let cut: Vec<(NameOf<T>, Option<i128>)> = outcome
			.cut
			.iter()
			.map(|(id, gap)| (id.clone(), gap.map(|g| g.into_inner())))
			.collect();
		let result = ForkRecordOf::<T> {
			turn,
			kept: outcome.kept.clone(),
			cut: BoundedVec::truncate_from(cut),
			refused: outcome.refused.map(refusal),
		};
		LastFork::<T>::put(result.clone());
		Self::deposit_event(Event::ForkDecided { result });

		// Readings exist only for tines of the open turn (withdrawal removes a tine's), so at most
		// `MaxTines`: this clears them all, and `close_turn(t)` is charged for them.
		let _ = Readings::<T>::clear_prefix(turn, T::MaxTines::get(), None);
		CurrentTurn::<T>::put(turn.saturating_add(1));
		TurnStart::<T>::put(n);
		u32::try_from(tines.len()).unwrap_or(u32::MAX)
	}

	/// At block `n`: close the turn if it is due. Returns the weight of the work done.
	pub(crate) fn maybe_close_turn(n: BlockNumberFor<T>) -> Weight {
		if !Self::turn_closes(n) {
			return T::WeightInfo::turn_check();
		}
		let tines = Self::close_turn(n);
		T::WeightInfo::close_turn(tines)
	}
}
