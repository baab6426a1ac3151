//! Block emission: the schedule, withholding for the active tine's reserves, the filters and the
//! split across subnets. Writes [`TotalIssued`] and [`ReserveCarry`].

use crate::{
	math::{self, floor::Withheld, FilterSettings, FilterStages},
	traits::{FloorSource, SubnetEconomy, SubnetInfo},
	types::{RecycleReason, ShareStages, SupplyEnd, SupplyProjection, TineConfig, Withholding},
	ActiveTine, Balance, Config, Error, Event, LastEpoch, NetUid, Pallet, ReserveCarry,
	ScalingInputs, Schedule, SubnetEmissionRates, TotalIssued,
};
use alloc::{collections::BTreeMap, vec::Vec};
use frame_support::{
	traits::{fungible::Mutate, Get},
	BoundedVec,
};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::{traits::Saturating, DispatchError, Perbill, SaturatedConversion};
use substrate_fixed::types::U96F32;

impl<T: Config> Pallet<T> {
	/// What the schedule issues in block `n`, given what is outstanding ([`Pallet::outstanding`]:
	/// recycled amounts do not count against the supply cap).
	///
	/// Never more than the ledger's room ([`Pallet::ledger_room`]), so that no total of the
	/// ledger can saturate and lose track of a unit.
	pub fn block_emission_at(n: BlockNumberFor<T>) -> Balance {
		let Some(s) = Schedule::<T>::get() else { return 0 };
		math::block_emission(
			s.initial,
			s.decay_factor,
			s.epoch_length,
			s.supply_cap,
			n.saturated_into::<u64>(),
			Self::outstanding(),
		)
		.min(Self::ledger_room())
	}

	/// What the pallet may still issue without a total of its ledger passing `Balance::MAX`:
	/// `Balance::MAX − IssuanceBase − TotalIssued`. By the identity, `TotalRecycled` is at most
	/// `IssuanceBase + TotalIssued` (fees and dust recycle units of the genesis endowments too),
	/// so it cannot saturate either.
	pub fn ledger_room() -> Balance {
		Balance::MAX
			.saturating_sub(crate::IssuanceBase::<T>::get())
			.saturating_sub(TotalIssued::<T>::get())
	}

	/// Subnet `netuid`'s emission rate: 100 % unless one is stored.
	pub fn emission_rate(netuid: NetUid) -> Perbill {
		SubnetEmissionRates::<T>::get()
			.get(&netuid)
			.copied()
			.unwrap_or_else(Perbill::one)
	}

	/// The emission rates below 100 % ([`SubnetEmissionRates`], one read).
	pub fn emission_rates() -> math::Rates {
		SubnetEmissionRates::<T>::get().into_inner()
	}

	/// Set subnet `netuid`'s emission rate (100 % removes its entry); returns the rate before.
	/// `lower_only`: refuse a rate above the current one (the subnet's owner is asking).
	pub(crate) fn do_set_subnet_emission_rate(
		netuid: NetUid,
		rate: Perbill,
		lower_only: bool,
	) -> Result<Perbill, DispatchError> {
		if !T::Subnets::subnet_exists(netuid) {
			return Err(Error::<T>::UnknownSubnet.into());
		}
		SubnetEmissionRates::<T>::try_mutate(|rates| {
			let old = rates.get(&netuid).copied().unwrap_or_else(Perbill::one);
			if lower_only && rate > old {
				return Err(Error::<T>::OwnerMayOnlyLower.into());
			}
			if rate == Perbill::one() {
				rates.remove(&netuid);
			} else {
				rates.try_insert(netuid, rate).map_err(|_| Error::<T>::TooManyRates)?;
			}
			Ok(old)
		})
	}

	/// A removed subnet's rate goes with it.
	pub(crate) fn remove_subnet_emission_rate(netuid: NetUid) {
		SubnetEmissionRates::<T>::mutate(|rates| rates.remove(&netuid));
	}

