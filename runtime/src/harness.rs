//! A call-sequence harness on the dev runtime: random sequences of every call of the emission and
//! subnets pallets, with good and bad origins and values, interleaved with blocks of random
//! length. After every block: `try_state` of every pallet and conservation against Balances' total
//! issuance; after every failed call: an unchanged storage root.
//!
//! `EMISSION_HARNESS_CALLS` sets the number of calls (default 6,000: the fixed-seed run of
//! `scripts/test.sh`), `EMISSION_HARNESS_SEED` the seed; `scripts/harness.sh` runs 100,000. The
//! same harness, fed by a fuzzer's input instead of a seed, is the hook's coverage-guided fuzz
//! target (`runtime/fuzz`, feature `fuzzing`).

#![allow(clippy::arithmetic_side_effects, clippy::indexing_slicing, clippy::unwrap_used)]

use crate::{
	testing::{assert_conserved, cached_ext_from_preset},
	AccountId, AllPalletsWithSystem, Runtime, RuntimeCall, RuntimeOrigin, System,
};
use frame_support::traits::{OnInitialize, TryState, TryStateSelect};
use sp_io::TestExternalities;
use sp_keyring::Sr25519Keyring;
use sp_runtime::{traits::Dispatchable, Perbill, Permill, Perquintill, StateVersion};

/// Where the harness takes its decisions from: a seeded generator for the long and the CI runs, a
/// fuzzer's input for the coverage-guided target.
pub trait Source {
	/// The next 64 bits.
	fn next(&mut self) -> u64;
	/// A value in `0..n` (0 when `n` is 0).
	fn below(&mut self, n: u64) -> u64 {
		self.next() % n.max(1)
	}
	/// Whether the source has nothing more to give (the harness stops).
	fn exhausted(&self) -> bool {
		false
	}
	/// True with the given chance in percent.
	fn chance(&mut self, percent: u64) -> bool {
		self.below(100) < percent
	}
	/// One of `items`.
	fn pick<T: Clone>(&mut self, items: &[T]) -> T {
		items[self.below(items.len() as u64) as usize].clone()
	}
	/// An amount: 0, 1, large, `u128::MAX`, or a number of units.
	fn amount(&mut self) -> u128 {
		match self.below(6) {
			0 => 0,
			1 => 1,
			2 => u128::from(self.next()) << 20,
			3 => u128::MAX,
			_ => u128::from(self.below(1_000_000)) * crate::UNIT,
		}
	}
}

/// SplitMix64.
pub struct Rng(pub u64);

impl Source for Rng {
	fn next(&mut self) -> u64 {
		self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
		let mut z = self.0;
		z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
		z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
		z ^ (z >> 31)
	}
}

/// A fuzzer's input, read little-endian: as few bytes per decision as its range needs (one for a
/// choice among up to 256), so that a mutated byte changes one decision; zeros once it runs out.
pub struct Bytes<'a>(pub &'a [u8]);

impl Bytes<'_> {
	fn take(&mut self, len: usize) -> u64 {
		let (head, rest) = self.0.split_at(len.min(self.0.len()));
		self.0 = rest;
		head.iter().rev().fold(0u64, |acc, b| (acc << 8) | u64::from(*b))
	}
}

impl Source for Bytes<'_> {
	fn next(&mut self) -> u64 {
		self.take(8)
	}
	fn below(&mut self, n: u64) -> u64 {
		let len = match n {
			0..=0x100 => 1,
			0x101..=0x1_0000 => 2,
			0x1_0001..=0x1_0000_0000 => 4,
			_ => 8,
		};
		self.take(len) % n.max(1)
	}
	fn exhausted(&self) -> bool {
		self.0.is_empty()
	}
}

fn accounts() -> Vec<AccountId> {
	let mut out: Vec<AccountId> = Sr25519Keyring::iter().map(|k| k.to_account_id()).collect();
	out.extend((0u8..4).map(|i| AccountId::from([i.wrapping_add(200); 32])));
	out
}

fn name<S: Source>(r: &mut S) -> Vec<u8> {
	match r.below(8) {
		0 => Vec::new(),
		1 => vec![b'x'; 40],
		_ => r.pick(&[&b"steady"[..], b"bold", b"a", b"b", b"treasury"]).to_vec(),
	}
}

