//! Native test support shared by the runtime's unit tests, the call-sequence harness and the hook's
//! fuzz target (feature `fuzzing`): externalities built from a genesis preset as the node builds
//! them, and the runtime-level conservation check.

#![allow(clippy::expect_used, clippy::unwrap_used)]

use crate::{genesis_config_presets, Balances, Emission, Runtime, RuntimeGenesisConfig, System};
use frame_support::genesis_builder_helper::build_state;
use sp_io::TestExternalities;
use sp_runtime::StateVersion;

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
/// into the default config, then `GenesisBuilder::build_state`; the block number set to 1.
pub fn ext_from_preset(name: &str) -> TestExternalities {
	let patch = genesis_config_presets::get_preset(&name.into()).expect("preset exists");
	let mut config = serde_json::to_value(RuntimeGenesisConfig::default()).unwrap();
	merge(&mut config, serde_json::from_slice(&patch).unwrap());
	let json = serde_json::to_vec(&config).unwrap();
	let mut ext = TestExternalities::default();
	ext.execute_with(|| {
		build_state::<RuntimeGenesisConfig>(json).expect("preset builds");
		System::set_block_number(1);
	});
	ext.commit_all().expect("the genesis state commits");
	ext
}

/// [`ext_from_preset`], its genesis built once per process and restored from a snapshot after
/// that: a fuzz target starts every input from it instead of rebuilding the genesis state.
pub fn cached_ext_from_preset(name: &'static str) -> TestExternalities {
	use std::{collections::BTreeMap, sync::Mutex};
	type Snapshot = (Vec<(Vec<u8>, (Vec<u8>, i32))>, sp_core::H256);
	static CACHE: Mutex<BTreeMap<&'static str, Snapshot>> = Mutex::new(BTreeMap::new());
	let mut cache = CACHE.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
	let (raw, root) = cache
		.entry(name)
		.or_insert_with(|| ext_from_preset(name).into_raw_snapshot())
		.clone();
	TestExternalities::from_raw_snapshot(raw, root, StateVersion::V1)
}

/// Runtime-level conservation: Balances' total issuance is the genesis issuance plus everything
/// the emission pallet issued, less what it recycled, what subnets hold pending (with the dividends
/// credited to validators and not claimed) and what it carries for reserves (direct dispatch here:
/// no fees are burned).
pub fn assert_conserved(genesis_issuance: u128) {
	assert_conserved_burned(genesis_issuance, 0);
}

/// [`assert_conserved`] where fees and lost dust took `burned` out of Balances' total issuance
/// (the dev runtime burns transaction fees, and a reaped account's dust): exactly
/// `total issuance + recycled + pending + carried + burned = genesis + issued`.
pub fn assert_conserved_burned(genesis_issuance: u128, burned: u128) {
	let issued = pallet_emission::TotalIssued::<Runtime>::get();
	let recycled = pallet_emission::TotalRecycled::<Runtime>::get();
	// Pending for a subnet, or credited to a validator and not claimed.
	let pending = pallet_subnets::PendingEmission::<Runtime>::get()
		.values()
		.fold(pallet_subnets::UnclaimedTotal::<Runtime>::get(), |a, p| a.wrapping_add(*p));
	let carried = Emission::carried_total();
	// Compared modulo 2¹²⁸ so that the harness's extreme values cannot overflow the check itself.
	assert_eq!(
		Balances::total_issuance()
			.wrapping_add(recycled)
			.wrapping_add(pending)
			.wrapping_add(carried)
			.wrapping_add(burned),
		genesis_issuance.wrapping_add(issued),
		"total issuance = genesis + issued − recycled − pending − carried − fees and dust burned"
	);
}
