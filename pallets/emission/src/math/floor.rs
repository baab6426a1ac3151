//! The floor of seed 000: the active tine's withholding, how its `floor_pull` leans it toward the
//! depth reserve while the floor is not met, and the gate's question about a config: would the
//! floor hold through the next turn if it governed? Pure, total, no storage.
//!
//! Terms, on this chain: the *floor* is the amount of protocol-owned liquidity governance wants
//! kept; the *liquidity* is what the depth reserve holds (the protocol-owned liquidity the floor
//! is read from), with what is carried for it until it can be minted; the *deficit* is
//! `floor − liquidity` (0 when the floor is met). "The floor leans when price slips": while there
//! is a deficit, `floor_pull` of what would go to the other reserves goes to the depth reserve
//! instead, never more than the deficit left after the depth feed.

use alloc::vec::Vec;
use sp_runtime::Perbill;

/// The floor as the chain reads it.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct FloorReading {
	/// The protocol-owned liquidity the floor is read from.
	pub liquidity: u128,
	/// The floor it must stay at or above.
	pub floor: u128,
}

impl FloorReading {
	/// `floor − liquidity − carried`, 0 when the floor is met; `carried` is liquidity already
	/// due to the depth reserve and not minted yet.
	pub fn deficit(&self, carried: u128) -> u128 {
		self.floor.saturating_sub(self.liquidity.saturating_add(carried))
	}
}

/// What a config withholds from one block's emission.
#[derive(Clone, PartialEq, Eq, Debug, Default)]
pub struct Withheld {
	/// The fee: `to_depth + Σ parts`.
	pub withheld: u128,
	/// The depth reserve's part: its feed, the lean and the split's rounding dust.
	pub to_depth: u128,
	/// Of `to_depth`, what the floor's lean moved from the other reserves.
	pub leaned: u128,
	/// Each reserve's part, in the split's order.
	pub parts: Vec<u128>,
}

/// The fee and the depth feed of `emission`: `(withheld, fed, rest)` with
/// `withheld = ⌊emission × fee_bps / 10⁴⌋` (`fee_bps` capped at 10⁴), `fed = ⌊withheld ×
/// depth_feed⌋` and `rest = withheld − fed`. Each of the three is non-decreasing in `emission`
/// (one more unit of emission adds at most one unit to `withheld`, which adds it to `fed` or to
/// `rest`).
fn fee_and_feed(emission: u128, fee_bps: u16, depth_feed: Perbill) -> (u128, u128, u128) {
	let bps = u128::from(fee_bps.min(10_000));
	let withheld = sp_runtime::helpers_128bit::multiply_by_rational_with_rounding(
		emission,
		bps,
		10_000,
		sp_runtime::Rounding::Down,
	)
	.unwrap_or(0);
	let fed = depth_feed.mul_floor(withheld);
	(withheld, fed, withheld.saturating_sub(fed))
}

/// What a config withholds from `emission` while the floor is short by `deficit`:
///
/// - `withheld = ⌊emission × fee_bps / 10⁴⌋` (`fee_bps` capped at 10⁴);
/// - `fed = ⌊withheld × depth_feed⌋` goes to the depth reserve, `rest = withheld − fed`;
/// - `leaned = min(⌊rest × floor_pull⌋, deficit − fed)` (0 when `fed` covers the deficit) goes to
///   the depth reserve too: the floor's lean;
/// - each reserve gets `⌊(rest − leaned) × weight⌋`; the rounding dust goes to the depth reserve,
///
/// so `to_depth = fed + leaned + dust` and `to_depth + Σ parts = withheld` exactly.
pub fn withhold(
	emission: u128,
	fee_bps: u16,
	depth_feed: Perbill,
	floor_pull: Perbill,
	split: &[Perbill],
	deficit: u128,
) -> Withheld {
	let (withheld, fed, rest) = fee_and_feed(emission, fee_bps, depth_feed);
	let leaned = floor_pull.mul_floor(rest).min(deficit.saturating_sub(fed));
	let rest = rest.saturating_sub(leaned);
	let parts: Vec<u128> = split.iter().map(|w| w.mul_floor(rest)).collect();
	let assigned = parts.iter().fold(0u128, |acc, p| acc.saturating_add(*p));
	let to_depth = fed.saturating_add(leaned).saturating_add(rest.saturating_sub(assigned));
	Withheld { withheld, to_depth, leaned, parts }
}

/// What a config surely adds to the depth reserve in a block of `emission` while the floor is
/// short by more than that: its feed and its full lean, `fed + ⌊rest × floor_pull⌋`
/// ([`withhold`]), without the split's rounding dust.
///
/// Non-decreasing in `emission` (`fed` and `rest` are, and so is `⌊rest × floor_pull⌋`), which
/// [`withhold`]'s `to_depth` is not: the dust can fall when the emission rises (`fee 10⁴`, no
/// feed, no pull, a 50/50 split: `to_depth(999) = 1`, `to_depth(1000) = 0`).
pub fn sure_depth_gain(
	emission: u128,
	fee_bps: u16,
	depth_feed: Perbill,
	floor_pull: Perbill,
) -> u128 {
	let (_, fed, rest) = fee_and_feed(emission, fee_bps, depth_feed);
	fed.saturating_add(floor_pull.mul_floor(rest))
}