	/// The share stages of the current subnets under `settings`, with their emission rates when
	/// `apply_rates` (else as if every rate were 100 %). With `hard_cap = false`, the
	/// `EffectiveRootProp` of capped subnets is replaced by its uncapped value
	/// (`raw_root_prop × utilization` of their last epoch): the "no hard cap" counterfactual.
	pub fn filter_stages(
		settings: FilterSettings,
		hard_cap: bool,
		apply_rates: bool,
	) -> FilterStages {
		let subnets = Self::bounded_subnets();
		let base: BTreeMap<NetUid, u64> =
			subnets.iter().map(|s| (s.netuid, s.base_weight)).collect();
		let rates = if apply_rates { Self::emission_rates() } else { math::Rates::new() };
		let (mut erp, root_prop) = Self::erp_inputs(base.keys().copied());
		if !hard_cap {
			for (netuid, value) in erp.iter_mut() {
				if let Some(record) = LastEpoch::<T>::get(netuid).filter(|r| r.capped) {
					*value = record.raw_root_prop.saturating_mul(record.utilization);
				}
			}
		}
		math::filter_pipeline(&base, &rates, settings, &erp, &root_prop)
	}

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

	/// Issue block `n`'s emission: withhold the active tine's fee, share the rest across
	/// `subnets`, hand the amounts to the chain, recycle what no subnet took.
	pub(crate) fn distribute_block_emission(n: BlockNumberFor<T>, subnets: &[SubnetInfo]) {
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
		let rates = Self::emission_rates();
		let (for_subnets, withheld) = Self::withhold_for_active_tine(issued);
		let shares = math::filter_shares(&base, &rates, settings, &erp, &root_prop);
		let (mut amounts, unassigned) =
			math::split_emission(for_subnets, shares.iter().map(|(n, s)| (n, s)));

		amounts.retain(|_, amount| *amount > 0);
		let offered = amounts.values().fold(0, |acc: Balance, a| acc.saturating_add(*a));
		let undeliverable =
			if amounts.is_empty() { 0 } else { T::Subnets::deliver_block_emission(&amounts) }
				.min(offered);
		let to_subnets = offered.saturating_sub(undeliverable);
		let recipients = u32::try_from(amounts.len()).unwrap_or(u32::MAX);
		TotalIssued::<T>::mutate(|total| *total = total.saturating_add(issued));
		Self::recycle(None, RecycleReason::Unassigned, unassigned);
		Self::recycle(None, RecycleReason::Undeliverable, undeliverable);
		Self::deposit_event(Event::BlockEmissionDistributed {
			issued,
			withheld,
			to_subnets,
			recycled: unassigned.saturating_add(undeliverable),
			recipients,
		});
	}

	/// Supply so far and the schedule's projection from the next block: behind the view function
	/// `supply_projection` and the runtime API. No storage writes; the walk is bounded
	/// ([`math::project`]).
	pub(crate) fn build_supply_projection() -> SupplyProjection {
		use frame_support::traits::fungible::Inspect;
		let next_block = Self::next_block().saturated_into::<u64>();
		let issued = TotalIssued::<T>::get();
		let recycled = crate::TotalRecycled::<T>::get();
		let total_issuance = T::Currency::total_issuance();
		let blocks_per_year = T::BlocksPerYear::get();
		let mut projection = SupplyProjection {
			next_block,
			total_issuance,
			issued,
			recycled,
			outstanding: Self::outstanding(),
			next_block_emission: Self::block_emission_at(Self::next_block()),
			blocks_per_year,
			..Default::default()
		};
		let Some(s) = Schedule::<T>::get() else { return projection };
		projection.supply_cap = s.supply_cap;
		let length = u64::from(s.epoch_length.max(1));
		let next_epoch = next_block.checked_div(length).unwrap_or(0).saturating_add(1);
		projection.next_decay = Some((
			next_epoch.saturating_mul(length),
			math::decayed(s.initial, s.decay_factor, next_epoch),
		));
		let cap_room = s.supply_cap.map(|cap| cap.saturating_sub(projection.outstanding));
		let ledger_room = Self::ledger_room();
		let budget = cap_room.unwrap_or(Balance::MAX).min(ledger_room);
		let walk = math::project(
			s.initial,
			s.decay_factor,
			s.epoch_length,
			next_block,
			budget,
			u64::from(blocks_per_year),
			math::PROJECTION_MAX_RUNS,
		);
		projection.year_issuance = walk.horizon_issuance;
		projection.year_rate = (total_issuance > 0).then(|| {
			let rate = |amount: Balance, rounding| {
				sp_runtime::helpers_128bit::multiply_by_rational_with_rounding(
					amount,
					1_000_000_000_000_000_000,
					total_issuance,
					rounding,
				)
				.unwrap_or(u128::MAX)
			};
			(
				rate(walk.horizon_issuance.0, sp_runtime::Rounding::Down),
				rate(walk.horizon_issuance.1, sp_runtime::Rounding::Up),
			)
		});
		let outstanding = projection.outstanding;
		projection.end = match walk.end {
			math::ProjectionEnd::BudgetReachedAt { block } =>
				if cap_room.is_some_and(|room| room <= ledger_room) {
					SupplyEnd::CapReachedAt { last: block }
				} else {
					SupplyEnd::LedgerFullAt { last: block }
				},
			math::ProjectionEnd::EmissionEndsAt { block, issued } =>
				SupplyEnd::EmissionEndsAt { block, outstanding: outstanding.saturating_add(issued) },
			math::ProjectionEnd::NotWithin { block, issued } =>
				SupplyEnd::NotWithin { block, outstanding: outstanding.saturating_add(issued) },
		};
		projection
	}

