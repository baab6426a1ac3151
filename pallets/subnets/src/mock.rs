//! A mock runtime for the subnets pallet: System, Balances, Subnets.

#![allow(clippy::arithmetic_side_effects)]

use crate as pallet_subnets;
use core::cell::RefCell;
use frame_support::{derive_impl, parameter_types, traits::ConstU32};
use frame_system::EnsureRoot;
use pallet_emission::{traits::OnSubnetRemoved, NetUid};
use sp_runtime::{BuildStorage, Perbill};

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
	pub type Balances = pallet_balances::Pallet<Test>;

	#[runtime::pallet_index(2)]
	pub type Subnets = pallet_subnets::Pallet<Test>;
}

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
	type AccountData = pallet_balances::AccountData<u128>;
}

#[derive_impl(pallet_balances::config_preludes::TestDefaultConfig)]
impl pallet_balances::Config for Test {
	type Balance = u128;
	type ExistentialDeposit = ExistentialDeposit;
	type AccountStore = System;
}

parameter_types! {
	pub const ExistentialDeposit: u128 = 10;
	pub const MaxSubnets: u32 = 4;
	pub const MaxValidatorsPerSubnet: u32 = 3;
	pub const TaoWeight: Perbill = Perbill::from_percent(50);
}

parameter_types! {
	/// Settable: 0 unless a test turns alpha emission on.
	pub static AlphaEmission: u128 = 0;
}

thread_local! {
	/// Subnets reported removed to `OnSubnetRemoved`, with their pending emission.
	pub static REMOVED: RefCell<Vec<(NetUid, u128)>> = const { RefCell::new(Vec::new()) };
}

/// Records removals, standing in for the emission pallet.
pub struct RecordRemovals;
impl OnSubnetRemoved for RecordRemovals {
	fn on_subnet_removed(netuid: NetUid, pending: u128) {
		REMOVED.with(|r| r.borrow_mut().push((netuid, pending)));
	}
}

impl pallet_subnets::Config for Test {
	type MaxAlphaClear = ConstU32<4>;
	type Currency = Balances;
	type AdminOrigin = EnsureRoot<u64>;
	type OnSubnetRemoved = RecordRemovals;
	type MaxSubnets = MaxSubnets;
	type MaxValidatorsPerSubnet = MaxValidatorsPerSubnet;
	type TaoWeight = TaoWeight;
	type AlphaEmission = AlphaEmission;
	type WeightInfo = ();
}

/// Externalities with accounts 1..=9 endowed with 1000 each.
pub fn new_test_ext() -> sp_io::TestExternalities {
	REMOVED.with(|r| r.borrow_mut().clear());
	let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	pallet_balances::GenesisConfig::<Test> {
		balances: (1..=9).map(|who| (who, 1_000)).collect(),
		..Default::default()
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	let mut ext: sp_io::TestExternalities = storage.into();
	ext.execute_with(|| System::set_block_number(1));
	ext
}

/// Run `test`, then check the pallet's invariants.
pub fn execute(test: impl FnOnce()) {
	AlphaEmission::set(0);
	new_test_ext().execute_with(|| {
		test();
		Subnets::do_try_state().unwrap();
	});
}
