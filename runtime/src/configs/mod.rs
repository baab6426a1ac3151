//! Configuration of each pallet of the runtime.

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

use frame_support::{
	derive_impl,
	dispatch::DispatchClass,
	parameter_types,
	traits::{ConstBool, ConstU128, ConstU32, ConstU64, ConstU8, VariantCountOf},
	weights::{
		constants::{ParityDbWeight, WEIGHT_REF_TIME_PER_SECOND},
		IdentityFee, Weight,
	},
	PalletId,
};
use frame_system::{
	limits::{BlockLength, BlockWeights},
	EnsureRoot,
};
use pallet_transaction_payment::{ConstFeeMultiplier, FungibleAdapter, Multiplier};
use sp_consensus_aura::sr25519::AuthorityId as AuraId;
use sp_runtime::{traits::One, Perbill};
use sp_version::RuntimeVersion;

use super::{
	AccountId, Aura, Balance, Balances, Block, BlockNumber, Emission, Hash, Nonce, PalletInfo,
	Runtime, RuntimeCall, RuntimeEvent, RuntimeFreezeReason, RuntimeHoldReason, RuntimeOrigin,
	RuntimeTask, Subnets, System, BLOCK_HASH_COUNT, EXISTENTIAL_DEPOSIT, SLOT_DURATION, VERSION,
};

const NORMAL_DISPATCH_RATIO: Perbill = Perbill::from_percent(75);

parameter_types! {
	pub const BlockHashCount: BlockNumber = BLOCK_HASH_COUNT;
	pub const Version: RuntimeVersion = VERSION;

	/// Two seconds of compute per (3 s) block: the node gives Aura's proposer 2/3 of the slot.
	pub RuntimeBlockWeights: BlockWeights = BlockWeights::with_sensible_defaults(
		Weight::from_parts(2 * WEIGHT_REF_TIME_PER_SECOND, u64::MAX),
		NORMAL_DISPATCH_RATIO,
	);
	/// 5 MiB blocks, 75 % of it for normal extrinsics.
	pub RuntimeBlockLength: BlockLength = BlockLength::builder()
		.max_length(5 * 1024 * 1024)
		.modify_max_length_for_class(DispatchClass::Normal, |max| *max = NORMAL_DISPATCH_RATIO.mul_floor(*max))
		.build();
	pub const SS58Prefix: u8 = 42;
}

#[derive_impl(frame_system::config_preludes::SolochainDefaultConfig)]
impl frame_system::Config for Runtime {
	type Block = Block;
	type BlockWeights = RuntimeBlockWeights;
	type BlockLength = RuntimeBlockLength;
	type AccountId = AccountId;
	type Nonce = Nonce;
	type Hash = Hash;
	type BlockHashCount = BlockHashCount;
	/// The node stores state in ParityDb (no RocksDB in the build).
	type DbWeight = ParityDbWeight;
	type Version = Version;
	type AccountData = pallet_balances::AccountData<Balance>;
	type SS58Prefix = SS58Prefix;
	type MaxConsumers = ConstU32<16>;
	type BaseCallFilter = NoUnrecordedBurn;
	/// The transaction extensions' weights (`CheckNonce`, `CheckWeight`, `WeightReclaim`…) as this
	/// machine measured them (`scripts/bench.sh`), not Substrate's reference figures of `()`.
	type ExtensionsWeightInfo = crate::weights::frame_system_extensions::WeightInfo<Runtime>;
}

/// Every call but `Balances::burn`, which takes units out of the total issuance without telling
/// anyone (no `OnUnbalanced` handler sees it): the emission pallet's ledger would no longer be
/// one identity. Fees, tips and dust are recycled through the emission pallet instead. Root's
/// calls bypass this filter (`sudo` dispatches with `dispatch_bypass_filter`), like any other
/// direct write root can make (`force_set_balance`, `set_storage`).
pub struct NoUnrecordedBurn;

