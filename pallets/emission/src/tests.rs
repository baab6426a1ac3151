//! Unit tests of the emission pallet on the mock runtime.

#![allow(clippy::arithmetic_side_effects)]

use crate::{
	math, mock::*, traits::OnSubnetRemoved, types::EmissionSchedule, ActiveTine, CurrentTurn,
	EffectiveRootProp, EffectiveRootPropEmissionScaling, EmissionTopSubnetAbsoluteLimit,
	EmissionTopSubnetProportion, EpochQueue, Error, Event, Feeders, LastEpoch, LastFork,
	MeasureWeights, NetUid, ReadingQuorum, RootProp, ScalingInputs, Schedule, Submissions, Tines,
	TotalIssued, TotalRecycled, TurnLength,
};
use frame_support::{assert_noop, assert_ok, traits::BuildGenesisConfig};
use sp_runtime::{DispatchError, Perbill, Permill, Perquintill};
use substrate_fixed::types::U96F32;

fn fx(num: u64, den: u64) -> U96F32 {
	U96F32::from_num(num).checked_div(U96F32::from_num(den)).unwrap()
}

/// Record a subnet's `EffectiveRootProp` and `RootProp` as its epoch would: the two maps and the
/// hook's table.
fn set_root_props(netuid: NetUid, erp: U96F32, root_prop: U96F32) {
	EffectiveRootProp::<Test>::insert(netuid, erp);
	RootProp::<Test>::insert(netuid, root_prop);
	ScalingInputs::<Test>::mutate(|t| t.try_insert(netuid, (erp, root_prop)).unwrap());
}

/// A schedule of `initial` per block, decaying 50 % every 10 blocks, no cap.
const SCHEDULE: (u128, Perquintill, u32, Option<u128>) =
	(1_000, Perquintill::from_percent(50), 10, None);

fn emission_events() -> Vec<Event<Test>> {
	System::events()
		.into_iter()
		.filter_map(|r| match r.event {
			RuntimeEvent::Emission(e) => Some(e),
			_ => None,
		})
		.collect()
}

// ---- top-subnet proportion ----

#[test]
fn top_subnet_proportion_defaults_to_all_subnets() {
	ExtBuilder::default().build_and_execute(|| {
		assert_eq!(EmissionTopSubnetProportion::<Test>::get(), Permill::one());
		assert_eq!(Emission::emission_top_subnet_proportion(), Permill::one());
	});
}

#[test]
fn set_top_subnet_proportion_by_root_stores_and_emits_old_and_new() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(Emission::set_emission_top_subnet_proportion(
			RuntimeOrigin::root(),
			Permill::from_percent(40)
		));
		assert_eq!(EmissionTopSubnetProportion::<Test>::get(), Permill::from_percent(40));
		System::assert_last_event(
			Event::EmissionTopSubnetProportionSet {
				old: Permill::one(),
				new: Permill::from_percent(40),
			}
			.into(),
		);
		assert_ok!(Emission::set_emission_top_subnet_proportion(
			RuntimeOrigin::root(),
			Permill::from_parts(1)
		));
		assert_eq!(EmissionTopSubnetProportion::<Test>::get(), Permill::from_parts(1));
		System::assert_last_event(
			Event::EmissionTopSubnetProportionSet {
				old: Permill::from_percent(40),
				new: Permill::from_parts(1),
			}
			.into(),
		);
	});
}

#[test]
fn set_top_subnet_proportion_by_signed_origin_is_bad_origin() {
	ExtBuilder::default().build_and_execute(|| {
		assert_noop!(
			Emission::set_emission_top_subnet_proportion(
				RuntimeOrigin::signed(1),
				Permill::from_percent(50)
			),
			DispatchError::BadOrigin
		);
		assert_noop!(
			Emission::set_emission_top_subnet_proportion(
				RuntimeOrigin::none(),
				Permill::from_percent(50)
			),
			DispatchError::BadOrigin
		);
		assert!(System::events().is_empty());
	});
}

#[test]
fn set_top_subnet_proportion_to_zero_is_rejected_and_changes_nothing() {
	ExtBuilder::default()
		.top_subnet_proportion(Permill::from_percent(30))
		.build_and_execute(|| {
			assert_noop!(
				Emission::set_emission_top_subnet_proportion(
					RuntimeOrigin::root(),
					Permill::zero()
				),
				Error::<Test>::ZeroTopSubnetProportion
			);
			assert_eq!(EmissionTopSubnetProportion::<Test>::get(), Permill::from_percent(30));
		});
}

#[test]
#[should_panic(expected = "genesis: the top-subnet proportion must not be 0")]
fn genesis_with_zero_top_subnet_proportion_panics() {
	let genesis = crate::GenesisConfig::<Test> {
		emission_top_subnet_proportion: Some(Permill::zero()),
		..Default::default()
	};
	sp_io::TestExternalities::default().execute_with(|| genesis.build());
}

// ---- ERP scaling switch ----

#[test]
fn set_erp_scaling_by_root_switches_and_emits() {
	ExtBuilder::default().build_and_execute(|| {
		assert!(!EffectiveRootPropEmissionScaling::<Test>::get());
		assert_ok!(Emission::set_effective_root_prop_emission_scaling(RuntimeOrigin::root(), true));
		assert!(EffectiveRootPropEmissionScaling::<Test>::get());
		System::assert_last_event(
			Event::EffectiveRootPropEmissionScalingSet { old: false, new: true }.into(),
		);
	});
}

#[test]
fn set_erp_scaling_by_signed_origin_is_bad_origin() {
	ExtBuilder::default().build_and_execute(|| {
		assert_noop!(
			Emission::set_effective_root_prop_emission_scaling(RuntimeOrigin::signed(1), true),
			DispatchError::BadOrigin
		);
	});
}

// ---- absolute limit ----

#[test]
fn set_absolute_limit_by_root_sets_and_clears() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(Emission::set_emission_top_subnet_absolute_limit(
			RuntimeOrigin::root(),
			Some(3)
		));
		assert_eq!(EmissionTopSubnetAbsoluteLimit::<Test>::get(), Some(3));
		System::assert_last_event(
			Event::EmissionTopSubnetAbsoluteLimitSet { old: None, new: Some(3) }.into(),
		);
		assert_ok!(Emission::set_emission_top_subnet_absolute_limit(RuntimeOrigin::root(), None));
		assert_eq!(EmissionTopSubnetAbsoluteLimit::<Test>::get(), None);
		System::assert_last_event(
			Event::EmissionTopSubnetAbsoluteLimitSet { old: Some(3), new: None }.into(),
		);
	});
}

#[test]
fn set_absolute_limit_to_zero_is_rejected() {
	ExtBuilder::default().build_and_execute(|| {
		assert_noop!(
			Emission::set_emission_top_subnet_absolute_limit(RuntimeOrigin::root(), Some(0)),
			Error::<Test>::ZeroAbsoluteLimit
		);
	});
}

#[test]
fn set_absolute_limit_by_signed_origin_is_bad_origin() {
	ExtBuilder::default().build_and_execute(|| {
		assert_noop!(
			Emission::set_emission_top_subnet_absolute_limit(RuntimeOrigin::signed(1), Some(2)),
			DispatchError::BadOrigin
		);
	});
}

// ---- schedule ----

#[test]
fn set_schedule_by_root_stores_and_emits() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(Emission::set_emission_schedule(
			RuntimeOrigin::root(),
			500,
			Perquintill::from_percent(90),
			100,
			Some(10_000)
		));
		let new = EmissionSchedule {
			initial: 500,
			decay_factor: Perquintill::from_percent(90),
			epoch_length: 100,
			supply_cap: Some(10_000),
		};
		assert_eq!(Schedule::<Test>::get(), Some(new));
		System::assert_last_event(Event::EmissionScheduleSet { old: None, new }.into());
	});
}

#[test]
fn set_schedule_with_decay_factor_one_is_rejected() {
	ExtBuilder::default().build_and_execute(|| {
		assert_noop!(
			Emission::set_emission_schedule(
				RuntimeOrigin::root(),
				500,
				Perquintill::one(),
				100,
				None
			),
			Error::<Test>::DecayFactorNotBelowOne
		);
	});
}

#[test]
fn set_schedule_with_zero_epoch_length_is_rejected() {
	ExtBuilder::default().build_and_execute(|| {
		assert_noop!(
			Emission::set_emission_schedule(
				RuntimeOrigin::root(),
				500,
				Perquintill::from_percent(50),
				0,
				None
			),
			Error::<Test>::ZeroScheduleEpochLength
		);
	});
}

#[test]
fn set_schedule_with_cap_below_issued_is_rejected() {
	ExtBuilder::default().schedule(SCHEDULE).build_and_execute(|| {
		// 1,000 issued to one subnet, held as its pending emission.
		MockEconomy::set_subnets(&[(1, 1, 100)]);
		run_to_block(2);
		assert_eq!(TotalIssued::<Test>::get(), 1_000);
		assert_noop!(
			Emission::set_emission_schedule(
				RuntimeOrigin::root(),
				500,
				Perquintill::from_percent(50),
				10,
				Some(999)
			),
			Error::<Test>::SupplyCapBelowIssued
		);
		// Exactly what was issued is accepted: nothing more will be issued.
		assert_ok!(Emission::set_emission_schedule(
			RuntimeOrigin::root(),
			500,
			Perquintill::from_percent(50),
			10,
			Some(1_000)
		));
	});
}

#[test]
fn set_schedule_by_signed_origin_is_bad_origin() {
	ExtBuilder::default().build_and_execute(|| {
		assert_noop!(
			Emission::set_emission_schedule(
				RuntimeOrigin::signed(1),
				500,
				Perquintill::from_percent(50),
				10,
				None
			),
			DispatchError::BadOrigin
		);
	});
}

// ---- the hook: block emission ----

#[test]
fn without_schedule_nothing_is_issued() {
	ExtBuilder::default().build_and_execute(|| {
		MockEconomy::set_subnets(&[(1, 1, 100)]);
		run_to_block(5);
		assert_eq!(TotalIssued::<Test>::get(), 0);
		assert!(MockEconomy::state().emission.is_empty());
		assert!(emission_events().is_empty());
	});
}

#[test]
fn block_emission_is_split_by_base_weight_and_conserved() {
	ExtBuilder::default().schedule(SCHEDULE).build_and_execute(|| {
		MockEconomy::set_subnets(&[(1, 1, 100), (2, 1, 100), (3, 1, 100)]);
		run_to_block(2);
		// 1000 in thirds: 333 each, 1 unit of dust recycled.
		let state = MockEconomy::state();
		assert_eq!(state.emission.values().copied().collect::<Vec<_>>(), vec![333, 333, 333]);
		assert_eq!(TotalRecycled::<Test>::get(), 1);
		assert_eq!(TotalIssued::<Test>::get(), 1_000);
		System::assert_has_event(
			Event::BlockEmissionDistributed {
				issued: 1_000,
				withheld: 0,
				to_subnets: 999,
				recycled: 1,
				recipients: 3,
			}
			.into(),
		);
	});
}

#[test]
fn emission_with_no_subnets_is_recycled_and_evented() {
	ExtBuilder::default().schedule(SCHEDULE).build_and_execute(|| {
		run_to_block(2);
		assert_eq!(TotalRecycled::<Test>::get(), 1_000);
		System::assert_has_event(
			Event::BlockEmissionDistributed {
				issued: 1_000,
				withheld: 0,
				to_subnets: 0,
				recycled: 1_000,
				recipients: 0,
			}
			.into(),
		);
	});
}

#[test]
fn emission_decays_per_schedule_epoch_and_stops_at_the_cap() {
	ExtBuilder::default()
		.schedule((1_000, Perquintill::from_percent(50), 10, Some(11_000)))
		.build_and_execute(|| {
			MockEconomy::set_subnets(&[(1, 1, 100)]);
			assert_eq!(Emission::scheduled_emission(9), 1_000);
			assert_eq!(Emission::scheduled_emission(10), 500);
			assert_eq!(Emission::scheduled_emission(25), 250);
			// Blocks 2..=9 issue 1000 each (8000), blocks 10..=15 issue 500 each (3000):
			// 11_000, the cap. Nothing more after that.
			run_to_block(15);
			assert_eq!(TotalIssued::<Test>::get(), 11_000);
			run_to_block(20);
			assert_eq!(TotalIssued::<Test>::get(), 11_000);
			assert_eq!(MockEconomy::state().emission[&1], 11_000);
		});
}

#[test]
fn top_proportion_and_limit_zero_exactly_the_expected_subnets() {
	ExtBuilder::default().schedule(SCHEDULE).build_and_execute(|| {
		MockEconomy::set_subnets(&[
			(1, 1, 100),
			(2, 2, 100),
			(3, 3, 100),
			(4, 4, 100),
			(5, 5, 100),
		]);
		// 40 % of 5 subnets: the top 2 (subnets 4 and 5).
		EmissionTopSubnetProportion::<Test>::put(Permill::from_percent(40));
		run_to_block(2);
		let emission = MockEconomy::state().emission;
		assert_eq!(emission.keys().copied().collect::<Vec<_>>(), vec![4, 5]);
		assert_eq!(emission[&4], 444);
		assert_eq!(emission[&5], 555);

		MockEconomy::mutate(|e| e.emission.clear());
		EmissionTopSubnetAbsoluteLimit::<Test>::put(1);
		run_to_block(3);
		let emission = MockEconomy::state().emission;
		assert_eq!(emission.keys().copied().collect::<Vec<_>>(), vec![5]);
		assert_eq!(emission[&5], 1_000);
	});
}

