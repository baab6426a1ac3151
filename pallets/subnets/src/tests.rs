//! Unit tests of the subnets pallet and of its glue implementation.

#![allow(clippy::arithmetic_side_effects)]

use crate::{
	mock::*, AlphaBalances, Error, Event, Floor, Owed, Unclaimed, UnclaimedTotal, Validators,
};
use frame_support::{assert_noop, assert_ok};
use pallet_emission::traits::SubnetEconomy;
use sp_runtime::{DispatchError, Perbill};

type Glue = crate::Pallet<Test>;

fn register(netuid: u16, tempo: u16, weight: u64) {
	assert_ok!(Subnets::register_subnet(RuntimeOrigin::root(), netuid, tempo, weight));
}

fn validator(netuid: u16, who: u64, root: u128, alpha: u128) {
	assert_ok!(Subnets::register_validator(RuntimeOrigin::root(), netuid, who, root, alpha));
}

#[test]
fn register_subnet_is_reported_in_netuid_order() {
	execute(|| {
		register(2, 10, 5);
		register(1, 3, 7);
		System::assert_has_event(
			Event::SubnetRegistered { netuid: 2, tempo: 10, base_weight: 5 }.into(),
		);
		assert_eq!(
			Subnets::subnet(2),
			Some(crate::SubnetDetails { tempo: 10, base_weight: 5, validators: 0 })
		);
		let reported: Vec<(u16, u64, u16)> =
			Glue::subnets().iter().map(|s| (s.netuid, s.base_weight, s.tempo)).collect();
		assert_eq!(reported, vec![(1, 7, 3), (2, 5, 10)]);
	});
}

#[test]
fn register_subnet_errors() {
	execute(|| {
		register(1, 3, 7);
		assert_noop!(
			Subnets::register_subnet(RuntimeOrigin::root(), 1, 3, 7),
			Error::<Test>::SubnetExists
		);
		assert_noop!(
			Subnets::register_subnet(RuntimeOrigin::signed(1), 2, 3, 7),
			DispatchError::BadOrigin
		);
		for n in 2..=4 {
			register(n, 1, 1);
		}
		assert_noop!(
			Subnets::register_subnet(RuntimeOrigin::root(), 5, 3, 7),
			Error::<Test>::TooManySubnets
		);
	});
}

#[test]
fn remove_subnet_removes_validators_and_tells_the_emission_side() {
	execute(|| {
		register(1, 3, 7);
		validator(1, 1, 100, 100);
		assert_ok!(Subnets::remove_subnet(RuntimeOrigin::root(), 1));
		assert!(Validators::<Test>::get(1, 1).is_none());
		assert!(Glue::subnets().is_empty());
		assert_eq!(REMOVED.with(|r| r.borrow().clone()), vec![(1, 0)]);
		System::assert_last_event(Event::SubnetRemoved { netuid: 1 }.into());
		assert_noop!(
			Subnets::remove_subnet(RuntimeOrigin::root(), 1),
			Error::<Test>::SubnetNotFound
		);
		assert_noop!(Subnets::remove_subnet(RuntimeOrigin::signed(1), 1), DispatchError::BadOrigin);
	});
}

#[test]
fn set_base_weight_and_tempo() {
	execute(|| {
		register(1, 3, 7);
		assert_ok!(Subnets::set_base_weight(RuntimeOrigin::root(), 1, 9));
		System::assert_last_event(Event::BaseWeightSet { netuid: 1, old: 7, new: 9 }.into());
		assert_ok!(Subnets::set_tempo(RuntimeOrigin::root(), 1, 0));
		System::assert_last_event(Event::TempoSet { netuid: 1, old: 3, new: 0 }.into());
		assert_eq!(Glue::subnets()[0].base_weight, 9);
		assert_eq!(Glue::subnets()[0].tempo, 0);
		assert_noop!(
			Subnets::set_base_weight(RuntimeOrigin::root(), 2, 9),
			Error::<Test>::SubnetNotFound
		);
		assert_noop!(
			Subnets::set_tempo(RuntimeOrigin::root(), 2, 9),
			Error::<Test>::SubnetNotFound
		);
		assert_noop!(
			Subnets::set_base_weight(RuntimeOrigin::signed(1), 1, 9),
			DispatchError::BadOrigin
		);
		assert_noop!(Subnets::set_tempo(RuntimeOrigin::signed(1), 1, 9), DispatchError::BadOrigin);
	});
}

