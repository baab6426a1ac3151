//! Types stored, emitted or passed across the glue traits.

use crate::{Balance, NetUid};
use alloc::{collections::BTreeMap, vec::Vec};
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{
	traits::Get, BoundedVec, CloneNoBound, DebugNoBound, EqNoBound, PartialEqNoBound,
};
use scale_info::TypeInfo;
use sp_runtime::{Perbill, Permill, Perquintill};
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
	/// Each schedule epoch multiplies emission by this factor, in parts per 10¹⁸; below 100 %.
	pub decay_factor: Perquintill,
	/// Length of a schedule epoch, in blocks; not 0.
	pub epoch_length: u32,
	/// Total emission of this pallet never exceeds this; `None`: no cap.
	pub supply_cap: Option<Balance>,
}

/// A subnet epoch's dividends, per validator, and the root stakes utilization is measured on.
#[derive(Encode, Decode, Clone, PartialEq, Eq, Debug)]
#[codec(decode_bound(AccountId: Decode + Ord))]
pub struct EpochDividends<AccountId> {
	/// Alpha dividends.
	pub alpha: BTreeMap<AccountId, Balance>,
	/// Root dividends.
	pub root: BTreeMap<AccountId, Balance>,
	/// Root stake of each validator registered on the subnet.
	pub root_stakes: BTreeMap<AccountId, Balance>,
	/// How many validator entries the implementation read to produce this (registered
	/// validators, validating or not): what the epoch's weight is charged for.
	pub validators_read: u32,
}

impl<AccountId> Default for EpochDividends<AccountId> {
	fn default() -> Self {
		Self {
			alpha: BTreeMap::new(),
			root: BTreeMap::new(),
			root_stakes: BTreeMap::new(),
			validators_read: 0,
		}
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

/// A tine's config: how much of each block's emission it withholds and where that goes.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	CloneNoBound,
	PartialEqNoBound,
	EqNoBound,
	DebugNoBound,
)]
#[scale_info(skip_type_params(MaxReserves, MaxNameLen))]
#[codec(mel_bound(MaxReserves: Get<u32>, MaxNameLen: Get<u32>))]
pub struct TineConfig<MaxReserves: Get<u32>, MaxNameLen: Get<u32>> {
	/// Part of each block's emission withheld, in basis points (at most 10,000).
	pub fee_bps: u16,
	/// Reserve name → weight; the weights sum to exactly one.
	pub split: BoundedVec<(BoundedVec<u8, MaxNameLen>, Perbill), MaxReserves>,
	/// How hard the floor leans when price slips: while the protocol-owned liquidity is below the
	/// floor, this share of what would go to the split's reserves goes to the depth reserve
	/// instead, never more than the floor lacks ([`crate::math::floor::withhold`]).
	pub floor_pull: Perbill,
	/// Part of the withheld emission fed to the depth reserve before the split.
	pub depth_feed: Perbill,
}

/// A candidate config.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	CloneNoBound,
	PartialEqNoBound,
	EqNoBound,
	DebugNoBound,
)]
#[scale_info(skip_type_params(MaxReserves, MaxNameLen))]
#[codec(mel_bound(MaxReserves: Get<u32>, MaxNameLen: Get<u32>))]
pub struct Tine<MaxReserves: Get<u32>, MaxNameLen: Get<u32>> {
	/// Its config.
	pub config: TineConfig<MaxReserves, MaxNameLen>,
	/// The turn it was proposed in.
	pub born_at_turn: u32,
}

/// One tine's readings over a turn (any field may be absent). Scales as in
/// [`crate::math::fork::Reading`].
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
	Default,
)]
pub struct TineReading {
	/// Realized reserve growth in parts per million; may be negative.
	pub reserve_growth_ppm: Option<i64>,
	/// Depth stability.
	pub depth_stability: Option<Perbill>,
	/// Whether the floor held. `None` (unknown) gives no measure, like `Some(false)`: seed 000's
	/// code rejects only `false`, but its comment says "the floor is not optional", and the pallet
	/// follows the comment.
	pub floor_held: Option<bool>,
	/// Retention.
	pub retention: Option<Perbill>,
}