#[test]
fn erp_scaling_moves_emission_toward_higher_effective_root_prop() {
	ExtBuilder::default().schedule(SCHEDULE).build_and_execute(|| {
		MockEconomy::set_subnets(&[(1, 1, 100), (2, 1, 100)]);
		set_root_props(1, fx(3, 4), fx(3, 4));
		set_root_props(2, fx(1, 4), fx(1, 2));
		run_to_block(2);
		assert_eq!(
			MockEconomy::state().emission.values().copied().collect::<Vec<_>>(),
			vec![500, 500]
		);

		EffectiveRootPropEmissionScaling::<Test>::put(true);
		MockEconomy::mutate(|e| e.emission.clear());
		run_to_block(3);
		assert_eq!(
			MockEconomy::state().emission.values().copied().collect::<Vec<_>>(),
			vec![750, 250]
		);
	});
}

#[test]
fn subnets_beyond_max_subnets_are_not_read() {
	ExtBuilder::default().schedule(SCHEDULE).build_and_execute(|| {
		let subnets: Vec<(u16, u64, u16)> = (0..20).map(|n| (n, 1, 100)).collect();
		MockEconomy::set_subnets(&subnets);
		run_to_block(2);
		assert_eq!(MockEconomy::state().emission.len(), 16);
	});
}

// ---- the hook: epochs ----

/// Subnet 1 with tempo 4: its epoch runs when `(block + 2) % 5 == 0`, i.e. at blocks 3, 8, ...
fn one_subnet_with_epoch_at_block_3() {
	MockEconomy::set_subnets(&[(1, 1, 4)]);
	// Emission to pay the epoch from: 1,000 per block, pending 2,000 when it settles.
	Schedule::<Test>::put(EmissionSchedule {
		initial: 1_000,
		decay_factor: Perquintill::from_percent(50),
		epoch_length: 1_000,
		supply_cap: None,
	});
	assert!(math::epoch_is_due(1, 4, 3));
	assert!(!math::epoch_is_due(1, 4, 2));
}

#[test]
fn epoch_with_full_utilization_keeps_root_dividends() {
	ExtBuilder::default().build_and_execute(|| {
		one_subnet_with_epoch_at_block_3();
		MockEconomy::set_epoch(1, &[(10, 300)], &[(20, 60), (21, 40)], &[(20, 600), (21, 400)]);
		MockEconomy::mutate(|e| {
			e.root_prop_inputs.insert(
				1,
				crate::traits::RootPropInputs {
					root_stake: 1_000,
					alpha_stake: 820,
					tao_weight: Perbill::from_percent(18),
				},
			);
		});
		run_to_block(2);
		assert!(MockEconomy::state().delivered.is_empty());
		run_to_block(3);

		let delivered = MockEconomy::state().delivered;
		assert_eq!(delivered.len(), 1);
		let (netuid, dividends, recycled) = &delivered[0];
		assert_eq!((*netuid, *recycled), (1, 0));
		assert_eq!(dividends.root.values().sum::<u128>(), 100);
		// RootProp = 0.18·1000 / (820 + 180) = 0.18; ERP = 100/400 · 1.
		let record = LastEpoch::<Test>::get(1).unwrap();
		assert_eq!(record.block, 3);
		assert_eq!(record.utilization, U96F32::from_num(1u32));
		assert_eq!(record.effective_root_prop, fx(1, 4));
		assert_eq!(record.root_prop, fx(180, 1_000));
		assert!(!record.capped);
		assert_eq!(EffectiveRootProp::<Test>::get(1), Some(fx(1, 4)));
		assert_eq!(RootProp::<Test>::get(1), Some(fx(180, 1_000)));
		System::assert_has_event(
			Event::EpochSettled {
				netuid: 1,
				epochs: 1,
				root_stakes: vec![(20, 600), (21, 400)],
				root_dividends_by_validator: vec![(20, 60), (21, 40)],
				utilization: U96F32::from_num(1u32),
				root_prop: fx(180, 1_000),
				raw_root_prop: fx(1, 4),
				effective_root_prop: fx(1, 4),
				capped: false,
				alpha_dividends: 300,
				root_dividends: 100,
				recycled: 0,
			}
			.into(),
		);
	});
}

#[test]
fn epoch_below_half_utilization_recycles_all_root_dividends_and_zeroes_erp() {
	ExtBuilder::default().build_and_execute(|| {
		one_subnet_with_epoch_at_block_3();
		// Validator 21 (60 % of root stake) stopped validating: utilization 0.4.
		MockEconomy::set_epoch(1, &[(10, 300)], &[(20, 100)], &[(20, 400), (21, 600)]);
		run_to_block(3);

		let (_, dividends, recycled) = MockEconomy::state().delivered[0].clone();
		assert!(dividends.root.is_empty());
		assert_eq!(dividends.alpha.values().sum::<u128>(), 300);
		assert_eq!(recycled, 100);
		let record = LastEpoch::<Test>::get(1).unwrap();
		assert!(record.capped);
		assert_eq!(record.utilization, fx(2, 5));
		assert_eq!(record.effective_root_prop, U96F32::from_num(0u32));
		assert_eq!(EffectiveRootProp::<Test>::get(1), Some(U96F32::from_num(0u32)));
	});
}

#[test]
fn epoch_at_exactly_half_utilization_is_not_capped() {
	ExtBuilder::default().build_and_execute(|| {
		one_subnet_with_epoch_at_block_3();
		MockEconomy::set_epoch(1, &[(10, 100)], &[(20, 100)], &[(20, 500), (21, 500)]);
		run_to_block(3);
		let record = LastEpoch::<Test>::get(1).unwrap();
		assert_eq!(record.utilization, fx(1, 2));
		assert!(!record.capped);
		assert_eq!(record.effective_root_prop, fx(1, 4));
		assert_eq!(MockEconomy::state().delivered[0].2, 0);
	});
}

#[test]
fn epoch_without_root_dividends_is_not_capped() {
	ExtBuilder::default().build_and_execute(|| {
		one_subnet_with_epoch_at_block_3();
		MockEconomy::set_epoch(1, &[(10, 100)], &[], &[(20, 500)]);
		run_to_block(3);
		let record = LastEpoch::<Test>::get(1).unwrap();
		assert!(!record.capped);
		assert_eq!(record.utilization, U96F32::from_num(0u32));
		assert_eq!(record.recycled, 0);
	});
}

#[test]
fn removing_a_subnet_removes_its_state() {
	ExtBuilder::default().build_and_execute(|| {
		one_subnet_with_epoch_at_block_3();
		MockEconomy::set_epoch(1, &[(10, 100)], &[(20, 100)], &[(20, 500)]);
		run_to_block(3);
		assert!(LastEpoch::<Test>::get(1).is_some());
		<Emission as OnSubnetRemoved>::on_subnet_removed(1, 0);
		assert!(LastEpoch::<Test>::get(1).is_none());
		assert!(EffectiveRootProp::<Test>::get(1).is_none());
		assert!(RootProp::<Test>::get(1).is_none());
		System::assert_last_event(Event::SubnetStateRemoved { netuid: 1 }.into());
	});
}

#[test]
fn previews_follow_the_settings_and_the_no_cap_counterfactual() {
	ExtBuilder::default().build_and_execute(|| {
		one_subnet_with_epoch_at_block_3();
		MockEconomy::set_subnets(&[(1, 1, 4), (2, 1, 4)]);
		MockEconomy::set_epoch(1, &[(10, 100)], &[(20, 100)], &[(20, 400), (21, 600)]);
		set_root_props(2, fx(1, 8), fx(1, 2));
		run_to_block(3);
		let erp1 = EffectiveRootProp::<Test>::get(1).unwrap();
		set_root_props(1, erp1, fx(1, 2));
		let settings = math::FilterSettings {
			erp_scaling: true,
			top_proportion: Permill::one(),
			absolute_limit: None,
		};
		// Capped: subnet 1's ERP is 0, subnet 2 takes everything.
		let capped = Emission::filter_stages(settings, true, true);
		assert_eq!(capped.after_absolute_limit[&1], substrate_fixed::types::U64F64::from_num(0));
		// Without the cap subnet 1's ERP would be 1/2 · 2/5 = 1/5 against subnet 2's 1/8.
		let uncapped = Emission::filter_stages(settings, false, true);
		assert!(uncapped.after_absolute_limit[&1] > uncapped.after_absolute_limit[&2]);
	});
}

#[test]
fn try_state_detects_broken_invariants() {
	ExtBuilder::default().build().execute_with(|| {
		assert_ok!(Emission::do_try_state());
		EmissionTopSubnetProportion::<Test>::put(Permill::zero());
		assert!(Emission::do_try_state().is_err());
		EmissionTopSubnetProportion::<Test>::put(Permill::one());
		EffectiveRootProp::<Test>::insert(1, U96F32::from_num(2u32));
		assert!(Emission::do_try_state().is_err());
		EffectiveRootProp::<Test>::remove(1);
		assert_ok!(Emission::do_try_state());
		// A rate for a subnet the chain does not report, and a stored rate of 100 %.
		let rate = |netuid: NetUid, rate: Perbill| {
			crate::SubnetEmissionRates::<Test>::mutate(|r| {
				r.clear();
				r.try_insert(netuid, rate).unwrap();
			})
		};
		rate(1, Perbill::from_percent(50));
		assert_eq!(Emission::do_try_state(), Err("a rate for an unknown subnet".into()));
		MockEconomy::set_subnets(&[(1, 1, 100)]);
		assert_ok!(Emission::do_try_state());
		rate(1, Perbill::one());
		assert_eq!(Emission::do_try_state(), Err("a stored rate of 100 %".into()));
	});
}

#[test]
fn worst_case_tick_weight_covers_every_subnet_and_epoch() {
	use crate::WeightInfo;
	let worst = Emission::worst_case_tick_weight();
	let one_epoch = <() as WeightInfo>::settle_epoch(8);
	let rest = <() as WeightInfo>::distribute_block_emission(16)
		.saturating_add(<() as WeightInfo>::schedule_exact())
		.saturating_add(<() as WeightInfo>::epoch_queue(16))
		.saturating_add(<() as WeightInfo>::close_turn(4))
		// The gate's lower bound on the next turn's emission: two more exact comparisons.
		.saturating_add(<() as WeightInfo>::schedule_exact().saturating_mul(2));
	assert_eq!(worst, rest.saturating_add(one_epoch.saturating_mul(2)), "MaxEpochsPerBlock = 2");
	assert!(Emission::steady_state_tick_weight().all_lt(worst));
}

#[test]
fn epochs_beyond_the_per_block_bound_wait_in_the_queue_first_due_first() {
	ExtBuilder::default().schedule(SCHEDULE).build_and_execute(|| {
		// Tempo 0: every subnet is due every block; 2 are settled per block. A subnet due again
		// while it waits keeps its place and counts one more due epoch, which its settlement
		// covers (before issue 29 the second epoch was dropped, and with it its alpha).
		MockEconomy::set_subnets(&[(1, 1, 0), (2, 1, 0), (3, 1, 0), (4, 1, 0), (5, 1, 0)]);
		let settled = |block: u64| {
			assert_eq!(System::block_number(), block);
			let netuids = emission_events()
				.into_iter()
				.filter_map(|e| match e {
					Event::EpochSettled { netuid, epochs, .. } => Some((netuid, epochs)),
					_ => None,
				})
				.collect::<Vec<_>>();
			System::reset_events();
			netuids
		};
		let queue = || EpochQueue::<Test>::get().into_inner();
		run_to_block(2);
		assert_eq!(settled(2), vec![(1, 1), (2, 1)]);
		assert_eq!(queue(), vec![(3, 1), (4, 1), (5, 1)]);
		run_to_block(3);
		// 3, 4 and 5 were waiting and are due again: two epochs each; 1 and 2 join behind 5.
		assert_eq!(settled(3), vec![(3, 2), (4, 2)]);
		assert_eq!(queue(), vec![(5, 2), (1, 1), (2, 1)]);
		// A removed subnet leaves the queue.
		<Emission as OnSubnetRemoved>::on_subnet_removed(1, 0);
		assert_eq!(queue(), vec![(5, 2), (2, 1)]);
		MockEconomy::set_subnets(&[(2, 1, 0), (3, 1, 0), (4, 1, 0), (5, 1, 0)]);
		run_to_block(4);
		// 5 waited through three due blocks, 2 through two; 3 and 4 queue anew.
		assert_eq!(settled(4), vec![(5, 3), (2, 2)]);
		assert_eq!(queue(), vec![(3, 1), (4, 1)]);
		// The economy was asked for each settlement's due epochs; every due epoch of blocks 2..4
		// is settled, still queued, or went with its removed subnet: 5 + 5 + 4 = 14 =
		// (1+1+2+2+3+2) settled + (1+1) queued + 1 of subnet 1.
		assert_eq!(
			MockEconomy::state().epochs_settled,
			vec![(1, 1), (2, 1), (3, 2), (4, 2), (5, 3), (2, 2)]
		);
		// Each block delivered its emission once, to every subnet at once.
		assert_eq!(MockEconomy::state().deliveries, 3);
	});
}

