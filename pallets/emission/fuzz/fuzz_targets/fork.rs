//! The fork on arbitrary tines and readings: no panic; the winner has the highest measure (then
//! the oldest, then the lowest id); a refusal cuts nothing; a landed fork cuts every other tine.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pallet_emission::math::fork::{choose, measure, Candidate, MeasureWeights, Reading};
use sp_runtime::Perbill;

type RawReading = (Option<i64>, Option<u32>, Option<bool>, Option<u32>);

fuzz_target!(|input: (Vec<(u8, u8, RawReading)>, (Option<u32>, Option<u32>, Option<u32>), Option<bool>)| {
	let (tines, (wg, wd, wr), gate) = input;
	let p = |x: Option<u32>| x.map(Perbill::from_parts);
	let weights = MeasureWeights { reserve_growth: p(wg), depth_stability: p(wd), retention: p(wr) };
	let mut seen = std::collections::BTreeSet::new();
	let candidates: Vec<Candidate<u8>> = tines
		.into_iter()
		.filter(|(id, _, _)| seen.insert(*id))
		.map(|(id, born, (g, d, f, r))| Candidate {
			id,
			born_at_turn: u32::from(born % 4),
			measure: measure(
				&Reading { reserve_growth_ppm: g, depth_stability: p(d), floor_held: f, retention: p(r) },
				&weights,
			),
		})
		.collect();
	let outcome = choose(&candidates, |_| gate);
	match &outcome.kept {
		Some(kept) => {
			assert!(outcome.refused.is_none());
			assert_eq!(outcome.cut.len(), candidates.len() - 1);
			let w = candidates.iter().find(|c| c.id == *kept).unwrap();
			for c in &candidates {
				if let Some(m) = c.measure {
					let wm = w.measure.unwrap();
					assert!(m < wm || (m == wm && (w.born_at_turn, w.id) <= (c.born_at_turn, c.id)));
				}
			}
		},
		None => {
			assert!(outcome.refused.is_some());
			assert!(outcome.cut.is_empty());
		},
	}
});
