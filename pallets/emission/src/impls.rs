//! Bodies of the calls and of the hook: validation, the per-block tick, and every storage write.

use crate::{
	math::{self, FilterSettings, FilterStages},
	traits::{OnSubnetRemoved, SubnetEconomy},
	types::{EmissionSchedule, EpochRecord},
	Balance, Config, EffectiveRootProp, EffectiveRootPropEmissionScaling,
	EmissionTopSubnetAbsoluteLimit, EmissionTopSubnetProportion, EpochQueue, Error, Event,
	LastEpoch, NetUid, Pallet, RootProp, ScalingInputs, Schedule, TotalIssued, WeightInfo,
};
use alloc::collections::BTreeMap;
use frame_support::{traits::Get, weights::Weight};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::{traits::Saturating, DispatchError, Permill, SaturatedConversion};
use substrate_fixed::types::U96F32;

impl<T: Config> Pallet<T> {
	/// Check a top-subnet proportion: it must keep at least one subnet, so it must not be 0.
	pub(crate) fn validate_top_subnet_proportion(proportion: Permill) -> Result<(), Error<T>> {
		if proportion.is_zero() {
			return Err(Error::<T>::ZeroTopSubnetProportion);
		}
		Ok(())
	}

	/// Check a schedule: decay factor below 100 %, epoch length not 0, cap not below what was
	/// already issued.
	pub(crate) fn validate_schedule(schedule: &EmissionSchedule) -> Result<(), Error<T>> {
		if schedule.decay_factor.is_one() {
			return Err(Error::<T>::DecayFactorNotBelowOne);
		}
		if schedule.epoch_length == 0 {
			return Err(Error::<T>::ZeroScheduleEpochLength);
		}
		if schedule.supply_cap.is_some_and(|cap| cap < TotalIssued::<T>::get()) {
			return Err(Error::<T>::SupplyCapBelowIssued);
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

	/// Validate and store a new absolute limit; returns the previous one.
	pub(crate) fn do_set_absolute_limit(limit: Option<u16>) -> Result<Option<u16>, DispatchError> {
		if limit == Some(0) {
			return Err(Error::<T>::ZeroAbsoluteLimit.into());
		}
		Ok(EmissionTopSubnetAbsoluteLimit::<T>::mutate(|current| {
			core::mem::replace(current, limit)
		}))
	}

	/// Validate and store a new schedule; returns the previous one.
	pub(crate) fn do_set_schedule(
		schedule: EmissionSchedule,
	) -> Result<Option<EmissionSchedule>, DispatchError> {
		Self::validate_schedule(&schedule)?;
		Ok(Schedule::<T>::mutate(|current| current.replace(schedule)))
	}

	/// The filter settings in force.
	pub fn filter_settings() -> FilterSettings {
		FilterSettings {
			erp_scaling: EffectiveRootPropEmissionScaling::<T>::get(),
			top_proportion: EmissionTopSubnetProportion::<T>::get(),
			absolute_limit: EmissionTopSubnetAbsoluteLimit::<T>::get(),
		}
	}

	/// What the schedule issues in block `n`, given [`TotalIssued`].
	pub fn block_emission_at(n: BlockNumberFor<T>) -> Balance {
		let Some(s) = Schedule::<T>::get() else { return 0 };
		math::block_emission(
			s.initial,
			s.decay_factor,
			s.epoch_length,
			s.supply_cap,
			n.saturated_into::<u64>(),
			TotalIssued::<T>::get(),
		)
	}

	/// The share stages of the current subnets under `settings`. With `hard_cap = false`, the
	/// `EffectiveRootProp` of capped subnets is replaced by its uncapped value
	/// (`raw_root_prop × utilization` of their last epoch): the "no hard cap" counterfactual.
	pub fn preview_shares(settings: FilterSettings, hard_cap: bool) -> FilterStages {
		let subnets = Self::bounded_subnets();
		let base: BTreeMap<NetUid, u64> =
			subnets.iter().map(|s| (s.netuid, s.base_weight)).collect();
		let (mut erp, root_prop) = Self::erp_inputs(base.keys().copied());
		if !hard_cap {
			for (netuid, value) in erp.iter_mut() {
				if let Some(record) = LastEpoch::<T>::get(netuid).filter(|r| r.capped) {
					*value = record.raw_root_prop.saturating_mul(record.utilization);
				}
			}
		}
		math::filter_pipeline(&base, settings, &erp, &root_prop)
	}

	/// The stored `EffectiveRootProp` and `RootProp` of the given subnets (missing: 0).
	/// `(EffectiveRootProp, RootProp)` of `netuids` from [`ScalingInputs`] (one read); a subnet
	/// that has not settled an epoch has 0 for both.
	fn erp_inputs(
		netuids: impl Iterator<Item = NetUid>,
	) -> (BTreeMap<NetUid, U96F32>, BTreeMap<NetUid, U96F32>) {
		let table = ScalingInputs::<T>::get();
		let mut erp = BTreeMap::new();
		let mut root_prop = BTreeMap::new();
		for netuid in netuids {
			let (e, r) = table.get(&netuid).copied().unwrap_or_default();
			erp.insert(netuid, e);
			root_prop.insert(netuid, r);
		}
		(erp, root_prop)
	}

	pub(crate) fn do_tick(n: BlockNumberFor<T>) -> Weight {
		let block = n.saturated_into::<u64>();
		let subnets = Self::bounded_subnets();
		let subnet_count = u32::try_from(subnets.len()).unwrap_or(u32::MAX);
		let mut weight = T::WeightInfo::distribute_block_emission(subnet_count);

		Self::distribute_block_emission(n, &subnets);

		let due = subnets
			.iter()
			.filter(|s| math::epoch_is_due(s.netuid, s.tempo, block))
			.map(|s| s.netuid);
		let (to_settle, touched) = Self::update_epoch_queue(due);
		weight = weight.saturating_add(T::WeightInfo::epoch_queue(touched));
		for netuid in to_settle {
			if subnets.binary_search_by_key(&netuid, |s| s.netuid).is_ok() {
				let validators = Self::settle_subnet_epoch(netuid, n);
				weight = weight.saturating_add(T::WeightInfo::settle_epoch(validators));
			}
		}
		weight.saturating_add(Self::maybe_close_turn(n))
	}

	/// Append the subnets now due to [`EpochQueue`] (those already waiting keep their place) and
	/// take up to `MaxEpochsPerBlock` from its front. Returns them and the number of queue entries
	/// the update touched (for its weight). One read; one write only when the queue changed.
	pub(crate) fn update_epoch_queue(
		due: impl Iterator<Item = NetUid>,
	) -> (alloc::vec::Vec<NetUid>, u32) {
		let mut queue = EpochQueue::<T>::get();
		let before = queue.len();
		let waiting: alloc::collections::BTreeSet<NetUid> = queue.iter().copied().collect();
		let mut changed = false;
		for netuid in due.filter(|n| !waiting.contains(n)) {
			if queue.try_push(netuid).is_err() {
				log::warn!(target: "runtime::emission", "epoch queue full: subnet {netuid} not queued");
				break;
			}
			changed = true;
		}
		let touched = u32::try_from(queue.len().max(before)).unwrap_or(u32::MAX);
		let take = usize::try_from(T::MaxEpochsPerBlock::get())
			.unwrap_or(usize::MAX)
			.min(queue.len());
		let to_settle: alloc::vec::Vec<NetUid> = queue.drain(..take).collect();
		if changed || !to_settle.is_empty() {
			EpochQueue::<T>::put(queue);
		}
		(to_settle, touched)
	}

	pub(crate) fn distribute_block_emission(
		n: BlockNumberFor<T>,
		subnets: &[crate::traits::SubnetInfo],
	) {
		let issued = Self::block_emission_at(n);
		if issued == 0 {
			return;
		}
		let settings = Self::filter_settings();
		let base: BTreeMap<NetUid, u64> =
			subnets.iter().map(|s| (s.netuid, s.base_weight)).collect();
		let (erp, root_prop) = if settings.erp_scaling {
			Self::erp_inputs(base.keys().copied())
		} else {
			(BTreeMap::new(), BTreeMap::new())
		};
		let (for_subnets, withheld) = Self::withhold_for_active_tine(issued);
		let shares = math::filter_shares(&base, settings, &erp, &root_prop);
		let (mut amounts, recycled) =
			math::split_emission(for_subnets, shares.iter().map(|(n, s)| (n, s)));

		amounts.retain(|_, amount| *amount > 0);
		let to_subnets = amounts.values().fold(0, |acc: Balance, a| acc.saturating_add(*a));
		let recipients = u32::try_from(amounts.len()).unwrap_or(u32::MAX);
		if !amounts.is_empty() {
			T::Subnets::deliver_block_emission(&amounts);
		}
		if recycled > 0 {
			T::Subnets::recycle_unassigned(recycled);
		}
		TotalIssued::<T>::mutate(|total| *total = total.saturating_add(issued));
		Self::deposit_event(Event::BlockEmissionDistributed {
			issued,
			withheld,
			to_subnets,
			recycled,
			recipients,
		});
	}

	/// Settle one subnet epoch; returns the number of validator entries read (for the weight).
	pub(crate) fn settle_subnet_epoch(netuid: NetUid, n: BlockNumberFor<T>) -> u32 {
		let inputs = T::Subnets::root_prop_inputs(netuid);
		let root_prop = math::root_prop(inputs.root_stake, inputs.alpha_stake, inputs.tao_weight);

		let mut dividends = T::Subnets::epoch_dividends(netuid);
		let max = usize::try_from(T::MaxValidatorsPerSubnet::get()).unwrap_or(usize::MAX);
		for map in [&mut dividends.alpha, &mut dividends.root, &mut dividends.root_stakes] {
			if map.len() > max {
				log::warn!(
					target: "runtime::emission",
					"subnet {netuid}: {} validator entries reported, only {max} are read",
					map.len()
				);
				while map.len() > max {
					map.pop_last();
				}
			}
		}
		let read = dividends.alpha.len().max(dividends.root.len()).max(dividends.root_stakes.len());

		let settlement =
			math::settle_epoch(&dividends.alpha, &dividends.root, &dividends.root_stakes);
		if settlement.capped {
			dividends.root.clear();
		}

		RootProp::<T>::insert(netuid, root_prop);
		EffectiveRootProp::<T>::insert(netuid, settlement.effective_root_prop);
		ScalingInputs::<T>::mutate(|table| {
			// Replaces an existing entry; fails only for a new subnet with the table full.
			let entry = (settlement.effective_root_prop, root_prop);
			if table.try_insert(netuid, entry).is_err() {
				log::warn!(target: "runtime::emission", "scaling table full: subnet {netuid}");
			}
		});
		LastEpoch::<T>::insert(
			netuid,
			EpochRecord {
				block: n,
				utilization: settlement.utilization,
				root_prop,
				raw_root_prop: settlement.raw_root_prop,
				effective_root_prop: settlement.effective_root_prop,
				capped: settlement.capped,
				alpha_dividends: settlement.alpha_total,
				root_dividends: settlement.root_total,
				recycled: settlement.recycled,
			},
		);
		T::Subnets::deliver_epoch_dividends(netuid, dividends, settlement.recycled);
		Self::deposit_event(Event::EpochSettled {
			netuid,
			utilization: settlement.utilization,
			root_prop,
			raw_root_prop: settlement.raw_root_prop,
			effective_root_prop: settlement.effective_root_prop,
			capped: settlement.capped,
			alpha_dividends: settlement.alpha_total,
			root_dividends: settlement.root_total,
			recycled: settlement.recycled,
		});
		u32::try_from(read).unwrap_or(u32::MAX)
	}

	/// Remove a subnet's per-subnet state.
	pub(crate) fn do_remove_subnet(netuid: NetUid) {
		EffectiveRootProp::<T>::remove(netuid);
		RootProp::<T>::remove(netuid);
		ScalingInputs::<T>::mutate(|table| table.remove(&netuid));
		EpochQueue::<T>::mutate(|queue| queue.retain(|n| *n != netuid));
		LastEpoch::<T>::remove(netuid);
		Self::deposit_event(Event::SubnetStateRemoved { netuid });
	}

	/// The weight of the most work `on_initialize` can do: every subnet read and an epoch of
	/// every subnet, each with the most validators.
	/// The weight of the worst block the configuration allows: emission over `MaxSubnets`, every
	/// subnet due at once (the queue update), `MaxEpochsPerBlock` epochs of
	/// `MaxValidatorsPerSubnet` validators, and a fork over `MaxTines` tines.
	pub fn worst_case_tick_weight() -> Weight {
		let subnets = T::MaxSubnets::get();
		let epoch = T::WeightInfo::settle_epoch(T::MaxValidatorsPerSubnet::get());
		T::WeightInfo::distribute_block_emission(subnets)
			.saturating_add(T::WeightInfo::epoch_queue(subnets))
			.saturating_add(epoch.saturating_mul(u64::from(T::MaxEpochsPerBlock::get())))
			.saturating_add(T::WeightInfo::close_turn(T::MaxTines::get()))
	}

	/// The weight of a steady-state block at `MaxSubnets`: emission, withholding and the filters,
	/// no epoch due, no turn closing.
	pub fn steady_state_tick_weight() -> Weight {
		T::WeightInfo::distribute_block_emission(T::MaxSubnets::get())
			.saturating_add(T::WeightInfo::epoch_queue(0))
			.saturating_add(T::WeightInfo::turn_check())
	}

	/// Invariants of the pallet's storage, checked by `try-runtime` and after every unit test.
	#[cfg(any(feature = "try-runtime", test))]
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		use frame_support::ensure;
		ensure!(
			!EmissionTopSubnetProportion::<T>::get().is_zero(),
			"EmissionTopSubnetProportion is 0"
		);
		ensure!(EmissionTopSubnetAbsoluteLimit::<T>::get() != Some(0), "absolute limit is 0");
		if let Some(schedule) = Schedule::<T>::get() {
			ensure!(!schedule.decay_factor.is_one(), "schedule decay factor is 100 %");
			ensure!(schedule.epoch_length > 0, "schedule epoch length is 0");
			if let Some(cap) = schedule.supply_cap {
				ensure!(TotalIssued::<T>::get() <= cap, "issued beyond the supply cap");
			}
		}
		let one = U96F32::from_num(1u32);
		for (_, erp) in EffectiveRootProp::<T>::iter() {
			ensure!(erp <= one, "EffectiveRootProp above 1");
		}
		for (_, record) in LastEpoch::<T>::iter() {
			ensure!(record.utilization <= one, "utilization above 1");
			ensure!(
				!record.capped || record.effective_root_prop == U96F32::from_num(0u32),
				"capped epoch with non-zero EffectiveRootProp"
			);
		}
		Ok(())
	}
}

impl<T: Config> OnSubnetRemoved for Pallet<T> {
	fn on_subnet_removed(netuid: NetUid) {
		Self::do_remove_subnet(netuid);
	}
}

impl<T: Config> Pallet<T> {
	/// The block number the next `on_initialize` runs for.
	fn next_block() -> BlockNumberFor<T> {
		frame_system::Pallet::<T>::block_number().saturating_add(1u32.into())
	}

