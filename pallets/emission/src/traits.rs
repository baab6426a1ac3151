//! Glue traits: what the emission pallet reads from the chain and hands back to it.
//!
//! The pallet never names a sibling pallet. A real chain implements [`SubnetEconomy`] over its
//! own staking and consensus; the dev runtime implements it with `pallet-subnets`.

use crate::{types::EpochDividends, Balance, NetUid};
use alloc::vec::Vec;
use sp_runtime::Perbill;

/// A subnet eligible for emission, as the chain reports it.
#[derive(codec::Encode, codec::Decode, Clone, Copy, PartialEq, Eq, Debug)]
pub struct SubnetInfo {
	/// The subnet.
	pub netuid: NetUid,
	/// Its base (pre-filter) emission weight.
	pub base_weight: u64,
	/// Blocks between its epochs, minus one (an epoch every `tempo + 1` blocks).
	pub tempo: u16,
}

/// The stake totals `RootProp` is computed from.
#[derive(codec::Encode, codec::Decode, Clone, Copy, PartialEq, Eq, Debug, Default)]
pub struct RootPropInputs {
	/// Root stake of the validators registered on the subnet.
	pub root_stake: Balance,
	/// Alpha stake on the subnet.
	pub alpha_stake: Balance,
	/// The weight of root stake against alpha stake.
	pub tao_weight: Perbill,
}

/// The chain's subnets, as the emission pallet sees them.
///
/// Implementations must respect the pallet's bounds: at most `MaxSubnets` subnets, and at most
/// `MaxValidatorsPerSubnet` entries in each map of an [`EpochDividends`]. The pallet ignores
/// anything beyond them (defensively, with a log line).
pub trait SubnetEconomy<AccountId> {
	/// The subnets eligible for emission, ordered by netuid.
	fn subnets() -> Vec<SubnetInfo>;

	/// Whether the chain has subnet `netuid` (by default: whether [`Self::subnets`] lists it;
	/// an implementation with a per-subnet entry answers with one read).
	fn subnet_exists(netuid: NetUid) -> bool {
		Self::subnets().iter().any(|s| s.netuid == netuid)
	}

	/// The account that owns subnet `netuid`, if the chain has owners: it may lower (never
	/// raise) its subnet's emission rate ([`crate::Pallet::set_subnet_emission_rate`]). `None`
	/// (the default, and the dev economy's answer: it has no owners): only the admin origin sets
	/// rates.
	fn subnet_owner(_netuid: NetUid) -> Option<AccountId> {
		None
	}

	/// The stake totals of a subnet, for its `RootProp`.
	fn root_prop_inputs(netuid: NetUid) -> RootPropInputs;

	/// The dividends of a subnet's epoch that runs in this block, before the hard cap, and the
	/// root stakes of the validators registered on it. `epochs` is how many due epochs the
	/// settlement covers (more than 1 when the subnet fell due again while it waited in the
	/// epoch queue): an economy that pays a fixed amount per epoch (such as the dev economy's
	/// alpha) pays it `epochs` times, so that no due epoch's pay is lost.
	fn epoch_dividends(netuid: NetUid, epochs: u32) -> EpochDividends<AccountId>;

	/// Hand the subnets their shares of this block's emission (newly issued), all at once:
	/// netuid → amount, only non-zero amounts. Called once per block, so that an implementation
	/// can record every subnet's share with one storage write. Returns what it could not record
	/// (0 normally): the pallet recycles it.
	fn deliver_block_emission(amounts: &alloc::collections::BTreeMap<NetUid, Balance>) -> Balance;

	/// Hand back a subnet's epoch dividends after the hard cap (the root dividends are empty when
	/// it fired), and take `recycle` (the root dividends the cap took away) out of what the subnet
	/// holds for its validators, so that it never reaches root stake, now or at a later epoch.
	/// Returns how much of `recycle` was this pallet's emission, taken out of the subnet's pending
	/// emission: the pallet recycles that. Dividends the chain paid out of its own issuance (a
	/// subnet's alpha emission) it recycles itself.
	fn deliver_epoch_dividends(
		netuid: NetUid,
		epochs: u32,
		dividends: EpochDividends<AccountId>,
		recycle: Balance,
	) -> Balance;

	/// Emission delivered to subnets and not paid out yet, over every subnet: the "pending" term
	/// of conservation (`issued = in accounts + pending + recycled`).
	fn pending_emission_total() -> Balance;
}

/// Told by the chain when a subnet is removed, so per-subnet state can go with it.
pub trait OnSubnetRemoved {
	/// `netuid` was removed; `pending` is the emission it had been delivered and had not paid
	/// out, which nobody holds any more: the emission pallet recycles it.
	fn on_subnet_removed(netuid: NetUid, pending: Balance);
}

/// Where the floor is read from: the floor governance wants kept and the protocol-owned liquidity
/// it is read against ([`crate::math::floor`]). The pallet leans the active tine's withholding
/// while the liquidity is below the floor, and its floor gate judges a fork's winner on it.
pub trait FloorSource {
	/// The floor and the liquidity now; `None`: the floor cannot be read (no lean, and the gate
	/// refuses every fork: it fails closed).
	fn read() -> Option<crate::math::floor::FloorReading>;
}

/// No floor to read: nothing leans, every fork is refused.
impl FloorSource for () {
	fn read() -> Option<crate::math::floor::FloorReading> {
		None
	}
}