	/// The block number the next `on_initialize` runs for.
	fn next_block() -> BlockNumberFor<T> {
		frame_system::Pallet::<T>::block_number().saturating_add(1u32.into())
	}

	/// The share preview under `settings` (with the hard cap or without it): the next block's
	/// emission, what the active tine would withhold from it, the filter stages, and the subnets'
	/// amounts and the recycled rest. Behind the view functions `preview_shares` and
	/// `counterfactual_shares` and the runtime API of the same names. No storage writes.
	pub(crate) fn build_share_stages(
		settings: FilterSettings,
		hard_cap: bool,
		apply_rates: bool,
	) -> ShareStages {
		fn bits(shares: &math::Shares) -> Vec<(NetUid, u128)> {
			shares.iter().map(|(netuid, share)| (*netuid, share.to_bits())).collect()
		}
		let stages = Self::filter_stages(settings, hard_cap, apply_rates);
		let block_emission = Self::block_emission_at(Self::next_block());
		let withheld = match ActiveTine::<T>::get() {
			// The fee does not depend on the floor (the lean only moves it between reserves).
			Some((_, tine)) => Self::withholding(&tine.config, block_emission, 0).withheld,
			None => 0,
		};
		let (amounts, recycled) = math::split_emission(
			block_emission.saturating_sub(withheld),
			&stages.after_absolute_limit,
		);
		ShareStages {
			block_emission,
			withheld,
			base: bits(&stages.base),
			after_rate: bits(&stages.after_rate),
			after_erp_scaling: bits(&stages.after_erp_scaling),
			after_top_proportion: bits(&stages.after_top_proportion),
			after_absolute_limit: bits(&stages.after_absolute_limit),
			amounts: amounts.into_iter().collect(),
			recycled,
		}
	}

	/// What the active tine withholds from the next block's emission, and what is carried for
	/// its reserves: behind the view function `active_withholding` and the runtime API. No
	/// storage writes.
	pub(crate) fn build_withholding() -> Withholding {
		let block_emission = Self::block_emission_at(Self::next_block());
		let Some((id, tine)) = ActiveTine::<T>::get() else {
			return Withholding { block_emission, ..Default::default() };
		};
		let floor_deficit = Self::floor_deficit();
		let Withheld { withheld, to_depth, leaned, parts } =
			Self::withholding(&tine.config, block_emission, floor_deficit);
		let (carried_depth, carried_parts) = ReserveCarry::<T>::get();
		let names = tine.config.split.iter().map(|(name, _)| name.to_vec());
		Withholding {
			tine: Some(id.into_inner()),
			block_emission,
			withheld,
			floor_deficit,
			to_depth,
			leaned,
			to_reserves: names.clone().zip(parts).collect(),
			carried_depth,
			carried_reserves: names
				.enumerate()
				.map(|(i, name)| (name, carried_parts.get(i).copied().unwrap_or(0)))
				.collect(),
		}
	}

	/// What `config` withholds from `emission` while the floor is short by `deficit`
	/// ([`math::floor::withhold`] over its split).
	fn withholding(
		config: &TineConfig<T::MaxReserves, T::MaxNameLen>,
		emission: Balance,
		deficit: Balance,
	) -> Withheld {
		let weights: Vec<Perbill> = config.split.iter().map(|(_, w)| *w).collect();
		math::floor::withhold(
			emission,
			config.fee_bps,
			config.depth_feed,
			config.floor_pull,
			&weights,
			deficit,
		)
	}

