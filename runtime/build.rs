fn main() {
	#[cfg(feature = "std")]
	{
		// The target dir may live outside the checkout (`$CARGO_TARGET_DIR`), where the wasm
		// builder cannot find this workspace by walking up from its output dir: point it here.
		// Set for this build script only, so that other crates' wasm builds are not misled.
		if std::env::var_os("WASM_BUILD_WORKSPACE_HINT").is_none() {
			let workspace = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
			std::env::set_var("WASM_BUILD_WORKSPACE_HINT", workspace);
		}
		#[cfg(not(feature = "metadata-hash"))]
		substrate_wasm_builder::WasmBuilder::build_using_defaults();
		// The metadata hash commits to the token's symbol and decimals as wallets show them.
		#[cfg(feature = "metadata-hash")]
		substrate_wasm_builder::WasmBuilder::init_with_defaults()
			.enable_metadata_hash("UNIT", 12)
			.build();
	}
}
