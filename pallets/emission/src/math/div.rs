//! Exact division of many U64F64 values by one shared divisor, for [`super::normalize`].
//!
//! `normalize` divides every share by the same sum: `floor(a · 2^64 / sum)`, substrate-fixed's
//! `checked_div`. Done one by one that is a 256-by-128-bit long division per share. Here the
//! divisor is normalized once and its reciprocal precomputed, so that each quotient costs a few
//! multiplications: the "3-by-2 division with a precomputed reciprocal" of Möller and Granlund
//! ("Improved division by invariant integers", IEEE Trans. Computers 60(2), 2011; algorithms 5
//! and 6). The result is bit for bit the one of `checked_div` (property-tested against it).

const LOW: u128 = u64::MAX as u128;

/// The low 64 bits.
fn lo(x: u128) -> u64 {
	u64::try_from(x & LOW).unwrap_or(0)
}

/// The high 64 bits.
fn hi(x: u128) -> u64 {
	u64::try_from(x >> 64).unwrap_or(0)
}

/// Full product of two 64-bit words.
fn mul(a: u64, b: u64) -> u128 {
	u128::from(a).wrapping_mul(u128::from(b))
}

/// A divisor `s > 0`, normalized (`d = s << shift` has its top bit set), with its reciprocal
/// `v = floor((2^192 - 1) / d) - 2^64`.
#[derive(Clone, Copy, Debug)]
pub struct Divisor {
	s: u128,
	shift: u32,
	d1: u64,
	d0: u64,
	v: u64,
}

impl Divisor {
	/// `None` for 0.
	pub fn new(s: u128) -> Option<Self> {
		if s == 0 {
			return None;
		}
		let shift = s.leading_zeros();
		let d = s.wrapping_shl(shift);
		let (d1, d0) = (hi(d), lo(d));
		// Algorithm 6: the 2-by-1 reciprocal of d1, then corrected for d0.
		let mut v = lo(u128::MAX.checked_div(u128::from(d1)).unwrap_or(0));
		let mut p = d1.wrapping_mul(v).wrapping_add(d0);
		if p < d0 {
			v = v.wrapping_sub(1);
			if p >= d1 {
				v = v.wrapping_sub(1);
				p = p.wrapping_sub(d1);
			}
			p = p.wrapping_sub(d1);
		}
		let t = mul(v, d0);
		let (t1, t0) = (hi(t), lo(t));
		let p2 = p.wrapping_add(t1);
		if p2 < t1 {
			v = v.wrapping_sub(1);
			if (u128::from(p2) << 64 | u128::from(t0)) >= d {
				v = v.wrapping_sub(1);
			}
		}
		Some(Self { s, shift, d1, d0, v })
	}

	/// `floor(a · 2^64 / s)`: U64F64 `a / s`, for `a <= s`. `None` for `a > s`: the caller
	/// falls back to `checked_div`.
	pub fn quotient(&self, a: u128) -> Option<u128> {
		if a > self.s {
			return None;
		}
		if a == self.s {
			return Some(1u128 << 64);
		}
		// a < s, so (a << shift) < d fits, and the quotient of (a << shift) · 2^64 by d is one
		// 64-bit word: algorithm 5 with the numerator (n2, n1, n0) = (a << shift, 0).
		let n = a.wrapping_shl(self.shift);
		let (n2, n1, n0) = (hi(n), lo(n), 0u64);
		let (d1, d0) = (self.d1, self.d0);
		let d = u128::from(d1) << 64 | u128::from(d0);
		let q = mul(self.v, n2).wrapping_add(u128::from(n2) << 64 | u128::from(n1));
		let (mut q1, q0) = (hi(q), lo(q));
		let r1 = n1.wrapping_sub(q1.wrapping_mul(d1));
		let t = mul(d0, q1);
		let mut r = (u128::from(r1) << 64 | u128::from(n0)).wrapping_sub(t).wrapping_sub(d);
		q1 = q1.wrapping_add(1);
		if hi(r) >= q0 {
			q1 = q1.wrapping_sub(1);
			r = r.wrapping_add(d);
		}
		if r >= d {
			q1 = q1.wrapping_add(1);
		}
		Some(u128::from(q1))
	}
}

#[cfg(test)]
#[allow(clippy::arithmetic_side_effects)]
mod tests {
	use super::*;
	use proptest::prelude::*;
	use substrate_fixed::types::U64F64;

	fn reference(a: u128, s: u128) -> Option<u128> {
		U64F64::from_bits(a).checked_div(U64F64::from_bits(s)).map(|q| q.to_bits())
	}

	fn check(a: u128, s: u128) {
		let d = Divisor::new(s).unwrap();
		assert_eq!(d.quotient(a), reference(a, s), "a = {a}, s = {s}");
	}

	#[test]
	fn boundaries() {
		let divisors = [
			1,
			2,
			3,
			u64::MAX as u128,
			1 << 64,
			(1 << 64) + 1,
			(1 << 64) - 1,
			1 << 127,
			(1 << 127) + 1,
			u128::MAX,
			u128::MAX - 1,
			0x8000_0000_0000_0000_ffff_ffff_ffff_ffff,
			0xffff_ffff_ffff_ffff_0000_0000_0000_0001,
		];
		for s in divisors {
			for a in [0, 1, s / 3, s / 2, s.saturating_sub(1), s] {
				check(a, s);
			}
		}
		assert!(Divisor::new(0).is_none());
		assert_eq!(Divisor::new(5).unwrap().quotient(6), None, "a > s is the caller's");
	}

	proptest! {
		#![proptest_config(ProptestConfig::with_cases(20_000))]

		#[test]
		fn equals_checked_div(s in 1u128.., frac in any::<u128>(), bits in 0u32..128) {
			// Divisors of every size, numerators anywhere in [0, s].
			let s = (s >> bits).max(1);
			let a = if s == u128::MAX { frac } else { frac % (s + 1) };
			check(a, s);
		}
	}
}
