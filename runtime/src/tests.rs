//! Native tests of the runtime: genesis presets and the emission pallet's wiring.

use crate::{
	genesis_config_presets::{self, ENDOWMENT},
	Balances, Emission, Runtime, RuntimeCall, RuntimeGenesisConfig, RuntimeOrigin, Sudo, System,
};
use frame_support::{assert_noop, assert_ok, genesis_builder_helper::build_state};
use sp_keyring::Sr25519Keyring;
use sp_runtime::{traits::Dispatchable, DispatchError, Permill};

/// Externalities built from a genesis preset exactly as the node builds them
/// (`GenesisBuilder::build_state` on the preset's JSON patch).
fn ext_from_preset(name: &str) -> sp_io::TestExternalities {
	let json = genesis_config_presets::get_preset(&name.into()).expect("preset exists");
	let mut ext = sp_io::TestExternalities::default();
	ext.execute_with(|| {
		build_state::<RuntimeGenesisConfig>(json).expect("preset builds");
		System::set_block_number(1);
	});
	ext
}

#[test]
fn presets_are_listed_and_unknown_names_yield_none() {
	let names: Vec<String> = genesis_config_presets::preset_names()
		.into_iter()
		.map(|p| String::from_utf8(p.as_ref().as_bytes().to_vec()).unwrap())
		.collect();
	assert_eq!(names, vec!["development".to_string(), "local_testnet".to_string()]);
	assert!(genesis_config_presets::get_preset(&"no-such-preset".into()).is_none());
}

#[test]
fn development_preset_has_alice_as_only_authority_and_sudo() {
	ext_from_preset("development").execute_with(|| {
		let alice = Sr25519Keyring::Alice.to_account_id();
		assert_eq!(pallet_aura::Authorities::<Runtime>::get().len(), 1);
		assert_eq!(pallet_grandpa::Pallet::<Runtime>::grandpa_authorities().len(), 1);
		assert_eq!(pallet_sudo::Key::<Runtime>::get(), Some(alice.clone()));
		assert_eq!(Balances::free_balance(&alice), ENDOWMENT);
		assert_eq!(Balances::free_balance(Sr25519Keyring::Ferdie.to_account_id()), ENDOWMENT);
		assert_eq!(Emission::emission_top_subnet_proportion(), Permill::one());
	});
}

#[test]
fn local_testnet_preset_has_alice_and_bob_as_authorities() {
	ext_from_preset("local_testnet").execute_with(|| {
		assert_eq!(pallet_aura::Authorities::<Runtime>::get().len(), 2);
		assert_eq!(pallet_grandpa::Pallet::<Runtime>::grandpa_authorities().len(), 2);
	});
}

#[test]
fn sudo_sets_the_top_subnet_proportion_and_signed_bob_cannot() {
	ext_from_preset("development").execute_with(|| {
		let alice = Sr25519Keyring::Alice.to_account_id();
		let bob = Sr25519Keyring::Bob.to_account_id();
		let call =
			RuntimeCall::Emission(pallet_emission::Call::set_emission_top_subnet_proportion {
				proportion: Permill::from_percent(50),
			});

		assert_noop!(call.clone().dispatch(RuntimeOrigin::signed(bob)), DispatchError::BadOrigin);
		assert_ok!(Sudo::sudo(RuntimeOrigin::signed(alice), Box::new(call)));
		assert_eq!(Emission::emission_top_subnet_proportion(), Permill::from_percent(50));
		System::assert_has_event(
			pallet_emission::Event::EmissionTopSubnetProportionSet {
				old: Permill::one(),
				new: Permill::from_percent(50),
			}
			.into(),
		);
	});
}
