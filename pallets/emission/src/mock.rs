//! A mock runtime for the emission pallet's unit tests.

#![allow(clippy::arithmetic_side_effects)]

use crate as pallet_emission;
use frame_support::derive_impl;
use frame_system::EnsureRoot;
use sp_runtime::BuildStorage;

type Block = frame_system::mocking::MockBlock<Test>;

#[frame_support::runtime]
mod runtime {
	#[runtime::runtime]
	#[runtime::derive(
		RuntimeCall,
		RuntimeEvent,
		RuntimeError,
		RuntimeOrigin,
		RuntimeFreezeReason,
		RuntimeHoldReason,
		RuntimeSlashReason,
		RuntimeLockId,
		RuntimeTask,
		RuntimeViewFunction
	)]
	pub struct Test;

	#[runtime::pallet_index(0)]
	pub type System = frame_system::Pallet<Test>;

	#[runtime::pallet_index(1)]
	pub type Emission = pallet_emission::Pallet<Test>;
}

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
}

impl pallet_emission::Config for Test {
	type AdminOrigin = EnsureRoot<u64>;
	type WeightInfo = ();
}

/// Builds test externalities with the pallet's genesis settings.
#[derive(Default)]
pub struct ExtBuilder {
	genesis: pallet_emission::GenesisConfig<Test>,
}

impl ExtBuilder {
	/// Start from this top-subnet proportion instead of the default.
	pub fn top_subnet_proportion(mut self, proportion: sp_runtime::Permill) -> Self {
		self.genesis.emission_top_subnet_proportion = Some(proportion);
		self
	}

	/// The externalities, at block 0.
	pub fn build(self) -> sp_io::TestExternalities {
		let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
		self.genesis.assimilate_storage(&mut storage).unwrap();
		storage.into()
	}

	/// Run `test` at block 1 (events are not stored at block 0), then check the invariants.
	pub fn build_and_execute(self, test: impl FnOnce()) {
		self.build().execute_with(|| {
			System::set_block_number(1);
			test();
			Emission::do_try_state().unwrap();
		});
	}
}

/// Default externalities, used by the benchmark test suite.
#[cfg(feature = "runtime-benchmarks")]
pub fn new_test_ext() -> sp_io::TestExternalities {
	ExtBuilder::default().build()
}
