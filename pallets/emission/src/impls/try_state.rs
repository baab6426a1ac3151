//! The pallet's invariants, checked by `try-runtime` and after every unit test.

use crate::{
	traits::SubnetEconomy, ActiveTine, Config, CurrentTurn, EffectiveRootProp,
	EmissionTopSubnetAbsoluteLimit, EmissionTopSubnetProportion, EpochQueue, Feeders, LastEpoch,
	LastFork, Pallet, ReadingQuorum, ReserveCarry, RootProp, ScalingInputs, Schedule, Submissions,
	SubnetEmissionRates, Tines,
};
use alloc::collections::BTreeSet;
use frame_support::{ensure, traits::Get};
use substrate_fixed::types::U96F32;

impl<T: Config> Pallet<T> {
	/// Invariants of the pallet's storage and of its ledger.
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		ensure!(
			!EmissionTopSubnetProportion::<T>::get().is_zero(),
			"EmissionTopSubnetProportion is 0"
		);
		ensure!(EmissionTopSubnetAbsoluteLimit::<T>::get() != Some(0), "absolute limit is 0");

		// The ledger, one exact identity: every unit the currency holds, or that left it, is in
		// the genesis endowments ([`IssuanceBase`]) or was issued by this pallet; every unit
		// issued is in an account, recycled, pending for a subnet (or credited to a validator
		// and not claimed), or carried for a reserve. Compared in 257 bits: no term can overflow.
		Self::check_issuance_identity()?;
		if let Some(schedule) = Schedule::<T>::get() {
			ensure!(!schedule.decay_factor.is_one(), "schedule decay factor is 100 %");
			ensure!(schedule.epoch_length > 0, "schedule epoch length is 0");
			if let Some(cap) = schedule.supply_cap {
				ensure!(Self::outstanding() <= cap, "outstanding beyond the supply cap");
			}
		}

		// One source of truth for the scaling inputs: the table and the maps agree.
		let one = U96F32::from_num(1u32);
		let table = ScalingInputs::<T>::get();
		for (netuid, (erp, root_prop)) in table.iter() {
			ensure!(*erp <= one && *root_prop <= one, "scaling input above 1");
			ensure!(EffectiveRootProp::<T>::get(netuid) == Some(*erp), "ERP map disagrees");
			ensure!(RootProp::<T>::get(netuid) == Some(*root_prop), "RootProp map disagrees");
		}
		for (netuid, _) in EffectiveRootProp::<T>::iter() {
			ensure!(table.contains_key(&netuid), "ERP of a subnet missing from ScalingInputs");
		}
		for (netuid, _) in RootProp::<T>::iter() {
			ensure!(table.contains_key(&netuid), "RootProp of a subnet missing from ScalingInputs");
		}
		for (_, record) in LastEpoch::<T>::iter() {
			ensure!(record.utilization <= one, "utilization above 1");
			ensure!(
				!record.capped || record.effective_root_prop == U96F32::from_num(0u32),
				"capped epoch with non-zero EffectiveRootProp"
			);
			ensure!(record.recycled <= record.root_dividends, "recycled above root dividends");
		}

		// The queue: each subnet at most once, only subnets the chain reports.
		let subnets: BTreeSet<_> = T::Subnets::subnets().iter().map(|s| s.netuid).collect();
		let queue = EpochQueue::<T>::get();
		let queued: BTreeSet<_> = queue.iter().map(|(netuid, _)| *netuid).collect();
		ensure!(queued.len() == queue.len(), "a subnet queued twice");
		ensure!(queue.iter().all(|(_, epochs)| *epochs >= 1), "a queued subnet with no due epoch");
		ensure!(queued.is_subset(&subnets), "an unknown subnet queued");

		// Rates: only below 100 % (100 % is the absence of an entry), only for subnets the chain
		// reports (a removed subnet's rate goes with it), and decodable under `MaxSubnets`.
		ensure!(
			!SubnetEmissionRates::<T>::exists() || SubnetEmissionRates::<T>::try_get().is_ok(),
			"SubnetEmissionRates does not decode under MaxSubnets"
		);
		let rates = SubnetEmissionRates::<T>::get();
		ensure!(rates.values().all(|r| !r.is_one()), "a stored rate of 100 %");
		ensure!(rates.keys().all(|n| subnets.contains(n)), "a rate for an unknown subnet");

		// Tines: counted, bounded, valid; readings only for tines of the open turn.
		let mut tines = 0u32;
		for (_, tine) in Tines::<T>::iter() {
			tines = tines.saturating_add(1);
			ensure!(tine.config.fee_bps <= 10_000, "tine fee above 10,000 bps");
			let total = tine
				.config
				.split
				.iter()
				.fold(0u64, |acc, (_, w)| acc.saturating_add(u64::from(w.deconstruct())));
			ensure!(total == 1_000_000_000, "tine split does not sum to one");
		}
		ensure!(tines == Tines::<T>::count(), "tine count disagrees");
		ensure!(tines <= T::MaxTines::get(), "more than MaxTines tines");
		let turn = CurrentTurn::<T>::get();
		// Feeders: sorted, distinct, bounded (the type), a quorum they can meet; submissions of
		// no later turn than the open one, for tines that exist, by current feeders, one each.
		let feeders = Feeders::<T>::get();
		ensure!(
			feeders.iter().zip(feeders.iter().skip(1)).all(|(a, b)| a < b),
			"feeders not sorted"
		);
		let quorum = ReadingQuorum::<T>::get();
		ensure!(
			feeders.is_empty() ||
				(quorum >= 1 && usize::try_from(quorum).unwrap_or(usize::MAX) <= feeders.len()),
			"reading quorum outside 1..=feeders"
		);
		for (id, entry) in Submissions::<T>::iter() {
			ensure!(entry.turn <= turn, "submissions for a turn not yet open");
			ensure!(Tines::<T>::contains_key(&id), "submissions for no tine");
			ensure!(!entry.by.is_empty(), "an empty submissions entry");
			let by = entry.by.iter().map(|(who, _)| who);
			ensure!(by.clone().zip(by.skip(1)).all(|(a, b)| a < b), "a feeder twice or unsorted");
			ensure!(
				entry.by.iter().all(|(who, _)| feeders.binary_search(who).is_ok()),
				"a submission by a non-feeder"
			);
		}
		// Every stored value decodes under the runtime's bounds (a `LastFork` cutting more than
		// `MaxTines` tines would read as absent).
		ensure!(
			!LastFork::<T>::exists() || LastFork::<T>::try_get().is_ok(),
			"LastFork does not decode under MaxTines"
		);
		if let Some(fork) = LastFork::<T>::get() {
			ensure!(fork.turn < turn, "the last fork is not before the open turn");
		}
		let (_, parts) = ReserveCarry::<T>::get();
		match ActiveTine::<T>::get() {
			Some((_, tine)) =>
				ensure!(parts.len() <= tine.config.split.len(), "carry for unknown reserves"),
			None => ensure!(Self::carried_total() == 0, "carry without an active tine"),
		}
		Ok(())
	}

	/// The ledger's identity:
	/// `total issuance + TotalRecycled + pending + carried = IssuanceBase + TotalIssued`, exact.
	pub fn check_issuance_identity() -> Result<(), sp_runtime::TryRuntimeError> {
		let (left, right) = Self::issuance_identity();
		ensure!(left == right, "total issuance + recycled + pending + carried ≠ base + issued");
		Ok(())
	}
}