/// The floor gate's question about a config: is the floor met (or restored) by the end of the
/// next turn of `blocks` blocks if this config governs from a deficit of `deficit`?
///
/// With `deficit = 0` the floor holds now, and nothing in the pallet takes liquidity away: yes.
/// Otherwise, with `min_emission` a lower bound on every block's emission in the next turn
/// ([`super::schedule::min_emission_over`]), each block of the turn either meets the floor (its
/// lean is capped by the deficit left, so `to_depth` covers it) or adds its full feed and lean,
/// at least `gain = sure_depth_gain(min_emission)` (non-decreasing in the emission, so a lower
/// bound for every block). So the floor is met by the turn's end if
///
/// `blocks × gain ≥ deficit`.
///
/// The condition is sufficient, not necessary (early blocks issue more than `min_emission`, the
/// dust is not counted): the gate refuses a config it cannot show will hold.
pub fn floor_would_hold(
	fee_bps: u16,
	depth_feed: Perbill,
	floor_pull: Perbill,
	deficit: u128,
	min_emission: u128,
	blocks: u32,
) -> bool {
	if deficit == 0 {
		return true;
	}
	let gain = sure_depth_gain(min_emission, fee_bps, depth_feed, floor_pull);
	gain.saturating_mul(u128::from(blocks)) >= deficit
}

#[cfg(test)]
mod tests {
	use super::*;

	fn p(percent: u32) -> Perbill {
		Perbill::from_percent(percent)
	}

	fn third() -> Perbill {
		Perbill::from_rational(1u32, 3u32)
	}

	/// What 1/3 leaves of one: 666_666_667 parts per 10⁹ (a valid split with [`third`]).
	fn two_thirds() -> Perbill {
		Perbill::from_parts(666_666_667)
	}

	#[test]
	fn a_third_and_two_thirds_make_one() {
		assert_eq!(third().deconstruct() + two_thirds().deconstruct(), 1_000_000_000);
	}

	#[test]
	fn without_a_deficit_nothing_leans_and_every_unit_is_conserved() {
		// 1000 at 250 bps: 25 withheld; 20 % to depth = 5; 20 left split 1/3, 2/3 → 6, 13; dust 1
		// to depth.
		let split = [third(), two_thirds()];
		let w = withhold(1_000, 250, p(20), p(50), &split, 0);
		assert_eq!(w, Withheld { withheld: 25, to_depth: 6, leaned: 0, parts: vec![6, 13] });
	}

	#[test]
	fn a_deficit_leans_floor_pull_of_the_rest_toward_depth() {
		// 10_000 at 300 bps: 300 withheld; depth feed 10 % = 30; rest 270; pull 1/3 of 270 =
		// ⌊89.99…⌋ = 89 (1/3 is 333_333_333 parts per 10⁹); 181 left, split 1/3, 2/3 → 60, 120,
		// dust 1: depth 30 + 89 + 1 = 120.
		let split = [third(), two_thirds()];
		let w = withhold(10_000, 300, p(10), third(), &split, 1_000_000);
		assert_eq!(w, Withheld { withheld: 300, to_depth: 120, leaned: 89, parts: vec![60, 120] });
		assert_eq!(w.to_depth + w.parts.iter().sum::<u128>(), w.withheld);
	}

	#[test]
	fn the_lean_stops_at_the_deficit() {
		// Same block; the floor is 50 short: the feed gives 30, the lean only the 20 left.
		let split = [third(), two_thirds()];
		let w = withhold(10_000, 300, p(10), third(), &split, 50);
		// rest 270 − 20 = 250 → ⌊83.33⌋ = 83, ⌊166.66⌋ = 166, dust 1.
		assert_eq!(w, Withheld { withheld: 300, to_depth: 51, leaned: 20, parts: vec![83, 166] });
		// A deficit the feed alone covers: no lean.
		assert_eq!(withhold(10_000, 300, p(10), third(), &split, 30).leaned, 0);
		assert_eq!(withhold(10_000, 300, p(10), third(), &split, 29).leaned, 0);
		assert_eq!(withhold(10_000, 300, p(10), third(), &split, 31).leaned, 1);
	}

	#[test]
	fn a_full_pull_sends_everything_to_depth_while_short() {
		let w = withhold(10_000, 300, p(10), Perbill::one(), &[p(50), p(50)], u128::MAX);
		assert_eq!(w, Withheld { withheld: 300, to_depth: 300, leaned: 270, parts: vec![0, 0] });
	}

