//! Runtime API of the emission pallet (`api.call.emissionApi.*` in polkadot.js, which cannot call
//! view functions): the same answers as the pallet's view functions, from the same code.
//!
//! Shares are `U64F64` bits: a share is `bits / 2⁶⁴`, exactly as the pallet computes it.

#![cfg_attr(not(feature = "std"), no_std)]

pub use pallet_emission::types::{
	CounterfactualSettings, CounterfactualSettingsV3, ForkPreview, ForkRefusal, ShareStages,
	ShareStagesV3, SupplyEnd, SupplyProjection, Withholding, WithholdingV2,
};

sp_api::decl_runtime_apis! {
	/// Previews of the emission pallet.
	///
	/// Version 2 added `active_withholding` and `fork_preview`; version 3 (spec 102's fields)
	/// added the floor's deficit and lean to `active_withholding`'s answer; version 4 (spec 106)
	/// the emission-rate stage to the share previews, `subnet_rates` to the counterfactual's
	/// settings, and `supply_projection`.
	#[api_version(4)]
	pub trait EmissionApi {
		/// The shares for the next block, as versions before 4 answered (no rate stage).
		#[changed_in(4)]
		fn preview_shares() -> ShareStagesV3;

		/// The shares for the next block with the settings in force (view function
		/// `preview_shares`).
		fn preview_shares() -> ShareStages;

		/// The counterfactual shares, as versions before 4 took and answered them.
		#[changed_in(4)]
		fn counterfactual_shares(settings: CounterfactualSettingsV3) -> ShareStagesV3;

		/// The shares for the next block under `settings` (view function `counterfactual_shares`).
		fn counterfactual_shares(settings: CounterfactualSettings) -> ShareStages;

		/// Supply so far and where the schedule takes it (view function `supply_projection`).
		/// Since version 4.
		fn supply_projection() -> SupplyProjection;

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
