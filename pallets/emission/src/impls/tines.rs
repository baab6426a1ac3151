//! Tines and the fork (seed 000): proposals, the oracle feeders and their submissions, the floor
//! gate, and the fork at a turn's close. Writes [`Tines`], [`Feeders`], [`ReadingQuorum`],
//! [`Submissions`], [`CurrentTurn`], [`TurnStart`], [`ActiveTine`] and [`LastFork`].

use crate::{
	math::{self, floor, fork},
	traits::FloorSource,
	types::{ForkPreview, ForkRefusal, TineConfig, TineReading},
	ActiveTine, Balance, Config, CurrentTurn, Error, Event, Feeders, ForkRecordOf, LastFork,
	MeasureWeights, NameOf, Pallet, ReadingQuorum, Schedule, Submissions, TineOf, Tines,
	TurnLength, TurnStart, TurnSubmissionsOf, WeightInfo,
};
use alloc::{collections::BTreeSet, vec::Vec};
use frame_support::{
	storage::{with_transaction, TransactionOutcome},
	traits::Get,
	weights::{Weight, WeightMeter},
	BoundedVec,
};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::{
	traits::{AccountIdConversion, BlakeTwo256, Hash, Saturating},
	DispatchError, Perbill, SaturatedConversion,
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

	/// Remove a tine and its submissions (so that a tine proposed again under the same id starts
	/// without any, and submissions exist only for tines that exist).
	pub(crate) fn do_withdraw_tine(id: Vec<u8>) -> Result<NameOf<T>, DispatchError> {
		let id = Self::name(id)?;
		Tines::<T>::take(&id).ok_or(Error::<T>::UnknownTine)?;
		Submissions::<T>::remove(&id);
		Ok(id)
	}

	pub(crate) fn do_submit_reading(
		turn: u32,
		id: Vec<u8>,
		feeder: &T::AccountId,
		reading: TineReading,
	) -> Result<NameOf<T>, DispatchError> {
		if turn != CurrentTurn::<T>::get() {
			return Err(Error::<T>::WrongTurn.into());
		}
		let id = Self::name(id)?;
		if !Tines::<T>::contains_key(&id) {
			return Err(Error::<T>::UnknownTine.into());
		}
		Submissions::<T>::try_mutate(&id, |entry| -> Result<(), DispatchError> {
			let mut current = match entry.take() {
				Some(e) if e.turn == turn => e.by,
				_ => BoundedVec::new(),
			};
			match current.binary_search_by(|(who, _)| who.cmp(feeder)) {
				Ok(at) =>
					if let Some(slot) = current.get_mut(at) {
						slot.1 = reading;
					},
				// A feeder is one of at most `MaxFeeders`, each at most once: always fits.
				Err(at) => current
					.try_insert(at, (feeder.clone(), reading))
					.map_err(|_| Error::<T>::TooManyFeeders)?,
			}
			*entry = Some(TurnSubmissionsOf::<T> { turn, by: current });
			Ok(())
		})?;
		Ok(id)
	}

	/// The feeders sorted, and the quorum, if valid: at most `MaxFeeders`, no account twice, a
	/// quorum from 1 to their number.
	#[allow(clippy::type_complexity)]
	pub(crate) fn validate_feeders(
		mut feeders: Vec<T::AccountId>,
		quorum: u32,
	) -> Result<(BoundedVec<T::AccountId, T::MaxFeeders>, u32), Error<T>> {
		let count = feeders.len();
		if count > usize::try_from(T::MaxFeeders::get()).unwrap_or(usize::MAX) {
			return Err(Error::<T>::TooManyFeeders);
		}
		feeders.sort();
		feeders.dedup();
		if feeders.len() != count {
			return Err(Error::<T>::DuplicateFeeder);
		}
		if quorum == 0 || usize::try_from(quorum).unwrap_or(usize::MAX) > count {
			return Err(Error::<T>::InvalidQuorum);
		}
		let feeders = BoundedVec::try_from(feeders).map_err(|_| Error::<T>::TooManyFeeders)?;
		Ok((feeders, quorum))
	}

	/// Store the feeders and the quorum; drop the submissions of accounts that stop being
	/// feeders from every tine's entry (at most `MaxTines` entries rewritten).
	pub(crate) fn do_set_feeders(feeders: BoundedVec<T::AccountId, T::MaxFeeders>, quorum: u32) {
		let leaving = Feeders::<T>::get().iter().any(|old| feeders.binary_search(old).is_err());
		if leaving {
			let max = usize::try_from(T::MaxTines::get()).unwrap_or(usize::MAX);
			for id in Tines::<T>::iter_keys().take(max) {
				Submissions::<T>::mutate_exists(&id, |entry| {
					if let Some(e) = entry {
						e.by.retain(|(who, _)| feeders.binary_search(who).is_ok());
						if e.by.is_empty() {
							*entry = None;
						}
					}
				});
			}
		}
		Feeders::<T>::put(feeders);
		ReadingQuorum::<T>::put(quorum);
	}

	/// Tine `id`'s reading of `turn`, formed from its feeders' submissions for that turn
	/// ([`fork::aggregate`]); no reading at all when its entry is of another turn.
	pub(crate) fn reading_of(turn: u32, id: &NameOf<T>, quorum: u32) -> TineReading {
		match Submissions::<T>::get(id) {
			Some(entry) if entry.turn == turn =>
				fork::aggregate(entry.by.iter().map(|(_, reading)| reading), quorum),
			_ => TineReading::default(),
		}
	}

	/// A lower bound on every block's emission in the `blocks` blocks after block `now`
	/// ([`math::min_emission_over`]), while the schedule stays as it is.
	fn min_emission_over(blocks: u32, now: BlockNumberFor<T>) -> Balance {
		let Some(s) = Schedule::<T>::get() else { return 0 };
		math::min_emission_over(
			s.initial,
			s.decay_factor,
			s.epoch_length,
			s.supply_cap,
			now.saturated_into::<u64>(),
			blocks,
			Self::outstanding(),
			Self::ledger_room(),
		)
	}

	/// Whether what is carried for the reserves ([`crate::ReserveCarry`]) survives a close that
	/// keeps `config`: only when it is the active config already (any other retires the carry,
	/// [`Pallet::retire_reserve_carry`]).
	fn carry_survives(config: &TineConfig<T::MaxReserves, T::MaxNameLen>) -> bool {
		ActiveTine::<T>::get().is_some_and(|(_, active)| &active.config == config)
	}

	/// The floor gate on `config` ([`floor::floor_would_hold`]) at a close in block `now`: is the
	/// floor met by the end of the next turn if `config` governs from the state the close
	/// leaves? The deficit counts what is carried for the depth reserve only when the close keeps
	/// it ([`Self::carry_survives`]). `None`: the floor cannot be read.
	fn floor_would_hold(
		config: &TineConfig<T::MaxReserves, T::MaxNameLen>,
		reading: Option<floor::FloorReading>,
		now: BlockNumberFor<T>,
	) -> Option<bool> {
		let reading = reading?;
		let carried = if Self::carry_survives(config) { Self::carried_depth() } else { 0 };
		let deficit = reading.deficit(carried);
		let blocks = TurnLength::<T>::get();
		Some(floor::floor_would_hold(
			config.fee_bps,
			config.depth_feed,
			config.floor_pull,
			deficit,
			if deficit == 0 { 0 } else { Self::min_emission_over(blocks, now) },
			blocks,
		))
	}

	/// Whether the open turn closes at block `n`.
	fn turn_closes(n: BlockNumberFor<T>) -> bool {
		let length: BlockNumberFor<T> = TurnLength::<T>::get().into();
		n >= TurnStart::<T>::get().saturating_add(length)
	}

	/// The fork over every tine (at most `MaxTines`) on its reading of `turn` (formed from the
	/// feeders' submissions), with the floor gate on the winner's config, for a close in block
	/// `now`: the tines read, their candidates (measures) and the outcome. Reads only:
	/// [`Pallet::close_turn`] acts on it, [`Pallet::build_fork_preview`] shows it.
	#[allow(clippy::type_complexity)]
	fn decide_fork(
		turn: u32,
		now: BlockNumberFor<T>,
	) -> (Vec<(NameOf<T>, TineOf<T>)>, Vec<fork::Candidate<NameOf<T>>>, fork::ForkOutcome<NameOf<T>>)
	{
		let weights = MeasureWeights::<T>::get();
		let max = usize::try_from(T::MaxTines::get()).unwrap_or(usize::MAX);
		let tines: Vec<(NameOf<T>, TineOf<T>)> = Tines::<T>::iter().take(max).collect();
		let quorum = ReadingQuorum::<T>::get();
		let candidates: Vec<fork::Candidate<NameOf<T>>> = tines
			.iter()
			.map(|(id, tine)| {
				let reading = Self::reading_of(turn, id, quorum);
				fork::Candidate {
					id: id.clone(),
					born_at_turn: tine.born_at_turn,
					measure: fork::measure(&reading, &weights),
				}
			})
			.collect();
		let outcome = fork::choose(&candidates, |id| {
			let reading = T::Floor::read();
			tines
				.iter()
				.find(|(tid, _)| tid == id)
				.and_then(|(_, tine)| Self::floor_would_hold(&tine.config, reading, now))
		});
		(tines, candidates, outcome)
	}

	/// What the fork would decide if the open turn closed at the next block: the next block's hook
	/// runs up to the close ([`Pallet::tick_before_close`]: its emission issued and withheld into
	/// the reserves, its due epochs settled), the fork is decided on the state it leaves, as the
	/// close would decide it, and all of it is rolled back. Behind the view function
	/// `fork_preview` and the runtime API. No storage writes survive it.
	pub(crate) fn build_fork_preview() -> ForkPreview {
		let next = frame_system::Pallet::<T>::block_number().saturating_add(1u32.into());
		let preview = with_transaction(|| {
			Self::tick_before_close(next, &mut WeightMeter::new());
			let turn = CurrentTurn::<T>::get();
			let (_, candidates, outcome) = Self::decide_fork(turn, next);
			TransactionOutcome::Rollback(Ok::<_, DispatchError>(Self::preview_of(
				turn, candidates, outcome,
			)))
		});
		preview.unwrap_or_else(|e| {
			// Only when the transactional layer is exhausted (a caller nested 255 deep).
			log::error!(target: "runtime::emission", "fork preview not computed: {e:?}");
			ForkPreview::default()
		})
	}

	/// The preview's form of a fork decided on `turn`.
	fn preview_of(
		turn: u32,
		candidates: Vec<fork::Candidate<NameOf<T>>>,
		outcome: fork::ForkOutcome<NameOf<T>>,
	) -> ForkPreview {
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
	/// result, let the winner govern (or keep the previous one on refusal), cut the others (with
	/// their submissions) and open the next turn. Returns the number of tines considered.
	pub(crate) fn close_turn(n: BlockNumberFor<T>) -> u32 {
		let turn = CurrentTurn::<T>::get();
		let (tines, _, outcome) = Self::decide_fork(turn, n);

		if let Some(kept) = &outcome.kept {
			if let Some((_, tine)) = tines.iter().find(|(id, _)| id == kept) {
				if !Self::carry_survives(&tine.config) {
					Self::retire_reserve_carry();
				}
				ActiveTine::<T>::put((kept.clone(), tine.clone()));
			}
			for (id, _) in &outcome.cut {
				Tines::<T>::remove(id);
				Submissions::<T>::remove(id);
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

		// The surviving tines' entries are of this turn from now on stale: nothing to delete.
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
		Self::close_turn_weight(tines)
	}

	/// The weight of a close over `tines` tines: the benchmarked close, and twice the schedule's
	/// exact comparison, which the gate's lower bound on the next turn's emission
	/// ([`math::min_emission_over`]: the schedule at the turn's first and last blocks) can run and
	/// the benchmark's schedule does not reach (its bracket decides). Charged whether it runs or
	/// not, as the hook charges its own.
	pub fn close_turn_weight(tines: u32) -> Weight {
		T::WeightInfo::close_turn(tines)
			.saturating_add(T::WeightInfo::schedule_exact().saturating_mul(2))
	}
}
