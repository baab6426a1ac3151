//! Native tests of the runtime: genesis presets and the emission pallet's wiring.

use crate::{
	genesis_config_presets::{self, ENDOWMENT},
	AccountId, Balances, Emission, Runtime, RuntimeCall, RuntimeGenesisConfig, RuntimeOrigin, Sudo,
	System,
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
		let recycled = pallet_subnets::TotalRecycled::<Runtime>::get();
		// Minted to validators + still pending + recycled = issued.
		let pending: u128 = pallet_subnets::PendingEmission::<Runtime>::get().values().sum();
		assert!(pending > 0);
		assert_eq!(Balances::total_issuance() - issuance + pending + recycled, issued);
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
		let charlie = Sr25519Keyring::Charlie.to_account_id();
		assert_ok!(pallet_subnets::Pallet::<Runtime>::set_validating(
			RuntimeOrigin::root(),
			2,
			charlie.clone(),
			false
		));
		run_to_block(12);
		let record = pallet_emission::LastEpoch::<Runtime>::get(2).expect("subnet 2 settled");
		assert!(record.capped);
		assert_eq!(record.recycled, record.root_dividends);
		assert_eq!(pallet_emission::EffectiveRootProp::<Runtime>::get(2), Some(Default::default()));
		// Subnet 1 is unaffected.
		assert!(!pallet_emission::LastEpoch::<Runtime>::get(1).expect("subnet 1 settled").capped);
		// Charlie earned nothing on subnet 2.
		assert_eq!(Balances::free_balance(&charlie), ENDOWMENT);
	});
}

#[test]
fn active_tine_withholds_into_distinct_reserve_accounts_by_the_split() {
	use frame_support::traits::fungible::Inspect;
	use sp_runtime::Perbill;
	ext_from_preset("development").execute_with(|| {
		let root = RuntimeOrigin::root;
		assert_ok!(Emission::set_turn_length(root(), 2));
		assert_ok!(pallet_subnets::Pallet::<Runtime>::set_floor(root(), Some(0)));
		assert_ok!(Emission::propose_tine(
			root(),
			b"t".to_vec(),
			2_000,
			vec![
				(b"alpha".to_vec(), Perbill::from_percent(25)),
				(b"beta".to_vec(), Perbill::from_percent(75))
			],
			Perbill::zero(),
			Perbill::from_percent(20),
		));
		let full = Some(Perbill::from_percent(50));
		assert_ok!(Emission::set_measure_weights(root(), full, full, full));
		assert_ok!(Emission::submit_reading(
			root(),
			0,
			b"t".to_vec(),
			Some(0),
			full,
			Some(true),
			full
		));
		run_to_block(2);
		assert!(pallet_emission::ActiveTine::<Runtime>::get().is_some());

		let accounts = [
			Emission::depth_reserve_account(),
			Emission::reserve_account(b"alpha"),
			Emission::reserve_account(b"beta"),
		];
		assert_ne!(accounts[1], accounts[2]);
		let before: Vec<u128> = accounts.iter().map(|a| Balances::balance(a)).collect();
		run_to_block(3);
		let delta: Vec<u128> =
			accounts.iter().zip(&before).map(|(a, b)| Balances::balance(a) - b).collect();
		// 1 UNIT at 2000 bps: 0.2 UNIT withheld; 20 % to depth, the rest 25/75.
		let unit = crate::UNIT;
		assert_eq!(delta, vec![unit / 25, unit / 25, unit * 3 / 25]);
	});
}

#[test]
fn reserve_accounts_hash_the_whole_name() {
	// `modl` ++ `py/emisn` ++ the first 20 bytes of blake2_256(("reserve", "treasury").encode()):
	// the audit tool (`scripts/lib/snapshot.js`) derives the same account.
	let treasury = Emission::reserve_account(b"treasury");
	let expected: [u8; 32] = [
		0x6d, 0x6f, 0x64, 0x6c, 0x70, 0x79, 0x2f, 0x65, 0x6d, 0x69, 0x73, 0x6e, 0x0b, 0xe2, 0x9c,
		0x71, 0x60, 0x19, 0xbb, 0x35, 0x6b, 0x5f, 0xc5, 0x18, 0x54, 0x51, 0x82, 0xde, 0x9d, 0xe8,
		0x2c, 0xac,
	];
	assert_eq!(treasury, AccountId::from(expected));
	// Two names alike in their first 12 bytes (all a sub-account could hold of the name itself)
	// get two accounts.
	assert_ne!(
		Emission::reserve_account(b"treasury-main-a"),
		Emission::reserve_account(b"treasury-main-b")
	);
	assert_ne!(Emission::reserve_account(b"depth"), Emission::depth_reserve_account());
}

#[test]
fn emission_hook_worst_case_fits_in_half_a_block() {
	let worst = Emission::worst_case_tick_weight();
	let max = <Runtime as frame_system::Config>::BlockWeights::get().max_block;
	println!(
		"worst-case emission on_initialize: ref_time {} ps ({} % of the block), proof_size {} bytes",
		worst.ref_time(),
		worst.ref_time() * 100 / max.ref_time(),
		worst.proof_size()
	);
	assert!(worst.ref_time() <= max.ref_time() / 2);
}

/// The performance targets at this runtime's maxima, from the benchmarked weights (the figures in
/// PERFORMANCE.md): `cargo test -p emission-runtime performance -- --nocapture` prints them.
#[test]
fn performance_targets_hold_at_the_maxima() {
	use frame_support::weights::Weight;
	use pallet_emission::WeightInfo as _;
	type W = pallet_emission::weights::SubstrateWeight<Runtime>;
	let max_block = <Runtime as frame_system::Config>::BlockWeights::get().max_block;
	let subnets = crate::configs::MaxSubnets::get();
	let validators = crate::configs::MaxValidatorsPerSubnet::get();
	let tines = crate::configs::MaxTines::get();
	let epochs = crate::configs::MaxEpochsPerBlock::get();
	let show = |name: &str, w: Weight| {
		let share = w.ref_time() as f64 / max_block.ref_time() as f64 * 100.0;
		println!(
			"{name:<48} {:>9.3} ms {:>7.3} % {:>10} B",
			w.ref_time() as f64 / 1e9,
			share,
			w.proof_size()
		);
	};
	show(&format!("distribute_block_emission({subnets})"), W::distribute_block_emission(subnets));
	show(&format!("epoch_queue({subnets})"), W::epoch_queue(subnets));
	show("epoch_queue(0)", W::epoch_queue(0));
	show(&format!("settle_epoch({validators})"), W::settle_epoch(validators));
	show("turn_check()", W::turn_check());
	show(&format!("close_turn({tines})"), W::close_turn(tines));
	let steady = Emission::steady_state_tick_weight();
	let worst = Emission::worst_case_tick_weight();
	show("steady-state block", steady);
	show(&format!("worst block ({epochs} epochs of {validators}, fork over {tines})"), worst);
	assert!(steady.ref_time() <= max_block.ref_time() / 100, "steady state above 1 %");
	assert!(worst.ref_time() <= max_block.ref_time() / 20, "worst block above 5 %");
}