#[test]
fn validator_registration_errors() {
	execute(|| {
		assert_noop!(
			Subnets::register_validator(RuntimeOrigin::root(), 1, 1, 10, 10),
			Error::<Test>::SubnetNotFound
		);
		register(1, 3, 7);
		assert_noop!(
			Subnets::register_validator(RuntimeOrigin::root(), 1, 1, 0, 0),
			Error::<Test>::ZeroStake
		);
		validator(1, 1, 10, 0);
		assert_noop!(
			Subnets::register_validator(RuntimeOrigin::root(), 1, 1, 10, 10),
			Error::<Test>::ValidatorExists
		);
		validator(1, 2, 0, 10);
		validator(1, 3, 10, 10);
		assert_noop!(
			Subnets::register_validator(RuntimeOrigin::root(), 1, 4, 10, 10),
			Error::<Test>::TooManyValidators
		);
		assert_noop!(
			Subnets::register_validator(RuntimeOrigin::signed(1), 1, 5, 10, 10),
			DispatchError::BadOrigin
		);
	});
}

#[test]
fn set_validating_and_remove_validator() {
	execute(|| {
		register(1, 3, 7);
		validator(1, 1, 10, 10);
		assert_ok!(Subnets::set_validating(RuntimeOrigin::root(), 1, 1, false));
		System::assert_last_event(
			Event::ValidatingSet { netuid: 1, validator: 1, validating: false }.into(),
		);
		assert_eq!(Validators::<Test>::get(1, 1).map(|v| v.validating), Some(false));
		assert_noop!(
			Subnets::set_validating(RuntimeOrigin::root(), 1, 2, false),
			Error::<Test>::ValidatorNotFound
		);
		assert_noop!(
			Subnets::set_validating(RuntimeOrigin::signed(1), 1, 1, true),
			DispatchError::BadOrigin
		);
		assert_ok!(Subnets::remove_validator(RuntimeOrigin::root(), 1, 1));
		System::assert_last_event(Event::ValidatorRemoved { netuid: 1, validator: 1 }.into());
		assert_noop!(
			Subnets::remove_validator(RuntimeOrigin::root(), 1, 1),
			Error::<Test>::ValidatorNotFound
		);
		assert_noop!(
			Subnets::remove_validator(RuntimeOrigin::signed(1), 1, 1),
			DispatchError::BadOrigin
		);
	});
}

#[test]
fn root_prop_inputs_sum_the_registered_stakes() {
	execute(|| {
		register(1, 3, 7);
		validator(1, 1, 100, 20);
		validator(1, 2, 300, 40);
		let inputs = Glue::root_prop_inputs(1);
		assert_eq!((inputs.root_stake, inputs.alpha_stake), (400, 60));
		assert_eq!(inputs.tao_weight, Perbill::from_percent(50));
	});
}

#[test]
fn epoch_dividends_are_pro_rata_among_validating_validators() {
	execute(|| {
		register(1, 3, 7);
		// Weights with tao_weight 1/2: v1 = 100 + 100 = 200, v2 = 0 + 200 = 200, v3 stopped.
		validator(1, 1, 200, 100);
		validator(1, 2, 400, 0);
		validator(1, 3, 600, 0);
		assert_ok!(Subnets::set_validating(RuntimeOrigin::root(), 1, 3, false));
		Glue::deliver_block_emission(&[(1, 1_000)].into());
		assert_eq!(Subnets::pending_emission(1), 1_000);

		let d = Glue::epoch_dividends(1, 1);
		// v1: 500, of which root 100/200 = 250; v2: 500, all root.
		assert_eq!(d.alpha.get(&1), Some(&250));
		assert_eq!(d.root.get(&1), Some(&250));
		assert_eq!(d.root.get(&2), Some(&500));
		assert_eq!(d.alpha.get(&2), None);
		assert_eq!(d.root_stakes.len(), 3);
		assert_eq!(d.root_stakes.get(&3), Some(&600));
	});
}

