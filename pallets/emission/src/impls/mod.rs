//! Bodies of the calls and of the hook, one module per concept; every storage write of the pallet
//! is here, each concept writing its own storage:
//!
//! - [`tick`]: the per-block hook, metering its sub-steps;
//! - [`emission`]: the schedule, the filters and the block's split, withholding for the reserves;
//! - [`epochs`]: the epoch queue, subnet epochs and the hard cap, subnet removal;
//! - [`tines`]: tines, readings and the fork at turn close.
//!
//! This module holds what they share: the settings calls and the one place that recycles.

mod emission;
mod epochs;
mod tick;
mod tines;
#[cfg(any(feature = "try-runtime", test))]
mod try_state;

use crate::{
	math::FilterSettings,
	traits::SubnetEconomy,
	types::{EmissionSchedule, RecycleReason},
	Balance, Config, EffectiveRootPropEmissionScaling, EmissionTopSubnetAbsoluteLimit,
	EmissionTopSubnetProportion, Error, Event, IssuanceBase, NetUid, Pallet, Schedule, TotalIssued,
	TotalRecycled,
};
use sp_runtime::{DispatchError, Permill};

impl<T: Config> Pallet<T> {
	/// Check a top-subnet proportion: it must keep at least one subnet, so it must not be 0.
	pub(crate) fn validate_top_subnet_proportion(proportion: Permill) -> Result<(), Error<T>> {
		if proportion.is_zero() {
			return Err(Error::<T>::ZeroTopSubnetProportion);
		}
		Ok(())
	}

	/// Check a schedule: decay factor below 100 %, epoch length not 0, cap not below what was
	/// already issued and not recycled.
	pub(crate) fn validate_schedule(schedule: &EmissionSchedule) -> Result<(), Error<T>> {
		if schedule.decay_factor.is_one() {
			return Err(Error::<T>::DecayFactorNotBelowOne);
		}
		if schedule.epoch_length == 0 {
			return Err(Error::<T>::ZeroScheduleEpochLength);
		}
		if schedule.supply_cap.is_some_and(|cap| cap < Self::outstanding()) {
			return Err(Error::<T>::SupplyCapBelowIssued);
		}
		Ok(())
	}

	/// What counts against the supply cap: issued and not recycled.
	pub fn outstanding() -> Balance {
		TotalIssued::<T>::get().saturating_sub(TotalRecycled::<T>::get())
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

	/// Recycle `amount`: return it to the unissued supply ([`TotalRecycled`]) and say where it came
	/// from. The one place that writes [`TotalRecycled`].
	pub(crate) fn recycle(netuid: Option<NetUid>, reason: RecycleReason, amount: Balance) {
		if amount == 0 {
			return;
		}
		TotalRecycled::<T>::mutate(|total| *total = total.saturating_add(amount));
		Self::deposit_event(Event::Recycled { netuid, reason, amount });
	}

	/// Both sides of the ledger's identity, each as the `(high, low)` 128-bit halves of its exact
	/// sum: `(total issuance + TotalRecycled + pending + carried, IssuanceBase + TotalIssued)`.
	/// They are equal when every change of the currency's issuance went through this pallet.
	pub fn issuance_identity() -> ((u128, u128), (u128, u128)) {
		use frame_support::traits::fungible::Inspect;
		let sum = |terms: &[u128]| {
			terms.iter().fold((0u128, 0u128), |(high, low), term| {
				let (low, carry) = low.overflowing_add(*term);
				(high.saturating_add(u128::from(carry)), low)
			})
		};
		let left = sum(&[
			T::Currency::total_issuance(),
			TotalRecycled::<T>::get(),
			T::Subnets::pending_emission_total(),
			Self::carried_total(),
		]);
		let right = sum(&[IssuanceBase::<T>::get(), TotalIssued::<T>::get()]);
		(left, right)
	}
}