/// The feeders' submissions for one tine: the turn they are for and, sorted by feeder, each
/// feeder's reading (at most one per feeder). Entries of a turn that has closed are stale: they
/// count for nothing and the next submission for the tine replaces them.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	CloneNoBound,
	PartialEqNoBound,
	EqNoBound,
	DebugNoBound,
)]
#[scale_info(skip_type_params(MaxFeeders))]
#[codec(mel_bound(AccountId: MaxEncodedLen, MaxFeeders: Get<u32>))]
pub struct TurnSubmissions<
	AccountId: Clone + PartialEq + Eq + core::fmt::Debug,
	MaxFeeders: Get<u32>,
> {
	/// The turn the readings are for.
	pub turn: u32,
	/// `(feeder, reading)`, sorted by feeder.
	pub by: BoundedVec<(AccountId, TineReading), MaxFeeders>,
}

/// The measure's weights; each unset until governance sets it.
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
	Default,
)]
pub struct TineMeasureWeights {
	/// Weight of reserve growth.
	pub reserve_growth: Option<Perbill>,
	/// Weight of depth stability.
	pub depth_stability: Option<Perbill>,
	/// Weight of retention.
	pub retention: Option<Perbill>,
}

/// Why a fork was refused (stored and evented).
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
pub enum ForkRefusal {
	/// No tine could be measured.
	NoMeasurableTine,
	/// The winner's config would let the floor fall.
	FloorWouldFall,
	/// The floor could not be read (the gate fails closed).
	FloorUnreadable,
}

/// The result of the last fork.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	CloneNoBound,
	PartialEqNoBound,
	EqNoBound,
	DebugNoBound,
)]
#[scale_info(skip_type_params(MaxTines, MaxNameLen))]
#[codec(mel_bound(MaxTines: Get<u32>, MaxNameLen: Get<u32>))]
pub struct ForkRecord<MaxTines: Get<u32>, MaxNameLen: Get<u32>> {
	/// The turn that closed.
	pub turn: u32,
	/// The tine kept, if any.
	pub kept: Option<BoundedVec<u8, MaxNameLen>>,
	/// The tines cut, with their gap to the kept measure (`FixedI128` bits; `None`: no measure).
	pub cut: BoundedVec<(BoundedVec<u8, MaxNameLen>, Option<i128>), MaxTines>,
	/// Why the fork was refused, if it was.
	pub refused: Option<ForkRefusal>,
}

/// Why an amount was recycled: returned to the unissued supply (never minted, or taken back
/// before anyone held it). A recycled amount does not count against the supply cap and can be
/// emitted again (Subtensor's meaning of *recycle*).
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
pub enum RecycleReason {
	/// Part of a block's emission no subnet could take (every share 0, or rounding dust).
	Unassigned,
	/// A subnet's share the chain could not record.
	Undeliverable,
	/// The root dividends of a hard-capped epoch.
	HardCap,
	/// The pending emission of a removed subnet.
	SubnetRemoved,
	/// Withholding held back for reserves of a tine that no longer governs.
	RetiredReserves,
	/// Transaction fees and tips (the runtime's fee handler, [`crate::adapters::RecycleFees`]).
	TransactionFees,
	/// What was left of an account below the existential deposit when it was reaped (the
	/// currency's dust handler, [`crate::adapters::RecycleDust`]).
	Dust,
}