#[test]
fn delivered_dividends_are_credited_claimed_and_capped_root_leaves_the_pool() {
	execute(|| {
		register(1, 3, 7);
		validator(1, 1, 200, 100);
		validator(1, 2, 400, 0);
		Glue::deliver_block_emission(&[(1, 1_000)].into());
		let mut d = Glue::epoch_dividends(1, 1);
		// The hard cap fired: root dividends (750) recycled, alpha (250) credited.
		let root_total: u128 = d.root.values().sum();
		d.root.clear();
		assert_eq!(root_total, 750);
		assert_eq!(Glue::deliver_epoch_dividends(1, 1, d, root_total), 750);
		// Credited, not minted: nobody's balance moved, the 250 is owed.
		assert_eq!(Balances::free_balance(1), 1_000);
		assert_eq!(Balances::free_balance(2), 1_000);
		assert_eq!(Subnets::unclaimed(1, &1), Owed { tao: 250, alpha: 0 });
		assert_eq!(Subnets::unclaimed(1, &2), Owed::default());
		assert_eq!(UnclaimedTotal::<Test>::get(), 250);
		// Before the fix the 750 stayed pending and the next epoch paid it, root stake included.
		assert_eq!(Subnets::pending_emission(1), 0);
		// Issued and in no account: the owed 250.
		assert_eq!(Glue::pending_emission_total(), 250);
		System::assert_has_event(
			Event::DividendsCredited {
				netuid: 1,
				validator: 1,
				alpha: 250,
				root: 0,
				alpha_in_alpha: 0,
				root_in_alpha: 0,
			}
			.into(),
		);
		// A later epoch credits nobody: nothing capped comes back to root stake.
		let next = Glue::epoch_dividends(1, 1);
		assert!(next.root.is_empty() && next.alpha.is_empty());

		assert_ok!(Subnets::claim_dividends(RuntimeOrigin::signed(1), 1));
		assert_eq!(Balances::free_balance(1), 1_250);
		assert_eq!(UnclaimedTotal::<Test>::get(), 0);
		assert_eq!(Glue::pending_emission_total(), 0);
		assert!(!Unclaimed::<Test>::contains_key(1));
		System::assert_last_event(
			Event::DividendsClaimed { netuid: 1, validator: 1, tao: 250, alpha: 0 }.into(),
		);
	});
}

#[test]
fn epochs_add_up_in_the_ledger_until_claimed() {
	execute(|| {
		AlphaEmission::set(10);
		register(1, 1, 7);
		// Tao weight 1/2: v1 weight 100 + 50 = 150 (root 50), v2 50 + 0 = 50.
		validator(1, 1, 100, 100);
		validator(1, 2, 0, 50);
		for _ in 0..2 {
			Glue::deliver_block_emission(&[(1, 1_000)].into());
			let d = Glue::epoch_dividends(1, 1);
			assert_eq!(Glue::deliver_epoch_dividends(1, 1, d, 0), 0);
		}
		// Each epoch: pending 1,000 → v1 750 (root 250), v2 250; alpha 2 × 10 = 20 → v1 15, v2 5.
		assert_eq!(Subnets::unclaimed(1, &1), Owed { tao: 1_500, alpha: 30 });
		assert_eq!(Subnets::unclaimed(1, &2), Owed { tao: 500, alpha: 10 });
		assert_eq!(UnclaimedTotal::<Test>::get(), 2_000);
		assert_eq!(Glue::pending_emission_total(), 2_000);
		assert_ok!(Subnets::claim_dividends(RuntimeOrigin::signed(2), 1));
		assert_eq!(Balances::free_balance(2), 1_500);
		assert_eq!(AlphaBalances::<Test>::get(1, 2), 10);
		assert_eq!(Subnets::unclaimed(1, &2), Owed::default());
		assert_eq!(Subnets::unclaimed(1, &1), Owed { tao: 1_500, alpha: 30 });
		assert_eq!(UnclaimedTotal::<Test>::get(), 1_500);
		// Claimed once: nothing left.
		assert_noop!(
			Subnets::claim_dividends(RuntimeOrigin::signed(2), 1),
			Error::<Test>::NothingToClaim
		);
	});
}

#[test]
fn claim_errors_change_nothing() {
	execute(|| {
		register(1, 3, 7);
		validator(1, 1, 0, 100);
		// Account 20 has no balance; the existential deposit is 10.
		validator(1, 20, 0, 100);
		Glue::deliver_block_emission(&[(1, 18)].into());
		let d = Glue::epoch_dividends(1, 1);
		assert_eq!(Glue::deliver_epoch_dividends(1, 1, d, 0), 0);
		assert_eq!(Subnets::unclaimed(1, &20), Owed { tao: 9, alpha: 0 });
		assert_noop!(Subnets::claim_dividends(RuntimeOrigin::root(), 1), DispatchError::BadOrigin);
		assert_noop!(Subnets::claim_dividends(RuntimeOrigin::none(), 1), DispatchError::BadOrigin);
		// Another subnet, and a caller owed nothing.
		assert_noop!(
			Subnets::claim_dividends(RuntimeOrigin::signed(1), 2),
			Error::<Test>::NothingToClaim
		);
		assert_noop!(
			Subnets::claim_dividends(RuntimeOrigin::signed(3), 1),
			Error::<Test>::NothingToClaim
		);
		// 9 cannot open an account: it stays owed.
		assert_noop!(
			Subnets::claim_dividends(RuntimeOrigin::signed(20), 1),
			Error::<Test>::ClaimBelowMinimum
		);
		assert_eq!(UnclaimedTotal::<Test>::get(), 18);
	});
}