#[test]
fn a_settled_epoch_updates_the_scaling_table_and_removal_clears_it() {
	ExtBuilder::default().build_and_execute(|| {
		one_subnet_with_epoch_at_block_3();
		MockEconomy::set_epoch(1, &[(10, 300)], &[(20, 100)], &[(20, 400)]);
		run_to_block(3);
		let erp = EffectiveRootProp::<Test>::get(1).unwrap();
		let root_prop = RootProp::<Test>::get(1).unwrap();
		assert!(erp > U96F32::from_num(0));
		assert_eq!(ScalingInputs::<Test>::get().get(&1), Some(&(erp, root_prop)));
		<Emission as OnSubnetRemoved>::on_subnet_removed(1, 0);
		assert!(ScalingInputs::<Test>::get().is_empty());
	});
}

// ---- tines ----

fn p(percent: u32) -> Perbill {
	Perbill::from_percent(percent)
}

fn propose(id: &[u8], fee_bps: u16) -> frame_support::dispatch::DispatchResult {
	Emission::propose_tine(
		RuntimeOrigin::root(),
		id.to_vec(),
		fee_bps,
		vec![(b"alpha".to_vec(), p(25)), (b"beta".to_vec(), p(75))],
		p(10),
		p(20),
	)
}

fn all_weights() {
	assert_ok!(Emission::set_measure_weights(
		RuntimeOrigin::root(),
		Some(p(50)),
		Some(p(30)),
		Some(p(20))
	));
}

/// A full reading of `id` in `turn` by the first feeder (the mock's quorum is 1).
fn read(turn: u32, id: &[u8], growth_ppm: i64) {
	assert_ok!(Emission::submit_reading(
		RuntimeOrigin::signed(FEEDERS[0]),
		turn,
		id.to_vec(),
		Some(growth_ppm),
		Some(p(50)),
		Some(true),
		Some(p(50))
	));
}

#[test]
fn propose_tine_stores_it_born_at_the_current_turn() {
	ExtBuilder::default().build_and_execute(|| {
		CurrentTurn::<Test>::put(3);
		assert_ok!(propose(b"a", 250));
		let tine = Tines::<Test>::get(crate::NameOf::<Test>::truncate_from(b"a".to_vec())).unwrap();
		assert_eq!(tine.born_at_turn, 3);
		assert_eq!(tine.config.fee_bps, 250);
		System::assert_last_event(
			Event::TineProposed { id: b"a".to_vec().try_into().unwrap(), born_at_turn: 3 }.into(),
		);
	});
}

#[test]
fn propose_tine_rejects_each_invalid_value() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(propose(b"a", 250));
		assert_noop!(propose(b"a", 250), Error::<Test>::DuplicateTine);
		assert_noop!(propose(b"b", 10_001), Error::<Test>::FeeTooHigh);
		assert_noop!(propose(b"", 250), Error::<Test>::InvalidName);
		assert_noop!(propose(&[b'x'; 17], 250), Error::<Test>::InvalidName);
		let bad_splits: Vec<Vec<(Vec<u8>, Perbill)>> = vec![
			vec![],
			vec![(b"x".to_vec(), p(50))],
			vec![(b"x".to_vec(), p(60)), (b"y".to_vec(), p(50))],
			vec![(b"x".to_vec(), p(50)), (b"x".to_vec(), p(50))],
		];
		for split in bad_splits {
			assert_noop!(
				Emission::propose_tine(
					RuntimeOrigin::root(),
					b"b".to_vec(),
					250,
					split,
					p(0),
					p(0)
				),
				Error::<Test>::InvalidSplit
			);
		}
		let four: Vec<(Vec<u8>, Perbill)> = (0..4u8).map(|i| (vec![b'r', i], p(25))).collect();
		assert_noop!(
			Emission::propose_tine(RuntimeOrigin::root(), b"b".to_vec(), 250, four, p(0), p(0)),
			Error::<Test>::TooManyReserves
		);
		assert_noop!(
			Emission::propose_tine(
				RuntimeOrigin::root(),
				b"b".to_vec(),
				250,
				vec![(vec![], p(100))],
				p(0),
				p(0)
			),
			Error::<Test>::InvalidName
		);
		// "r18099" and "r43861" hash alike in the 4 bytes a mock (16-byte) sub-account keeps.
		assert_eq!(Emission::reserve_account(b"r18099"), Emission::reserve_account(b"r43861"));
		assert_noop!(
			Emission::propose_tine(
				RuntimeOrigin::root(),
				b"b".to_vec(),
				250,
				vec![(b"r18099".to_vec(), p(50)), (b"r43861".to_vec(), p(50))],
				p(0),
				p(0)
			),
			Error::<Test>::ReserveAccountCollision
		);
		for id in [b"b", b"c", b"d"] {
			assert_ok!(propose(id, 100));
		}
		assert_noop!(propose(b"e", 100), Error::<Test>::TooManyTines);
		assert_noop!(
			Emission::propose_tine(RuntimeOrigin::signed(1), b"z".to_vec(), 1, vec![], p(0), p(0)),
			DispatchError::BadOrigin
		);
	});
}

#[test]
fn withdraw_tine_removes_it() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(propose(b"a", 250));
		assert_noop!(
			Emission::withdraw_tine(RuntimeOrigin::signed(1), b"a".to_vec()),
			DispatchError::BadOrigin
		);
		assert_ok!(Emission::withdraw_tine(RuntimeOrigin::root(), b"a".to_vec()));
		System::assert_last_event(
			Event::TineWithdrawn { id: b"a".to_vec().try_into().unwrap() }.into(),
		);
		assert_noop!(
			Emission::withdraw_tine(RuntimeOrigin::root(), b"a".to_vec()),
			Error::<Test>::UnknownTine
		);
	});
}

#[test]
fn measure_weights_and_turn_length_are_set_with_events() {
	ExtBuilder::default().build_and_execute(|| {
		all_weights();
		assert_eq!(MeasureWeights::<Test>::get().depth_stability, Some(p(30)));
		assert_ok!(Emission::set_turn_length(RuntimeOrigin::root(), 7));
		System::assert_last_event(Event::TurnLengthSet { old: 100, new: 7 }.into());
		assert_noop!(
			Emission::set_turn_length(RuntimeOrigin::root(), 0),
			Error::<Test>::ZeroTurnLength
		);
		assert_noop!(
			Emission::set_turn_length(RuntimeOrigin::signed(1), 5),
			DispatchError::BadOrigin
		);
		assert_noop!(
			Emission::set_measure_weights(RuntimeOrigin::signed(1), None, None, None),
			DispatchError::BadOrigin
		);
		assert_eq!(TurnLength::<Test>::get(), 7);
	});
}

#[test]
fn readings_are_accepted_for_the_open_turn_and_known_tines_only() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(propose(b"a", 250));
		read(0, b"a", 1_000);
		assert_eq!(submitted(), vec![(0, b"a".to_vec(), FEEDERS[0], Some(1_000))]);
		assert_noop!(
			Emission::submit_reading(
				RuntimeOrigin::signed(FEEDERS[0]),
				1,
				b"a".to_vec(),
				None,
				None,
				None,
				None
			),
			Error::<Test>::WrongTurn
		);
		assert_noop!(
			Emission::submit_reading(
				RuntimeOrigin::signed(FEEDERS[0]),
				0,
				b"q".to_vec(),
				None,
				None,
				None,
				None
			),
			Error::<Test>::UnknownTine
		);
		assert_noop!(
			Emission::submit_reading(
				RuntimeOrigin::signed(1),
				0,
				b"a".to_vec(),
				None,
				None,
				None,
				None
			),
			DispatchError::BadOrigin
		);
		// Root is not a feeder either.
		assert_noop!(
			Emission::submit_reading(
				RuntimeOrigin::root(),
				0,
				b"a".to_vec(),
				None,
				None,
				None,
				None
			),
			DispatchError::BadOrigin
		);
	});
}

#[test]
fn forks_across_turns_refusal_keeps_the_previous_version_and_a_later_turn_lands() {
	ExtBuilder::default().schedule(SCHEDULE).build_and_execute(|| {
		MockEconomy::set_subnets(&[(1, 1, 100)]);
		assert_ok!(Emission::set_turn_length(RuntimeOrigin::root(), 5));
		assert_ok!(propose(b"a", 1_000));
		assert_ok!(propose(b"b", 2_000));
		// Turn 0: no weights set, nothing can be measured: refused.
		read(0, b"a", 10_000);
		run_to_block(5);
		let fork = LastFork::<Test>::get().unwrap();
		assert_eq!(fork.turn, 0);
		assert_eq!(fork.refused, Some(crate::types::ForkRefusal::NoMeasurableTine));
		assert!(ActiveTine::<Test>::get().is_none());
		assert_eq!(Tines::<Test>::count(), 2);
		assert_eq!(CurrentTurn::<Test>::get(), 1);
		// Refused: both tines stay; a's one submission is of a closed turn and counts for nothing.
		assert_eq!(submitted(), vec![(0, b"a".to_vec(), FEEDERS[0], Some(10_000))]);
		assert_eq!(open_submissions(), 0);

		// Turn 1: b measures higher; it lands, a is cut with its gap.
		all_weights();
		read(1, b"a", 0);
		read(1, b"b", 100_000);
		// The first submission of turn 1 replaced turn 0's entry.
		assert_eq!(
			submitted(),
			vec![
				(1, b"a".to_vec(), FEEDERS[0], Some(0)),
				(1, b"b".to_vec(), FEEDERS[0], Some(100_000))
			]
		);
		run_to_block(10);
		let fork = LastFork::<Test>::get().unwrap();
		assert_eq!(fork.kept.map(|k| k.to_vec()), Some(b"b".to_vec()));
		// Gap: 0.1 · 0.5 = 0.05 (FixedI128, 18 decimals).
		assert_eq!(
			fork.cut.to_vec(),
			vec![(b"a".to_vec().try_into().unwrap(), Some(50_000_000_000_000_000))]
		);
		assert_eq!(ActiveTine::<Test>::get().unwrap().0.to_vec(), b"b".to_vec());
		assert_eq!(Tines::<Test>::count(), 1);

		// Turn 2: a new tine wins on measure but the floor cannot be read: refused, b governs.
		assert_ok!(propose(b"c", 500));
		read(2, b"b", 0);
		read(2, b"c", 500_000);
		MockFloor::set(None);
		run_to_block(15);
		let fork = LastFork::<Test>::get().unwrap();
		assert_eq!(fork.refused, Some(crate::types::ForkRefusal::FloorUnreadable));
		assert_eq!(ActiveTine::<Test>::get().unwrap().0.to_vec(), b"b".to_vec());
		assert_eq!(Tines::<Test>::count(), 2);

		// Turn 3: the floor would fall: refused again.
		read(3, b"c", 500_000);
		MockFloor::set(Some(u128::MAX));
		run_to_block(20);
		assert_eq!(
			LastFork::<Test>::get().unwrap().refused,
			Some(crate::types::ForkRefusal::FloorWouldFall)
		);
		assert_eq!(ActiveTine::<Test>::get().unwrap().0.to_vec(), b"b".to_vec());
	});
}

#[test]
fn the_active_tine_withholds_its_fee_into_the_reserves_and_emission_is_conserved() {
	ExtBuilder::default().schedule(SCHEDULE).build_and_execute(|| {
		MockEconomy::set_subnets(&[(1, 1, 100), (2, 1, 100), (3, 1, 100)]);
		assert_ok!(Emission::set_turn_length(RuntimeOrigin::root(), 2));
		assert_ok!(propose(b"a", 2_000));
		all_weights();
		read(0, b"a", 0);
		run_to_block(2);
		assert!(ActiveTine::<Test>::get().is_some());
		let depth = Emission::depth_reserve_account();
		let alpha = Emission::reserve_account(b"alpha");
		let beta = Emission::reserve_account(b"beta");
		let accounts = [depth, alpha, beta];
		assert!(depth != alpha && depth != beta && alpha != beta);
		let before = accounts.map(Balances::free_balance);
		MockEconomy::mutate(|e| e.emission.clear());
		let recycled_before = TotalRecycled::<Test>::get();
		System::reset_events();
		run_to_block(3);
		// 1000 at 2000 bps: 200 withheld (20 % depth feed = 40; 160 split 25/75 = 40, 120).
		let gained: Vec<u128> = accounts
			.iter()
			.zip(before)
			.map(|(a, b)| Balances::free_balance(a) - b)
			.collect();
		assert_eq!(gained, vec![40, 40, 120]);
		System::assert_has_event(
			Event::EmissionWithheld {
				tine: b"a".to_vec().try_into().unwrap(),
				withheld: 200,
				to_depth: 40,
				leaned: 0,
				to_reserves: 160,
				carried: 0,
			}
			.into(),
		);
		// 800 to subnets in thirds: 266 each, 2 recycled.
		let state = MockEconomy::state();
		let to_subnets: u128 = state.emission.values().sum();
		assert_eq!(to_subnets, 798);
		let recycled = TotalRecycled::<Test>::get() - recycled_before;
		assert_eq!(recycled, 2);
		assert_eq!(to_subnets + 200 + recycled, 1_000);
		System::assert_has_event(
			Event::BlockEmissionDistributed {
				issued: 1_000,
				withheld: 200,
				to_subnets: 798,
				recycled: 2,
				recipients: 3,
			}
			.into(),
		);
	});
}

