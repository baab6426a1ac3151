//! Fork choice between candidate configs ("tines"), seed 000: pure, total, no storage.
//!
//! At the close of a turn every tine is measured on its own reading; the highest measure is kept
//! and every other tine is cut. Nothing here invents a number it cannot read: a missing reading
//! field or an unset weight yields no measure (not zero), and a tine that let the floor fall has
//! no measure at all.

use alloc::vec::Vec;
use sp_runtime::{traits::Saturating, FixedI128, FixedPointNumber, Perbill};

/// One tine's readings over a turn (any field may be absent); growth in parts per million,
/// may be negative.
pub use crate::types::TineReading as Reading;

/// The measure's weights, each unset until governance sets it.
pub use crate::types::TineMeasureWeights as MeasureWeights;

/// `parts / 1_000_000_000` as `FixedI128` (exact: 10⁹ divides 10¹⁸).
fn from_perbill(p: Perbill) -> FixedI128 {
	FixedI128::saturating_from_rational(p.deconstruct(), 1_000_000_000u32)
}

/// `ppm / 1_000_000` as `FixedI128` (exact: 10⁶ divides 10¹⁸).
fn from_ppm(ppm: i64) -> FixedI128 {
	FixedI128::saturating_from_rational(ppm, 1_000_000i64)
}

/// A tine's measure: `growth·w_growth + depth·w_depth + retention·w_retention`, in `FixedI128`
/// (18 decimals; each product rounds toward zero at the 18th decimal, sums saturate).
///
/// `None` when the floor fell or is unknown (`floor_held` not `Some(true)`: seed 000's code rejects
/// only `false`, its comment says "the floor is not optional"; this follows the comment), when any
/// reading field is absent, or when any weight is unset.
pub fn measure(reading: &Reading, weights: &MeasureWeights) -> Option<FixedI128> {
	if reading.floor_held != Some(true) {
		return None;
	}
	let growth = from_ppm(reading.reserve_growth_ppm?);
	let depth = from_perbill(reading.depth_stability?);
	let retention = from_perbill(reading.retention?);
	let terms = [
		growth.saturating_mul(from_perbill(weights.reserve_growth?)),
		depth.saturating_mul(from_perbill(weights.depth_stability?)),
		retention.saturating_mul(from_perbill(weights.retention?)),
	];
	Some(terms.into_iter().fold(FixedI128::from_inner(0), |acc, t| acc.saturating_add(t)))
}

/// A tine as the fork sees it.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Candidate<Id> {
	/// The tine's id.
	pub id: Id,
	/// The turn it was proposed in.
	pub born_at_turn: u32,
	/// Its measure this turn, if it has one.
	pub measure: Option<FixedI128>,
}

/// Why a fork was refused; the previous active tine keeps governing.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Refusal {
	/// No tine could be measured this turn.
	NoMeasurableTine,
	/// The winner's config would let the floor fall.
	FloorWouldFall,
	/// The floor could not be read: the gate fails closed.
	FloorUnreadable,
}

/// The outcome of a fork.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct ForkOutcome<Id> {
	/// The tine kept (it becomes the active config), or `None` when refused.
	pub kept: Option<Id>,
	/// The tines cut, each with its gap to the kept measure (`None` without a measure). Empty when
	/// refused.
	pub cut: Vec<(Id, Option<FixedI128>)>,
	/// Why the fork was refused, if it was.
	pub refused: Option<Refusal>,
}

/// Keep the highest measure; cut every other tine.
///
/// Ties go to the older tine (lower `born_at_turn`), then to the lower id (byte order): a
/// deterministic rule, so every node picks the same winner. The floor gate runs on the winner
/// before it lands: `Some(false)` or `None` (unreadable) refuses the fork.
pub fn choose<Id: Ord + Clone>(
	candidates: &[Candidate<Id>],
	floor_would_hold: impl FnOnce(&Id) -> Option<bool>,
) -> ForkOutcome<Id> {
	let refuse = |why| ForkOutcome { kept: None, cut: Vec::new(), refused: Some(why) };
	let winner =
		candidates
			.iter()
			.filter_map(|c| c.measure.map(|m| (c, m)))
			.min_by(|(a, ma), (b, mb)| {
				mb.cmp(ma).then(a.born_at_turn.cmp(&b.born_at_turn)).then(a.id.cmp(&b.id))
			});
	let Some((winner, kept_measure)) = winner else {
		return refuse(Refusal::NoMeasurableTine);
	};
	match floor_would_hold(&winner.id) {
		Some(true) => {},
		Some(false) => return refuse(Refusal::FloorWouldFall),
		None => return refuse(Refusal::FloorUnreadable),
	}
	let cut = candidates
		.iter()
		.filter(|c| c.id != winner.id)
		.map(|c| (c.id.clone(), c.measure.map(|m| kept_measure.saturating_sub(m))))
		.collect();
	ForkOutcome { kept: Some(winner.id.clone()), cut, refused: None }
}

