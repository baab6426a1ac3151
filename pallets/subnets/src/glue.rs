//! The emission pallet's glue trait, implemented over this pallet's subnets and balances.

use crate::{Config, Event, Pallet, PendingEmission, Subnets, Validators};
use alloc::{collections::BTreeMap, vec::Vec};
use frame_support::traits::{fungible::Mutate, Get};
use pallet_emission::{
	traits::{RootPropInputs, SubnetEconomy, SubnetInfo},
	types::EpochDividends,
	Balance, NetUid,
};
use sp_runtime::{helpers_128bit::multiply_by_rational_with_rounding, Rounding};

/// `amount × num / den`, rounded down; 0 when `den` is 0.
fn mul_div_floor(amount: Balance, num: Balance, den: Balance) -> Balance {
	multiply_by_rational_with_rounding(amount, num, den, Rounding::Down).unwrap_or(0)
}

impl<T: Config> SubnetEconomy<T::AccountId> for Pallet<T> {
	fn subnets() -> Vec<SubnetInfo> {
		// A BTreeMap: already in netuid order.
		Subnets::<T>::get()
			.iter()
			.map(|(netuid, s)| SubnetInfo {
				netuid: *netuid,
				base_weight: s.base_weight,
				tempo: s.tempo,
			})
			.collect()
	}

	fn root_prop_inputs(netuid: NetUid) -> RootPropInputs {
		let (root_stake, alpha_stake) =
			Validators::<T>::iter_prefix_values(netuid).fold((0u128, 0u128), |(root, alpha), v| {
				(root.saturating_add(v.root_stake), alpha.saturating_add(v.alpha_stake))
			});
		RootPropInputs { root_stake, alpha_stake, tao_weight: T::TaoWeight::get() }
	}

	/// The pool is shared pro rata to `alpha + tao_weight · root` among validating validators;
	/// each share is split into root and alpha parts by `tao_weight · root / weight`. Both
	/// divisions round down; the dust stays in the pool.
	fn epoch_dividends(netuid: NetUid) -> EpochDividends<T::AccountId> {
		let tao_weight = T::TaoWeight::get();
		let pool = Pallet::<T>::pending_emission(netuid);
		let mut out = EpochDividends::default();
		let mut weights: BTreeMap<T::AccountId, (Balance, Balance)> = BTreeMap::new();
		let mut total_weight: Balance = 0;
		for (who, v) in Validators::<T>::iter_prefix(netuid) {
			out.validators_read = out.validators_read.saturating_add(1);
			if v.root_stake > 0 {
				out.root_stakes.insert(who.clone(), v.root_stake);
			}
			if v.validating {
				let weighted_root = tao_weight.mul_floor(v.root_stake);
				let weight = v.alpha_stake.saturating_add(weighted_root);
				total_weight = total_weight.saturating_add(weight);
				weights.insert(who, (weight, weighted_root));
			}
		}
		for (who, (weight, weighted_root)) in weights {
			let dividend = mul_div_floor(pool, weight, total_weight);
			let root = mul_div_floor(dividend, weighted_root, weight);
			let alpha = dividend.saturating_sub(root);
			if alpha > 0 {
				out.alpha.insert(who.clone(), alpha);
			}
			if root > 0 {
				out.root.insert(who, root);
			}
		}
		out
	}

	/// Adds each subnet's amount to its pending emission: one read and one write for all
	/// subnets. An amount that cannot be recorded (the table is full) is handed back.
	fn deliver_block_emission(amounts: &BTreeMap<NetUid, Balance>) -> Balance {
		let mut lost: Balance = 0;
		PendingEmission::<T>::mutate(|pending| {
			for (netuid, amount) in amounts {
				match pending.get_mut(netuid) {
					Some(p) => *p = p.saturating_add(*amount),
					None =>
						if pending.try_insert(*netuid, *amount).is_err() {
							lost = lost.saturating_add(*amount);
						},
				}
			}
		});
		if lost > 0 {
			log::error!(target: "runtime::subnets", "pending emission table full: {lost} handed back");
		}
		lost
	}

	/// Mints each validator its alpha and root dividends out of the subnet's pending emission,
	/// and takes `recycle` (capped root dividends) out of it, so that no later epoch pays it to
	/// anyone. A payment that cannot be made (below a new account's existential deposit) stays
	/// pending. Returns what was taken for recycling.
	fn deliver_epoch_dividends(
		netuid: NetUid,
		dividends: EpochDividends<T::AccountId>,
		recycle: Balance,
	) -> Balance {
		let mut payees: BTreeMap<T::AccountId, (Balance, Balance)> = BTreeMap::new();
		for (who, alpha) in dividends.alpha {
			payees.entry(who).or_default().0 = alpha;
		}
		for (who, root) in dividends.root {
			payees.entry(who).or_default().1 = root;
		}
		let mut available = Pallet::<T>::pending_emission(netuid);
		let taken = recycle.min(available);
		available = available.saturating_sub(taken);
		let mut paid: Balance = 0;
		for (who, (alpha, root)) in payees {
			let amount = alpha.saturating_add(root);
			if amount == 0 || amount > available.saturating_sub(paid) {
				continue;
			}
			if T::Currency::mint_into(&who, amount).is_ok() {
				paid = paid.saturating_add(amount);
				Pallet::<T>::deposit_event(Event::DividendsPaid {
					netuid,
					validator: who,
					alpha,
					root,
				});
			}
		}
		let out = paid.saturating_add(taken);
		if out > 0 {
			PendingEmission::<T>::mutate(|pending| {
				if let Some(p) = pending.get_mut(&netuid) {
					*p = p.saturating_sub(out);
				}
			});
		}
		taken
	}

	fn pending_emission_total() -> Balance {
		PendingEmission::<T>::get().values().fold(0, |acc: Balance, p| acc.saturating_add(*p))
	}
}