/// The shares of each subnet after each stage of the filter pipeline, and the amounts the next
/// block's emission would give: the share preview and its counterfactuals (view functions and
/// `EmissionApi`). Shares are `U64F64` bits: a share is `bits / 2⁶⁴`, exactly as the pallet
/// computes it.
#[derive(Encode, Decode, TypeInfo, Clone, PartialEq, Eq, Debug, Default)]
pub struct ShareStages {
	/// Emission of the block the preview is for.
	pub block_emission: Balance,
	/// What the active tine withholds from it (the rest is shared across subnets).
	pub withheld: Balance,
	/// Base weights, normalized: `(netuid, U64F64 bits)`.
	pub base: Vec<(NetUid, u128)>,
	/// Base weights times each subnet's emission rate, normalized (equal to `base` when no
	/// subnet has a rate below 100 %, or when the counterfactual leaves rates out).
	pub after_rate: Vec<(NetUid, u128)>,
	/// After `EffectiveRootProp` scaling (equal to `after_rate` when scaling is off).
	pub after_erp_scaling: Vec<(NetUid, u128)>,
	/// After the top-proportion filter.
	pub after_top_proportion: Vec<(NetUid, u128)>,
	/// After the absolute limit: the shares emission follows.
	pub after_absolute_limit: Vec<(NetUid, u128)>,
	/// `floor((block_emission − withheld) × share)` of each subnet.
	pub amounts: Vec<(NetUid, Balance)>,
	/// What no subnet receives (recycled).
	pub recycled: Balance,
}

/// [`ShareStages`] as `EmissionApi` versions before 4 answered it (specs before 106): without
/// the emission-rate stage.
#[derive(Encode, Decode, TypeInfo, Clone, PartialEq, Eq, Debug, Default)]
pub struct ShareStagesV3 {
	/// Emission of the block the preview is for.
	pub block_emission: Balance,
	/// What the active tine withholds from it.
	pub withheld: Balance,
	/// Base weights, normalized.
	pub base: Vec<(NetUid, u128)>,
	/// After `EffectiveRootProp` scaling.
	pub after_erp_scaling: Vec<(NetUid, u128)>,
	/// After the top-proportion filter.
	pub after_top_proportion: Vec<(NetUid, u128)>,
	/// After the absolute limit.
	pub after_absolute_limit: Vec<(NetUid, u128)>,
	/// Each subnet's amount.
	pub amounts: Vec<(NetUid, Balance)>,
	/// What no subnet receives.
	pub recycled: Balance,
}

impl From<ShareStages> for ShareStagesV3 {
	fn from(s: ShareStages) -> Self {
		Self {
			block_emission: s.block_emission,
			withheld: s.withheld,
			base: s.base,
			after_erp_scaling: s.after_erp_scaling,
			after_top_proportion: s.after_top_proportion,
			after_absolute_limit: s.after_absolute_limit,
			amounts: s.amounts,
			recycled: s.recycled,
		}
	}
}

/// [`CounterfactualSettings`] as `EmissionApi` versions before 4 took them: rates did not exist
/// (a runtime of version 4 answers them with the rates in force).
#[derive(Encode, Decode, DecodeWithMemTracking, TypeInfo, Clone, Copy, PartialEq, Eq, Debug)]
pub struct CounterfactualSettingsV3 {
	/// Scale by `min(EffectiveRootProp, RootProp)`.
	pub erp_scaling: bool,
	/// Keep the top proportion of subnets.
	pub top_proportion: Permill,
	/// Keep at most this many subnets.
	pub absolute_limit: Option<u16>,
	/// `false`: capped subnets count with their uncapped `EffectiveRootProp`.
	pub hard_cap: bool,
}

impl From<CounterfactualSettingsV3> for CounterfactualSettings {
	fn from(s: CounterfactualSettingsV3) -> Self {
		Self {
			subnet_rates: true,
			erp_scaling: s.erp_scaling,
			top_proportion: s.top_proportion,
			absolute_limit: s.absolute_limit,
			hard_cap: s.hard_cap,
		}
	}
}