#[test]
fn a_leaving_validator_is_paid_out_and_what_cannot_be_minted_returns_to_pending() {
	execute(|| {
		AlphaEmission::set(10);
		register(1, 0, 7);
		validator(1, 1, 0, 100);
		validator(1, 20, 0, 100);
		Glue::deliver_block_emission(&[(1, 18)].into());
		let d = Glue::epoch_dividends(1, 1);
		assert_eq!(Glue::deliver_epoch_dividends(1, 1, d, 0), 0);
		// 18 pending: 9 each; 10 alpha: 5 each.
		assert_eq!(Subnets::unclaimed(1, &1), Owed { tao: 9, alpha: 5 });
		assert_ok!(Subnets::remove_validator(RuntimeOrigin::root(), 1, 1));
		assert_eq!(Balances::free_balance(1), 1_009);
		assert_eq!(AlphaBalances::<Test>::get(1, 1), 5);
		System::assert_has_event(
			Event::DividendsClaimed { netuid: 1, validator: 1, tao: 9, alpha: 5 }.into(),
		);
		// Account 20 cannot receive 9 (below the existential deposit): back to the pending.
		assert_ok!(Subnets::remove_validator(RuntimeOrigin::root(), 1, 20));
		assert_eq!(Balances::free_balance(20), 0);
		assert_eq!(AlphaBalances::<Test>::get(1, 20), 5);
		assert_eq!(Subnets::pending_emission(1), 9);
		System::assert_has_event(
			Event::DividendsReturned { netuid: 1, validator: 20, amount: 9 }.into(),
		);
		assert_eq!(UnclaimedTotal::<Test>::get(), 0);
		assert_eq!(Glue::pending_emission_total(), 9);
		assert!(!Unclaimed::<Test>::contains_key(1));
	});
}

#[test]
fn a_removed_subnet_pays_its_validators_out_first() {
	execute(|| {
		register(1, 0, 7);
		validator(1, 1, 0, 100);
		validator(1, 20, 0, 100);
		Glue::deliver_block_emission(&[(1, 19)].into());
		let d = Glue::epoch_dividends(1, 1);
		assert_eq!(Glue::deliver_epoch_dividends(1, 1, d, 0), 0);
		// 9 each, 1 of dust pending.
		assert_eq!(Subnets::pending_emission(1), 1);
		assert_ok!(Subnets::remove_subnet(RuntimeOrigin::root(), 1));
		assert_eq!(Balances::free_balance(1), 1_009);
		// Account 20's 9 could not be minted: with the dust it goes to the emission side.
		assert_eq!(REMOVED.with(|r| r.borrow().clone()), vec![(1, 10)]);
		assert_eq!(UnclaimedTotal::<Test>::get(), 0);
		assert_eq!(Glue::pending_emission_total(), 0);
		assert!(!Unclaimed::<Test>::contains_key(1));
	});
}

#[test]
fn removing_a_subnet_hands_its_pending_emission_over() {
	execute(|| {
		register(1, 3, 7);
		register(2, 3, 7);
		Glue::deliver_block_emission(&[(1, 1_667), (2, 5)].into());
		assert_eq!(Glue::pending_emission_total(), 1_672);
		assert_ok!(Subnets::remove_subnet(RuntimeOrigin::root(), 1));
		// Before the fix the entry was dropped and the removal reported nothing.
		assert_eq!(REMOVED.with(|r| r.borrow().clone()), vec![(1, 1_667)]);
		assert_eq!(Glue::pending_emission_total(), 5);
	});
}