impl frame_support::traits::Contains<RuntimeCall> for NoUnrecordedBurn {
	fn contains(call: &RuntimeCall) -> bool {
		!matches!(call, RuntimeCall::Balances(pallet_balances::Call::burn { .. }))
	}
}

impl pallet_aura::Config for Runtime {
	type AuthorityId = AuraId;
	type DisabledValidators = ();
	type MaxAuthorities = ConstU32<32>;
	type AllowMultipleBlocksPerSlot = ConstBool<false>;
	type SlotDuration = pallet_aura::MinimumPeriodTimesTwo<Runtime>;
}

impl pallet_grandpa::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type WeightInfo = ();
	type MaxAuthorities = ConstU32<32>;
	type MaxNominators = ConstU32<0>;
	type MaxSetIdSessionEntries = ConstU64<0>;
	type KeyOwnerProof = sp_core::Void;
	type EquivocationReportSystem = ();
}

impl pallet_timestamp::Config for Runtime {
	/// Milliseconds since the unix epoch.
	type Moment = u64;
	type OnTimestampSet = Aura;
	type MinimumPeriod = ConstU64<{ SLOT_DURATION / 2 }>;
	type WeightInfo = ();
}

impl pallet_balances::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type MaxLocks = ConstU32<50>;
	type MaxReserves = ();
	type ReserveIdentifier = [u8; 8];
	type Balance = Balance;
	/// A reaped account's dust is recycled through the emission pallet (`Recycled`, reason `Dust`).
	type DustRemoval = pallet_emission::adapters::RecycleDust<Runtime, Balances>;
	type ExistentialDeposit = ConstU128<EXISTENTIAL_DEPOSIT>;
	type AccountStore = System;
	type WeightInfo = pallet_balances::weights::SubstrateWeight<Runtime>;
	type FreezeIdentifier = RuntimeFreezeReason;
	type MaxFreezes = VariantCountOf<RuntimeFreezeReason>;
	type RuntimeHoldReason = RuntimeHoldReason;
	type RuntimeFreezeReason = RuntimeFreezeReason;
	type DoneSlashHandler = ();
}

parameter_types! {
	pub FeeMultiplier: Multiplier = Multiplier::one();
}

impl pallet_transaction_payment::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	/// Fees and tips are recycled through the emission pallet (`Recycled`, reason
	/// `TransactionFees`): back to the unissued supply, recorded in its ledger.
	type OnChargeTransaction =
		FungibleAdapter<Balances, pallet_emission::adapters::RecycleFees<Runtime, Balances>>;
	type OperationalFeeMultiplier = ConstU8<5>;
	type WeightToFee = IdentityFee<Balance>;
	type LengthToFee = IdentityFee<Balance>;
	type FeeMultiplierUpdate = ConstFeeMultiplier<FeeMultiplier>;
	type WeightInfo = pallet_transaction_payment::weights::SubstrateWeight<Runtime>;
}

impl pallet_sudo::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeCall = RuntimeCall;
	type WeightInfo = pallet_sudo::weights::SubstrateWeight<Runtime>;
}

parameter_types! {
	/// The most subnets: the emission hook reads at most this many per block.
	pub const MaxSubnets: u32 = 1024;
	/// 365.25 days of blocks at the runtime's block time: the supply projection's year.
	pub const BlocksPerYear: u32 = crate::DAYS * 36_525 / 100;
	/// The most validators per subnet epoch.
	pub const MaxValidatorsPerSubnet: u32 = 256;
	/// The most subnet epochs settled in one block; the rest wait in the emission pallet's queue.
	/// Three: at 1,024 subnets with Bittensor's 360-block tempo, the netuid offsets put two or
	/// three epochs due in every block (1,024 / 361 = 2.84 on average), so none waits
	/// (`epochs_settle_on_time_at_the_maxima`); three epochs of 256 validators fit in the worst
	/// block's 5 % since epochs credit a ledger instead of minting (PERFORMANCE.md).
	pub const MaxEpochsPerBlock: u32 = 3;
	/// Weight of root stake against alpha stake (Subtensor's default, 18 %).
	pub const TaoWeight: Perbill = Perbill::from_percent(18);
	/// Alpha each dev subnet issues per block (its own token, valued 1:1 in the dev economy).
	pub const AlphaEmission: Balance = crate::UNIT;
}