/// Where supply stands and where the schedule takes it (the view function `supply_projection`
/// and `EmissionApi`), assuming the schedule stays as it is and nothing more is recycled
/// (recycling only makes room under the cap). Block numbers are the chain's.
#[derive(Encode, Decode, TypeInfo, Clone, PartialEq, Eq, Debug, Default)]
pub struct SupplyProjection {
	/// The block the projection starts at: the next one.
	pub next_block: u64,
	/// The currency's total issuance now.
	pub total_issuance: Balance,
	/// Everything this pallet has issued ([`crate::TotalIssued`]).
	pub issued: Balance,
	/// Everything recycled ([`crate::TotalRecycled`]).
	pub recycled: Balance,
	/// `issued − recycled`: what counts against the supply cap.
	pub outstanding: Balance,
	/// What the next block issues (the hook's own computation).
	pub next_block_emission: Balance,
	/// The next decay step: its first block and the schedule's amount per block from there
	/// (before the supply cap); `None` without a schedule.
	pub next_decay: Option<(u64, Balance)>,
	/// The horizon of the yearly figures: blocks in 365.25 days at the runtime's block time.
	pub blocks_per_year: u32,
	/// Issuance over the `blocks_per_year` blocks from the next one: `(low, high)`, equal when
	/// exact (the walk covered the year; otherwise bounds, [`crate::math::project`]).
	pub year_issuance: (Balance, Balance),
	/// `year_issuance` as a rate of `total_issuance`, in parts per 10¹⁸ (`10¹⁸` = 100 %):
	/// `(floor of low, ceiling of high)`; `None` when the total issuance is 0.
	pub year_rate: Option<(u128, u128)>,
	/// The supply cap (`None`: no cap).
	pub supply_cap: Option<Balance>,
	/// Where issuance ends.
	pub end: SupplyEnd,
}

/// Where the schedule's issuance ends ([`SupplyProjection::end`]).
// The codec derives cast the variants' indices (at most 5 here) to `u8`.
#[allow(clippy::cast_possible_truncation)]
#[derive(Encode, Decode, TypeInfo, Clone, Copy, PartialEq, Eq, Debug, Default)]
pub enum SupplyEnd {
	/// No schedule: nothing is issued.
	#[default]
	NoSchedule,
	/// The outstanding supply reaches the supply cap with block `last`'s emission (`last` below
	/// the next block: it already has).
	CapReachedAt {
		/// The last block that issues.
		last: u64,
	},
	/// The ledger's room (`Balance::MAX` less the base and what was issued) is used up with block
	/// `last`'s emission, before any supply cap.
	LedgerFullAt {
		/// The last block that issues.
		last: u64,
	},
	/// The schedule's amount decays to 0 at block `block`, the cap never reached (or there is
	/// none): the outstanding supply ends at `outstanding`.
	EmissionEndsAt {
		/// The first block that issues nothing.
		block: u64,
		/// The outstanding supply from then on.
		outstanding: Balance,
	},
	/// Not decided within the projection's bound ([`crate::math::PROJECTION_MAX_RUNS`] schedule
	/// epochs): issuance goes on past block `block`, with at least `outstanding` outstanding.
	NotWithin {
		/// The first block not walked.
		block: u64,
		/// The outstanding supply by then.
		outstanding: Balance,
	},
}

/// Settings to preview shares under, instead of the ones in force.
#[derive(Encode, Decode, DecodeWithMemTracking, TypeInfo, Clone, Copy, PartialEq, Eq, Debug)]
pub struct CounterfactualSettings {
	/// Apply the subnets' emission rates (`false`: every subnet at 100 %).
	pub subnet_rates: bool,
	/// Scale by `min(EffectiveRootProp, RootProp)`.
	pub erp_scaling: bool,
	/// Keep the top proportion of subnets (`100 %`: the filter is off).
	pub top_proportion: Permill,
	/// Keep at most this many subnets (`None`: the filter is off).
	pub absolute_limit: Option<u16>,
	/// `false`: capped subnets count with their uncapped `EffectiveRootProp`.
	pub hard_cap: bool,
}