	/// A preview for the runtime API: the next block's emission, what the active tine would
	/// withhold from it, the filter stages, and the subnets' amounts and the recycled rest.
	pub fn share_preview(
		settings: FilterSettings,
		hard_cap: bool,
	) -> (Balance, Balance, FilterStages, BTreeMap<NetUid, Balance>, Balance) {
		let stages = Self::preview_shares(settings, hard_cap);
		let emission = Self::block_emission_at(Self::next_block());
		let withheld = Self::withholding_of_active_tine(emission).0;
		let (amounts, recycled) =
			math::split_emission(emission.saturating_sub(withheld), &stages.after_absolute_limit);
		(emission, withheld, stages, amounts, recycled)
	}
}

// ---- tines and the fork ----

use crate::{
	math::fork,
	traits::FloorGate,
	types::{ForkRefusal, TineConfig, TineReading},
	ActiveTine, CurrentTurn, ForkRecordOf, LastFork, MeasureWeights, NameOf, Readings, TineOf,
	Tines, TurnLength, TurnStart,
};
use alloc::{collections::BTreeSet, vec::Vec};
use frame_support::{traits::fungible::Mutate, BoundedVec};
use sp_runtime::{
	traits::{AccountIdConversion, BlakeTwo256, Hash},
	Perbill,
};

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

