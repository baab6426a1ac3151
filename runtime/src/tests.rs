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
pub(crate) fn ext_from_preset(name: &str) -> sp_io::TestExternalities {
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

/// Run `on_initialize` of every pallet for each block up to `n`. No `on_finalize`: these
/// blocks have no timestamp inherent, which `pallet-timestamp` would insist on.
fn run_to_block(n: u32) {
	use frame_support::traits::OnInitialize;
	while System::block_number() < n {
		let next = System::block_number() + 1;
		System::set_block_number(next);
		<crate::AllPalletsWithSystem as OnInitialize<u32>>::on_initialize(next);
	}
}

#[test]
fn dev_economy_conserves_emission_and_pays_dividends() {
	ext_from_preset("development").execute_with(|| {
		let issuance = Balances::total_issuance();
		run_to_block(20);
		let issued = pallet_emission::TotalIssued::<Runtime>::get();
		// 1 UNIT per block for blocks 2..=20 (block 1 was initialized by the test setup).
		assert_eq!(issued, 19 * crate::UNIT);
		let recycled = pallet_emission::TotalRecycled::<Runtime>::get();
		// Minted to validators + still pending + recycled = issued.
		let pending: u128 = pallet_subnets::PendingEmission::<Runtime>::get().values().sum();
		assert!(pending > 0);
		assert_eq!(Balances::total_issuance() - issuance + pending + recycled, issued);
		assert_conserved(issuance);
		// Subnet 1 (tempo 4) settled epochs at full utilization and paid Alice.
		let record = pallet_emission::LastEpoch::<Runtime>::get(1).expect("subnet 1 settled");
		assert!(!record.capped);
		assert!(Balances::free_balance(Sr25519Keyring::Alice.to_account_id()) > ENDOWMENT);
		#[cfg(feature = "try-runtime")]
		{
			Emission::do_try_state().unwrap();
			pallet_subnets::Pallet::<Runtime>::do_try_state().unwrap();
		}
	});
}

#[test]
fn dev_economy_hard_cap_fires_when_the_main_root_validator_stops() {
	ext_from_preset("development").execute_with(|| {
		let genesis = Balances::total_issuance();
		let charlie = Sr25519Keyring::Charlie.to_account_id();
		assert_ok!(pallet_subnets::Pallet::<Runtime>::set_validating(
			RuntimeOrigin::root(),
			2,
			charlie.clone(),
			false
		));
		run_to_block(11);
		let alpha_recycled = pallet_subnets::AlphaRecycled::<Runtime>::get();
		run_to_block(12);
		let record = pallet_emission::LastEpoch::<Runtime>::get(2).expect("subnet 2 settled");
		assert!(record.capped);
		// Every root dividend recycled: the pending-emission part by the emission pallet, the
		// alpha part by the dev economy.
		assert!(record.recycled > 0);
		assert_eq!(
			record.recycled + pallet_subnets::AlphaRecycled::<Runtime>::get() - alpha_recycled,
			record.root_dividends
		);
		assert_eq!(pallet_emission::EffectiveRootProp::<Runtime>::get(2), Some(Default::default()));
		// Subnet 1 is unaffected.
		assert!(!pallet_emission::LastEpoch::<Runtime>::get(1).expect("subnet 1 settled").capped);
		// Charlie earned nothing on subnet 2.
		assert_eq!(Balances::free_balance(&charlie), ENDOWMENT);
		assert_conserved(genesis);
	});
}

/// Runtime-level conservation: Balances' total issuance is the genesis issuance plus everything
/// the emission pallet issued, less what it recycled, what subnets hold pending and what it
/// carries for reserves (direct dispatch here: no fees are burned).
pub(crate) fn assert_conserved(genesis_issuance: u128) {
	let issued = pallet_emission::TotalIssued::<Runtime>::get();
	let recycled = pallet_emission::TotalRecycled::<Runtime>::get();
	let pending = pallet_subnets::PendingEmission::<Runtime>::get()
		.values()
		.fold(0u128, |a, p| a.wrapping_add(*p));
	let carried = Emission::carried_total();
	// total issuance + recycled + pending + carried = genesis + issued, compared modulo 2¹²⁸ so
	// that the harness's extreme values cannot overflow the check itself.
	assert_eq!(
		Balances::total_issuance()
			.wrapping_add(recycled)
			.wrapping_add(pending)
			.wrapping_add(carried),
		genesis_issuance.wrapping_add(issued),
		"total issuance = genesis + issued − recycled − pending − carried"
	);
}

#[test]
fn removing_a_subnet_with_pending_emission_recycles_it_and_conserves() {
	ext_from_preset("development").execute_with(|| {
		let genesis = Balances::total_issuance();
		run_to_block(7);
		let pending = pallet_subnets::Pallet::<Runtime>::pending_emission(3);
		assert!(pending > 0, "subnet 3 holds pending emission");
		assert_ok!(pallet_subnets::Pallet::<Runtime>::remove_subnet(RuntimeOrigin::root(), 3));
		// Before the fix the pending entry vanished: issued exceeded minted + pending + recycled.
		assert_eq!(pallet_emission::TotalRecycled::<Runtime>::get() >= pending, true);
		assert_conserved(genesis);
		run_to_block(14);
		assert_conserved(genesis);
		#[cfg(feature = "try-runtime")]
		Emission::do_try_state().unwrap();
	});
}

#[test]
fn capped_root_dividends_leave_the_pool_at_the_capped_epoch() {
	ext_from_preset("development").execute_with(|| {
		let genesis = Balances::total_issuance();
		let charlie = Sr25519Keyring::Charlie.to_account_id();
		assert_ok!(pallet_subnets::Pallet::<Runtime>::set_validating(
			RuntimeOrigin::root(),
			2,
			charlie,
			false
		));
		// Subnet 2's epochs: blocks 2, 7, 12 (`(block + 3) % 5 == 0`); 12 settles alone.
		run_to_block(11);
		let alpha_recycled = pallet_subnets::AlphaRecycled::<Runtime>::get();
		run_to_block(12);
		let record = pallet_emission::LastEpoch::<Runtime>::get(2).expect("settled");
		assert_eq!(record.block, 12);
		assert!(record.capped && record.root_dividends > 0);
		// Before the fix the capped root dividends stayed pending for the next epoch to pay out
		// pro rata, root stake included. Now only the division dust (under one unit per
		// validator) is left.
		assert!(pallet_subnets::Pallet::<Runtime>::pending_emission(2) < 10);
		assert_eq!(
			record.recycled + pallet_subnets::AlphaRecycled::<Runtime>::get() - alpha_recycled,
			record.root_dividends
		);
		assert_conserved(genesis);
	});
}

#[test]
fn a_subnet_at_erp_zero_under_scaling_recovers_when_its_validator_validates_again() {
	ext_from_preset("development").execute_with(|| {
		let genesis = Balances::total_issuance();
		let eve = Sr25519Keyring::Eve.to_account_id();
		assert_ok!(Emission::set_effective_root_prop_emission_scaling(RuntimeOrigin::root(), true));
		// Subnet 3's only validator stops: its epochs pay nobody, its ERP falls to 0, and with ERP
		// scaling it gets no share of the block emission.
		assert_ok!(pallet_subnets::Pallet::<Runtime>::set_validating(
			RuntimeOrigin::root(),
			3,
			eve.clone(),
			false
		));
		// Subnet 3's epochs: `(block + 4) % 5 == 0`: blocks 6, 11, 16, 21, 26.
		run_to_block(11);
		assert_eq!(pallet_emission::EffectiveRootProp::<Runtime>::get(3), Some(Default::default()));
		run_to_block(14);
		let pending = pallet_subnets::Pallet::<Runtime>::pending_emission(3);
		run_to_block(15);
		assert_eq!(
			pallet_subnets::Pallet::<Runtime>::pending_emission(3),
			pending,
			"no share at ERP 0"
		);
		// Eve validates again. Before the fix the next epoch had no dividends (its only pool was
		// the emission it no longer received), so ERP stayed 0 for ever; now the subnet's own alpha
		// emission pays her, utilization is 1, and ERP and the share come back.
		assert_ok!(pallet_subnets::Pallet::<Runtime>::set_validating(
			RuntimeOrigin::root(),
			3,
			eve,
			true
		));
		run_to_block(16);
		let record = pallet_emission::LastEpoch::<Runtime>::get(3).expect("settled");
		assert_eq!(record.block, 16);
		assert!(!record.capped && record.root_dividends > 0);
		assert!(record.effective_root_prop.to_bits() > 0);
		let before = pallet_subnets::Pallet::<Runtime>::pending_emission(3);
		run_to_block(17);
		assert!(pallet_subnets::Pallet::<Runtime>::pending_emission(3) > before, "a share again");
		assert_conserved(genesis);
	});
}
