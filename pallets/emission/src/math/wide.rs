//! 256-bit unsigned integers as `(high, low)` pairs of `u128`, for exact comparisons of products
//! of two 128-bit values (the hard cap's threshold). Only what that needs: the full product, a
//! saturating sum, halving rounded up, and the order of the pair (lexicographic, as derived for
//! tuples).

/// A 256-bit value `high · 2¹²⁸ + low`.
pub(crate) type U256 = (u128, u128);

const LOW64: u128 = u64::MAX as u128;

/// The full product `a · b`, exactly.
pub(crate) fn mul(a: u128, b: u128) -> U256 {
	let (a1, a0) = (a >> 64, a & LOW64);
	let (b1, b0) = (b >> 64, b & LOW64);
	// Each partial product of two 64-bit halves fits in 128 bits.
	let p00 = a0.wrapping_mul(b0);
	let p01 = a0.wrapping_mul(b1);
	let p10 = a1.wrapping_mul(b0);
	let p11 = a1.wrapping_mul(b1);
	// The middle column: at most 3 · (2⁶⁴ - 1), which fits.
	let middle = (p00 >> 64).wrapping_add(p01 & LOW64).wrapping_add(p10 & LOW64);
	let low = (middle << 64) | (p00 & LOW64);
	let high = p11.wrapping_add(p01 >> 64).wrapping_add(p10 >> 64).wrapping_add(middle >> 64);
	(high, low)
}

/// `a + b`, saturating at `2²⁵⁶ - 1`.
pub(crate) fn saturating_add(a: U256, b: U256) -> U256 {
	let (low, carry) = a.1.overflowing_add(b.1);
	let high = a.0.checked_add(b.0).and_then(|h| h.checked_add(u128::from(carry)));
	match high {
		Some(high) => (high, low),
		None => (u128::MAX, u128::MAX),
	}
}

/// `ceil(a / 2)`.
pub(crate) fn half_rounded_up(a: U256) -> U256 {
	let odd = a.1 & 1;
	let half = (a.0 >> 1, (a.1 >> 1) | ((a.0 & 1) << 127));
	// `half < 2²⁵⁵`, so adding the odd bit cannot overflow.
	saturating_add(half, (0, odd))
}

#[cfg(test)]
#[allow(clippy::arithmetic_side_effects, clippy::cast_possible_truncation)]
mod tests {
	use super::*;
	use proptest::prelude::*;

	/// The product by schoolbook multiplication on 32-bit digits, an independent route.
	fn reference_mul(a: u128, b: u128) -> U256 {
		let digits = |x: u128| [x as u32, (x >> 32) as u32, (x >> 64) as u32, (x >> 96) as u32];
		let (da, db) = (digits(a), digits(b));
		let mut out = [0u64; 8];
		for i in 0..4 {
			let mut carry = 0u64;
			for j in 0..4 {
				let t = u64::from(da[i]) * u64::from(db[j]) + out[i + j] + carry;
				out[i + j] = t & 0xffff_ffff;
				carry = t >> 32;
			}
			out[i + 4] += carry;
		}
		let word = |k: usize| {
			u128::from(out[k]) |
				u128::from(out[k + 1]) << 32 |
				u128::from(out[k + 2]) << 64 |
				u128::from(out[k + 3]) << 96
		};
		(word(4), word(0))
	}

	#[test]
	fn products_at_the_boundaries() {
		assert_eq!(mul(u128::MAX, u128::MAX), (u128::MAX - 1, 1));
		assert_eq!(mul(1 << 64, 1 << 64), (1, 0));
		assert_eq!(mul(0, u128::MAX), (0, 0));
		assert_eq!(mul(3, 5), (0, 15));
		assert_eq!(half_rounded_up((1, 1)), (0, (1 << 127) + 1));
		assert_eq!(half_rounded_up((0, 3)), (0, 2));
		assert_eq!(saturating_add((u128::MAX, u128::MAX), (0, 1)), (u128::MAX, u128::MAX));
		assert_eq!(saturating_add((0, u128::MAX), (0, 1)), (1, 0));
	}

	proptest! {
		#![proptest_config(ProptestConfig::with_cases(20_000))]
		#[test]
		fn mul_matches_schoolbook(a in any::<u128>(), b in any::<u128>()) {
			prop_assert_eq!(mul(a, b), reference_mul(a, b));
		}
	}
}
