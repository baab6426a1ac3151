//! Runtime API of the emission pallet (`api.call.emissionApi.*` in polkadot.js): the current
//! block's per-subnet shares after each filter stage, and the same under counterfactual settings.
//!
//! Shares are `U64F64` bits: a share is `bits / 2⁶⁴`, exactly as the pallet computes it.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

use alloc::vec::Vec;
use codec::{Decode, Encode};
use scale_info::TypeInfo;
use sp_runtime::Permill;

/// The shares of each subnet after each stage of the filter pipeline, and the amounts this
/// block's emission would give.
#[derive(Encode, Decode, TypeInfo, Clone, PartialEq, Eq, Debug, Default)]
pub struct ShareStages {
	/// Emission of the block the preview is for.
	pub block_emission: u128,
	/// What the active tine withholds from it (the rest is shared across subnets).
	pub withheld: u128,
	/// Base weights, normalized: `(netuid, U64F64 bits)`.
	pub base: Vec<(u16, u128)>,
	/// After `EffectiveRootProp` scaling (equal to `base` when scaling is off).
	pub after_erp_scaling: Vec<(u16, u128)>,
	/// After the top-proportion filter.
	pub after_top_proportion: Vec<(u16, u128)>,
	/// After the absolute limit: the shares emission follows.
	pub after_absolute_limit: Vec<(u16, u128)>,
	/// `floor((block_emission − withheld) × share)` of each subnet.
	pub amounts: Vec<(u16, u128)>,
	/// What no subnet receives (recycled).
	pub recycled: u128,
}

/// Settings to preview shares under, instead of the ones in force.
#[derive(Encode, Decode, TypeInfo, Clone, Copy, PartialEq, Eq, Debug)]
pub struct CounterfactualSettings {
	/// Scale by `min(EffectiveRootProp, RootProp)`.
	pub erp_scaling: bool,
	/// Keep the top proportion of subnets (`100 %`: the filter is off).
	pub top_proportion: Permill,
	/// Keep at most this many subnets (`None`: the filter is off).
	pub absolute_limit: Option<u16>,
	/// `false`: capped subnets count with their uncapped `EffectiveRootProp`.
	pub hard_cap: bool,
}

sp_api::decl_runtime_apis! {
	/// Previews of the emission pallet.
	pub trait EmissionApi {
		/// The shares for the next block with the settings in force.
		fn preview_shares() -> ShareStages;

		/// The shares for the next block under `settings`.
		fn counterfactual_shares(settings: CounterfactualSettings) -> ShareStages;
	}
}
