//! Unit tests of the emission pallet on the mock runtime.

#![allow(clippy::arithmetic_side_effects)]

use crate::{mock::*, EmissionTopSubnetProportion, Error, Event};
use frame_support::{assert_noop, assert_ok, traits::BuildGenesisConfig};
use sp_runtime::{DispatchError, Permill};

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
fn set_top_subnet_proportion_to_the_same_value_still_emits() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(Emission::set_emission_top_subnet_proportion(
			RuntimeOrigin::root(),
			Permill::one()
		));
		assert_eq!(EmissionTopSubnetProportion::<Test>::get(), Permill::one());
		System::assert_last_event(
			Event::EmissionTopSubnetProportionSet { old: Permill::one(), new: Permill::one() }
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
		assert_eq!(System::events().len(), 0);
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
			assert_eq!(System::events().len(), 0);
		});
}

#[test]
fn genesis_sets_the_top_subnet_proportion() {
	ExtBuilder::default()
		.top_subnet_proportion(Permill::from_percent(25))
		.build_and_execute(|| {
			assert_eq!(EmissionTopSubnetProportion::<Test>::get(), Permill::from_percent(25));
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

#[test]
fn try_state_detects_a_zero_proportion_in_storage() {
	ExtBuilder::default().build().execute_with(|| {
		assert_ok!(Emission::do_try_state());
		EmissionTopSubnetProportion::<Test>::put(Permill::zero());
		assert!(Emission::do_try_state().is_err());
	});
}
