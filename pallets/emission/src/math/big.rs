//! Unsigned integers of any size on 64-bit limbs, least significant first, for the schedule's
//! power: only what it needs (products, a shift by whole limbs, a division by one limb, the
//! order, conversion to `u128`). Every limb step works in `u128` with the bound that keeps it
//! from wrapping stated where it is taken.

use alloc::{vec, vec::Vec};
use core::cmp::Ordering;

/// A natural number; no most significant zero limb (zero has no limbs).
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Nat(Vec<u64>);

const LOW: u128 = u64::MAX as u128;

/// The low 64 bits of `x`.
fn low(x: u128) -> u64 {
	u64::try_from(x & LOW).unwrap_or(u64::MAX)
}

/// The high 64 bits of `x`.
fn high(x: u128) -> u64 {
	u64::try_from(x >> 64).unwrap_or(u64::MAX)
}

impl Nat {
	fn trimmed(mut limbs: Vec<u64>) -> Self {
		while limbs.last() == Some(&0) {
			limbs.pop();
		}
		Self(limbs)
	}

	/// `x`.
	pub fn from_u128(x: u128) -> Self {
		Self::trimmed(vec![low(x), high(x)])
	}

	/// `2^(64·k)`.
	pub fn pow2_limbs(k: usize) -> Self {
		let mut limbs = vec![0; k];
		limbs.push(1);
		Self(limbs)
	}

	/// Whether this is 0.
	pub fn is_zero(&self) -> bool {
		self.0.is_empty()
	}

	/// The value, if it fits in 128 bits.
	pub fn to_u128(&self) -> Option<u128> {
		match self.0.as_slice() {
			[] => Some(0),
			[a] => Some(u128::from(*a)),
			[a, b] => Some(u128::from(*a) | (u128::from(*b) << 64)),
			_ => None,
		}
	}

	/// `self · other`, exactly (schoolbook).
	pub fn mul(&self, other: &Self) -> Self {
		if self.is_zero() || other.is_zero() {
			return Self::default();
		}
		let mut out = vec![0u64; self.0.len().saturating_add(other.0.len())];
		for (i, x) in self.0.iter().enumerate() {
			let mut carry: u128 = 0;
			for (j, y) in other.0.iter().enumerate() {
				if let Some(slot) = out.get_mut(i.saturating_add(j)) {
					// (2⁶⁴−1)² + 2·(2⁶⁴−1) = 2¹²⁸ − 1: the sum cannot wrap.
					let t = u128::from(*x)
						.wrapping_mul(u128::from(*y))
						.wrapping_add(u128::from(*slot))
						.wrapping_add(carry);
					*slot = low(t);
					carry = t >> 64;
				}
			}
			// Row `i` ends in a limb no earlier row reached.
			if let Some(slot) = out.get_mut(i.saturating_add(other.0.len())) {
				*slot = low(carry);
			}
		}
		Self::trimmed(out)
	}

	/// `self · m`, exactly.
	pub fn mul_small(&self, m: u64) -> Self {
		let mut out = Vec::with_capacity(self.0.len().saturating_add(1));
		let mut carry: u128 = 0;
		for x in &self.0 {
			// (2⁶⁴−1)² + (2⁶⁴−1) < 2¹²⁸.
			let t = u128::from(*x).wrapping_mul(u128::from(m)).wrapping_add(carry);
			out.push(low(t));
			carry = t >> 64;
		}
		out.push(low(carry));
		Self::trimmed(out)
	}

	/// `self + 1`.
	pub fn add_one(&self) -> Self {
		let mut limbs = self.0.clone();
		for limb in limbs.iter_mut() {
			let (sum, overflow) = limb.overflowing_add(1);
			*limb = sum;
			if !overflow {
				return Self(limbs);
			}
		}
		limbs.push(1);
		Self(limbs)
	}

	/// `self · 2^(64·k)`.
	pub fn shl_limbs(&self, k: usize) -> Self {
		if self.is_zero() {
			return Self::default();
		}
		let mut limbs = vec![0; k];
		limbs.extend_from_slice(&self.0);
		Self(limbs)
	}

