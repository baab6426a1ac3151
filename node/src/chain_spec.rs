//! The built-in chain specs: `dev` (Alice alone), `local` (Alice and Bob) and `local4` (Alice, Bob,
//! Charlie and Dave).

use emission_runtime::WASM_BINARY;
use sc_service::{ChainType, Properties};

/// The chain spec type of this node: genesis comes from the runtime's presets.
pub type ChainSpec = sc_service::GenericChainSpec;

/// Token symbol, decimals and address format shown by polkadot.js.
fn properties() -> Properties {
	let mut properties = Properties::new();
	properties.insert("tokenSymbol".into(), "UNIT".into());
	properties.insert("tokenDecimals".into(), 12.into());
	properties.insert("ss58Format".into(), 42.into());
	properties
}

fn wasm() -> Result<&'static [u8], String> {
	WASM_BINARY.ok_or_else(|| "The runtime's wasm was not built (SKIP_WASM_BUILD set?)".to_string())
}

/// A built-in chain spec: genesis from the runtime's preset `preset`.
fn spec(name: &str, id: &str, chain_type: ChainType, preset: &str) -> Result<ChainSpec, String> {
	Ok(ChainSpec::builder(wasm()?, None)
		.with_name(name)
		.with_id(id)
		.with_chain_type(chain_type)
		.with_properties(properties())
		.with_genesis_config_preset_name(preset)
		.build())
}

/// `--dev`: one validator (Alice), Alice is sudo.
pub fn development_chain_spec() -> Result<ChainSpec, String> {
	spec(
		"Emission Development",
		"emission_dev",
		ChainType::Development,
		sp_genesis_builder::DEV_RUNTIME_PRESET,
	)
}

/// `--chain local`: two validators (Alice and Bob), Alice is sudo.
pub fn local_chain_spec() -> Result<ChainSpec, String> {
	spec(
		"Emission Local Testnet",
		"emission_local",
		ChainType::Local,
		sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET,
	)
}

/// `--chain local4`: four validators (Alice, Bob, Charlie and Dave), Alice is sudo. GRANDPA
/// finalizes with any three of them.
pub fn local_four_chain_spec() -> Result<ChainSpec, String> {
	spec(
		"Emission Local Testnet (four validators)",
		"emission_local4",
		ChainType::Local,
		emission_runtime::genesis_config_presets::LOCAL_FOUR_PRESET,
	)
}