/// The lower median of `values`: the `⌈k/2⌉`-th smallest of `k` values (always one of them, so a
/// reading is never a number no feeder read), `None` when there are fewer than `quorum`.
fn lower_median<V: Ord + Copy>(mut values: Vec<V>, quorum: u32) -> Option<V> {
	if values.is_empty() || values.len() < usize::try_from(quorum).unwrap_or(usize::MAX) {
		return None;
	}
	values.sort_unstable();
	values.get(values.len().saturating_sub(1) / 2).copied()
}

/// A tine's reading for a turn from its feeders' submissions: each field is the lower median of
/// the submissions that have it (`floor_held`, ordered `false < true`, is `true` only when more
/// than half of them say so), and a field fewer than `quorum` feeders submitted is missing (so
/// the tine has no measure). Nothing is averaged or guessed.
pub fn aggregate<'a>(submissions: impl IntoIterator<Item = &'a Reading>, quorum: u32) -> Reading {
	let (mut growth, mut depth, mut floor, mut retention) =
		(Vec::new(), Vec::new(), Vec::new(), Vec::new());
	for s in submissions {
		growth.extend(s.reserve_growth_ppm);
		depth.extend(s.depth_stability);
		floor.extend(s.floor_held);
		retention.extend(s.retention);
	}
	Reading {
		reserve_growth_ppm: lower_median(growth, quorum),
		depth_stability: lower_median(depth, quorum),
		floor_held: lower_median(floor, quorum),
		retention: lower_median(retention, quorum),
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	fn full_reading(growth: i64, depth: u32, retention: u32) -> Reading {
		Reading {
			reserve_growth_ppm: Some(growth),
			depth_stability: Some(Perbill::from_percent(depth)),
			floor_held: Some(true),
			retention: Some(Perbill::from_percent(retention)),
		}
	}

	fn weights() -> MeasureWeights {
		MeasureWeights {
			reserve_growth: Some(Perbill::from_percent(50)),
			depth_stability: Some(Perbill::from_percent(30)),
			retention: Some(Perbill::from_percent(20)),
		}
	}

	fn fixed(n: i128, d: i128) -> FixedI128 {
		FixedI128::saturating_from_rational(n, d)
	}

	fn c(id: u8, born: u32, measure: Option<FixedI128>) -> Candidate<u8> {
		Candidate { id, born_at_turn: born, measure }
	}

	#[test]
	fn measure_is_the_weighted_sum() {
		// 0.1·0.5 + 0.8·0.3 + 0.5·0.2 = 0.05 + 0.24 + 0.10 = 0.39
		assert_eq!(measure(&full_reading(100_000, 80, 50), &weights()), Some(fixed(39, 100)));
	}

	#[test]
	fn negative_growth_lowers_the_measure() {
		// −0.2·0.5 + 0 + 0 = −0.1
		assert_eq!(measure(&full_reading(-200_000, 0, 0), &weights()), Some(fixed(-1, 10)));
	}

	#[test]
	fn a_fallen_floor_has_no_measure() {
		let mut r = full_reading(100_000, 80, 50);
		r.floor_held = Some(false);
		assert_eq!(measure(&r, &weights()), None);
	}

	#[test]
	fn each_missing_field_yields_no_measure() {
		let base = full_reading(100_000, 80, 50);
		for r in [
			Reading { reserve_growth_ppm: None, ..base },
			Reading { depth_stability: None, ..base },
			Reading { floor_held: None, ..base },
			Reading { retention: None, ..base },
		] {
			assert_eq!(measure(&r, &weights()), None, "{r:?}");
		}
	}

	#[test]
	fn each_unset_weight_yields_no_measure() {
		let r = full_reading(100_000, 80, 50);
		for w in [
			MeasureWeights { reserve_growth: None, ..weights() },
			MeasureWeights { depth_stability: None, ..weights() },
			MeasureWeights { retention: None, ..weights() },
		] {
			assert_eq!(measure(&r, &w), None, "{w:?}");
		}
	}

	#[test]
	fn zero_weights_give_a_zero_measure_not_none() {
		let w = MeasureWeights {
			reserve_growth: Some(Perbill::zero()),
			depth_stability: Some(Perbill::zero()),
			retention: Some(Perbill::zero()),
		};
		assert_eq!(measure(&full_reading(100_000, 80, 50), &w), Some(FixedI128::from_inner(0)));
	}

	#[test]
	fn the_highest_measure_is_kept_and_the_others_cut_with_their_gap() {
		let out = choose(
			&[c(1, 0, Some(fixed(1, 10))), c(2, 0, Some(fixed(3, 10))), c(3, 0, None)],
			|_| Some(true),
		);
		assert_eq!(out.kept, Some(2));
		assert_eq!(out.refused, None);
		assert_eq!(out.cut, vec![(1, Some(fixed(2, 10))), (3, None)]);
	}

	#[test]
	fn ties_go_to_the_older_tine_then_the_lower_id() {
		let m = Some(fixed(1, 2));
		assert_eq!(choose(&[c(1, 5, m), c(2, 3, m)], |_| Some(true)).kept, Some(2));
		assert_eq!(choose(&[c(9, 3, m), c(4, 3, m)], |_| Some(true)).kept, Some(4));
		let out = choose(&[c(9, 3, m), c(4, 3, m)], |_| Some(true));
		assert_eq!(out.cut, vec![(9, Some(FixedI128::from_inner(0)))]);
	}

	#[test]
	fn all_unmeasurable_is_refused() {
		let out = choose(&[c(1, 0, None), c(2, 0, None)], |_| Some(true));
		assert_eq!(
			out,
			ForkOutcome { kept: None, cut: vec![], refused: Some(Refusal::NoMeasurableTine) }
		);
		assert_eq!(choose::<u8>(&[], |_| Some(true)).refused, Some(Refusal::NoMeasurableTine));
	}

	#[test]
	fn the_gate_runs_on_the_winner_and_refuses_when_false_or_unreadable() {
		let tines = [c(1, 0, Some(fixed(1, 10))), c(2, 0, Some(fixed(3, 10)))];
		let mut gated = None;
		let out = choose(&tines, |id| {
			gated = Some(*id);
			Some(false)
		});
		assert_eq!(gated, Some(2));
		assert_eq!(
			out,
			ForkOutcome { kept: None, cut: vec![], refused: Some(Refusal::FloorWouldFall) }
		);
		let out = choose(&tines, |_| None);
		assert_eq!(out.refused, Some(Refusal::FloorUnreadable));
		assert_eq!(out.kept, None);
	}

	fn r(growth: Option<i64>, depth: Option<u32>, floor: Option<bool>) -> Reading {
		Reading {
			reserve_growth_ppm: growth,
			depth_stability: depth.map(Perbill::from_parts),
			floor_held: floor,
			retention: depth.map(Perbill::from_parts),
		}
	}

	#[test]
	fn three_feeders_one_disagreeing_the_median_decides() {
		let subs = [
			r(Some(50_000), Some(800_000_000), Some(true)),
			r(Some(-900_000), Some(100_000_000), Some(false)),
			r(Some(60_000), Some(700_000_000), Some(true)),
		];
		assert_eq!(aggregate(&subs, 2), r(Some(50_000), Some(700_000_000), Some(true)));
		// The order of submission does not matter.
		let rev = [subs[2], subs[0], subs[1]];
		assert_eq!(aggregate(&rev, 2), aggregate(&subs, 2));
	}

	#[test]
	fn an_even_count_takes_the_lower_middle_and_a_tie_on_the_floor_is_false() {
		let subs = [
			r(Some(10), Some(4), Some(true)),
			r(Some(40), Some(1), Some(false)),
			r(Some(20), Some(3), Some(true)),
			r(Some(30), Some(2), Some(false)),
		];
		assert_eq!(aggregate(&subs, 1), r(Some(20), Some(2), Some(false)));
		let three_of_four = [subs[0], subs[1], subs[2], r(None, None, Some(true))];
		assert_eq!(aggregate(&three_of_four, 1).floor_held, Some(true));
	}

	#[test]
	fn a_field_below_quorum_is_missing_and_the_tine_has_no_measure() {
		let subs = [
			r(Some(50_000), Some(800_000_000), Some(true)),
			r(None, Some(700_000_000), Some(true)),
		];
		let got = aggregate(&subs, 2);
		assert_eq!(got.reserve_growth_ppm, None);
		assert_eq!(got.depth_stability, Some(Perbill::from_parts(700_000_000)));
		assert_eq!(measure(&got, &weights()), None);
		assert_eq!(aggregate(&subs, 1).reserve_growth_ppm, Some(50_000));
		assert_eq!(aggregate(core::iter::empty(), 0), Reading::default());
		assert_eq!(aggregate(&subs, 3), Reading::default());
	}
}