	pub(crate) fn do_withdraw_tine(id: Vec<u8>) -> Result<NameOf<T>, DispatchError> {
		let id = Self::name(id)?;
		Tines::<T>::take(&id).ok_or(Error::<T>::UnknownTine)?;
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

	/// What the active tine withholds from `emission`: `(withheld, to_depth, per reserve)`
	/// ([`fork::withhold`]), all 0 without an active tine. No storage writes.
	pub fn withholding_of_active_tine(emission: Balance) -> (Balance, Balance, Vec<Balance>) {
		match ActiveTine::<T>::get() {
			Some((_, tine)) => Self::withholding(&tine.config, emission),
			None => (0, 0, Vec::new()),
		}
	}

	/// What `config` withholds from `emission` ([`fork::withhold`] over its split).
	fn withholding(
		config: &TineConfig<T::MaxReserves, T::MaxNameLen>,
		emission: Balance,
	) -> (Balance, Balance, Vec<Balance>) {
		let weights: Vec<Perbill> = config.split.iter().map(|(_, w)| *w).collect();
		fork::withhold(emission, config.fee_bps, config.depth_feed, &weights)
	}

	/// Withhold the active tine's fee from `emission`, mint it into the reserve accounts, and
	/// return what remains for the subnets. No active tine: nothing is withheld.
	pub(crate) fn withhold_for_active_tine(emission: Balance) -> (Balance, Balance) {
		let Some((id, tine)) = ActiveTine::<T>::get() else { return (emission, 0) };
		let config = &tine.config;
		let (withheld, to_depth, parts) = Self::withholding(config, emission);
		if withheld == 0 {
			return (emission, 0);
		}
		Self::mint_or_recycle(&Self::depth_reserve_account(), to_depth);
		for ((name, _), amount) in config.split.iter().zip(parts) {
			Self::mint_or_recycle(&Self::reserve_account(name), amount);
		}
		Self::deposit_event(Event::EmissionWithheld { tine: id, withheld, to_depth });
		(emission.saturating_sub(withheld), withheld)
	}

	/// Mint `amount` into `who`; an amount the account cannot take (below its existential
	/// deposit) is recycled instead, so nothing is lost.
	fn mint_or_recycle(who: &T::AccountId, amount: Balance) {
		if amount == 0 {
			return;
		}
		if T::Currency::mint_into(who, amount).is_err() {
			T::Subnets::recycle_unassigned(amount);
		}
	}

	/// Whether the open turn closes at block `n`.
	fn turn_closes(n: BlockNumberFor<T>) -> bool {
		let length: BlockNumberFor<T> = TurnLength::<T>::get().into();
		n >= TurnStart::<T>::get().saturating_add(length)
	}

	/// Close the open turn: run the fork over every tine on its own reading, store and event the
	/// result, let the winner govern (or keep the previous one on refusal), cut the others, clear
	/// the turn's readings and open the next turn. Returns the number of tines considered.
	pub(crate) fn close_turn(n: BlockNumberFor<T>) -> u32 {
		let turn = CurrentTurn::<T>::get();
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

		if let Some(kept) = &outcome.kept {
			if let Some((_, tine)) = tines.iter().find(|(id, _)| id == kept) {
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
			refused: outcome.refused.map(|r| match r {
				fork::Refusal::NoMeasurableTine => ForkRefusal::NoMeasurableTine,
				fork::Refusal::FloorWouldFall => ForkRefusal::FloorWouldFall,
				fork::Refusal::FloorUnreadable => ForkRefusal::FloorUnreadable,
			}),
		};
		LastFork::<T>::put(result.clone());
		Self::deposit_event(Event::ForkDecided { result });

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
