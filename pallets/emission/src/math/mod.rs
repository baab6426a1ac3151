//! Pure, total emission maths: no storage, no `Config`, no panics.
//!
//! Everything here is a function of its arguments, so the audit tool and the tests can
//! reproduce every number the pallet stores. Each function documents its rounding: all
//! substrate-fixed multiplications and divisions truncate toward zero (round down, as every
//! value here is non-negative), and sums saturate at the type's maximum.
//!
//! Division always goes through `checked_div`: substrate-fixed's `/` and `saturating_div` panic on
//! a zero divisor.

use substrate_fixed::types::{U64F64, U96F32};

mod big;
pub mod div;
pub mod epoch;
pub mod filters;
pub mod floor;
pub mod fork;
pub mod schedule;
#[cfg(test)]
mod tests;
mod wide;

pub use epoch::*;
pub use filters::*;
#[cfg(test)]
use filters::{mul_u64f64, u96_to_u64f64};
pub use schedule::*;

/// Identifier of a subnet.
pub type NetUid = u16;

/// Amounts of the native token, in its smallest unit.
pub type Balance = u128;

/// Sum of `values`, saturating at the type's maximum.
pub(crate) fn saturating_sum<V: Copy + SaturatingAdd>(
	values: impl Iterator<Item = V>,
	zero: V,
) -> V {
	values.fold(zero, |acc, v| acc.sat_add(v))
}

/// Saturating addition of substrate-fixed values (a local trait: the crate has no common one).
pub(crate) trait SaturatingAdd {
	fn sat_add(self, other: Self) -> Self;
}
impl SaturatingAdd for U64F64 {
	fn sat_add(self, other: Self) -> Self {
		self.saturating_add(other)
	}
}
impl SaturatingAdd for U96F32 {
	fn sat_add(self, other: Self) -> Self {
		self.saturating_add(other)
	}
}