/// A random call of either pallet, with values that are valid more often than not.
fn call<S: Source>(r: &mut S, who: &[AccountId]) -> RuntimeCall {
	use pallet_emission::Call as E;
	use pallet_subnets::Call as S;
	let netuid = r.below(7) as u16;
	fn perbill<S: Source>(r: &mut S) -> Perbill {
		match r.below(4) {
			0 => Perbill::zero(),
			1 => Perbill::one(),
			_ => Perbill::from_parts(r.below(1_000_000_001) as u32),
		}
	}
	fn opt_perbill<S: Source>(r: &mut S) -> Option<Perbill> {
		if r.chance(15) {
			None
		} else {
			Some(perbill(r))
		}
	}
	match r.below(19) {
		0 => E::set_emission_top_subnet_proportion {
			proportion: Permill::from_parts(
				r.pick(&[0, 1, 333_333, 500_000, 1_000_000, 2_000_000]),
			),
		}
		.into(),
		1 => E::set_effective_root_prop_emission_scaling { enabled: r.chance(50) }.into(),
		2 => E::set_emission_top_subnet_absolute_limit {
			limit: r.pick(&[None, Some(0), Some(1), Some(2), Some(5)]),
		}
		.into(),
		3 => E::set_emission_schedule {
			initial: r.pick(&[0, 1, crate::UNIT, 10 * crate::UNIT, u128::MAX]),
			decay_factor: r.pick(&[
				Perquintill::one(),
				Perquintill::from_percent(99),
				Perquintill::from_parts(999_525_112_794_640_200),
				Perquintill::zero(),
			]),
			epoch_length: r.pick(&[0, 1, 7, 1_000]),
			supply_cap: r.pick(&[None, Some(0), Some(100 * crate::UNIT), Some(u128::MAX)]),
		}
		.into(),
		4 => {
			let reserves = r.below(6);
			let mut split: Vec<(Vec<u8>, Perbill)> = (0..reserves)
				.map(|i| {
					(
						vec![b'r', i as u8],
						Perbill::from_parts(1_000_000_000 / reserves.max(1) as u32),
					)
				})
				.collect();
			if let Some(first) = split.first_mut() {
				let rest = 1_000_000_000 / reserves.max(1) as u32 * (reserves.max(1) as u32 - 1);
				if r.chance(85) {
					first.1 = Perbill::from_parts(1_000_000_000 - rest);
				}
			}
			E::propose_tine {
				id: name(r),
				fee_bps: r.pick(&[0, 1, 1_000, 10_000, 10_001]),
				split,
				floor_pull: perbill(r),
				depth_feed: perbill(r),
			}
			.into()
		},
		5 => E::withdraw_tine { id: name(r) }.into(),
		6 => E::set_measure_weights {
			reserve_growth: opt_perbill(r),
			depth_stability: opt_perbill(r),
			retention: opt_perbill(r),
		}
		.into(),
		7 => E::set_turn_length { blocks: r.pick(&[0, 1, 2, 5, 50]) }.into(),
		8 => {
			let turn = pallet_emission::CurrentTurn::<Runtime>::get();
			E::submit_reading {
				turn: if r.chance(85) { turn } else { turn.wrapping_add(1) },
				id: name(r),
				reserve_growth_ppm: if r.chance(10) {
					None
				} else {
					Some(r.below(2_000_000) as i64 - 1_000_000)
				},
				depth_stability: opt_perbill(r),
				floor_held: r.pick(&[None, Some(true), Some(true), Some(false)]),
				retention: opt_perbill(r),
			}
			.into()
		},
		9 => S::register_subnet {
			netuid,
			tempo: r.below(6) as u16,
			base_weight: r.pick(&[0, 1, 30, 100, u64::MAX]),
		}
		.into(),
		10 => S::remove_subnet { netuid }.into(),
		11 => S::set_base_weight { netuid, base_weight: r.pick(&[0, 1, 60, u64::MAX]) }.into(),
		12 => S::set_tempo { netuid, tempo: r.below(6) as u16 }.into(),
		13 => S::register_validator {
			netuid,
			validator: r.pick(who),
			root_stake: r.amount(),
			alpha_stake: r.amount(),
		}
		.into(),
		14 => S::remove_validator { netuid, validator: r.pick(who) }.into(),
		15 => S::set_validating { netuid, validator: r.pick(who), validating: r.chance(60) }.into(),
		16 => S::set_floor { floor: r.pick(&[None, Some(0), Some(crate::UNIT), Some(u128::MAX)]) }
			.into(),
		17 => S::claim_dividends { netuid }.into(),
		_ => {
			// Up to 17 feeders (one more than MaxFeeders), sometimes one twice.
			let count = r.below(18) as usize;
			let mut feeders: Vec<AccountId> = (0..count).map(|_| r.pick(who)).collect();
			if !r.chance(20) {
				feeders.sort();
				feeders.dedup();
			}
			let quorum = r.pick(&[0, 1, 1, 2, 3, 17]);
			E::set_feeders { feeders, quorum }.into()
		},
	}
}

