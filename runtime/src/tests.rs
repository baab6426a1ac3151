//! Native tests of the runtime: genesis presets and the emission pallet's wiring.

use crate::{
	genesis_config_presets::{self, ENDOWMENT},
	Balances, Emission, Runtime, RuntimeCall, RuntimeGenesisConfig, RuntimeOrigin, Sudo, System,
};
use frame_support::{assert_noop, assert_ok, genesis_builder_helper::build_state};
use sp_keyring::Sr25519Keyring;
use sp_runtime::{traits::Dispatchable, DispatchError, Permill};

/// Merge a JSON patch into `base`, as the node merges a preset into the default genesis config.
fn merge(base: &mut serde_json::Value, patch: serde_json::Value) {
	match (base, patch) {
		(serde_json::Value::Object(base), serde_json::Value::Object(patch)) =>
			for (key, value) in patch {
				merge(base.entry(key).or_insert(serde_json::Value::Null), value);
			},
		(base, patch) => *base = patch,
	}
}

/// Externalities built from a genesis preset as the node builds them: the preset's patch merged
/// into the default config, then `GenesisBuilder::build_state`.
fn ext_from_preset(name: &str) -> sp_io::TestExternalities {
	let patch = genesis_config_presets::get_preset(&name.into()).expect("preset exists");
	let mut config = serde_json::to_value(RuntimeGenesisConfig::default()).unwrap();
	merge(&mut config, serde_json::from_slice(&patch).unwrap());
	let json = serde_json::to_vec(&config).unwrap();
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
		.map(|p| AsRef::<str>::as_ref(&p).to_string())
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
