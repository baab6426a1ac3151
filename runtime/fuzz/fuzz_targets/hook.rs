//! The emission pallet's hook and every call of both pallets, driven by the fuzzer's bytes through
//! the dev runtime's call-sequence harness (`runtime/src/harness.rs`): each input is a sequence of
//! calls with good and bad origins and values, interleaved with blocks. A panic is a finding:
//! `try_state` of every pallet failing after a block, conservation against Balances' total
//! issuance failing after a block or a call, a failed call that changed storage, or a panic in the
//! runtime itself.
//!
//! `SKIP_WASM_BUILD=1 cargo fuzz run -s none --release hook -- -runs=1000000 -max_len=1024`

#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
	emission_runtime::harness::run_bytes(data);
});