fn storage_root() -> Vec<u8> {
	sp_io::storage::root(StateVersion::V1)
}

/// Run the harness from the dev preset's genesis: up to `calls` calls drawn from `source`, until it
/// is exhausted. Returns `(ok, failed, blocks)`; panics when an invariant breaks.
pub fn run<S: Source>(source: &mut S, calls: u64, mut ext: TestExternalities) -> (u64, u64, u32) {
	let r = source;
	let who = accounts();
	let alice = Sr25519Keyring::Alice.to_account_id();
	let mut counts = (0u64, 0u64, 0u32);
	ext.execute_with(|| {
		let genesis = pallet_balances::Pallet::<Runtime>::total_issuance();
		let mut until_block = 0u64;
		for i in 0..calls {
			if r.exhausted() {
				break;
			}
			if until_block == 0 {
				// A block of random length: 0 to 7 calls, sometimes a run of empty blocks.
				let blocks = if r.chance(10) { 1 + r.below(12) } else { 1 };
				for _ in 0..blocks {
					let n = System::block_number() + 1;
					System::reset_events();
					System::set_block_number(n);
					<AllPalletsWithSystem as OnInitialize<u32>>::on_initialize(n);
					<AllPalletsWithSystem as TryState<u32>>::try_state(n, TryStateSelect::All)
						.unwrap_or_else(|e| panic!("try_state after block {n} (call {i}): {e:?}"));
					assert_conserved(genesis);
					counts.2 += 1;
				}
				until_block = r.below(8);
			}
			until_block = until_block.saturating_sub(1);
			let call = call(r, &who);
			let feeding =
				matches!(call, RuntimeCall::Emission(pallet_emission::Call::submit_reading { .. }));
			let claiming =
				matches!(call, RuntimeCall::Subnets(pallet_subnets::Call::claim_dividends { .. }));
			let origin = match r.below(10) {
				0 => RuntimeOrigin::signed(alice.clone()),
				1 => RuntimeOrigin::none(),
				// Readings come from the feeders (whoever they are now) or anyone else.
				// Claims come from anyone: a validator owed on the subnet or not.
				_ if claiming => RuntimeOrigin::signed(r.pick(&who)),
				_ if feeding => {
					let feeders = pallet_emission::Feeders::<Runtime>::get();
					if !feeders.is_empty() && r.chance(80) {
						RuntimeOrigin::signed(r.pick(&feeders))
					} else {
						RuntimeOrigin::signed(r.pick(&who))
					}
				},
				_ => RuntimeOrigin::root(),
			};
			let before = storage_root();
			let description = format!("{call:?}");
			match call.dispatch(origin) {
				Ok(_) => counts.0 += 1,
				Err(e) => {
					counts.1 += 1;
					assert_eq!(
						storage_root(),
						before,
						"failed call {i} changed storage: {description}: {e:?}"
					);
				},
			}
			assert_conserved(genesis);
		}
		// The state after the last call, whether or not a block followed it.
		<AllPalletsWithSystem as TryState<u32>>::try_state(
			System::block_number(),
			TryStateSelect::All,
		)
		.unwrap_or_else(|e| panic!("try_state after the last call: {e:?}"));
	});
	counts
}

/// One input of the hook's fuzz target (`runtime/fuzz`): at most 256 calls from the fuzzer's bytes,
/// from a genesis state built once per process.
pub fn run_bytes(data: &[u8]) -> (u64, u64, u32) {
	run(&mut Bytes(data), 256, cached_ext_from_preset("development"))
}

#[test]
fn random_call_sequences_keep_every_invariant() {
	let calls = std::env::var("EMISSION_HARNESS_CALLS")
		.ok()
		.and_then(|v| v.parse().ok())
		.unwrap_or(6_000);
	let seed = std::env::var("EMISSION_HARNESS_SEED")
		.ok()
		.and_then(|v| v.parse().ok())
		.unwrap_or(0x000c_a115);
	let started = std::time::Instant::now();
	let (ok, failed, blocks) =
		run(&mut Rng(seed), calls, crate::testing::ext_from_preset("development"));
	println!(
		"harness: {calls} calls ({ok} ok, {failed} failed with storage unchanged), {blocks} blocks, seed {seed}, {:.1} s",
		started.elapsed().as_secs_f64()
	);
	assert!(ok > calls / 10 && failed > calls / 10, "both outcomes must be common");
}
