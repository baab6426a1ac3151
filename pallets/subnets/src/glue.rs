//! The emission pallet's glue trait, implemented over this pallet's subnets and balances.

use crate::{
	AlphaRecycled, Config, Event, Pallet, PendingEmission, Subnets, Unclaimed, UnclaimedTotal,
	Validators,
};
use alloc::{collections::BTreeMap, vec::Vec};
use frame_support::traits::Get;
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

	/// The pools (the pending emission and each due epoch's alpha emission) are shared pro rata to
	/// `alpha + tao_weight · root` among validating validators; each share is split into root and
	/// alpha parts by `tao_weight · root / weight`. A validator's dividends are the sum over both
	/// pools (alpha valued 1:1). The divisions round down; the dust stays in the pool.
	fn epoch_dividends(netuid: NetUid, epochs: u32) -> EpochDividends<T::AccountId> {
		let split = Pallet::<T>::epoch_split(netuid, epochs);
		let mut out = EpochDividends {
			root_stakes: split.root_stakes,
			validators_read: split.read,
			..Default::default()
		};
		for (who, p) in split.payees {
			let alpha = p.tao_alpha.saturating_add(p.alpha_alpha);
			let root = p.tao_root.saturating_add(p.alpha_root);
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

	/// Credits each validator its dividends in the subnet's [`Unclaimed`] ledger (one read and one
	/// write for all of them; each claims its own): the pending-emission part comes out of the
	/// pending emission, the alpha part out of the epoch's alpha emission. When the cap fired
	/// (`recycle > 0`, the root dividends handed back empty) no root part is credited: the
	/// pending-emission part of the root dividends is taken out of the pending emission (returned:
	/// the emission pallet recycles it), the alpha part is recycled as alpha ([`AlphaRecycled`]).
	fn deliver_epoch_dividends(
		netuid: NetUid,
		epochs: u32,
		dividends: EpochDividends<T::AccountId>,
		recycle: Balance,
	) -> Balance {
		let capped = recycle > 0 && dividends.root.is_empty();
		let split = Pallet::<T>::epoch_split(netuid, epochs);
		let mut available = Pallet::<T>::pending_emission(netuid);
		let (mut tao_root, mut alpha_root) = (0u128, 0u128);
		if capped {
			for p in split.payees.values() {
				tao_root = tao_root.saturating_add(p.tao_root);
				alpha_root = alpha_root.saturating_add(p.alpha_root);
			}
		}
		let taken = tao_root.min(available);
		available = available.saturating_sub(taken);
		let mut ledger = Unclaimed::<T>::get(netuid);
		let mut credited: Balance = 0;
		let mut changed = false;
		for (who, p) in split.payees {
			let (tao_r, alpha_r) = if capped { (0, 0) } else { (p.tao_root, p.alpha_root) };
			// The shares are rounded down, so they never exceed the pool; checked all the same.
			let amount = p.tao_alpha.saturating_add(tao_r);
			let tao = if amount <= available.saturating_sub(credited) { amount } else { 0 };
			let alpha = p.alpha_alpha.saturating_add(alpha_r);
			if tao == 0 && alpha == 0 {
				continue;
			}
			let mut entry = ledger.get(&who).copied().unwrap_or_default();
			entry.tao = entry.tao.saturating_add(tao);
			entry.alpha = entry.alpha.saturating_add(alpha);
			// Replaces an entry; fails only for a new one with the table full, which cannot be
			// (only registered validators are paid, at most `MaxValidatorsPerSubnet`).
			if ledger.try_insert(who.clone(), entry).is_err() {
				log::error!(target: "runtime::subnets", "unclaimed ledger of subnet {netuid} full");
				continue;
			}
			changed = true;
			credited = credited.saturating_add(tao);
			// One event per validator for both pools (an epoch's cost is per validator).
			let (alpha_part, root_part) = if tao > 0 { (p.tao_alpha, tao_r) } else { (0, 0) };
			Pallet::<T>::deposit_event(Event::DividendsCredited {
				netuid,
				validator: who,
				alpha: alpha_part,
				root: root_part,
				alpha_in_alpha: p.alpha_alpha,
				root_in_alpha: alpha_r,
			});
		}
		if changed {
			Pallet::<T>::put_ledger(netuid, ledger);
		}
		if credited > 0 {
			UnclaimedTotal::<T>::mutate(|t| *t = t.saturating_add(credited));
		}
		if alpha_root > 0 {
			AlphaRecycled::<T>::mutate(|r| *r = r.saturating_add(alpha_root));
			Pallet::<T>::deposit_event(Event::AlphaRecycled { netuid, amount: alpha_root });
		}
		let out = credited.saturating_add(taken);
		if out > 0 {
			PendingEmission::<T>::mutate(|pending| {
				if let Some(p) = pending.get_mut(&netuid) {
					*p = p.saturating_sub(out);
				}
			});
		}
		taken
	}

	/// Issued and in no account yet: the subnets' pending emission and the dividends credited
	/// to validators and not claimed.
	fn pending_emission_total() -> Balance {
		PendingEmission::<T>::get()
			.values()
			.fold(UnclaimedTotal::<T>::get(), |acc: Balance, p| acc.saturating_add(*p))
	}
}

/// One validator's epoch dividends, by pool and part.
#[derive(Clone, Copy, Default, Debug, PartialEq, Eq)]
pub struct Payee {
	/// From the pending emission: the alpha-stake part.
	pub tao_alpha: Balance,
	/// From the pending emission: the root-stake part.
	pub tao_root: Balance,
	/// From the epoch's alpha emission: the alpha-stake part.
	pub alpha_alpha: Balance,
	/// From the epoch's alpha emission: the root-stake part.
	pub alpha_root: Balance,
}

/// A subnet epoch's dividends before the hard cap, by validator and pool.
pub struct EpochSplit<AccountId> {
	/// Validating validators with a weight.
	pub payees: BTreeMap<AccountId, Payee>,
	/// Root stake of each registered validator with root stake.
	pub root_stakes: BTreeMap<AccountId, Balance>,
	/// Registered validators read.
	pub read: u32,
}

impl<T: Config> Pallet<T> {
	/// The split of subnet `netuid`'s epoch pools over `epochs` due epochs (its pending emission
	/// and `epochs × (tempo + 1) × AlphaEmission` alpha: each due epoch's alpha, also of epochs
	/// that fell due while the subnet waited in the emission pallet's queue): each pool pro rata
	/// to `alpha + tao_weight · root` among validating validators, each share into root and alpha
	/// parts by `tao_weight · root / weight`, both rounded down. A function of state that an
	/// epoch does not change before it pays, so `epoch_dividends` and `deliver_epoch_dividends`
	/// agree.
	pub fn epoch_split(netuid: NetUid, epochs: u32) -> EpochSplit<T::AccountId> {
		let tao_weight = T::TaoWeight::get();
		let tao_pool = Pallet::<T>::pending_emission(netuid);
		let blocks = Pallet::<T>::subnet(netuid).map_or(0, |s| {
			u128::from(s.tempo).saturating_add(1).saturating_mul(u128::from(epochs))
		});
		let alpha_pool = T::AlphaEmission::get().saturating_mul(blocks);
		let mut weights: Vec<(T::AccountId, Balance, Balance)> = Vec::new();
		let mut total_weight: Balance = 0;
		let mut root_stakes = BTreeMap::new();
		let mut read = 0u32;
		for (who, v) in Validators::<T>::iter_prefix(netuid) {
			read = read.saturating_add(1);
			if v.root_stake > 0 {
				root_stakes.insert(who.clone(), v.root_stake);
			}
			if v.validating {
				let weighted_root = tao_weight.mul_floor(v.root_stake);
				let weight = v.alpha_stake.saturating_add(weighted_root);
				total_weight = total_weight.saturating_add(weight);
				weights.push((who, weight, weighted_root));
			}
		}
		let mut payees = BTreeMap::new();
		for (who, weight, weighted_root) in weights {
			let share = |pool: Balance| {
				let dividend = mul_div_floor(pool, weight, total_weight);
				let root = mul_div_floor(dividend, weighted_root, weight);
				(dividend.saturating_sub(root), root)
			};
			let (tao_alpha, tao_root) = share(tao_pool);
			let (alpha_alpha, alpha_root) = share(alpha_pool);
			payees.insert(who, Payee { tao_alpha, tao_root, alpha_alpha, alpha_root });
		}
		EpochSplit { payees, root_stakes, read }
	}
}
