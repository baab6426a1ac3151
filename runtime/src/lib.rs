//! Dev runtime of the emission project: Aura + GRANDPA, Balances, Sudo, Timestamp,
//! TransactionPayment and the emission pallet.

#![cfg_attr(not(feature = "std"), no_std)]
// `#[frame_support::runtime]` and `impl_runtime_apis!` expand to code these lints reject, so they
// are denied per module in the modules we write by hand (configs, genesis presets).
#![recursion_limit = "256"]

#[cfg(feature = "std")]
include!(concat!(env!("OUT_DIR"), "/wasm_binary.rs"));

pub mod apis;
#[cfg(feature = "runtime-benchmarks")]
mod benchmarks;
pub mod configs;
pub mod genesis_config_presets;
#[cfg(any(all(test, feature = "try-runtime"), feature = "fuzzing"))]
pub mod harness;
pub mod migrations;
#[cfg(any(test, feature = "fuzzing"))]
pub mod testing;
pub mod weights;

extern crate alloc;

use alloc::vec::Vec;

use sp_runtime::{
	generic, impl_opaque_keys,
	traits::{BlakeTwo256, IdentifyAccount, Verify},
	MultiAddress, MultiSignature,
};
use sp_version::RuntimeVersion;

pub use frame_system::Call as SystemCall;
pub use pallet_balances::Call as BalancesCall;
pub use pallet_timestamp::Call as TimestampCall;
#[cfg(any(feature = "std", test))]
pub use sp_runtime::BuildStorage;

/// Opaque types, for the node: it needs no knowledge of the runtime's extrinsic format.
pub mod opaque {
	use super::*;
	use sp_runtime::traits::Hash as HashT;

	pub use sp_runtime::OpaqueExtrinsic as UncheckedExtrinsic;

	/// Opaque block header type.
	pub type Header = generic::Header<BlockNumber, BlakeTwo256>;
	/// Opaque block type.
	pub type Block = generic::Block<Header, UncheckedExtrinsic>;
	/// Opaque block identifier type.
	pub type BlockId = generic::BlockId<Block>;
	/// Opaque block hash type.
	pub type Hash = <BlakeTwo256 as HashT>::Output;
}

impl_opaque_keys! {
	/// The session keys of a validator: Aura for authoring, GRANDPA for finality.
	pub struct SessionKeys {
		pub aura: Aura,
		pub grandpa: Grandpa,
	}
}

/// The runtime version. 101: the schedule's factor in parts per 10¹⁸ (the emission pallet's v0 → v1
/// migration); `set_emission_schedule` changed its argument's encoding, so the transaction version
/// went from 1 to 2 as well. 106: per-subnet emission rates and the supply projection (the
/// emission pallet's v4 → v5 migration, `EmissionApi` version 4); a new call only, so the
/// transaction version stays 2.
#[sp_version::runtime_version]
pub const VERSION: RuntimeVersion = RuntimeVersion {
	spec_name: alloc::borrow::Cow::Borrowed("emission-dev"),
	impl_name: alloc::borrow::Cow::Borrowed("emission-dev"),
	authoring_version: 1,
	spec_version: 107,
	impl_version: 1,
	apis: apis::RUNTIME_API_VERSIONS,
	transaction_version: 3,
	system_version: 1,
};

mod block_times {
	/// Target block time. Aura produces one block per slot of this length.
	pub const MILLI_SECS_PER_BLOCK: u64 = 3000;

	/// Slot duration; it cannot change once the chain has started.
	pub const SLOT_DURATION: u64 = MILLI_SECS_PER_BLOCK;
}
pub use block_times::*;

/// Blocks per minute.
pub const MINUTES: BlockNumber = 20;
/// Blocks per hour.
pub const HOURS: BlockNumber = 1_200;
/// Blocks per day.
pub const DAYS: BlockNumber = 28_800;

/// Number of block hashes kept (oldest pruned first).
pub const BLOCK_HASH_COUNT: BlockNumber = 2400;

/// One unit of the native token (12 decimals).
pub const UNIT: Balance = 1_000_000_000_000;
/// A thousandth of a unit.
pub const MILLI_UNIT: Balance = 1_000_000_000;
/// A millionth of a unit.
pub const MICRO_UNIT: Balance = 1_000_000;

/// Existential deposit.
pub const EXISTENTIAL_DEPOSIT: Balance = MILLI_UNIT;

/// Transaction signature.
pub type Signature = MultiSignature;