// ---- view functions (issue 14) ----

/// The fork preview, checked to write nothing: the storage root is the same before and after.
fn fork_preview_unchanged() -> crate::types::ForkPreview {
	let root = sp_io::storage::root(sp_runtime::StateVersion::V1);
	let preview = Emission::fork_preview();
	assert_eq!(sp_io::storage::root(sp_runtime::StateVersion::V1), root, "the preview wrote");
	preview
}

/// A preview agrees with the turn's close: same kept, cut and refusal, for the same turn.
fn assert_preview_matches_close(preview: &crate::types::ForkPreview) {
	let fork = LastFork::<Test>::get().unwrap();
	assert_eq!(fork.turn, preview.turn);
	assert_eq!(fork.kept.map(|k| k.into_inner()), preview.kept);
	let cut: Vec<(Vec<u8>, Option<i128>)> =
		fork.cut.into_iter().map(|(id, gap)| (id.into_inner(), gap)).collect();
	assert_eq!(cut, preview.cut);
	assert_eq!(fork.refused, preview.refused);
}

#[test]
fn the_fork_preview_shows_what_the_close_of_the_turn_decides() {
	use crate::types::ForkRefusal;
	ExtBuilder::default().schedule(SCHEDULE).build_and_execute(|| {
		MockEconomy::set_subnets(&[(1, 1, 100)]);
		assert_ok!(Emission::set_turn_length(RuntimeOrigin::root(), 5));
		// No tine: refused for want of a measure.
		let preview = fork_preview_unchanged();
		assert_eq!(preview.turn, 0);
		assert_eq!(preview.refused, Some(ForkRefusal::NoMeasurableTine));
		assert!(preview.measures.is_empty());

		// Turn 0: tines but no weights: nothing measurable.
		assert_ok!(propose(b"a", 1_000));
		assert_ok!(propose(b"b", 2_000));
		read(0, b"a", 10_000);
		let preview = fork_preview_unchanged();
		assert_eq!(preview.refused, Some(ForkRefusal::NoMeasurableTine));
		assert_eq!(preview.measures, vec![(b"a".to_vec(), None), (b"b".to_vec(), None)]);
		run_to_block(5);
		assert_preview_matches_close(&preview);

		// Turn 1: b leads by 0.1 growth × 0.5 weight = 0.05 (FixedI128: 5 · 10¹⁶); a has no
		// reading yet, so the preview changes as readings arrive.
		all_weights();
		read(1, b"b", 100_000);
		let partial = fork_preview_unchanged();
		assert_eq!(partial.kept, Some(b"b".to_vec()));
		assert_eq!(partial.cut, vec![(b"a".to_vec(), None)]);
		read(1, b"a", 0);
		let preview = fork_preview_unchanged();
		assert_eq!(preview.turn, 1);
		assert_eq!(preview.kept, Some(b"b".to_vec()));
		assert_eq!(preview.cut, vec![(b"a".to_vec(), Some(50_000_000_000_000_000))]);
		assert_eq!(preview.refused, None);
		let measure = |id: &[u8]| {
			preview.measures.iter().find(|(m, _)| m.as_slice() == id).and_then(|(_, v)| *v)
		};
		assert_eq!(measure(b"b").unwrap() - measure(b"a").unwrap(), 50_000_000_000_000_000);
		run_to_block(10);
		assert_preview_matches_close(&preview);

		// Turn 2: the floor cannot be read: the preview says refused, and why.
		assert_ok!(propose(b"c", 500));
		read(2, b"b", 0);
		read(2, b"c", 500_000);
		MockFloor::set(None);
		let preview = fork_preview_unchanged();
		assert_eq!(preview.refused, Some(ForkRefusal::FloorUnreadable));
		assert_eq!(preview.kept, None);
		assert!(preview.cut.is_empty());
		run_to_block(15);
		assert_preview_matches_close(&preview);

		// Turn 3: the floor would fall.
		read(3, b"c", 500_000);
		MockFloor::set(Some(u128::MAX));
		let preview = fork_preview_unchanged();
		assert_eq!(preview.refused, Some(ForkRefusal::FloorWouldFall));
		run_to_block(20);
		assert_preview_matches_close(&preview);
	});
}

#[test]
fn active_withholding_previews_the_next_block_and_the_carry() {
	ExtBuilder::default().schedule(SCHEDULE).build_and_execute(|| {
		MockEconomy::set_subnets(&[(1, 1, 100)]);
		let none = Emission::active_withholding();
		assert_eq!(none.tine, None);
		assert_eq!((none.block_emission, none.withheld, none.to_depth), (1_000, 0, 0));
		assert!(none.to_reserves.is_empty());

		assert_ok!(Emission::set_turn_length(RuntimeOrigin::root(), 2));
		assert_ok!(propose(b"a", 2_000));
		all_weights();
		read(0, b"a", 0);
		run_to_block(2);
		// 1,000 at 2,000 bps: 200 withheld; 20 % depth feed: 40; 160 split 25/75: 40 and 120.
		let w = Emission::active_withholding();
		assert_eq!(w.tine, Some(b"a".to_vec()));
		assert_eq!((w.block_emission, w.withheld, w.to_depth), (1_000, 200, 40));
		assert_eq!(w.to_reserves, vec![(b"alpha".to_vec(), 40), (b"beta".to_vec(), 120)]);
		assert_eq!(w.carried_depth, 0);
		assert_eq!(w.carried_reserves, vec![(b"alpha".to_vec(), 0), (b"beta".to_vec(), 0)]);
		// The share preview withholds the same.
		assert_eq!(Emission::preview_shares().withheld, 200);
		System::reset_events();
		run_to_block(3);
		System::assert_has_event(
			Event::EmissionWithheld {
				tine: b"a".to_vec().try_into().unwrap(),
				withheld: 200,
				to_depth: 40,
				leaned: 0,
				to_reserves: 160,
				carried: 0,
			}
			.into(),
		);
	});
}

#[test]
fn the_view_functions_answer_what_storage_and_the_hook_say() {
	ExtBuilder::default().schedule(SCHEDULE).build_and_execute(|| {
		assert_eq!(Emission::last_epoch(1), None);
		one_subnet_with_epoch_at_block_3();
		run_to_block(3);
		let record = Emission::last_epoch(1).unwrap();
		assert_eq!(record.block, 3);
		assert_eq!(Some(record), LastEpoch::<Test>::get(1));
		// Two subnets of base weight 1 and 3 (in force: every filter off): 1/4 and 3/4 of the
		// next block's 1,000.
		MockEconomy::set_subnets(&[(1, 1, 100), (2, 3, 100)]);
		let stages = Emission::preview_shares();
		assert_eq!(stages.block_emission, 1_000);
		assert_eq!(stages.amounts, vec![(1, 250), (2, 750)]);
		assert_eq!(stages.recycled, 0);
		// The counterfactual with the settings in force is the preview itself; with the absolute
		// limit at 1 only subnet 2 is paid.
		let in_force = crate::types::CounterfactualSettings {
			subnet_rates: true,
			erp_scaling: false,
			top_proportion: Permill::one(),
			absolute_limit: None,
			hard_cap: true,
		};
		assert_eq!(Emission::counterfactual_shares(in_force), stages);
		let one = Emission::counterfactual_shares(crate::types::CounterfactualSettings {
			absolute_limit: Some(1),
			..in_force
		});
		assert_eq!(one.amounts, vec![(1, 0), (2, 1_000)]);
		System::reset_events();
		run_to_block(4);
		System::assert_has_event(
			Event::BlockEmissionDistributed {
				issued: 1_000,
				withheld: 0,
				to_subnets: 1_000,
				recycled: 0,
				recipients: 2,
			}
			.into(),
		);
	});
}

// ---- trust: conservation and seed fidelity (issue 12), each failed before its fix ----

#[test]
fn recycled_emission_does_not_count_against_the_supply_cap() {
	// Cap 1,500, 1,000 per block, no subnet: every block's emission is recycled. Before the fix
	// the recycled units counted as issued and the cap stopped emission after 1,500.
	ExtBuilder::default()
		.schedule((1_000, Perquintill::from_percent(50), 1_000, Some(1_500)))
		.build_and_execute(|| {
			run_to_block(4);
			assert_eq!(TotalIssued::<Test>::get(), 3_000);
			assert_eq!(TotalRecycled::<Test>::get(), 3_000);
			assert_eq!(Emission::outstanding(), 0);
			System::assert_has_event(
				Event::Recycled {
					netuid: None,
					reason: crate::types::RecycleReason::Unassigned,
					amount: 1_000,
				}
				.into(),
			);
			// With a subnet, the cap binds on what subnets hold: 1,000 then the 500 left.
			MockEconomy::set_subnets(&[(1, 1, 100)]);
			run_to_block(6);
			assert_eq!(Emission::outstanding(), 1_500);
			assert_eq!(MockEconomy::state().emission.get(&1), Some(&1_500));
			assert_eq!(Emission::block_emission_at(7), 0);
		});
}

#[test]
fn removing_a_subnet_recycles_its_pending_emission() {
	ExtBuilder::default().schedule(SCHEDULE).build_and_execute(|| {
		MockEconomy::set_subnets(&[(1, 1, 100), (2, 1, 200)]);
		run_to_block(2);
		// 1,000 in halves.
		let pending = MockEconomy::mutate(|e| e.pending.remove(&1).unwrap());
		assert_eq!(pending, 500);
		let recycled = TotalRecycled::<Test>::get();
		<Emission as OnSubnetRemoved>::on_subnet_removed(1, pending);
		assert_eq!(TotalRecycled::<Test>::get(), recycled + 500);
		System::assert_has_event(
			Event::Recycled {
				netuid: Some(1),
				reason: crate::types::RecycleReason::SubnetRemoved,
				amount: 500,
			}
			.into(),
		);
		// `build_and_execute` checks conservation after the test: 500 is neither pending nor lost.
	});
}

#[test]
fn capped_root_dividends_are_taken_out_of_pending_and_recycled() {
	ExtBuilder::default().build_and_execute(|| {
		one_subnet_with_epoch_at_block_3();
		// Validator 21 (60 % of root stake) earns nothing: utilization 0.4, capped.
		MockEconomy::set_epoch(1, &[(10, 300)], &[(20, 100)], &[(20, 400), (21, 600)]);
		run_to_block(3);
		// Pending 2,000: 300 paid as alpha, 100 recycled, 1,600 left; the root stakers got none.
		assert_eq!(MockEconomy::state().pending.get(&1), Some(&1_600));
		assert_eq!(TotalRecycled::<Test>::get(), 100);
		assert_eq!(LastEpoch::<Test>::get(1).unwrap().recycled, 100);
		System::assert_has_event(
			Event::Recycled {
				netuid: Some(1),
				reason: crate::types::RecycleReason::HardCap,
				amount: 100,
			}
			.into(),
		);
	});
}

#[test]
fn an_epoch_at_exactly_half_by_a_sum_of_thirds_is_not_capped() {
	ExtBuilder::default().build_and_execute(|| {
		one_subnet_with_epoch_at_block_3();
		MockEconomy::set_epoch(
			1,
			&[(10, 100)],
			&[(1, 1), (2, 2), (3, 15)],
			&[(1, 2), (2, 2), (3, 2)],
		);
		run_to_block(3);
		let record = LastEpoch::<Test>::get(1).unwrap();
		assert!(!record.capped, "utilization (1/3 + 2/3 + 2) / 6 = 1/2 is not capped");
		assert!(record.utilization < math::HARD_CAP_THRESHOLD, "stored rounded down as before");
		assert!(record.effective_root_prop > U96F32::from_num(0u32));
		assert_eq!(TotalRecycled::<Test>::get(), 0);
	});
}

/// An active tine whose reserves do not exist yet, with an existential deposit of 100.
fn tine_with_new_reserves_below_the_deposit() {
	assert_ok!(Emission::set_turn_length(RuntimeOrigin::root(), 2));
	assert_ok!(propose(b"a", 2_000));
	all_weights();
	read(0, b"a", 0);
	run_to_block(2);
	assert!(ActiveTine::<Test>::get().is_some());
}

#[test]
fn reserve_mints_below_the_deposit_are_carried_until_the_account_can_exist() {
	// 10 per block at 2,000 bps: 2 withheld; depth feed 20 %: 0 to depth (+ dust); 25/75 split.
	ExtBuilder::default()
		.schedule((10, Perquintill::from_percent(50), 1_000, None))
		.build_and_execute(|| {
			MockEconomy::set_subnets(&[(1, 1, 100)]);
			tine_with_new_reserves_below_the_deposit();
			ExistentialDeposit::set(3);
			let depth = Emission::depth_reserve_account();
			let beta = Emission::reserve_account(b"beta");
			System::reset_events();
			run_to_block(3);
			// 2 withheld: depth 0 (20 % of 2, floored) + dust; alpha floor(2·25 %) = 0,
			// beta floor(2·75 %) = 1, dust 1 to depth. Depth 1 < 3 and beta 1 < 3: both carried.
			// Before the fix the event said 2 withheld, 1 to depth, and both were recycled.
			System::assert_has_event(
				Event::EmissionWithheld {
					tine: b"a".to_vec().try_into().unwrap(),
					withheld: 2,
					to_depth: 0,
					leaned: 0,
					to_reserves: 0,
					carried: 2,
				}
				.into(),
			);
			assert_eq!(Emission::carried_total(), 2);
			run_to_block(5);
			// Three blocks: depth 3 (≥ 3) minted at block 5, beta 3 minted at block 5.
			assert_eq!(Balances::free_balance(depth), 3);
			assert_eq!(Balances::free_balance(beta), 3);
			assert_eq!(Emission::carried_total(), 0);
			// Nothing was recycled: what was carried reached its accounts.
			assert_eq!(TotalRecycled::<Test>::get(), 0);
		});
}