	/// How far the protocol-owned liquidity (with what is carried for the depth reserve) is
	/// below the floor now; 0 when the floor is met or cannot be read (nothing leans on a floor
	/// nobody can read).
	pub(crate) fn floor_deficit() -> Balance {
		T::Floor::read().map_or(0, |r| r.deficit(Self::carried_depth()))
	}

	/// What is carried for the depth reserve ([`ReserveCarry`]).
	pub(crate) fn carried_depth() -> Balance {
		ReserveCarry::<T>::get().0
	}

	/// Withhold the active tine's fee from `emission` (leaning toward the depth reserve while the
	/// floor is not met) and mint it, with what was carried, into the reserve accounts; a part an
	/// account cannot take yet (below the existential deposit of a new account) is carried to the
	/// next block ([`ReserveCarry`]). Returns what remains for the subnets and what was withheld.
	/// No active tine: nothing is withheld (and the floor is not read).
	pub(crate) fn withhold_for_active_tine(emission: Balance) -> (Balance, Balance) {
		let Some((id, tine)) = ActiveTine::<T>::get() else { return (emission, 0) };
		let config = &tine.config;
		let (carry_depth, carry_parts) = ReserveCarry::<T>::get();
		let deficit = T::Floor::read().map_or(0, |r| r.deficit(carry_depth));
		let Withheld { withheld, to_depth, leaned, parts } =
			Self::withholding(config, emission, deficit);
		if withheld == 0 && carry_depth == 0 && carry_parts.iter().all(|c| *c == 0) {
			return (emission, 0);
		}
		let depth_due = to_depth.saturating_add(carry_depth);
		let depth_minted = Self::try_mint(&Self::depth_reserve_account(), depth_due);
		let mut to_reserves: Balance = 0;
		let mut carried = depth_due.saturating_sub(depth_minted);
		let mut new_parts: Vec<Balance> = Vec::with_capacity(config.split.len());
		for (i, ((name, _), amount)) in config.split.iter().zip(parts).enumerate() {
			let due = amount.saturating_add(carry_parts.get(i).copied().unwrap_or(0));
			let minted = Self::try_mint(&Self::reserve_account(name), due);
			to_reserves = to_reserves.saturating_add(minted);
			let left = due.saturating_sub(minted);
			carried = carried.saturating_add(left);
			new_parts.push(left);
		}
		// At most `MaxReserves` entries: one per reserve of a valid split.
		let new_parts = BoundedVec::truncate_from(new_parts);
		ReserveCarry::<T>::put((depth_due.saturating_sub(depth_minted), new_parts));
		Self::deposit_event(Event::EmissionWithheld {
			tine: id,
			withheld,
			to_depth: depth_minted,
			leaned,
			to_reserves,
			carried,
		});
		(emission.saturating_sub(withheld), withheld)
	}

	/// Mint `amount` into `who`; returns what was minted: `amount`, or 0 when the account cannot
	/// take it (below the existential deposit of a new account).
	fn try_mint(who: &T::AccountId, amount: Balance) -> Balance {
		if amount == 0 {
			return 0;
		}
		match T::Currency::mint_into(who, amount) {
			Ok(_) => amount,
			Err(_) => 0,
		}
	}

	/// Everything carried for reserves ([`ReserveCarry`]).
	pub fn carried_total() -> Balance {
		let (depth, parts) = ReserveCarry::<T>::get();
		parts.iter().fold(depth, |acc, p| acc.saturating_add(*p))
	}

	/// A new tine governs: what was carried for the old one's reserves is recycled.
	pub(crate) fn retire_reserve_carry() {
		let carried = Self::carried_total();
		ReserveCarry::<T>::kill();
		Self::recycle(None, RecycleReason::RetiredReserves, carried);
	}

	/// The subnets the hook reads, bounded by [`Config::MaxSubnets`].
	pub(crate) fn bounded_subnets() -> Vec<SubnetInfo> {
		let mut subnets = T::Subnets::subnets();
		let max = usize::try_from(T::MaxSubnets::get()).unwrap_or(usize::MAX);
		if subnets.len() > max {
			log::warn!(
				target: "runtime::emission",
				"{} subnets reported, only the first {max} are read",
				subnets.len()
			);
			subnets.truncate(max);
		}
		subnets
	}
}