#[test]
fn block_emission_the_table_cannot_hold_is_handed_back() {
	execute(|| {
		// `MaxSubnets` is 4: a fifth netuid cannot be recorded.
		for netuid in 1..=4 {
			register(netuid, 3, 7);
		}
		let amounts = [(1, 10), (2, 20), (3, 30), (4, 40), (5, 50)].into();
		assert_eq!(Glue::deliver_block_emission(&amounts), 50);
		assert_eq!(Glue::pending_emission_total(), 100);
	});
}

#[test]
fn the_floor_is_set_cleared_and_read() {
	execute(|| {
		assert_eq!(Floor::<Test>::get(), None);
		assert_ok!(Subnets::set_floor(RuntimeOrigin::root(), Some(50)));
		System::assert_last_event(Event::FloorSet { old: None, new: Some(50) }.into());
		assert_eq!(Floor::<Test>::get(), Some(50));
		assert_ok!(Subnets::set_floor(RuntimeOrigin::root(), None));
		System::assert_last_event(Event::FloorSet { old: Some(50), new: None }.into());
		assert_eq!(Floor::<Test>::get(), None);
		assert_noop!(
			Subnets::set_floor(RuntimeOrigin::signed(1), Some(1)),
			DispatchError::BadOrigin
		);
	});
}

#[test]
fn an_epoch_pays_out_of_the_subnets_alpha_emission_too_and_capped_root_alpha_is_recycled() {
	execute(|| {
		// Tempo 3: an epoch pays 4 blocks of alpha emission, 100 each: 400 alpha.
		AlphaEmission::set(100);
		register(1, 3, 7);
		// Weights with tao_weight 1/2: v1 = 100 + 100 = 200, v2 = 0 + 200 = 200.
		validator(1, 1, 200, 100);
		validator(1, 2, 400, 0);
		Glue::deliver_block_emission(&[(1, 1_000)].into());
		let d = Glue::epoch_dividends(1, 1);
		// Pending 1,000: v1 500 (root 250), v2 500 (root 500). Alpha 400: v1 200 (root 100), v2
		// 200 (root 200). Reported as the sums.
		assert_eq!(d.alpha.get(&1), Some(&350));
		assert_eq!(d.root.get(&1), Some(&350));
		assert_eq!(d.root.get(&2), Some(&700));
		assert_eq!(d.validators_read, 2);
		// The cap fired: the pending part of the root dividends (750) is taken out of the pending
		// emission, the alpha part (300) recycled as alpha; alpha dividends are paid.
		let mut capped = d.clone();
		capped.root.clear();
		assert_eq!(Glue::deliver_epoch_dividends(1, 1, capped, 1_050), 750);
		assert_eq!(Subnets::unclaimed(1, &1), Owed { tao: 250, alpha: 100 });
		assert_eq!(Subnets::unclaimed(1, &2), Owed::default());
		assert_eq!(AlphaBalances::<Test>::get(1, 1), 0);
		assert_eq!(crate::AlphaRecycled::<Test>::get(), 300);
		assert_eq!(Subnets::pending_emission(1), 0);
		assert_ok!(Subnets::claim_dividends(RuntimeOrigin::signed(1), 1));
		assert_eq!(Balances::free_balance(1), 1_250);
		assert_eq!(Balances::free_balance(2), 1_000);
		assert_eq!(AlphaBalances::<Test>::get(1, 1), 100);
		assert_eq!(AlphaBalances::<Test>::get(1, 2), 0);
	});
}

#[test]
fn a_subnet_without_pending_emission_still_has_alpha_dividends() {
	execute(|| {
		AlphaEmission::set(100);
		register(1, 4, 7);
		validator(1, 1, 200, 100);
		// No share of the block emission at all: before, no dividends, so no utilization and no
		// way back from ERP 0. Now 5 blocks of alpha: 500, root part 100/200.
		let d = Glue::epoch_dividends(1, 1);
		assert_eq!(d.alpha.get(&1), Some(&250));
		assert_eq!(d.root.get(&1), Some(&250));
		assert_eq!(Glue::deliver_epoch_dividends(1, 1, d, 0), 0);
		assert_eq!(Subnets::unclaimed(1, &1), Owed { tao: 0, alpha: 500 });
		assert_ok!(Subnets::claim_dividends(RuntimeOrigin::signed(1), 1));
		assert_eq!(AlphaBalances::<Test>::get(1, 1), 500);
		assert_eq!(Balances::free_balance(1), 1_000);
	});
}

