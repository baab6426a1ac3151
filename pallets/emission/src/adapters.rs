//! Handlers a runtime plugs into the pallets that take units out of the currency, so that every
//! unit that leaves it is recycled through this pallet, with its reason and an event
//! ([`crate::Event::Recycled`]), and the ledger stays one exact identity
//! ([`crate::IssuanceBase`]):
//!
//! - [`RecycleFees`]: `pallet_transaction_payment`'s fee handler (`FungibleAdapter<Balances,
//!   RecycleFees<Runtime, Balances>>`): fees and tips;
//! - [`RecycleDust`]: `pallet_balances`' `DustRemoval`: what is left of an account below the
//!   existential deposit when it is reaped.
//!
//! Recycling keeps its meaning: the units go back to the unissued supply (the credit is dropped,
//! which lowers the currency's total issuance), they do not count against the supply cap, and the
//! schedule may emit them again.

use crate::{types::RecycleReason, Balance, Config, Pallet};
use core::marker::PhantomData;
use frame_support::traits::{
	fungible::{Balanced, Credit},
	Imbalance, OnUnbalanced,
};

/// Recycle a credit: drop it (its units leave the currency's total issuance) and record it.
fn recycle_credit<T: Config, F: Balanced<T::AccountId, Balance = Balance>>(
	reason: RecycleReason,
	credit: Credit<T::AccountId, F>,
) {
	let amount = credit.peek();
	drop(credit);
	Pallet::<T>::recycle(None, reason, amount);
}

/// Transaction fees and tips, recycled ([`RecycleReason::TransactionFees`]): one event per
/// transaction, for the fee and the tip together (`TransactionFeePaid.actual_fee`).
pub struct RecycleFees<T, F>(PhantomData<(T, F)>);

impl<T: Config, F: Balanced<T::AccountId, Balance = Balance>> OnUnbalanced<Credit<T::AccountId, F>>
	for RecycleFees<T, F>
{
	fn on_nonzero_unbalanced(credit: Credit<T::AccountId, F>) {
		recycle_credit::<T, F>(RecycleReason::TransactionFees, credit);
	}
}

/// A reaped account's dust, recycled ([`RecycleReason::Dust`]).
pub struct RecycleDust<T, F>(PhantomData<(T, F)>);

impl<T: Config, F: Balanced<T::AccountId, Balance = Balance>> OnUnbalanced<Credit<T::AccountId, F>>
	for RecycleDust<T, F>
{
	fn on_nonzero_unbalanced(credit: Credit<T::AccountId, F>) {
		recycle_credit::<T, F>(RecycleReason::Dust, credit);
	}
}
