//! The per-block hook: emission, the epoch queue, due epochs and the turn, each sub-step charged
//! its benchmarked weight on one [`WeightMeter`] (as `pallet-broker`'s `do_tick`).

use crate::{math, Config, Pallet, WeightInfo};
use frame_support::{
	traits::Get,
	weights::{Weight, WeightMeter},
};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::SaturatedConversion;

impl<T: Config> Pallet<T> {
	pub(crate) fn do_tick(n: BlockNumberFor<T>) -> Weight {
		let mut meter = WeightMeter::new();
		Self::tick_before_close(n, &mut meter);
		meter.consume(Self::maybe_close_turn(n));
		meter.consumed()
	}

	/// What block `n`'s hook does before the turn's close: emission, the epoch queue and the due
	/// epochs, charged to `meter`. The fork preview runs this for the next block (and rolls it
	/// back), so that it judges the state the close will judge.
	pub(crate) fn tick_before_close(n: BlockNumberFor<T>, meter: &mut WeightMeter) {
		let block = n.saturated_into::<u64>();
		let subnets = Self::bounded_subnets();
		let subnet_count = u32::try_from(subnets.len()).unwrap_or(u32::MAX);

		Self::distribute_block_emission(n, &subnets);
		meter.consume(T::WeightInfo::distribute_block_emission(subnet_count));
		// The schedule's exact comparison runs only when its bracket does not decide: charged
		// every block, so a block's weight never depends on a value it cannot know beforehand.
		meter.consume(T::WeightInfo::schedule_exact());

		let due = subnets
			.iter()
			.filter(|s| math::epoch_is_due(s.netuid, s.tempo, block))
			.map(|s| s.netuid);
		let (to_settle, touched) = Self::update_epoch_queue(due);
		meter.consume(T::WeightInfo::epoch_queue(touched));

		for (netuid, epochs) in to_settle {
			if subnets.binary_search_by_key(&netuid, |s| s.netuid).is_ok() {
				let read = Self::settle_subnet_epoch(netuid, epochs, n);
				meter.consume(T::WeightInfo::settle_epoch(read));
			}
		}
	}

	/// The weight of the worst block the configuration allows: emission over `MaxSubnets` (with
	/// the schedule's exact comparison), every subnet due at once (the queue update),
	/// `MaxEpochsPerBlock` epochs each reading `MaxValidatorsPerSubnet` validators, and a fork over
	/// `MaxTines` tines.
	pub fn worst_case_tick_weight() -> Weight {
		let subnets = T::MaxSubnets::get();
		let epoch = T::WeightInfo::settle_epoch(T::MaxValidatorsPerSubnet::get());
		T::WeightInfo::distribute_block_emission(subnets)
			.saturating_add(T::WeightInfo::schedule_exact())
			.saturating_add(T::WeightInfo::epoch_queue(subnets))
			.saturating_add(epoch.saturating_mul(u64::from(T::MaxEpochsPerBlock::get())))
			.saturating_add(Self::close_turn_weight(T::MaxTines::get()))
	}

	/// The weight of a steady-state block at `MaxSubnets`: emission (with the schedule's exact
	/// comparison), withholding and the filters, no epoch due, no turn closing.
	pub fn steady_state_tick_weight() -> Weight {
		T::WeightInfo::distribute_block_emission(T::MaxSubnets::get())
			.saturating_add(T::WeightInfo::schedule_exact())
			.saturating_add(T::WeightInfo::epoch_queue(0))
			.saturating_add(T::WeightInfo::turn_check())
	}
}