#[test]
fn a_settlement_of_merged_epochs_pays_each_due_epoch_its_alpha() {
	execute(|| {
		AlphaEmission::set(10);
		register(1, 1, 7);
		// Tao weight 1/2: v1 weight 100 + 50 = 150 (root 50), v2 50 + 0 = 50.
		validator(1, 1, 100, 100);
		validator(1, 2, 0, 50);
		// Three due epochs settled at once (the subnet waited in the emission pallet's queue):
		// alpha 3 × (tempo 1 + 1) × 10 = 60 → v1 60 · 150/200 = 45 (root 45 · 50/150 = 15), v2 15.
		// Before issue 29 a settlement paid one epoch's 20 however many fell due.
		let d = Glue::epoch_dividends(1, 3);
		assert_eq!(
			(d.alpha.get(&1), d.root.get(&1), d.alpha.get(&2)),
			(Some(&30), Some(&15), Some(&15))
		);
		assert_eq!(Glue::deliver_epoch_dividends(1, 3, d, 0), 0);
		assert_eq!(Subnets::unclaimed(1, &1), Owed { tao: 0, alpha: 45 });
		assert_eq!(Subnets::unclaimed(1, &2), Owed { tao: 0, alpha: 15 });
	});
}

#[test]
fn a_removed_subnets_alpha_is_cleared_before_its_netuid_returns() {
	execute(|| {
		register(1, 4, 7);
		for who in 1..=3 {
			validator(1, who, 100, 100);
		}
		// Three holders of subnet 1's alpha, written by hand: 10 + 20 + 30.
		for who in 1..=3u64 {
			AlphaBalances::<Test>::insert(1, who, u128::from(who) * 10);
		}
		assert_ok!(Subnets::remove_subnet(RuntimeOrigin::root(), 1));
		// The removal leaves them; the netuid cannot come back while they exist.
		assert_eq!(AlphaBalances::<Test>::get(1, 3), 30);
		assert_noop!(
			Subnets::register_subnet(RuntimeOrigin::root(), 1, 4, 7),
			Error::<Test>::AlphaNotCleared
		);
		// Each invalid call fails and changes nothing.
		assert_noop!(Subnets::clear_alpha(RuntimeOrigin::root(), 1, 2), DispatchError::BadOrigin);
		assert_noop!(Subnets::clear_alpha(RuntimeOrigin::none(), 1, 2), DispatchError::BadOrigin);
		assert_noop!(
			Subnets::clear_alpha(RuntimeOrigin::signed(9), 1, 0),
			Error::<Test>::ZeroLimit
		);
		assert_noop!(
			Subnets::clear_alpha(RuntimeOrigin::signed(9), 2, 5),
			Error::<Test>::NoAlphaToClear
		);
		register(2, 4, 7);
		AlphaBalances::<Test>::insert(2, 5, 1);
		assert_noop!(
			Subnets::clear_alpha(RuntimeOrigin::signed(9), 2, 5),
			Error::<Test>::SubnetStillRegistered
		);
		// Anyone clears, two at a time (hash order: which two is not fixed, how many is).
		assert_ok!(Subnets::clear_alpha(RuntimeOrigin::signed(9), 1, 2));
		let first = System::events()
			.into_iter()
			.find_map(|r| match r.event {
				RuntimeEvent::Subnets(Event::AlphaCleared {
					netuid,
					holders,
					amount,
					remaining,
				}) => Some((netuid, holders, amount, remaining)),
				_ => None,
			})
			.unwrap();
		assert_eq!((first.0, first.1, first.3), (1, 2, true));
		assert!([30, 40, 50].contains(&first.2));
		assert_noop!(
			Subnets::register_subnet(RuntimeOrigin::root(), 1, 4, 7),
			Error::<Test>::AlphaNotCleared
		);
		// A limit above MaxAlphaClear (4) is capped; one holder is left.
		assert_ok!(Subnets::clear_alpha(RuntimeOrigin::signed(9), 1, 1_000));
		System::assert_last_event(
			Event::AlphaCleared { netuid: 1, holders: 1, amount: 60 - first.2, remaining: false }
				.into(),
		);
		assert_eq!(AlphaBalances::<Test>::iter_prefix(1).count(), 0);
		assert_noop!(
			Subnets::clear_alpha(RuntimeOrigin::signed(9), 1, 1),
			Error::<Test>::NoAlphaToClear
		);
		// The netuid returns with nothing inherited; subnet 2's alpha was never touched.
		register(1, 4, 7);
		assert_eq!(AlphaBalances::<Test>::get(1, 1), 0);
		assert_eq!(AlphaBalances::<Test>::get(2, 5), 1);
	});
}
