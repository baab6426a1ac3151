//! Genesis presets: `development` (one validator), `local_testnet` (Alice and Bob) and
//! `local_testnet_four` (Alice, Bob, Charlie and Dave).

#![deny(
	clippy::arithmetic_side_effects,
	clippy::unwrap_used,
	clippy::expect_used,
	clippy::indexing_slicing,
	clippy::float_arithmetic,
	clippy::cast_possible_truncation,
	clippy::cast_possible_wrap,
	clippy::cast_sign_loss
)]

use crate::{
	AccountId, Balance, BalancesConfig, EmissionConfig, RuntimeGenesisConfig, SubnetsConfig,
	SudoConfig, UNIT,
};
use alloc::{vec, vec::Vec};
use frame_support::{build_struct_json_patch, traits::Get};
use serde_json::Value;
use sp_consensus_aura::sr25519::AuthorityId as AuraId;
use sp_consensus_grandpa::AuthorityId as GrandpaId;
use sp_genesis_builder::{self, PresetId};
use sp_keyring::{Ed25519Keyring, Sr25519Keyring};
use sp_runtime::Perquintill;

/// The preset of four validators: the smallest GRANDPA set that keeps finalizing with one of them
/// down (finality needs more than 2/3 of the authorities: 3 of 4).
pub const LOCAL_FOUR_PRESET: &str = "local_testnet_four";

/// Free balance of every endowed dev account: one million units.
pub const ENDOWMENT: Balance = 1_000_000 * UNIT;

/// The genesis patch for the given authorities, endowed accounts and sudo key.
fn testnet_genesis(
	initial_authorities: Vec<(AuraId, GrandpaId)>,
	endowed_accounts: Vec<AccountId>,
	root: AccountId,
) -> Value {
	build_struct_json_patch!(RuntimeGenesisConfig {
		balances: BalancesConfig {
			balances: endowed_accounts.iter().cloned().map(|k| (k, ENDOWMENT)).collect::<Vec<_>>(),
		},
		aura: pallet_aura::GenesisConfig {
			authorities: initial_authorities.iter().map(|x| x.0.clone()).collect::<Vec<_>>(),
		},
		grandpa: pallet_grandpa::GenesisConfig {
			authorities: initial_authorities.iter().map(|x| (x.1.clone(), 1)).collect::<Vec<_>>(),
		},
		sudo: SudoConfig { key: Some(root) },
		emission: EmissionConfig {
			schedule: Some(DEV_SCHEDULE),
			feeders: crate::configs::DevFeeders::get().0,
			reading_quorum: crate::configs::DevFeeders::get().1,
			..Default::default()
		},
		subnets: SubnetsConfig { subnets: DEV_SUBNETS.to_vec(), validators: dev_validators() },
	})
}

/// Emission schedule of the dev chains: 1 UNIT per block, ×0.99 every 1,000 blocks, at most
/// 21,000,000 UNIT in total.
pub const DEV_SCHEDULE: (Balance, Perquintill, u32, Option<Balance>) =
	(UNIT, Perquintill::from_percent(99), 1_000, Some(21_000_000 * UNIT));

/// Subnets of the dev chains: `(netuid, tempo, base_weight)`. Tempo 4: an epoch every 5 blocks.
pub const DEV_SUBNETS: [(u16, u16, u64); 3] = [(1, 4, 100), (2, 4, 60), (3, 4, 30)];

/// Validators of the dev chains: `(netuid, validator, root stake, alpha stake, validating)`.
/// Subnet 2's root stake is mostly Charlie's: when Charlie stops validating, utilization falls
/// to 1/3 and the hard cap fires at the subnet's next epoch.
fn dev_validators() -> Vec<(u16, AccountId, Balance, Balance, bool)> {
	use Sr25519Keyring::*;
	vec![
		(1, Alice.to_account_id(), 1_000 * UNIT, 500 * UNIT, true),
		(1, Bob.to_account_id(), 1_000 * UNIT, 500 * UNIT, true),
		(2, Charlie.to_account_id(), 2_000 * UNIT, 100 * UNIT, true),
		(2, Dave.to_account_id(), 1_000 * UNIT, 100 * UNIT, true),
		(3, Eve.to_account_id(), 500 * UNIT, 1_000 * UNIT, true),
	]
}

/// The authority keys (Aura sr25519, GRANDPA ed25519) of a dev keyring account.
fn authority(sr: Sr25519Keyring, ed: Ed25519Keyring) -> (AuraId, GrandpaId) {
	(sr.public().into(), ed.public().into())
}

/// Every well-known dev account but `One` and `Two`: Alice..Ferdie and their stashes.
fn dev_accounts() -> Vec<AccountId> {
	Sr25519Keyring::iter()
		.filter(|v| v != &Sr25519Keyring::One && v != &Sr25519Keyring::Two)
		.map(|v| v.to_account_id())
		.collect::<Vec<_>>()
}

/// `development`: Alice is the only authority and the sudo key.
pub fn development_config_genesis() -> Value {
	testnet_genesis(
		vec![authority(Sr25519Keyring::Alice, Ed25519Keyring::Alice)],
		dev_accounts(),
		Sr25519Keyring::Alice.to_account_id(),
	)
}

/// `local_testnet`: Alice and Bob are the authorities; Alice is the sudo key.
pub fn local_config_genesis() -> Value {
	testnet_genesis(
		vec![
			authority(Sr25519Keyring::Alice, Ed25519Keyring::Alice),
			authority(Sr25519Keyring::Bob, Ed25519Keyring::Bob),
		],
		dev_accounts(),
		Sr25519Keyring::Alice.to_account_id(),
	)
}

/// `local_testnet_four`: Alice, Bob, Charlie and Dave are the authorities; Alice is the sudo key.
pub fn local_four_config_genesis() -> Value {
	testnet_genesis(
		vec![
			authority(Sr25519Keyring::Alice, Ed25519Keyring::Alice),
			authority(Sr25519Keyring::Bob, Ed25519Keyring::Bob),
			authority(Sr25519Keyring::Charlie, Ed25519Keyring::Charlie),
			authority(Sr25519Keyring::Dave, Ed25519Keyring::Dave),
		],
		dev_accounts(),
		Sr25519Keyring::Alice.to_account_id(),
	)
}

/// The JSON of the named preset, or `None` for an unknown name.
pub fn get_preset(id: &PresetId) -> Option<Vec<u8>> {
	let patch = match id.as_ref() {
		sp_genesis_builder::DEV_RUNTIME_PRESET => development_config_genesis(),
		sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET => local_config_genesis(),
		LOCAL_FOUR_PRESET => local_four_config_genesis(),
		_ => return None,
	};
	serde_json::to_string(&patch).ok().map(alloc::string::String::into_bytes)
}

/// The names of the presets this runtime provides.
pub fn preset_names() -> Vec<PresetId> {
	vec![
		PresetId::from(sp_genesis_builder::DEV_RUNTIME_PRESET),
		PresetId::from(sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET),
		PresetId::from(LOCAL_FOUR_PRESET),
	]
}
