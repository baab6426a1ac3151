//! Runtime API of the emission pallet (`api.call.emissionApi.*` in polkadot.js, which cannot call
//! view functions): the same answers as the pallet's view functions, from the same code.
//!
//! Shares are `U64F64` bits: a share is `bits / 2⁶⁴`, exactly as the pallet computes it.

#![cfg_attr(not(feature = "std"), no_std)]

pub use pallet_emission::types::{
	CounterfactualSettings, ForkPreview, ForkRefusal, ShareStages, Withholding, WithholdingV2,
};

sp_api::decl_runtime_apis! {
	/// Previews of the emission pallet.
	///
	/// Version 2 added `active_withholding` and `fork_preview`; version 3 (spec 102's fields)
	/// added the floor's deficit and lean to `active_withholding`'s answer.
	#[api_version(3)]
	pub trait EmissionApi {
		/// The shares for the next block with the settings in force (view function
		/// `preview_shares`).
		fn preview_shares() -> ShareStages;

		/// The shares for the next block under `settings` (view function `counterfactual_shares`).
		fn counterfactual_shares(settings: CounterfactualSettings) -> ShareStages;

		/// What the active tine withholds from the next block's emission, as versions before 3
		/// answered: without the floor's deficit and lean (a client calls it as
		/// `active_withholding_before_version_3` on a runtime of version 2).
		#[changed_in(3)]
		fn active_withholding() -> WithholdingV2;

		/// What the active tine withholds from the next block's emission (view function
		/// `active_withholding`). Since version 2.
		fn active_withholding() -> Withholding;

		/// What the fork would decide if the open turn closed at the next block (view function
		/// `fork_preview`). Since version 2.
		fn fork_preview() -> ForkPreview;
	}
}
