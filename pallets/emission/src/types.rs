//! Types stored, emitted or passed across the glue traits.

#![deny(clippy::unwrap_used, clippy::expect_used)]

use crate::Balance;
use alloc::collections::BTreeMap;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;
use sp_runtime::Perbill;
use substrate_fixed::types::U96F32;

/// The block emission schedule: `floor(initial × decay_factor^(block / epoch_length))` per
/// block, never beyond `supply_cap` in total (see [`crate::math::block_emission`]).
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
)]
pub struct EmissionSchedule {
	/// Emission per block in the first schedule epoch, in the smallest unit.
	pub initial: Balance,
	/// Each schedule epoch multiplies emission by this factor; below 100 %.
	pub decay_factor: Perbill,
	/// Length of a schedule epoch, in blocks; not 0.
	pub epoch_length: u32,
	/// Total emission of this pallet never exceeds this; `None`: no cap.
	pub supply_cap: Option<Balance>,
}

/// A subnet epoch's dividends, per validator, and the root stakes utilization is measured on.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct EpochDividends<AccountId> {
	/// Alpha dividends.
	pub alpha: BTreeMap<AccountId, Balance>,
	/// Root dividends.
	pub root: BTreeMap<AccountId, Balance>,
	/// Root stake of each validator registered on the subnet.
	pub root_stakes: BTreeMap<AccountId, Balance>,
}

impl<AccountId> Default for EpochDividends<AccountId> {
	fn default() -> Self {
		Self { alpha: BTreeMap::new(), root: BTreeMap::new(), root_stakes: BTreeMap::new() }
	}
}

/// What the last epoch of a subnet decided, kept in storage for clients and the audit tool.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
)]
pub struct EpochRecord<BlockNumber> {
	/// The block the epoch ran in.
	pub block: BlockNumber,
	/// Root-stake utilization.
	pub utilization: U96F32,
	/// `RootProp` stored at this epoch (from stake totals).
	pub root_prop: U96F32,
	/// `root / (alpha + root)` of the epoch's dividends.
	pub raw_root_prop: U96F32,
	/// `EffectiveRootProp` stored at this epoch (0 when capped).
	pub effective_root_prop: U96F32,
	/// Whether the hard cap fired.
	pub capped: bool,
	/// Sum of the alpha dividends.
	pub alpha_dividends: Balance,
	/// Sum of the root dividends before the cap.
	pub root_dividends: Balance,
	/// Root dividends recycled by the cap.
	pub recycled: Balance,
}
