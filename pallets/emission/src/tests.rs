//! Unit tests of the emission pallet on the mock runtime.

#![allow(clippy::arithmetic_side_effects)]

use crate::{
	math, mock::*, traits::OnSubnetRemoved, types::EmissionSchedule, EffectiveRootProp,
	EffectiveRootPropEmissionScaling, EmissionTopSubnetAbsoluteLimit, EmissionTopSubnetProportion,
	Error, Event, LastEpoch, RootProp, Schedule, TotalIssued,
};
use frame_support::{assert_noop, assert_ok, traits::BuildGenesisConfig};
use sp_runtime::{DispatchError, Perbill, Permill};
use substrate_fixed::types::U96F32;

fn fx(num: u64, den: u64) -> U96F32 {
	U96F32::from_num(num).checked_div(U96F32::from_num(den)).unwrap()
}

/// A schedule of `initial` per block, decaying 50 % every 10 blocks, no cap.
const SCHEDULE: (u128, Perbill, u32, Option<u128>) = (1_000, Perbill::from_percent(50), 10, None);

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
			Perbill::from_percent(90),
			100,
			Some(10_000)
		));
		let new = EmissionSchedule {
			initial: 500,
			decay_factor: Perbill::from_percent(90),
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
			Emission::set_emission_schedule(RuntimeOrigin::root(), 500, Perbill::one(), 100, None),
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
				Perbill::from_percent(50),
				0,
				None
			),
			Error::<Test>::ZeroScheduleEpochLength
		);
	});
}

#[test]
fn set_schedule_with_cap_below_issued_is_rejected() {
	ExtBuilder::default().build_and_execute(|| {
		TotalIssued::<Test>::put(1_000);
		assert_noop!(
			Emission::set_emission_schedule(
				RuntimeOrigin::root(),
				500,
				Perbill::from_percent(50),
				10,
				Some(999)
			),
			Error::<Test>::SupplyCapBelowIssued
		);
		// Exactly what was issued is accepted: nothing more will be issued.
		assert_ok!(Emission::set_emission_schedule(
			RuntimeOrigin::root(),
			500,
			Perbill::from_percent(50),
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
				Perbill::from_percent(50),
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
		assert_eq!(state.recycled, 1);
		assert_eq!(TotalIssued::<Test>::get(), 1_000);
		System::assert_has_event(
			Event::BlockEmissionDistributed {
				issued: 1_000,
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
		assert_eq!(MockEconomy::state().recycled, 1_000);
		System::assert_has_event(
			Event::BlockEmissionDistributed {
				issued: 1_000,
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
		.schedule((1_000, Perbill::from_percent(50), 10, Some(11_000)))
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
		EffectiveRootProp::<Test>::insert(1, fx(3, 4));
		RootProp::<Test>::insert(1, fx(3, 4));
		EffectiveRootProp::<Test>::insert(2, fx(1, 4));
		RootProp::<Test>::insert(2, fx(1, 2));
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
		<Emission as OnSubnetRemoved>::on_subnet_removed(1);
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
		RootProp::<Test>::insert(2, fx(1, 2));
		EffectiveRootProp::<Test>::insert(2, fx(1, 8));
		run_to_block(3);
		RootProp::<Test>::insert(1, fx(1, 2));
		let settings = math::FilterSettings {
			erp_scaling: true,
			top_proportion: Permill::one(),
			absolute_limit: None,
		};
		// Capped: subnet 1's ERP is 0, subnet 2 takes everything.
		let capped = Emission::preview_shares(settings, true);
		assert_eq!(capped.after_absolute_limit[&1], substrate_fixed::types::U64F64::from_num(0));
		// Without the cap subnet 1's ERP would be 1/2 · 2/5 = 1/5 against subnet 2's 1/8.
		let uncapped = Emission::preview_shares(settings, false);
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
	});
}

#[test]
fn worst_case_tick_weight_covers_every_subnet_and_epoch() {
	use crate::WeightInfo;
	let worst = Emission::worst_case_tick_weight();
	let one_epoch = <() as WeightInfo>::settle_epoch(8);
	assert!(worst.all_gte(one_epoch.saturating_mul(16)));
}