/// Account identifier: the public key of the signature scheme.
pub type AccountId = <<Signature as Verify>::Signer as IdentifyAccount>::AccountId;

/// Balance of an account.
pub type Balance = u128;

/// Index of a transaction in the chain.
pub type Nonce = u32;

/// A hash of some data used by the chain.
pub type Hash = sp_core::H256;

/// An index to a block.
pub type BlockNumber = u32;

/// The address format for describing accounts.
pub type Address = MultiAddress<AccountId, ()>;

/// Block header type as expected by this runtime.
pub type Header = generic::Header<BlockNumber, BlakeTwo256>;

/// Block type as expected by this runtime.
pub type Block = generic::Block<Header, UncheckedExtrinsic>;

/// A Block signed with a Justification.
pub type SignedBlock = generic::SignedBlock<Block>;

/// BlockId type as expected by this runtime.
pub type BlockId = generic::BlockId<Block>;

/// The transaction extensions: only ones polkadot.js and PAPI know how to fill in.
///
/// `WeightReclaim` comes last, as FRAME asks of a solochain: after the call and every other
/// extension's `post_dispatch`, it gives back to the block the weight the extrinsic did not use
/// (the extensions' own unused weight included, which `CheckWeight` alone no longer reclaims since
/// transaction extensions carry their own weight). It has no payload and signs nothing (spec 107,
/// transaction version 3: every signed extrinsic's extension list changed).
///
/// `CheckMetadataHash` lets a signer commit to the runtime's metadata (mode Enabled, the hash in
/// the signed payload): such a transaction is valid only if the runtime was built with that
/// metadata's hash (feature `metadata-hash`). Signers that leave it Disabled, as polkadot.js and
/// PAPI do by default, sign the same way against either build.
pub type TxExtension = (
	frame_system::CheckNonZeroSender<Runtime>,
	frame_system::CheckSpecVersion<Runtime>,
	frame_system::CheckTxVersion<Runtime>,
	frame_system::CheckGenesis<Runtime>,
	frame_system::CheckEra<Runtime>,
	frame_system::CheckNonce<Runtime>,
	frame_system::CheckWeight<Runtime>,
	pallet_transaction_payment::ChargeTransactionPayment<Runtime>,
	frame_metadata_hash_extension::CheckMetadataHash<Runtime>,
	frame_system::WeightReclaim<Runtime>,
);

/// Unchecked extrinsic type as expected by this runtime.
pub type UncheckedExtrinsic =
	generic::UncheckedExtrinsic<Address, RuntimeCall, Signature, TxExtension>;

/// The payload being signed in transactions.
pub type SignedPayload = generic::SignedPayload<RuntimeCall, TxExtension>;

/// Migrations of the runtime: the cross-pallet ones of `migrations.rs` and the pallets' own, each
/// guarded by a storage version.
#[allow(unused_parens)]
pub(crate) type Migrations = (
	migrations::SubnetsV1,
	pallet_emission::migrations::v1::MigrateV0ToV1<Runtime>,
	pallet_emission::migrations::v2::MigrateV1ToV2<Runtime, configs::DevFeeders>,
	pallet_emission::migrations::v3::MigrateV2ToV3<Runtime>,
	pallet_emission::migrations::v4::MigrateV3ToV4<Runtime>,
	pallet_emission::migrations::v5::MigrateV4ToV5<Runtime>,
);

/// Executive: dispatches to the pallets.
pub type Executive = frame_executive::Executive<
	Runtime,
	Block,
	frame_system::ChainContext<Runtime>,
	Runtime,
	AllPalletsWithSystem,
	Migrations,
>;

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
	pub struct Runtime;

	#[runtime::pallet_index(0)]
	pub type System = frame_system;

	#[runtime::pallet_index(1)]
	pub type Timestamp = pallet_timestamp;

	#[runtime::pallet_index(2)]
	pub type Aura = pallet_aura;

	#[runtime::pallet_index(3)]
	pub type Grandpa = pallet_grandpa;

	#[runtime::pallet_index(4)]
	pub type Balances = pallet_balances;

	#[runtime::pallet_index(5)]
	pub type TransactionPayment = pallet_transaction_payment;

	#[runtime::pallet_index(6)]
	pub type Sudo = pallet_sudo;

	#[runtime::pallet_index(7)]
	pub type Emission = pallet_emission;

	#[runtime::pallet_index(8)]
	pub type Subnets = pallet_subnets;
}

#[cfg(test)]
mod tests;