#[test]
fn withdrawing_a_tine_removes_its_reading_and_readings_stay_bounded() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(Emission::set_turn_length(RuntimeOrigin::root(), 1_000));
		let name = |i: u32| format!("t{i}").into_bytes();
		// Propose, read, withdraw, many times within one turn: before the fix each round left a
		// reading behind, more than `MaxTines` (4), and turn close cleared only 4.
		for i in 0..10 {
			assert_ok!(propose(&name(i % 2), 250));
			read(0, &name(i % 2), 5);
			assert_ok!(Emission::withdraw_tine(RuntimeOrigin::root(), name(i % 2)));
			assert_eq!(submitted(), vec![]);
		}
		// Proposed again under the same id: it starts without a submission.
		assert_ok!(propose(b"t0", 250));
		assert_eq!(
			Submissions::<Test>::get(crate::NameOf::<Test>::truncate_from(b"t0".to_vec())),
			None
		);
	});
}

#[test]
fn erp_maps_are_not_written_when_the_scaling_table_cannot_hold_the_subnet() {
	ExtBuilder::default().build_and_execute(|| {
		one_subnet_with_epoch_at_block_3();
		// Fill the table (16 entries) with other subnets, as if they had settled.
		for netuid in 100..116 {
			set_root_props(netuid, fx(1, 2), fx(1, 2));
		}
		MockEconomy::set_epoch(1, &[(10, 300)], &[(20, 100)], &[(20, 400)]);
		run_to_block(3);
		// Before the fix the maps said ERP 1/4 while the filter read 0 from the table.
		assert!(ScalingInputs::<Test>::get().get(&1).is_none());
		assert!(EffectiveRootProp::<Test>::get(1).is_none());
		assert!(RootProp::<Test>::get(1).is_none());
		Emission::do_try_state().unwrap();
	});
}

#[test]
fn an_epoch_is_charged_for_every_validator_the_economy_read() {
	use crate::WeightInfo;
	ExtBuilder::default().build_and_execute(|| {
		one_subnet_with_epoch_at_block_3();
		MockEconomy::set_epoch(1, &[(10, 300)], &[(20, 100)], &[(20, 400)]);
		// The economy read 8 registered validators (7 neither validating nor staked on root).
		MockEconomy::mutate(|e| e.dividends.get_mut(&1).unwrap().validators_read = 8);
		run_to_block(2);
		System::set_block_number(3);
		let weight = Emission::do_tick(3);
		let without_epoch = <() as WeightInfo>::distribute_block_emission(1)
			.saturating_add(<() as WeightInfo>::schedule_exact())
			.saturating_add(<() as WeightInfo>::epoch_queue(1))
			.saturating_add(<() as WeightInfo>::turn_check());
		// Before the fix: settle_epoch(1), the largest map.
		let epoch = <() as WeightInfo>::settle_epoch(8);
		assert_ne!(epoch, <() as WeightInfo>::settle_epoch(1));
		assert_eq!(weight, without_epoch.saturating_add(epoch));
	});
}

#[test]
fn block_emission_the_chain_cannot_record_is_recycled_not_counted_as_delivered() {
	ExtBuilder::default().schedule(SCHEDULE).build_and_execute(|| {
		MockEconomy::set_subnets(&[(1, 1, 100)]);
		MockEconomy::mutate(|e| e.record_at_most = Some(400));
		run_to_block(2);
		System::assert_has_event(
			Event::BlockEmissionDistributed {
				issued: 1_000,
				withheld: 0,
				to_subnets: 400,
				recycled: 600,
				recipients: 1,
			}
			.into(),
		);
		assert_eq!(TotalRecycled::<Test>::get(), 600);
	});
}

// ---- migrations ----

#[test]
fn v0_schedule_migrates_to_parts_per_quintillion_once() {
	use crate::migrations::v1::{v0, MigrateV0ToV1};
	use frame_support::traits::{GetStorageVersion, OnRuntimeUpgrade, StorageVersion};
	ExtBuilder::default().build_and_execute(|| {
		// A v0 chain: version 0 and the schedule in the old layout (a Perbill factor).
		StorageVersion::new(0).put::<Emission>();
		let old = v0::EmissionSchedule {
			initial: 1_000,
			decay_factor: Perbill::from_parts(990_000_001),
			epoch_length: 10,
			supply_cap: Some(1_000_000),
		};
		v0::Schedule::<Test>::put(old);
		#[cfg(feature = "try-runtime")]
		let state = <MigrateV0ToV1<Test> as OnRuntimeUpgrade>::pre_upgrade().unwrap();

		MigrateV0ToV1::<Test>::on_runtime_upgrade();

		let new = EmissionSchedule {
			initial: 1_000,
			decay_factor: Perquintill::from_parts(990_000_001_000_000_000),
			epoch_length: 10,
			supply_cap: Some(1_000_000),
		};
		assert_eq!(Schedule::<Test>::get(), Some(new));
		assert_eq!(Emission::on_chain_storage_version(), 1);
		// The schedule means what it meant: 1,000 · 0.990000001 = 990.000001 after one decay.
		assert_eq!(Emission::scheduled_emission(10), 990);
		#[cfg(feature = "try-runtime")]
		<MigrateV0ToV1<Test> as OnRuntimeUpgrade>::post_upgrade(state).unwrap();
		Emission::do_try_state().unwrap();

		// A second run is a no-op: the version guards it.
		MigrateV0ToV1::<Test>::on_runtime_upgrade();
		assert_eq!(Schedule::<Test>::get(), Some(new));
	});
}

#[test]
fn a_v0_chain_without_a_schedule_migrates_to_none() {
	use crate::migrations::v1::MigrateV0ToV1;
	use frame_support::traits::{GetStorageVersion, OnRuntimeUpgrade, StorageVersion};
	ExtBuilder::default().build_and_execute(|| {
		StorageVersion::new(0).put::<Emission>();
		MigrateV0ToV1::<Test>::on_runtime_upgrade();
		assert_eq!(Schedule::<Test>::get(), None);
		assert_eq!(Emission::on_chain_storage_version(), 1);
	});
}

#[cfg(feature = "try-runtime")]
#[test]
fn a_schedule_that_is_not_v0_is_reported_before_the_upgrade() {
	use crate::migrations::v1::MigrateV0ToV1;
	use frame_support::traits::{OnRuntimeUpgrade, StorageVersion};
	ExtBuilder::default().build_and_execute(|| {
		StorageVersion::new(0).put::<Emission>();
		frame_support::storage::unhashed::put_raw(&Schedule::<Test>::hashed_key(), &[1, 2, 3]);
		assert!(<MigrateV0ToV1<Test> as OnRuntimeUpgrade>::pre_upgrade().is_err());
		// The upgrade itself does not panic and leaves the bytes.
		MigrateV0ToV1::<Test>::on_runtime_upgrade();
		assert_eq!(
			frame_support::storage::unhashed::get_raw(&Schedule::<Test>::hashed_key()),
			Some(vec![1, 2, 3])
		);
	});
}

// ---- oracle feeders and the floor (issue 15) ----

/// Propose `id` at 2,000 bps over alpha 25 % / beta 75 %, with `floor_pull` and `depth_feed`.
fn propose_pulling(id: &[u8], floor_pull: Perbill, depth_feed: Perbill) {
	assert_ok!(Emission::propose_tine(
		RuntimeOrigin::root(),
		id.to_vec(),
		2_000,
		vec![(b"alpha".to_vec(), p(25)), (b"beta".to_vec(), p(75))],
		floor_pull,
		depth_feed,
	));
}

/// `feeder`'s reading of `id` in `turn`: growth as given, the rest at 50 %, the floor held.
fn feed(feeder: AccountId, turn: u32, id: &[u8], growth_ppm: i64) -> DispatchResult {
	Emission::submit_reading(
		RuntimeOrigin::signed(feeder),
		turn,
		id.to_vec(),
		Some(growth_ppm),
		Some(p(50)),
		Some(true),
		Some(p(50)),
	)
}

use frame_support::dispatch::DispatchResult;

fn name(id: &[u8]) -> crate::NameOf<Test> {
	crate::NameOf::<Test>::truncate_from(id.to_vec())
}

/// Every stored submission as `(turn, tine, feeder, growth)`, sorted.
fn submitted() -> Vec<(u32, Vec<u8>, AccountId, Option<i64>)> {
	let mut all: Vec<_> = Submissions::<Test>::iter()
		.flat_map(|(id, e)| {
			e.by.into_iter()
				.map(move |(who, r)| (e.turn, id.to_vec(), who, r.reserve_growth_ppm))
		})
		.collect();
	all.sort();
	all
}

/// How many stored submissions are for the open turn (the others count for nothing).
fn open_submissions() -> usize {
	submitted().iter().filter(|s| s.0 == CurrentTurn::<Test>::get()).count()
}

#[test]
fn set_feeders_checks_origin_and_every_value_and_changes_nothing_on_error() {
	ExtBuilder::default().build_and_execute(|| {
		let set =
			|who: Vec<AccountId>, q: u32| Emission::set_feeders(RuntimeOrigin::root(), who, q);
		assert_noop!(
			Emission::set_feeders(RuntimeOrigin::signed(FEEDERS[0]), vec![7], 1),
			DispatchError::BadOrigin
		);
		assert_noop!(set((1..=6).collect(), 1), Error::<Test>::TooManyFeeders);
		assert_noop!(set(vec![7, 8, 7], 1), Error::<Test>::DuplicateFeeder);
		assert_noop!(set(vec![7, 8], 0), Error::<Test>::InvalidQuorum);
		assert_noop!(set(vec![7, 8], 3), Error::<Test>::InvalidQuorum);
		assert_noop!(set(vec![], 1), Error::<Test>::InvalidQuorum);
		assert_eq!(Feeders::<Test>::get().to_vec(), FEEDERS.to_vec());
		assert_ok!(set(vec![9, 7, 8], 2));
		System::assert_last_event(Event::FeedersSet { feeders: vec![7, 8, 9], quorum: 2 }.into());
		assert_eq!(Feeders::<Test>::get().to_vec(), vec![7, 8, 9], "sorted");
		assert_eq!(ReadingQuorum::<Test>::get(), 2);
		assert_ok!(set((1..=5).collect(), 5));
	});
}

#[test]
fn only_feeders_submit_each_submission_is_evented_and_a_feeder_corrects_its_own() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(propose(b"a", 250));
		assert_noop!(feed(1, 0, b"a", 5), DispatchError::BadOrigin);
		assert_noop!(
			Emission::submit_reading(
				RuntimeOrigin::root(),
				0,
				b"a".to_vec(),
				None,
				None,
				None,
				None
			),
			DispatchError::BadOrigin
		);
		assert_noop!(
			Emission::submit_reading(
				RuntimeOrigin::none(),
				0,
				b"a".to_vec(),
				None,
				None,
				None,
				None
			),
			DispatchError::BadOrigin
		);
		assert_ok!(feed(FEEDERS[1], 0, b"a", 5));
		let reading = crate::types::TineReading {
			reserve_growth_ppm: Some(5),
			depth_stability: Some(p(50)),
			floor_held: Some(true),
			retention: Some(p(50)),
		};
		System::assert_last_event(
			Event::ReadingSubmitted { turn: 0, id: name(b"a"), feeder: FEEDERS[1], reading }.into(),
		);
		assert_ok!(feed(FEEDERS[1], 0, b"a", 6));
		assert_ok!(feed(FEEDERS[2], 0, b"a", 7));
		assert_eq!(
			submitted(),
			vec![(0, b"a".to_vec(), FEEDERS[1], Some(6)), (0, b"a".to_vec(), FEEDERS[2], Some(7))],
			"corrected, not added"
		);
	});
}

