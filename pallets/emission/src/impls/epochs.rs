//! Subnet epochs: the epoch queue, utilization, `RootProp`, `EffectiveRootProp` and the hard cap,
//! and the removal of a subnet. Writes [`EpochQueue`], [`ScalingInputs`], [`EffectiveRootProp`],
//! [`RootProp`] and [`LastEpoch`].

use crate::{
	math,
	traits::{OnSubnetRemoved, SubnetEconomy},
	types::{EpochRecord, RecycleReason},
	Balance, Config, EffectiveRootProp, EpochQueue, Event, LastEpoch, NetUid, Pallet, RootProp,
	ScalingInputs,
};
use alloc::{collections::BTreeMap, vec::Vec};
use frame_support::traits::Get;
use frame_system::pallet_prelude::BlockNumberFor;
use substrate_fixed::types::U96F32;

impl<T: Config> Pallet<T> {
	/// Append the subnets now due to [`EpochQueue`] (one epoch each; one already waiting keeps
	/// its place and counts one more due epoch, merged into its settlement) and take up to
	/// `MaxEpochsPerBlock` from its front. Returns them with their due epochs and the number of
	/// queue entries the update touched (for its weight). One read; one write only when the
	/// queue changed.
	pub(crate) fn update_epoch_queue(
		due: impl Iterator<Item = NetUid>,
	) -> (Vec<(NetUid, u32)>, u32) {
		let mut queue = EpochQueue::<T>::get();
		let before = queue.len();
		let waiting: BTreeMap<NetUid, usize> =
			queue.iter().enumerate().map(|(at, (netuid, _))| (*netuid, at)).collect();
		let mut changed = false;
		for netuid in due {
			if let Some(at) = waiting.get(&netuid) {
				if let Some((_, epochs)) = queue.get_mut(*at) {
					*epochs = epochs.saturating_add(1);
					changed = true;
				}
				continue;
			}
			// The queue holds `MaxSubnets` entries, one per subnet the hook reads: it is full
			// only if every one waits, and then `netuid` waits too (counted above).
			if queue.try_push((netuid, 1)).is_err() {
				log::warn!(target: "runtime::emission", "epoch queue full: subnet {netuid} not queued");
				continue;
			}
			changed = true;
		}
		let touched = u32::try_from(queue.len().max(before)).unwrap_or(u32::MAX);
		let take = usize::try_from(T::MaxEpochsPerBlock::get())
			.unwrap_or(usize::MAX)
			.min(queue.len());
		let to_settle: Vec<(NetUid, u32)> = queue.drain(..take).collect();
		if changed || !to_settle.is_empty() {
			EpochQueue::<T>::put(queue);
		}
		(to_settle, touched)
	}

	/// Settle one subnet epoch covering `epochs` due epochs; returns the number of validator
	/// entries read (for the weight): the most of what the chain says it read and the sizes of the
	/// maps it reported.
	pub(crate) fn settle_subnet_epoch(netuid: NetUid, epochs: u32, n: BlockNumberFor<T>) -> u32 {
		let inputs = T::Subnets::root_prop_inputs(netuid);
		let root_prop = math::root_prop(inputs.root_stake, inputs.alpha_stake, inputs.tao_weight);

		let mut dividends = T::Subnets::epoch_dividends(netuid, epochs);
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
		let entries =
			dividends.alpha.len().max(dividends.root.len()).max(dividends.root_stakes.len());
		let read = u32::try_from(entries).unwrap_or(u32::MAX).max(dividends.validators_read);

		let settlement =
			math::settle_epoch(&dividends.alpha, &dividends.root, &dividends.root_stakes);
		let root_stakes: Vec<(T::AccountId, Balance)> =
			dividends.root_stakes.iter().map(|(k, v)| (k.clone(), *v)).collect();
		let root_dividends_by_validator: Vec<(T::AccountId, Balance)> =
			dividends.root.iter().map(|(k, v)| (k.clone(), *v)).collect();
		if settlement.capped {
			dividends.root.clear();
		}
		Self::store_scaling(netuid, settlement.effective_root_prop, root_prop);
		// What of the capped root dividends was this pallet's emission (the chain recycles the
		// rest, such as a subnet's own alpha, in its own terms).
		let taken =
			T::Subnets::deliver_epoch_dividends(netuid, epochs, dividends, settlement.recycled)
				.min(settlement.recycled);
		Self::recycle(Some(netuid), RecycleReason::HardCap, taken);
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
				recycled: taken,
			},
		);
		Self::deposit_event(Event::EpochSettled {
			netuid,
			epochs,
			root_stakes,
			root_dividends_by_validator,
			utilization: settlement.utilization,
			root_prop,
			raw_root_prop: settlement.raw_root_prop,
			effective_root_prop: settlement.effective_root_prop,
			capped: settlement.capped,
			alpha_dividends: settlement.alpha_total,
			root_dividends: settlement.root_total,
			recycled: taken,
		});
		read
	}

	/// Store a subnet's `(EffectiveRootProp, RootProp)`: in [`ScalingInputs`] (what the filter
	/// reads) and in the per-subnet maps (what clients read), all three or none, so that they
	/// cannot disagree. None only when the table is full with other subnets (it holds at most
	/// `MaxSubnets`, as many as the chain reports).
	fn store_scaling(netuid: NetUid, erp: U96F32, root_prop: U96F32) {
		let stored = ScalingInputs::<T>::mutate(|table| {
			// Replaces an existing entry; fails only for a new subnet with the table full.
			table.try_insert(netuid, (erp, root_prop)).is_ok()
		});
		if stored {
			RootProp::<T>::insert(netuid, root_prop);
			EffectiveRootProp::<T>::insert(netuid, erp);
		} else {
			log::warn!(target: "runtime::emission", "scaling table full: subnet {netuid}");
		}
	}

	/// Remove a subnet's per-subnet state and recycle the emission it had not paid out.
	pub(crate) fn do_remove_subnet(netuid: NetUid, pending: Balance) {
		EffectiveRootProp::<T>::remove(netuid);
		RootProp::<T>::remove(netuid);
		ScalingInputs::<T>::mutate(|table| table.remove(&netuid));
		EpochQueue::<T>::mutate(|queue| queue.retain(|(n, _)| *n != netuid));
		LastEpoch::<T>::remove(netuid);
		Self::remove_subnet_emission_rate(netuid);
		Self::recycle(Some(netuid), RecycleReason::SubnetRemoved, pending);
		Self::deposit_event(Event::SubnetStateRemoved { netuid });
	}
}

impl<T: Config> OnSubnetRemoved for Pallet<T> {
	fn on_subnet_removed(netuid: NetUid, pending: Balance) {
		Self::do_remove_subnet(netuid, pending);
	}
}