parameter_types! {
	/// Derives the emission pallet's reserve accounts.
	pub const EmissionPalletId: PalletId = PalletId(*b"py/emisn");
	/// The most candidate tines at once: 16, so that a turn's close (each tine's entry of up to
	/// `MaxFeeders` submissions read, the cut tines' removed) fits beside two full epochs in the
	/// worst block's 5 % (PERFORMANCE.md).
	pub const MaxTines: u32 = 16;
	/// The most reserves in a tine's split.
	pub const MaxReserves: u32 = 4;
	/// The longest tine id or reserve name, in bytes.
	pub const MaxNameLen: u32 = 32;
	/// The most oracle feeders.
	pub const MaxFeeders: u32 = 16;
}

/// The dev chains' oracle feeders (Dave, Eve and Ferdie, none of them a validator or the sudo
/// key) and their quorum of 2: the genesis presets and the v2 migration set them.
pub struct DevFeeders;

impl frame_support::traits::Get<(alloc::vec::Vec<AccountId>, u32)> for DevFeeders {
	fn get() -> (alloc::vec::Vec<AccountId>, u32) {
		use sp_keyring::Sr25519Keyring::{Dave, Eve, Ferdie};
		(alloc::vec![Dave.to_account_id(), Eve.to_account_id(), Ferdie.to_account_id()], 2)
	}
}

/// The dev floor: the floor governance set in `pallet-subnets` against the depth reserve's
/// balance (the protocol-owned liquidity the active tine feeds); unreadable while no floor is
/// set.
pub struct DevFloor;

impl pallet_emission::traits::FloorSource for DevFloor {
	fn read() -> Option<pallet_emission::math::floor::FloorReading> {
		use frame_support::traits::fungible::Inspect;
		let floor = pallet_subnets::Floor::<Runtime>::get()?;
		let liquidity = Balances::balance(&Emission::depth_reserve_account());
		Some(pallet_emission::math::floor::FloorReading { liquidity, floor })
	}
}

impl pallet_emission::Config for Runtime {
	type AdminOrigin = EnsureRoot<AccountId>;
	type Currency = Balances;
	type Floor = DevFloor;
	type MaxFeeders = MaxFeeders;
	type PalletId = EmissionPalletId;
	type MaxTines = MaxTines;
	type MaxReserves = MaxReserves;
	type MaxNameLen = MaxNameLen;
	type Subnets = Subnets;
	type MaxSubnets = MaxSubnets;
	type MaxValidatorsPerSubnet = MaxValidatorsPerSubnet;
	type MaxEpochsPerBlock = MaxEpochsPerBlock;
	type BlocksPerYear = BlocksPerYear;
	type WeightInfo = pallet_emission::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = pallet_subnets::EmissionBenchmarkHelper<Runtime>;
}

/// The dev-only subnet economy that feeds the emission pallet.
impl pallet_subnets::Config for Runtime {
	type MaxAlphaClear = ConstU32<1_024>;
	type Currency = Balances;
	type AdminOrigin = EnsureRoot<AccountId>;
	type OnSubnetRemoved = Emission;
	type MaxSubnets = MaxSubnets;
	type MaxValidatorsPerSubnet = MaxValidatorsPerSubnet;
	type TaoWeight = TaoWeight;
	type AlphaEmission = AlphaEmission;
	type WeightInfo = pallet_subnets::weights::SubstrateWeight<Runtime>;
}