#[test]
fn three_feeders_one_disagreeing_the_median_decides_the_fork() {
	ExtBuilder::default().schedule(SCHEDULE).build_and_execute(|| {
		MockEconomy::set_subnets(&[(1, 1, 100)]);
		assert_ok!(Emission::set_turn_length(RuntimeOrigin::root(), 5));
		assert_ok!(Emission::set_feeders(RuntimeOrigin::root(), FEEDERS.to_vec(), 2));
		all_weights();
		assert_ok!(propose(b"a", 1_000));
		assert_ok!(propose(b"b", 1_000));
		let [f1, f2, f3] = FEEDERS;
		// a: 50_000, 60_000 and a dissenting −900_000 → median 50_000 (mean −263_333).
		// b: 40_000, 45_000 and a dissenting 900_000 → median 45_000 (mean 328_333).
		for (who, a, b) in [(f1, 50_000, 40_000), (f2, 60_000, 45_000), (f3, -900_000, 900_000)] {
			assert_ok!(feed(who, 0, b"a", a));
			assert_ok!(feed(who, 0, b"b", b));
		}
		let preview = Emission::fork_preview();
		assert_eq!(preview.kept, Some(b"a".to_vec()), "the median, not the mean, decides");
		// Gap (0.05 − 0.045) × 0.5 = 0.0025 = 2.5 · 10¹⁵ in FixedI128.
		assert_eq!(preview.cut, vec![(b"b".to_vec(), Some(2_500_000_000_000_000))]);
		// f2 corrects its reading of b: b's median becomes 55_000 and b leads by the same gap.
		assert_ok!(feed(f2, 0, b"b", 55_000));
		run_to_block(5);
		let fork = LastFork::<Test>::get().unwrap();
		assert_eq!(fork.kept, Some(name(b"b")));
		assert_eq!(fork.cut.to_vec(), vec![(name(b"a"), Some(2_500_000_000_000_000))]);
		// The cut tine's submissions removed; the kept tine's are of a closed turn now.
		assert_eq!(Submissions::<Test>::get(name(b"a")), None);
		assert_eq!(submitted().len(), 3);
		assert_eq!(open_submissions(), 0);
	});
}

#[test]
fn a_reading_below_quorum_is_missing_and_refuses_the_fork() {
	ExtBuilder::default().schedule(SCHEDULE).build_and_execute(|| {
		MockEconomy::set_subnets(&[(1, 1, 100)]);
		assert_ok!(Emission::set_turn_length(RuntimeOrigin::root(), 5));
		assert_ok!(Emission::set_feeders(RuntimeOrigin::root(), FEEDERS.to_vec(), 2));
		all_weights();
		assert_ok!(propose(b"a", 1_000));
		assert_ok!(feed(FEEDERS[0], 0, b"a", 50_000));
		// One field from a second feeder is not enough: every field needs two.
		assert_ok!(Emission::submit_reading(
			RuntimeOrigin::signed(FEEDERS[1]),
			0,
			b"a".to_vec(),
			Some(50_000),
			None,
			None,
			None
		));
		assert_eq!(Emission::fork_preview().measures, vec![(b"a".to_vec(), None)]);
		run_to_block(5);
		assert_eq!(
			LastFork::<Test>::get().unwrap().refused,
			Some(crate::types::ForkRefusal::NoMeasurableTine)
		);
		assert!(ActiveTine::<Test>::get().is_none());
	});
}

#[test]
fn feeders_who_leave_lose_their_submissions_of_the_open_turn_and_withdrawal_removes_all() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(propose(b"a", 250));
		assert_ok!(propose(b"b", 250));
		for who in FEEDERS {
			assert_ok!(feed(who, 0, b"a", 1));
			assert_ok!(feed(who, 0, b"b", 1));
		}
		assert_eq!(submitted().len(), 6);
		// 101 leaves, 104 joins: 101's two submissions go, the others stay.
		assert_ok!(Emission::set_feeders(RuntimeOrigin::root(), vec![102, 103, 104], 1));
		let by = |id: &[u8]| -> Vec<AccountId> {
			submitted().into_iter().filter(|s| s.1 == id).map(|s| s.2).collect()
		};
		assert_eq!((by(b"a"), by(b"b")), (vec![102, 103], vec![102, 103]));
		assert_noop!(feed(101, 0, b"a", 1), DispatchError::BadOrigin);
		// Withdrawing a tine removes every feeder's submission for it.
		assert_ok!(Emission::withdraw_tine(RuntimeOrigin::root(), b"a".to_vec()));
		assert_eq!((by(b"a"), by(b"b")), (vec![], vec![102, 103]));
		// Every feeder leaving empties the entries, which are removed.
		assert_ok!(Emission::set_feeders(RuntimeOrigin::root(), vec![104], 1));
		assert_eq!(Submissions::<Test>::get(name(b"b")), None);
	});
}

#[test]
fn below_the_floor_the_lean_restores_it_and_the_gate_flips_across_turns() {
	use crate::types::ForkRefusal;
	ExtBuilder::default().schedule(SCHEDULE).build_and_execute(|| {
		MockEconomy::set_subnets(&[(1, 1, 100)]);
		assert_ok!(Emission::set_turn_length(RuntimeOrigin::root(), 5));
		all_weights();
		// Two tines that differ only in floor_pull: weak leans nothing, strong all of its rest.
		propose_pulling(b"weak", p(0), p(0));
		propose_pulling(b"strong", p(100), p(0));
		let depth = Emission::depth_reserve_account();
		MockFloor::set(Some(400));

		// Turn 0 (closes at block 5): weak measures higher. Gate: the next turn is blocks 6..10,
		// at least 500 a block (block 10 starts the schedule's second epoch); weak withholds 100
		// of 500 and feeds depth nothing (25 + 75 to the split, no dust): 5 × 0 < 400. Refused.
		read(0, b"weak", 200_000);
		read(0, b"strong", 100_000);
		let preview = Emission::fork_preview();
		assert_eq!(preview.refused, Some(ForkRefusal::FloorWouldFall));
		run_to_block(5);
		assert_eq!(LastFork::<Test>::get().unwrap().refused, Some(ForkRefusal::FloorWouldFall));
		assert!(ActiveTine::<Test>::get().is_none());

		// Turn 1 (closes at 10): strong measures higher; it leans all 100 a block to depth:
		// 5 × 100 = 500 ≥ 400. Kept; weak is cut.
		read(1, b"weak", 0);
		read(1, b"strong", 100_000);
		run_to_block(10);
		assert_eq!(ActiveTine::<Test>::get().unwrap().0, name(b"strong"));
		assert_eq!(Balances::free_balance(depth), 0);

		// Blocks 11..14: 500 issued, 100 withheld, all of it leaned to depth while short: 400.
		// Block 15: the floor is met, nothing leans: 25 and 75 to the split, 0 to depth.
		propose_pulling(b"weak", p(0), p(0));
		for (block, leaned, depth_after) in
			[(11, 100, 100), (12, 100, 200), (13, 100, 300), (14, 100, 400), (15, 0, 400)]
		{
			System::reset_events();
			run_to_block(block);
			System::assert_has_event(
				Event::EmissionWithheld {
					tine: name(b"strong"),
					withheld: 100,
					to_depth: leaned,
					leaned,
					to_reserves: 100 - leaned,
					carried: 0,
				}
				.into(),
			);
			assert_eq!(Balances::free_balance(depth), depth_after, "block {block}");
		}
		assert_eq!(Balances::free_balance(Emission::reserve_account(b"beta")), 75);

		// Turn 2 closed at 15 with no reading: refused, strong governs on. Turn 3 (closes at 20):
		// weak measures higher and the floor holds now, so any config passes the gate: weak is
		// kept.
		assert_eq!(LastFork::<Test>::get().unwrap().refused, Some(ForkRefusal::NoMeasurableTine));
		assert_eq!(ActiveTine::<Test>::get().unwrap().0, name(b"strong"));
		read(3, b"weak", 200_000);
		read(3, b"strong", 100_000);
		run_to_block(20);
		assert_eq!(ActiveTine::<Test>::get().unwrap().0, name(b"weak"));
	});
}

#[test]
fn the_active_withholding_shows_the_deficit_and_the_lean() {
	ExtBuilder::default().schedule(SCHEDULE).build_and_execute(|| {
		MockEconomy::set_subnets(&[(1, 1, 100)]);
		assert_ok!(Emission::set_turn_length(RuntimeOrigin::root(), 2));
		all_weights();
		// depth_feed 10 %, floor_pull 1/3.
		propose_pulling(b"t", Perbill::from_rational(1u32, 3u32), p(10));
		read(0, b"t", 0);
		run_to_block(2);
		assert!(ActiveTine::<Test>::get().is_some());
		MockFloor::set(Some(1_000_000));
		let w = Emission::active_withholding();
		// Block 3: 1000 → 200 withheld; 20 fed; rest 180, ⌊180 × 333_333_333 / 10⁹⌋ = 59 leaned;
		// 121 split 25/75 → 30, 90, dust 1: depth 20 + 59 + 1 = 80.
		assert_eq!(
			w.floor_deficit,
			1_000_000 - Balances::free_balance(Emission::depth_reserve_account())
		);
		assert_eq!((w.withheld, w.to_depth, w.leaned), (200, 80, 59));
		assert_eq!(w.to_reserves, vec![(b"alpha".to_vec(), 30), (b"beta".to_vec(), 90)]);
	});
}

// ---- predictions and promises (issue 29), each failed before its fix ----

/// Propose `id` withholding `fee_bps`, all of it for one reserve `r` or split 50/50 across `x`
/// and `y`, with `floor_pull` and `depth_feed`.
fn propose_config(id: &[u8], fee_bps: u16, halves: bool, floor_pull: Perbill, depth_feed: Perbill) {
	let split = if halves {
		vec![(b"x".to_vec(), p(50)), (b"y".to_vec(), p(50))]
	} else {
		vec![(b"r".to_vec(), p(100))]
	};
	assert_ok!(Emission::propose_tine(
		RuntimeOrigin::root(),
		id.to_vec(),
		fee_bps,
		split,
		floor_pull,
		depth_feed
	));
}

#[test]
fn the_fork_preview_in_the_block_before_a_close_is_that_close() {
	use crate::types::ForkRefusal;
	ExtBuilder::default().schedule(SCHEDULE).build_and_execute(|| {
		MockEconomy::set_subnets(&[(1, 1, 100)]);
		assert_ok!(Emission::set_turn_length(RuntimeOrigin::root(), 5));
		all_weights();
		// Tine a sends all of its emission (fee 100 %, feed 100 %) to depth; kept at block 5.
		propose_config(b"a", 10_000, false, p(0), p(100));
		read(0, b"a", 0);
		run_to_block(5);
		assert_eq!(ActiveTine::<Test>::get().unwrap().0, name(b"a"));
		// Blocks 6..9 issue 1,000 each, all of it to depth under a.
		run_to_block(9);
		let depth = Emission::depth_reserve_account();
		assert_eq!(Balances::free_balance(depth), 4_000);

		// b (fee 1 %, feed 100 %) outranks a; the floor is 4,510. In the state of block 9 the
		// deficit is 510; but the close runs in block 10, after block 10's 500 went to depth
		// under a: deficit 10. The next turn (blocks 11..15) issues at least 500 a block, of
		// which b withholds 5, all to depth: 5 × 5 = 25 ≥ 10, so the close keeps b. The preview
		// read in block 9 said "refused: FloorWouldFall" before the fix.
		propose_config(b"b", 100, false, p(0), p(100));
		read(1, b"a", 0);
		read(1, b"b", 100_000);
		MockFloor::set(Some(4_510));
		let preview = fork_preview_unchanged();
		assert_eq!(preview.turn, 1);
		assert_eq!(preview.refused, None);
		assert_eq!(preview.kept, Some(b"b".to_vec()));
		// Gap: 0.1 growth × 0.5 weight = 0.05 (FixedI128 bits 5 · 10¹⁶).
		assert_eq!(preview.cut, vec![(b"a".to_vec(), Some(50_000_000_000_000_000))]);
		run_to_block(10);
		assert_preview_matches_close(&preview);
		assert_eq!(Balances::free_balance(depth), 4_500);
		assert_eq!(ActiveTine::<Test>::get().unwrap().0, name(b"b"));

		// The other way: a floor the close cannot meet. Depth holds 4,500 + 5 (block 11 under b)
		// when the turn closes at 15 after blocks 11..15 (5 each: 4,525); the floor 4,600 is 75
		// short then, and a later turn of 250s (block 20 starts the schedule's third epoch) gives
		// c (fee 1 %, all to depth) ⌊2.5⌋ = 2 a block: 10 < 75. Refused, in the preview and the
		// close alike.
		propose_config(b"c", 100, true, p(100), p(0));
		read(2, b"b", 0);
		read(2, b"c", 100_000);
		MockFloor::set(Some(4_600));
		run_to_block(14);
		let preview = fork_preview_unchanged();
		assert_eq!(preview.refused, Some(ForkRefusal::FloorWouldFall));
		run_to_block(15);
		assert_preview_matches_close(&preview);
		assert_eq!(Balances::free_balance(depth), 4_525);
	});
}