	#[test]
	fn withholding_bounds() {
		assert_eq!(withhold(1_000, 0, p(50), p(50), &[Perbill::one()], 10).withheld, 0);
		assert_eq!(withhold(1_000, 10_000, p(0), p(0), &[Perbill::one()], 10).parts, vec![1_000]);
		let w = withhold(1_000, 20_000, Perbill::one(), p(0), &[Perbill::one()], 0);
		assert_eq!((w.withheld, w.to_depth), (1_000, 1_000));
		let w = withhold(u128::MAX, 10_000, p(0), Perbill::one(), &[Perbill::one()], u128::MAX);
		assert_eq!((w.withheld, w.to_depth, w.leaned), (u128::MAX, u128::MAX, u128::MAX));
	}

	#[test]
	fn the_gate_tells_two_configs_apart_that_differ_only_in_depth_feed() {
		// Floor 600 short; a turn of 10 blocks of at least 10_000, 300 bps withheld = 300/block.
		// Feed 20 %, no pull: 60 a block → 600 in 10 blocks: holds. Feed 19 %: ⌊57⌋ = 57 a block
		// → 570 < 600: falls.
		assert!(floor_would_hold(300, p(20), p(0), 600, 10_000, 10));
		assert!(!floor_would_hold(300, p(19), p(0), 600, 10_000, 10));
	}

	#[test]
	fn the_gate_tells_two_configs_apart_that_differ_only_in_floor_pull() {
		// Feed 10 % = 30 a block, rest 270. Pull 1/3: ⌊270 × 333_333_333 / 10⁹⌋ = 89 leaned, so
		// the gate counts 30 + 89 = 119 a block, 1_190 in 10 blocks (the split's dust of 1 a block
		// is not counted). Pull 0: 30 a block, 300.
		assert_eq!(sure_depth_gain(10_000, 300, p(10), third()), 119);
		assert_eq!(sure_depth_gain(10_000, 300, p(10), p(0)), 30);
		assert!(floor_would_hold(300, p(10), third(), 1_190, 10_000, 10));
		assert!(!floor_would_hold(300, p(10), p(0), 1_190, 10_000, 10));
		assert!(floor_would_hold(300, p(10), p(0), 300, 10_000, 10));
		// One unit more than the pull surely restores in the turn: refused.
		assert!(!floor_would_hold(300, p(10), third(), 1_191, 10_000, 10));
	}

	#[test]
	fn the_gate_does_not_count_the_dust_which_can_fall_as_the_emission_rises() {
		// Fee 10⁴, no feed, no pull, split 50/50: all that reaches depth is the split's dust, 1
		// for an odd emission and 0 for an even one: 999 gives 1, 1_000 gives 0.
		let halves = [p(50), p(50)];
		assert_eq!(withhold(999, 10_000, p(0), p(0), &halves, 10).to_depth, 1);
		assert_eq!(withhold(1_000, 10_000, p(0), p(0), &halves, 10).to_depth, 0);
		// So the gate, on a lower bound of 999 a block, counts nothing and refuses: a turn of
		// 1_000s restores nothing.
		assert_eq!(sure_depth_gain(999, 10_000, p(0), p(0)), 0);
		assert!(!floor_would_hold(10_000, p(0), p(0), 10, 999, 10));
	}

	#[test]
	fn the_sure_gain_never_falls_as_the_emission_rises() {
		// Every emission up to 20_000 under configs with thirds and odd fees: non-decreasing, and
		// never above what reaches depth while the deficit is larger than a block's fee.
		let thirds = [third(), two_thirds()];
		for (fee, feed, pull) in [
			(1, third(), third()),
			(333, p(0), two_thirds()),
			(10_000, p(50), p(0)),
			(7, p(1), p(99)),
		] {
			let mut last = 0;
			for e in 0..20_000u128 {
				let gain = sure_depth_gain(e, fee, feed, pull);
				assert!(gain >= last, "fee {fee}: gain fell at {e}");
				assert!(gain <= withhold(e, fee, feed, pull, &thirds, u128::MAX).to_depth);
				last = gain;
			}
		}
	}

	#[test]
	fn a_met_floor_holds_for_any_config_and_no_emission_restores_nothing() {
		let one = Perbill::one();
		assert!(floor_would_hold(0, p(0), p(0), 0, 0, 0));
		assert!(!floor_would_hold(10_000, one, one, 1, 0, 100));
		assert!(!floor_would_hold(10_000, one, one, 1, 1, 0));
		assert!(floor_would_hold(10_000, one, one, 1, 1, 1));
	}

	#[test]
	fn the_deficit_counts_what_is_carried() {
		let r = FloorReading { liquidity: 40, floor: 100 };
		assert_eq!(r.deficit(0), 60);
		assert_eq!(r.deficit(59), 1);
		assert_eq!(r.deficit(60), 0);
		assert_eq!(r.deficit(u128::MAX), 0);
		assert_eq!(FloorReading { liquidity: 100, floor: 40 }.deficit(0), 0);
	}
}