	/// `floor(self / 2^(64·k))`, and whether the dropped part was not 0.
	pub fn shr_limbs(&self, k: usize) -> (Self, bool) {
		let dropped = self.0.iter().take(k).any(|limb| *limb != 0);
		(Self(self.0.iter().skip(k).copied().collect()), dropped)
	}

	/// `(floor(self / d), self mod d)`; `None` for `d = 0`.
	pub fn div_rem_small(&self, d: u64) -> Option<(Self, u64)> {
		if d == 0 {
			return None;
		}
		let d = u128::from(d);
		let mut quotient = vec![0u64; self.0.len()];
		let mut rem: u128 = 0;
		for (limb, q) in self.0.iter().zip(quotient.iter_mut()).rev() {
			// rem < d ≤ 2⁶⁴ − 1, so `rem · 2⁶⁴ + limb` < 2¹²⁸.
			let cur = (rem << 64) | u128::from(*limb);
			*q = low(cur.checked_div(d)?);
			rem = cur.checked_rem(d)?;
		}
		Some((Self::trimmed(quotient), low(rem)))
	}
}

impl Ord for Nat {
	fn cmp(&self, other: &Self) -> Ordering {
		// Trimmed: more limbs is larger; equal lengths compare from the most significant limb.
		self.0
			.len()
			.cmp(&other.0.len())
			.then_with(|| self.0.iter().rev().cmp(other.0.iter().rev()))
	}
}

impl PartialOrd for Nat {
	fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
		Some(self.cmp(other))
	}
}

#[cfg(test)]
#[allow(clippy::arithmetic_side_effects)]
mod tests {
	use super::*;
	use num_bigint::BigUint;
	use proptest::prelude::*;

	fn big(n: &Nat) -> BigUint {
		n.0.iter()
			.rev()
			.fold(BigUint::from(0u32), |acc, l| (acc << 64) + BigUint::from(*l))
	}

	fn nat(limbs: Vec<u64>) -> Nat {
		Nat::trimmed(limbs)
	}

	proptest! {
		#[test]
		fn operations_agree_with_num_bigint(
			a in proptest::collection::vec(any::<u64>(), 0..6),
			b in proptest::collection::vec(any::<u64>(), 0..6),
			m in any::<u64>(),
			k in 0usize..4,
		) {
			let (x, y) = (nat(a), nat(b));
			prop_assert_eq!(big(&x.mul(&y)), big(&x) * big(&y));
			prop_assert_eq!(big(&x.mul_small(m)), big(&x) * BigUint::from(m));
			prop_assert_eq!(big(&x.add_one()), big(&x) + 1u32);
			prop_assert_eq!(big(&x.shl_limbs(k)), big(&x) << (64 * k));
			let (q, dropped) = x.shr_limbs(k);
			prop_assert_eq!(big(&q), big(&x) >> (64 * k));
			prop_assert_eq!(dropped, big(&x) % (BigUint::from(1u32) << (64 * k)) != BigUint::from(0u32));
			if m > 0 {
				let (q, r) = x.div_rem_small(m).unwrap();
				prop_assert_eq!(big(&q), big(&x) / BigUint::from(m));
				prop_assert_eq!(BigUint::from(r), big(&x) % BigUint::from(m));
			}
			prop_assert_eq!(x.cmp(&y), big(&x).cmp(&big(&y)));
		}
	}

	#[test]
	fn boundaries() {
		assert_eq!(Nat::from_u128(0), Nat::default());
		assert_eq!(Nat::from_u128(u128::MAX).to_u128(), Some(u128::MAX));
		assert_eq!(Nat::from_u128(u128::MAX).add_one(), Nat::pow2_limbs(2));
		assert_eq!(Nat::pow2_limbs(2).to_u128(), None);
		assert!(Nat::from_u128(5).div_rem_small(0).is_none());
		assert_eq!(Nat::default().mul_small(7), Nat::default());
	}
}