#[test]
fn the_gate_does_not_count_a_carry_the_close_retires() {
	use crate::types::{ForkRefusal, RecycleReason};
	ExtBuilder::default().schedule(SCHEDULE).build_and_execute(|| {
		MockEconomy::set_subnets(&[(1, 1, 100)]);
		ExistentialDeposit::set(100);
		assert_ok!(Emission::set_turn_length(RuntimeOrigin::root(), 5));
		all_weights();
		// Tine a withholds 10 bps, all for depth: 1 a block of 1,000, below the deposit of 100,
		// so it is carried: 4 over blocks 6..9 (block 10's 500 × 10 bps is ⌊0.5⌋ = 0).
		propose_config(b"a", 10, false, p(0), p(100));
		read(0, b"a", 0);
		run_to_block(5);
		assert_eq!(ActiveTine::<Test>::get().unwrap().0, name(b"a"));
		run_to_block(9);
		assert_eq!(Emission::carried_total(), 4);

		// The floor is 3; b withholds nothing and outranks a. Counting the carry, the floor is
		// met (3 − 4 < 0); but keeping b retires the carry (recycled), leaving 0 < 3, and b
		// restores nothing: refused. Before the fix b was kept and the floor fell.
		propose_config(b"b", 0, false, p(0), p(100));
		read(1, b"a", 0);
		read(1, b"b", 100_000);
		MockFloor::set(Some(3));
		let preview = fork_preview_unchanged();
		assert_eq!(preview.refused, Some(ForkRefusal::FloorWouldFall));
		System::reset_events();
		run_to_block(10);
		assert_preview_matches_close(&preview);
		assert_eq!(ActiveTine::<Test>::get().unwrap().0, name(b"a"));
		assert_eq!(Emission::carried_total(), 4);
		assert!(!emission_events()
			.iter()
			.any(|e| matches!(e, Event::Recycled { reason: RecycleReason::RetiredReserves, .. })));

		// a itself, kept again, keeps its carry: the gate counts it (3 − 4: met).
		read(2, b"a", 100_000);
		read(2, b"b", 0);
		let preview = fork_preview_unchanged();
		assert_eq!(preview.kept, Some(b"a".to_vec()));
		run_to_block(15);
		assert_preview_matches_close(&preview);
		assert_eq!(Emission::carried_total(), 4);
		assert_eq!(TotalRecycled::<Test>::get(), 0);
	});
}

#[test]
fn the_gate_passes_no_config_whose_floor_rests_on_rounding_dust() {
	use crate::types::ForkRefusal;
	// 1,000 a block, × 0.999 every 20 blocks: blocks 11..19 issue 1,000, block 20 issues 999.
	let schedule = (1_000, Perquintill::from_parts(999_000_000_000_000_000), 20, None);
	ExtBuilder::default().schedule(schedule).build_and_execute(|| {
		MockEconomy::set_subnets(&[(1, 1, 100)]);
		assert_ok!(Emission::set_turn_length(RuntimeOrigin::root(), 10));
		all_weights();
		// Fee 100 %, no feed, no pull, split 50/50: only the split's dust reaches depth, 1 of an
		// odd emission and 0 of an even one. The floor is 10 short at the close (block 10).
		// Before the fix the gate counted 10 × (dust of 999) = 10 ≥ 10 and kept it; the turn
		// then gave depth 1 (block 20 alone): the floor ended 9 short.
		propose_config(b"t", 10_000, true, p(0), p(0));
		read(0, b"t", 0);
		MockFloor::set(Some(10));
		run_to_block(9);
		let preview = fork_preview_unchanged();
		assert_eq!(preview.refused, Some(ForkRefusal::FloorWouldFall));
		run_to_block(10);
		assert_preview_matches_close(&preview);
		assert!(ActiveTine::<Test>::get().is_none());
	});
}

#[test]
fn an_upgrade_from_the_largest_state_of_specs_100_and_101_fits_the_bounds() {
	use crate::{
		migrations::{
			v2::v1::Readings,
			v3::{old, MigrateV2ToV3, OLD_MAX_TINES},
		},
		types::{ForkRecord, Tine, TineConfig, TineReading, TurnSubmissions},
	};
	use frame_support::{
		traits::{GetStorageVersion, OnRuntimeUpgrade, StorageVersion},
		BoundedVec,
	};
	ExtBuilder::default().build_and_execute(|| {
		// The old bound was 64; the mock's is 4.
		assert_eq!((OLD_MAX_TINES, <Test as crate::Config>::MaxTines::get()), (64, 4));
		StorageVersion::new(2).put::<Emission>();
		let id = |i: u32| name(format!("t{i:02}").as_bytes());
		let config = TineConfig {
			fee_bps: 100,
			split: BoundedVec::truncate_from(vec![(name(b"r"), Perbill::one())]),
			floor_pull: p(0),
			depth_feed: p(0),
		};
		// 64 tines, two born in each turn (t00 and t01 in turn 0, ...); t63 governs. Each with
		// a feeder's submission and a v1 reading.
		for i in 0..64 {
			Tines::<Test>::insert(id(i), Tine { config: config.clone(), born_at_turn: i / 2 });
			let reading = TineReading { reserve_growth_ppm: Some(i.into()), ..Default::default() };
			Submissions::<Test>::insert(
				id(i),
				TurnSubmissions {
					turn: 31,
					by: BoundedVec::truncate_from(vec![(FEEDERS[0], reading)]),
				},
			);
			Readings::<Test>::insert(31, id(i), reading);
		}
		CurrentTurn::<Test>::put(32);
		ActiveTine::<Test>::put((id(63), Tine { config: config.clone(), born_at_turn: 31 }));
		// The last fork kept t63 and cut 63 tines, in the order t00..t62.
		let cut: Vec<_> = (0..63).map(|i| (id(i), Some(i128::from(i) + 1))).collect();
		old::LastFork::<Test>::put(ForkRecord {
			turn: 31,
			kept: Some(id(63)),
			cut: BoundedVec::truncate_from(cut),
			refused: None,
		});
		assert_eq!(Tines::<Test>::count(), 64);
		assert!(LastFork::<Test>::exists() && LastFork::<Test>::get().is_none(), "undecodable");
		System::reset_events();

		MigrateV2ToV3::<Test>::on_runtime_upgrade();

		// Kept: the active t63, then the oldest, t00 and t01 (turn 0), then t02 (turn 1, lower
		// id than t03).
		let mut kept: Vec<_> = Tines::<Test>::iter_keys().map(|k| k.into_inner()).collect();
		kept.sort();
		assert_eq!(kept, vec![b"t00".to_vec(), b"t01".to_vec(), b"t02".to_vec(), b"t63".to_vec()]);
		assert_eq!(Tines::<Test>::count(), 4);
		let mut with_submissions: Vec<_> =
			Submissions::<Test>::iter_keys().map(|k| k.into_inner()).collect();
		with_submissions.sort();
		assert_eq!(with_submissions, kept);
		assert_eq!(Readings::<Test>::iter().count(), 0);
		let removed = emission_events()
			.iter()
			.filter(|e| matches!(e, Event::TineRemovedAtUpgrade { .. }))
			.count();
		assert_eq!(removed, 60);
		// The record: its turn, kept tine and refusal, and the first 4 of its cut (59 dropped).
		let fork = LastFork::<Test>::get().expect("decodes under the new bound");
		assert_eq!((fork.turn, fork.kept, fork.refused), (31, Some(id(63)), None));
		let cut: Vec<_> = fork.cut.into_iter().collect();
		assert_eq!(cut, (0..4).map(|i| (id(i), Some(i128::from(i) + 1))).collect::<Vec<_>>());
		System::assert_has_event(
			Event::ForkRecordTrimmedAtUpgrade { turn: 31, dropped: 59 }.into(),
		);
		assert_eq!(Emission::on_chain_storage_version(), 3);
		// Proposals work again (the bound is reached, not exceeded): a fifth is refused as such.
		assert_noop!(propose(b"new", 100), Error::<Test>::TooManyTines);
		assert_ok!(Emission::withdraw_tine(RuntimeOrigin::root(), b"t02".to_vec()));
		assert_ok!(propose(b"new", 100));

		// A second run does nothing.
		let root = sp_io::storage::root(sp_runtime::StateVersion::V1);
		MigrateV2ToV3::<Test>::on_runtime_upgrade();
		assert_eq!(sp_io::storage::root(sp_runtime::StateVersion::V1), root);
	});
}

/// Issue 31: every unit that leaves the currency is recycled through the pallet, so the ledger is
/// one exact identity from genesis.
mod issuance_identity {
	use super::*;
	use crate::{
		adapters::RecycleFees, migrations::v4::MigrateV3ToV4, types::RecycleReason, IssuanceBase,
		TotalIssued, TotalRecycled,
	};
	use frame_support::traits::{
		fungible::{Balanced, Inspect, Mutate},
		tokens::{Fortitude, Precision, Preservation},
		GetStorageVersion, OnRuntimeUpgrade, OnUnbalanced, StorageVersion,
	};

	const ALICE: AccountId = 7;
	const BOB: AccountId = 8;

	#[test]
	fn the_genesis_endowments_are_the_issuance_base() {
		ExtBuilder::default()
			.endowed(&[(ALICE, 1_000_000), (BOB, 333)])
			.build_and_execute(|| {
				assert_eq!(IssuanceBase::<Test>::get(), 1_000_333);
				assert_eq!(Balances::total_issuance(), 1_000_333);
				Emission::check_issuance_identity().unwrap();
			});
	}

	#[test]
	fn fees_and_tips_are_recycled_and_leave_the_total_issuance() {
		ExtBuilder::default()
			.endowed(&[(ALICE, 1_000_000)])
			.schedule((1_000, Perquintill::from_percent(50), 10, None))
			.build_and_execute(|| {
				MockEconomy::set_subnets(&[(1, 1, 1_000)]);
				run_to_block(3);
				let issued = TotalIssued::<Test>::get();
				assert_eq!(issued, 2_000);
				// What FungibleAdapter hands its handler: the fee and the tip, two credits.
				let fee = Balances::withdraw(
					&ALICE,
					300,
					Precision::Exact,
					Preservation::Preserve,
					Fortitude::Polite,
				)
				.unwrap();
				let tip = Balances::withdraw(
					&ALICE,
					7,
					Precision::Exact,
					Preservation::Preserve,
					Fortitude::Polite,
				)
				.unwrap();
				RecycleFees::<Test, Balances>::on_unbalanceds([fee, tip].into_iter());
				assert_eq!(Balances::total_issuance(), 1_000_000 - 307);
				assert_eq!(TotalRecycled::<Test>::get(), 307);
				System::assert_last_event(
					Event::Recycled {
						netuid: None,
						reason: RecycleReason::TransactionFees,
						amount: 307,
					}
					.into(),
				);
				// Recycled, it does not count against the supply cap: 2,000 − 307.
				assert_eq!(Emission::outstanding(), 1_693);
				Emission::check_issuance_identity().unwrap();
			});
	}

	#[test]
	fn a_reaped_accounts_dust_is_recycled() {
		ExtBuilder::default()
			.endowed(&[(ALICE, 1_000), (BOB, 1_000)])
			.build_and_execute(|| {
				ExistentialDeposit::set(10);
				// Alice keeps 4 < 10: her account is reaped and the 4 are dust.
				assert_ok!(<Balances as Mutate<_>>::transfer(
					&ALICE,
					&BOB,
					996,
					Preservation::Expendable
				));
				assert_eq!(Balances::balance(&ALICE), 0);
				assert_eq!(Balances::total_issuance(), 1_996);
				assert_eq!(TotalRecycled::<Test>::get(), 4);
				System::assert_has_event(
					Event::Recycled { netuid: None, reason: RecycleReason::Dust, amount: 4 }.into(),
				);
				Emission::check_issuance_identity().unwrap();
				ExistentialDeposit::set(1);
			});
	}

	#[test]
	fn issuance_changed_outside_the_pallet_breaks_the_identity() {
		ExtBuilder::default().endowed(&[(ALICE, 1_000)]).build().execute_with(|| {
			Emission::check_issuance_identity().unwrap();
			// A mint the pallet did not make.
			assert_ok!(Balances::mint_into(&BOB, 5));
			assert!(Emission::check_issuance_identity().is_err());
			assert!(Emission::do_try_state().is_err());
			// A burn it did not record (a credit dropped without a handler).
			drop(
				Balances::withdraw(
					&BOB,
					5,
					Precision::Exact,
					Preservation::Expendable,
					Fortitude::Polite,
				)
				.unwrap(),
			);
			Emission::check_issuance_identity().unwrap();
			drop(
				Balances::withdraw(
					&ALICE,
					1,
					Precision::Exact,
					Preservation::Preserve,
					Fortitude::Polite,
				)
				.unwrap(),
			);
			assert!(Emission::check_issuance_identity().is_err());
		});
	}

	#[test]
	fn v4_sets_the_base_from_the_identity_at_the_upgrade() {
		ExtBuilder::default()
			.endowed(&[(ALICE, 1_000_000)])
			.schedule((1_000, Perquintill::from_percent(50), 10, None))
			.build()
			.execute_with(|| {
				System::set_block_number(1);
				MockEconomy::set_subnets(&[(1, 1, 1_000)]);
				run_to_block(4);
				// A v3 chain: no base, and fees burned unrecorded (the old fee handler).
				StorageVersion::new(3).put::<Emission>();
				IssuanceBase::<Test>::kill();
				drop(
					Balances::withdraw(
						&ALICE,
						1_234,
						Precision::Exact,
						Preservation::Preserve,
						Fortitude::Polite,
					)
					.unwrap(),
				);
				assert!(Emission::check_issuance_identity().is_err());

				MigrateV3ToV4::<Test>::on_runtime_upgrade();

				// Genesis 1,000,000 less the 1,234 burned before the upgrade.
				assert_eq!(IssuanceBase::<Test>::get(), 998_766);
				System::assert_last_event(Event::IssuanceBaseSetAtUpgrade { base: 998_766 }.into());
				assert_eq!(Emission::on_chain_storage_version(), 4);
				Emission::do_try_state().unwrap();
				#[cfg(feature = "try-runtime")]
				<crate::migrations::v4::InnerMigrateV3ToV4<Test> as frame_support::traits::UncheckedOnRuntimeUpgrade>::post_upgrade(Vec::new())
					.unwrap();
				// Run again: the version guards it.
				IssuanceBase::<Test>::put(1);
				MigrateV3ToV4::<Test>::on_runtime_upgrade();
				assert_eq!(IssuanceBase::<Test>::get(), 1);
			});
	}
}

