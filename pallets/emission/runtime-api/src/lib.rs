//! Runtime API of the emission pallet (`api.call.emissionApi.*` in polkadot.js, which cannot call
//! view functions): the same answers as the pallet's view functions, from the same code.
//!
//! Shares are `U64F64` bits: a share is `bits / 2⁶⁴`, exactly as the pallet computes it.

#![cfg_attr(not(feature = "std"), no_std)]

pub use pallet_emission::types::{
	CounterfactualSettings, ForkPreview, ForkRefusal, ShareStages, Withholding,
};

sp_api::decl_runtime_apis! {
	/// Previews of the emission pallet.
	///
	/// Version 2 added `active_withholding` and `fork_preview`.
	#[api_version(2)]
	pub trait EmissionApi {
		/// The shares for the next block with the settings in force (view function
		/// `preview_shares`).
		fn preview_shares() -> ShareStages;

		/// The shares for the next block under `settings` (view function `counterfactual_shares`).
		fn counterfactual_shares(settings: CounterfactualSettings) -> ShareStages;

		/// What the active tine withholds from the next block's emission (view function
		/// `active_withholding`).
		#[api_version(2)]
		fn active_withholding() -> Withholding;

		/// What the fork would decide if the open turn closed now (view function `fork_preview`).
		#[api_version(2)]
		fn fork_preview() -> ForkPreview;
	}
}