/// What the active tine withholds from the next block's emission, before any mint: the amounts
/// [`crate::math::fork::withhold`] gives, and what is carried from earlier blocks (a reserve
/// account below the existential deposit waits for more, see [`crate::ReserveCarry`]).
#[derive(Encode, Decode, TypeInfo, Clone, PartialEq, Eq, Debug, Default)]
pub struct Withholding {
	/// The active tine (`None`: nothing is withheld).
	pub tine: Option<Vec<u8>>,
	/// The next block's emission.
	pub block_emission: Balance,
	/// What the tine withholds from it: `to_depth` plus the reserves' parts.
	pub withheld: Balance,
	/// How far the protocol-owned liquidity (with what is carried for it) is below the floor
	/// now (0: met, or the floor cannot be read).
	pub floor_deficit: Balance,
	/// The depth reserve's part.
	pub to_depth: Balance,
	/// Of `to_depth`, what the floor's lean moves from the other reserves.
	pub leaned: Balance,
	/// Each reserve's part, in the split's order: `(reserve name, amount)`.
	pub to_reserves: Vec<(Vec<u8>, Balance)>,
	/// Carried from earlier blocks for the depth reserve, minted with its part.
	pub carried_depth: Balance,
	/// Carried from earlier blocks for each reserve, in the split's order.
	pub carried_reserves: Vec<(Vec<u8>, Balance)>,
}

/// [`Withholding`] as `EmissionApi` versions before 3 answered it (specs 100 and 101): without
/// the floor's deficit and lean.
#[derive(Encode, Decode, TypeInfo, Clone, PartialEq, Eq, Debug, Default)]
pub struct WithholdingV2 {
	/// The active tine (`None`: nothing is withheld).
	pub tine: Option<Vec<u8>>,
	/// The next block's emission.
	pub block_emission: Balance,
	/// What the tine withholds from it: `to_depth` plus the reserves' parts.
	pub withheld: Balance,
	/// The depth reserve's part.
	pub to_depth: Balance,
	/// Each reserve's part, in the split's order: `(reserve name, amount)`.
	pub to_reserves: Vec<(Vec<u8>, Balance)>,
	/// Carried from earlier blocks for the depth reserve, minted with its part.
	pub carried_depth: Balance,
	/// Carried from earlier blocks for each reserve, in the split's order.
	pub carried_reserves: Vec<(Vec<u8>, Balance)>,
}

impl From<Withholding> for WithholdingV2 {
	fn from(w: Withholding) -> Self {
		Self {
			tine: w.tine,
			block_emission: w.block_emission,
			withheld: w.withheld,
			to_depth: w.to_depth,
			to_reserves: w.to_reserves,
			carried_depth: w.carried_depth,
			carried_reserves: w.carried_reserves,
		}
	}
}

/// What the fork would decide if the open turn closed at the next block, on the readings
/// submitted so far: the same decision as that close ([`ForkRecord`]), judged on the state the
/// next block's emission and epochs leave (run and rolled back), nothing written.
#[derive(Encode, Decode, TypeInfo, Clone, PartialEq, Eq, Debug, Default)]
pub struct ForkPreview {
	/// The open turn.
	pub turn: u32,
	/// The tine that would be kept (`None`: the fork would be refused).
	pub kept: Option<Vec<u8>>,
	/// The tines that would be cut, with their gap to the kept measure (`FixedI128` bits;
	/// `None`: no measure). Empty when refused.
	pub cut: Vec<(Vec<u8>, Option<i128>)>,
	/// Why the fork would be refused, if it would.
	pub refused: Option<ForkRefusal>,
	/// Every tine's measure on its reading so far, by id (`FixedI128` bits; `None`: no reading
	/// or an incomplete one).
	pub measures: Vec<(Vec<u8>, Option<i128>)>,
}