// ---- per-subnet emission rates ----

/// `floor(2⁶⁴ · num / den)`: a share's bits, by hand.
fn share_bits(num: u128, den: u128) -> u128 {
	(num << 64) / den
}

#[test]
fn a_subnet_rate_is_set_by_the_admin_or_lowered_by_its_owner() {
	use crate::SubnetEmissionRates;
	ExtBuilder::default().build_and_execute(|| {
		MockEconomy::set_subnets(&[(1, 1, 100), (2, 1, 100), (3, 2, 100)]);
		MockEconomy::mutate(|e| e.owners.insert(2, 7));
		let half = Perbill::from_percent(50);
		// Wrong origins: no origin, a signed account that owns nothing, the owner of another
		// subnet.
		assert_noop!(
			Emission::set_subnet_emission_rate(RuntimeOrigin::none(), 2, half),
			DispatchError::BadOrigin
		);
		assert_noop!(
			Emission::set_subnet_emission_rate(RuntimeOrigin::signed(8), 2, half),
			DispatchError::BadOrigin
		);
		assert_noop!(
			Emission::set_subnet_emission_rate(RuntimeOrigin::signed(7), 1, half),
			DispatchError::BadOrigin
		);
		// A subnet the chain does not report.
		assert_noop!(
			Emission::set_subnet_emission_rate(RuntimeOrigin::root(), 9, half),
			Error::<Test>::UnknownSubnet
		);
		assert_eq!(Emission::subnet_emission_rate(2), Perbill::one());
		// The owner lowers its own subnet's rate, and may not raise it again.
		assert_ok!(Emission::set_subnet_emission_rate(RuntimeOrigin::signed(7), 2, half));
		System::assert_last_event(
			Event::SubnetEmissionRateSet {
				netuid: 2,
				old: Perbill::one(),
				new: half,
				by_owner: Some(7),
			}
			.into(),
		);
		assert_eq!(Emission::subnet_emission_rate(2), half);
		assert_noop!(
			Emission::set_subnet_emission_rate(
				RuntimeOrigin::signed(7),
				2,
				Perbill::from_parts(500_000_001)
			),
			Error::<Test>::OwnerMayOnlyLower
		);
		assert_ok!(Emission::set_subnet_emission_rate(
			RuntimeOrigin::signed(7),
			2,
			Perbill::zero()
		));
		// The admin raises it back to 100 %: the entry goes.
		assert_ok!(Emission::set_subnet_emission_rate(RuntimeOrigin::root(), 2, Perbill::one()));
		System::assert_last_event(
			Event::SubnetEmissionRateSet {
				netuid: 2,
				old: Perbill::zero(),
				new: Perbill::one(),
				by_owner: None,
			}
			.into(),
		);
		assert!(SubnetEmissionRates::<Test>::get().is_empty());

		// The bound: `MaxSubnets` (16) rates; a 17th subnet's is refused, changing nothing.
		let many: Vec<(NetUid, u64, u16)> = (0..17).map(|n| (n, 1, 100)).collect();
		MockEconomy::set_subnets(&many);
		for netuid in 0..16 {
			assert_ok!(Emission::set_subnet_emission_rate(RuntimeOrigin::root(), netuid, half));
		}
		assert_noop!(
			Emission::set_subnet_emission_rate(RuntimeOrigin::root(), 16, half),
			Error::<Test>::TooManyRates
		);
		// Changing a rate already stored still works with the table full.
		assert_ok!(Emission::set_subnet_emission_rate(RuntimeOrigin::root(), 3, Perbill::zero()));
		assert_eq!(SubnetEmissionRates::<Test>::get().len(), 16);
	});
}

#[test]
fn rates_come_before_the_filters_and_each_block_pays_what_its_preview_said() {
	ExtBuilder::default()
		.schedule((1_000, Perquintill::from_percent(50), 1_000, None))
		.build_and_execute(|| {
			MockEconomy::set_subnets(&[(1, 1, 100), (2, 1, 100), (3, 2, 100)]);
			let paid = |netuid| MockEconomy::state().emission.get(&netuid).copied().unwrap_or(0);
			let check_block = |block: u64, expected: [(NetUid, u128); 3], recycled: u128| {
				let preview = Emission::preview_shares();
				assert_eq!(preview.amounts, expected.to_vec(), "preview for block {block}");
				assert_eq!(preview.recycled, recycled);
				let before: Vec<u128> = [1, 2, 3].iter().map(|n| paid(*n)).collect();
				run_to_block(block);
				let after: Vec<u128> = [1, 2, 3].iter().map(|n| paid(*n)).collect();
				let got: Vec<(NetUid, u128)> = [1u16, 2, 3]
					.iter()
					.zip(after.iter().zip(before))
					.map(|(n, (a, b))| (*n, a - b))
					.collect();
				assert_eq!(got, expected.to_vec(), "block {block} paid");
			};
			// No rate: base weights 1, 1, 2.
			check_block(2, [(1, 250), (2, 250), (3, 500)], 0);

			// Subnet 3 at 50 %: keys 1, 1, 1, a third each (not exact in binary).
			assert_ok!(Emission::set_subnet_emission_rate(
				RuntimeOrigin::root(),
				3,
				Perbill::from_percent(50)
			));
			let stages = Emission::preview_shares();
			assert_eq!(
				stages.base,
				vec![(1, share_bits(1, 4)), (2, share_bits(1, 4)), (3, share_bits(1, 2))]
			);
			let third = share_bits(1, 3);
			assert_eq!(stages.after_rate, vec![(1, third), (2, third), (3, third)]);
			assert_eq!(stages.after_absolute_limit, stages.after_rate);
			check_block(3, [(1, 333), (2, 333), (3, 333)], 1);

			// Subnet 2 at 0 %, subnet 3 back to 100 %: 1/3, 0, 2/3.
			assert_ok!(Emission::set_subnet_emission_rate(
				RuntimeOrigin::root(),
				2,
				Perbill::zero()
			));
			assert_ok!(Emission::set_subnet_emission_rate(
				RuntimeOrigin::root(),
				3,
				Perbill::one()
			));
			let stages = Emission::preview_shares();
			assert_eq!(stages.after_rate, vec![(1, third), (2, 0), (3, share_bits(2, 3))]);
			check_block(4, [(1, 333), (2, 0), (3, 666)], 1);

			// The largest subnet at 0 % is out of the cut: with at most one subnet, subnets 1 and
			// 2 tie at the cut and are both kept.
			assert_ok!(Emission::set_subnet_emission_rate(
				RuntimeOrigin::root(),
				2,
				Perbill::one()
			));
			assert_ok!(Emission::set_subnet_emission_rate(
				RuntimeOrigin::root(),
				3,
				Perbill::zero()
			));
			assert_ok!(Emission::set_emission_top_subnet_absolute_limit(
				RuntimeOrigin::root(),
				Some(1)
			));
			check_block(5, [(1, 500), (2, 500), (3, 0)], 0);
			// The counterfactual without rates: subnet 3 alone survives the cut.
			let without = Emission::counterfactual_shares(crate::types::CounterfactualSettings {
				subnet_rates: false,
				erp_scaling: false,
				top_proportion: Permill::one(),
				absolute_limit: Some(1),
				hard_cap: true,
			});
			assert_eq!(without.after_rate, without.base);
			assert_eq!(without.amounts, vec![(1, 0), (2, 0), (3, 1_000)]);
		});
}

#[test]
fn a_removed_subnets_rate_goes_with_it() {
	use crate::SubnetEmissionRates;
	ExtBuilder::default().build_and_execute(|| {
		MockEconomy::set_subnets(&[(1, 1, 100), (2, 1, 100)]);
		assert_ok!(Emission::set_subnet_emission_rate(RuntimeOrigin::root(), 2, Perbill::zero()));
		MockEconomy::set_subnets(&[(1, 1, 100)]);
		Emission::on_subnet_removed(2, 0);
		assert!(SubnetEmissionRates::<Test>::get().is_empty());
		assert_eq!(Emission::subnet_emission_rate(2), Perbill::one());
	});
}

#[test]
fn v4_to_v5_starts_every_subnet_at_full_rate_once() {
	use crate::SubnetEmissionRates;
	use frame_support::traits::{GetStorageVersion, OnRuntimeUpgrade, StorageVersion};
	ExtBuilder::default().build_and_execute(|| {
		MockEconomy::set_subnets(&[(1, 1, 100)]);
		StorageVersion::new(4).put::<Emission>();
		// A stray value at the new item's key (no v4 chain has one) is cleared.
		SubnetEmissionRates::<Test>::mutate(|r| r.try_insert(1, Perbill::zero()).unwrap());
		crate::migrations::v5::MigrateV4ToV5::<Test>::on_runtime_upgrade();
		assert_eq!(Emission::on_chain_storage_version(), StorageVersion::new(5));
		assert!(!SubnetEmissionRates::<Test>::exists());
		// Run again: the version guards it, a rate set since stays.
		assert_ok!(Emission::set_subnet_emission_rate(RuntimeOrigin::root(), 1, Perbill::zero()));
		crate::migrations::v5::MigrateV4ToV5::<Test>::on_runtime_upgrade();
		assert_eq!(Emission::subnet_emission_rate(1), Perbill::zero());
	});
}

// ---- the supply projection ----

#[test]
fn the_supply_projection_is_what_the_chain_then_issues() {
	use crate::types::SupplyEnd;
	// 1,000 per block halving every 10 blocks: by hand, from block 2 on, 8 blocks of 1,000, then
	// 10 blocks each of 500, 250, 125, 62, 31, 15, 7, 3, 1, then nothing from block 100:
	// 8,000 + 5,000 + 2,500 + 1,250 + 620 + 310 + 150 + 70 + 30 + 10 = 17,940.
	for (cap, end, year) in [
		(None, SupplyEnd::EmissionEndsAt { block: 100, outstanding: 17_940 }, 17_940),
		(Some(25_000), SupplyEnd::EmissionEndsAt { block: 100, outstanding: 17_940 }, 17_940),
		// 12,000: 8,000 by block 9, then 8 blocks of 500: block 17 issues the last unit.
		(Some(12_000), SupplyEnd::CapReachedAt { last: 17 }, 12_000),
		// 8,250: block 10 issues 250 of its 500.
		(Some(8_250), SupplyEnd::CapReachedAt { last: 10 }, 8_250),
	] {
		ExtBuilder::default()
			.schedule((1_000, Perquintill::from_percent(50), 10, cap))
			.endowed(&[(1, 100_000)])
			.build_and_execute(|| {
				// A subnet takes every block's emission (recycled emission would not count
				// against the cap).
				MockEconomy::set_subnets(&[(1, 1, 10_000)]);
				let p = Emission::supply_projection();
				assert_eq!(p.next_block, 2);
				assert_eq!(p.next_block_emission, 1_000);
				assert_eq!(p.next_decay, Some((10, 500)));
				assert_eq!(p.blocks_per_year, 1_000);
				assert_eq!(p.year_issuance, (year, year));
				assert_eq!(p.total_issuance, 100_000);
				// year / 100,000 in parts per 10¹⁸.
				let rate = year * 10_000_000_000_000;
				assert_eq!(p.year_rate, Some((rate, rate)));
				assert_eq!(p.supply_cap, cap);
				assert_eq!(p.end, end, "cap {cap:?}");
				// What the chain then does, block by block.
				let mut last_issuing = 0;
				for block in 2..=1_001u64 {
					let before = TotalIssued::<Test>::get();
					run_to_block(block);
					if TotalIssued::<Test>::get() > before {
						last_issuing = block;
					}
				}
				assert_eq!(TotalIssued::<Test>::get(), year, "cap {cap:?}");
				match end {
					SupplyEnd::CapReachedAt { last } => assert_eq!(last_issuing, last),
					SupplyEnd::EmissionEndsAt { block, .. } => assert_eq!(last_issuing + 1, block),
					_ => unreachable!(),
				}
			});
	}
}

#[test]
fn the_supply_projection_says_when_there_is_nothing_to_project() {
	use crate::types::SupplyEnd;
	ExtBuilder::default().build_and_execute(|| {
		let p = Emission::supply_projection();
		assert_eq!((p.next_block_emission, p.next_decay, p.year_issuance), (0, None, (0, 0)));
		assert_eq!((p.year_rate, p.end), (None, SupplyEnd::NoSchedule));
	});
	// A cap already reached: the last issuing block was before the next one.
	ExtBuilder::default()
		.schedule((1_000, Perquintill::from_percent(50), 10, Some(3_000)))
		.build_and_execute(|| {
			MockEconomy::set_subnets(&[(1, 1, 10_000)]);
			MockEconomy::set_subnets(&[(1, 1, 10_000)]);
			run_to_block(4);
			assert_eq!(TotalIssued::<Test>::get(), 3_000);
			let p = Emission::supply_projection();
			assert_eq!(p.next_block_emission, 0);
			assert_eq!(p.end, SupplyEnd::CapReachedAt { last: 4 });
			assert_eq!(p.year_issuance, (0, 0));
		});
}
