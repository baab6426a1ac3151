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
	AccountId, AllPalletsWithSystem, Emission, Runtime, RuntimeCall, RuntimeEvent, RuntimeOrigin,
	System,
};
use frame_support::traits::{OnInitialize, TryState, TryStateSelect};
use sp_io::TestExternalities;
use sp_keyring::Sr25519Keyring;
use sp_runtime::{traits::Dispatchable, Perbill, Permill, Perquintill, StateVersion};
use std::collections::BTreeMap;

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
	// Readings are drawn four times as often as any other call, so that forks have a quorum of
	// complete readings often enough to keep tines (and the gate's promises get checked).
	match r.below(24) {
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
			// 999 and 1,000 with × 0.999: emissions that alternate between odd and even, whose
			// split dust comes and goes (the gate must not count it).
			// `u128::MAX` (uncapped) exhausts the ledger's room for good, and every later block
			// issues nothing: drawn rarely, so that a run spends most of its blocks issuing.
			initial: if r.chance(1) {
				u128::MAX
			} else {
				r.pick(&[0, 1, 999, 1_000, crate::UNIT, 10 * crate::UNIT])
			},
			// A factor of 0 stops emission after the first epoch: drawn rarely.
			decay_factor: r.pick(&[
				Perquintill::one(),
				Perquintill::from_percent(99),
				Perquintill::from_percent(99),
				Perquintill::from_parts(999_000_000_000_000_000),
				Perquintill::from_parts(999_000_000_000_000_000),
				Perquintill::from_parts(999_525_112_794_640_200),
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
		8 | 19..=21 => {
			let turn = pallet_emission::CurrentTurn::<Runtime>::get();
			if r.chance(60) {
				// A complete reading of the open turn, the floor held.
				return E::submit_reading {
					turn,
					id: name(r),
					reserve_growth_ppm: Some(r.below(2_000_000) as i64 - 1_000_000),
					depth_stability: Some(perbill(r)),
					floor_held: Some(true),
					retention: Some(perbill(r)),
				}
				.into();
			}
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
		16 => {
			// Floors around what the depth reserve holds, so that the gate's hard cases occur: a
			// few units short, about a turn's withholding short, met by a unit.
			let depth = pallet_balances::Pallet::<Runtime>::free_balance(
				crate::Emission::depth_reserve_account(),
			) + pallet_emission::ReserveCarry::<Runtime>::get().0;
			let floor = match r.below(8) {
				0 => None,
				1 => Some(0),
				2 => Some(crate::UNIT),
				3 => Some(u128::MAX),
				4 => Some(depth + 1 + u128::from(r.below(10))),
				5 => Some(depth.saturating_sub(1)),
				_ => Some(depth + u128::from(r.below(2 * crate::UNIT as u64))),
			};
			S::set_floor { floor }.into()
		},
		17 => S::claim_dividends { netuid }.into(),
		22 => S::clear_alpha { netuid, limit: r.pick(&[0, 1, 2, 1_000, u32::MAX]) }.into(),
		// Rates at 0, the thirds and a half (not exact in binary), 100 % (removes the entry) or
		// random.
		23 => E::set_subnet_emission_rate {
			netuid,
			rate: match r.below(6) {
				0 => Perbill::zero(),
				1 => Perbill::from_parts(333_333_333),
				2 => Perbill::from_percent(50),
				3 => Perbill::from_parts(666_666_667),
				4 => Perbill::one(),
				_ => Perbill::from_parts(r.below(1_000_000_001) as u32),
			},
		}
		.into(),
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

/// What the view functions said, read after the last call of the block before `n`: what block
/// `n`'s hook will do.
struct Predictions {
	scheduled: u128,
	shares: pallet_emission::types::ShareStages,
	projection: pallet_emission::types::SupplyProjection,
	withholding: pallet_emission::types::Withholding,
	fork: pallet_emission::types::ForkPreview,
	pending: BTreeMap<u16, u128>,
	floor: Option<u128>,
}

impl Predictions {
	fn read(n: u32) -> Self {
		let fork = Emission::fork_preview();
		// The preview must leave nothing behind: it runs the next block's hook and rolls it back.
		let root = storage_root();
		let again = Emission::fork_preview();
		assert_eq!(storage_root(), root, "fork_preview wrote to storage");
		assert_eq!(again, fork, "fork_preview answered twice differently");
		Self {
			scheduled: Emission::scheduled_emission(n),
			shares: Emission::preview_shares(),
			projection: Emission::supply_projection(),
			withholding: Emission::active_withholding(),
			fork,
			pending: pallet_subnets::PendingEmission::<Runtime>::get().into_iter().collect(),
			floor: pallet_subnets::Floor::<Runtime>::get(),
		}
	}
}

/// A promise of the floor gate: the tine kept at a close governs from a floor it is to meet by
/// the end of the next turn (block `by`).
struct Promise {
	floor: u128,
	by: u32,
	tine: Vec<u8>,
}

/// How many predictions the harness compared with what the block then did.
#[derive(Default, Debug, Clone)]
pub struct Compared {
	scheduled: u64,
	/// Blocks that issued something.
	issuing: u64,
	shares: u64,
	per_subnet: u64,
	withholding: u64,
	forks: u64,
	forks_kept: u64,
	promises_made: u64,
	promises_kept: u64,
	/// Calls applied as fee-paying signed transactions, and accounts reaped (dust lost).
	fee_paying: u64,
	reaped: u64,
	/// Fees, tips and dust recycled through the emission pallet (equal to what the payment and
	/// balances pallets' events say they took).
	fees_recycled: u128,
}

#[derive(Default)]
struct Checks {
	compared: Compared,
	promise: Option<Promise>,
}

impl Checks {
	/// Compare block `n`'s events and state with what was predicted before it.
	fn compare(&mut self, p: &Predictions, n: u32) {
		use pallet_emission::Event as E;
		let events: Vec<E<Runtime>> = System::events()
			.into_iter()
			.filter_map(|r| match r.event {
				RuntimeEvent::Emission(e) => Some(e),
				_ => None,
			})
			.collect();
		let one = |what: &str, found: Vec<&E<Runtime>>| -> Option<E<Runtime>> {
			assert!(found.len() <= 1, "block {n}: {} {what} events", found.len());
			found.first().map(|e| (*e).clone())
		};

		// scheduled_emission(n) and preview_shares against BlockEmissionDistributed.
		let distributed = one(
			"BlockEmissionDistributed",
			events
				.iter()
				.filter(|e| matches!(e, E::BlockEmissionDistributed { .. }))
				.collect(),
		);
		let issued = match &distributed {
			Some(E::BlockEmissionDistributed { issued, .. }) => *issued,
			_ => 0,
		};
		assert_eq!(issued, p.scheduled, "block {n}: scheduled_emission predicted {}", p.scheduled);
		assert_eq!(p.shares.block_emission, issued, "block {n}: preview_shares' block emission");
		// The supply projection: the next block's emission, and an end it says has come.
		assert_eq!(p.projection.next_block, u64::from(n), "block {n}: supply_projection's block");
		assert_eq!(
			p.projection.next_block_emission, issued,
			"block {n}: supply_projection's emission"
		);
		{
			use pallet_emission::types::SupplyEnd;
			let ended = match p.projection.end {
				SupplyEnd::CapReachedAt { last } | SupplyEnd::LedgerFullAt { last } =>
					last < u64::from(n),
				SupplyEnd::EmissionEndsAt { block, .. } => block <= u64::from(n),
				SupplyEnd::NoSchedule | SupplyEnd::NotWithin { .. } => false,
			};
			if ended {
				assert_eq!(
					issued, 0,
					"block {n}: issued after the projected end {:?}",
					p.projection.end
				);
			} else if !matches!(p.projection.end, SupplyEnd::NoSchedule) {
				assert!(
					issued > 0,
					"block {n}: nothing issued before the projected end {:?}",
					p.projection.end
				);
				let (low, _) = p.projection.year_issuance;
				assert!(low >= issued, "block {n}: the year's issuance below the next block's");
			}
		}
		self.compared.scheduled += 1;
		if issued > 0 {
			self.compared.issuing += 1;
		}
		if let Some(E::BlockEmissionDistributed {
			withheld,
			to_subnets,
			recycled,
			recipients,
			..
		}) = distributed
		{
			let amounts: u128 = p.shares.amounts.iter().map(|(_, a)| *a).sum();
			let nonzero = p.shares.amounts.iter().filter(|(_, a)| *a > 0).count();
			assert_eq!(withheld, p.shares.withheld, "block {n}: preview_shares' withheld");
			assert_eq!(
				to_subnets + recycled,
				amounts + p.shares.recycled,
				"block {n}: preview_shares' amounts and recycled"
			);
			assert!(recycled >= p.shares.recycled, "block {n}: less recycled than previewed");
			assert_eq!(recipients as usize, nonzero, "block {n}: preview_shares' recipients");
			self.compared.shares += 1;
			// Each subnet that settled no epoch this block: its pending emission grew by its
			// previewed amount (when the pending table could record it).
			let settled: Vec<u16> = events
				.iter()
				.filter_map(|e| match e {
					E::EpochSettled { netuid, .. } => Some(*netuid),
					_ => None,
				})
				.collect();
			if to_subnets == amounts {
				let after = pallet_subnets::PendingEmission::<Runtime>::get();
				for (netuid, amount) in p.shares.amounts.iter().filter(|(_, a)| *a > 0) {
					if settled.contains(netuid) {
						continue;
					}
					let before = p.pending.get(netuid).copied().unwrap_or(0);
					let now = after.get(netuid).copied().unwrap_or(0);
					assert_eq!(
						now - before,
						*amount,
						"block {n}: subnet {netuid}'s previewed amount"
					);
					self.compared.per_subnet += 1;
				}
			}
		}

		// active_withholding against EmissionWithheld.
		let withheld = one(
			"EmissionWithheld",
			events.iter().filter(|e| matches!(e, E::EmissionWithheld { .. })).collect(),
		);
		let w = &p.withholding;
		let carried_before: u128 =
			w.carried_depth + w.carried_reserves.iter().map(|(_, c)| *c).sum::<u128>();
		let mut carried_depth_after = pallet_emission::ReserveCarry::<Runtime>::get().0;
		match withheld {
			Some(E::EmissionWithheld {
				tine,
				withheld,
				to_depth,
				leaned,
				to_reserves,
				carried,
			}) => {
				assert_eq!(Some(tine.into_inner()), w.tine, "block {n}: active_withholding's tine");
				assert_eq!(withheld, w.withheld, "block {n}: active_withholding's withheld");
				assert_eq!(leaned, w.leaned, "block {n}: active_withholding's lean");
				assert_eq!(
					to_depth + to_reserves + carried,
					w.withheld + carried_before,
					"block {n}: what was withheld and carried is minted or carried"
				);
				// The depth reserve's due: its part and its carry, minted or carried on.
				let depth_due = w.to_depth + w.carried_depth;
				assert!(
					to_depth == depth_due || to_depth == 0,
					"block {n}: depth minted {to_depth}"
				);
				carried_depth_after = depth_due - to_depth;
				self.compared.withholding += 1;
			},
			// Nothing withheld (no tine, or no emission): the preview must have said that nothing
			// is withheld or minted; what is carried waits for a block that withholds.
			_ => assert!(
				w.tine.is_none() ||
					(w.withheld == 0 &&
						w.to_depth == 0 && w.to_reserves.iter().all(|(_, a)| *a == 0)),
				"block {n}: active_withholding predicted {w:?}, the block withheld nothing"
			),
		}

		// The promise of the last close: at the end of the turn it promised (after this block's
		// emission, before its close), the floor is met.
		let depth =
			pallet_balances::Pallet::<Runtime>::free_balance(Emission::depth_reserve_account());
		if let Some(promise) = self.promise.take() {
			let governed = pallet_emission::ActiveTine::<Runtime>::get()
				.is_some_and(|(id, _)| id.into_inner() == promise.tine);
			let liquidity = depth + carried_depth_after;
			if liquidity >= promise.floor {
				self.compared.promises_kept += 1;
			} else if n >= promise.by {
				panic!(
					"block {n}: the gate kept {:?} to meet the floor {} by block {}; liquidity {liquidity}",
					String::from_utf8_lossy(&promise.tine),
					promise.floor,
					promise.by
				);
			} else if governed {
				self.promise = Some(promise);
			}
		}

		// fork_preview against ForkDecided.
		let decided = one(
			"ForkDecided",
			events.iter().filter(|e| matches!(e, E::ForkDecided { .. })).collect(),
		);
		if let Some(E::ForkDecided { result }) = decided {
			let cut: Vec<(Vec<u8>, Option<i128>)> =
				result.cut.iter().map(|(id, gap)| (id.to_vec(), *gap)).collect();
			assert_eq!(result.turn, p.fork.turn, "block {n}: fork_preview's turn");
			assert_eq!(result.kept.as_ref().map(|k| k.to_vec()), p.fork.kept, "block {n}: kept");
			assert_eq!(cut, p.fork.cut, "block {n}: fork_preview's cut");
			assert_eq!(result.refused, p.fork.refused, "block {n}: fork_preview's refusal");
			self.compared.forks += 1;
			self.compared.forks_kept += u64::from(result.kept.is_some());
			// A tine kept under a readable floor promises it by the end of the next turn.
			self.promise = match (result.kept, p.floor) {
				(Some(tine), Some(floor)) => Some(Promise {
					floor,
					by: n + pallet_emission::TurnLength::<Runtime>::get().max(1),
					tine: tine.into_inner(),
				}),
				_ => None,
			};
			self.compared.promises_made += u64::from(self.promise.is_some());
		}
	}
}

/// Turn the state into the largest one specs 100 and 101 allowed (storage version 2 of the
/// emission pallet): 64 tines (the old `MaxTines`), each with a submission of the open turn and a
/// v1 reading, a last fork record cutting 63 of them, and the epoch queue in its old layout; then
/// run the runtime's migrations with their pre- and post-upgrade checks, and check that every
/// bound holds again.
fn largest_v2_state_then_upgrade() {
	use frame_support::{
		traits::{GetStorageVersion, StorageVersion, TryDecodeEntireStorage},
		BoundedVec,
	};
	use pallet_emission::{
		migrations::{v2::v1::Readings, v3},
		types::{ForkRecord, Tine, TineConfig, TineReading, TurnSubmissions},
	};
	let turn = pallet_emission::CurrentTurn::<Runtime>::get();
	let feeders = pallet_emission::Feeders::<Runtime>::get();
	let name = |i: u32| -> pallet_emission::NameOf<Runtime> {
		BoundedVec::truncate_from(format!("old{i:02}").into_bytes())
	};
	let config = TineConfig {
		fee_bps: 100,
		split: BoundedVec::truncate_from(vec![(
			BoundedVec::truncate_from(b"treasury".to_vec()),
			Perbill::one(),
		)]),
		floor_pull: Perbill::zero(),
		depth_feed: Perbill::from_percent(50),
	};
	let mut i = 0u32;
	while pallet_emission::Tines::<Runtime>::count() < v3::OLD_MAX_TINES {
		let id = name(i);
		i += 1;
		if pallet_emission::Tines::<Runtime>::contains_key(&id) {
			continue;
		}
		pallet_emission::Tines::<Runtime>::insert(
			&id,
			Tine { config: config.clone(), born_at_turn: turn },
		);
		let reading = TineReading {
			reserve_growth_ppm: Some(i64::from(i)),
			depth_stability: Some(Perbill::from_percent(50)),
			floor_held: Some(true),
			retention: Some(Perbill::from_percent(50)),
		};
		if let Some(feeder) = feeders.first() {
			pallet_emission::Submissions::<Runtime>::insert(
				&id,
				TurnSubmissions {
					turn,
					by: BoundedVec::truncate_from(vec![(feeder.clone(), reading)]),
				},
			);
		}
		Readings::<Runtime>::insert(turn, &id, reading);
	}
	let ids: Vec<_> = pallet_emission::Tines::<Runtime>::iter_keys().collect();
	if turn > 0 {
		v3::old::LastFork::<Runtime>::put(ForkRecord {
			turn: turn - 1,
			kept: ids.first().cloned(),
			cut: BoundedVec::truncate_from(
				ids.iter().skip(1).map(|id| (id.clone(), None)).collect(),
			),
			refused: None,
		});
	}
	let queue: Vec<u16> = pallet_emission::EpochQueue::<Runtime>::get()
		.iter()
		.map(|(netuid, _)| *netuid)
		.collect();
	v3::old::EpochQueue::<Runtime>::put(BoundedVec::truncate_from(queue.clone()));
	StorageVersion::new(2).put::<crate::Emission>();
	pallet_emission::IssuanceBase::<Runtime>::kill();

	<crate::Migrations as frame_support::traits::OnRuntimeUpgrade>::try_on_runtime_upgrade(true)
		.unwrap_or_else(|e| panic!("the upgrade from the largest v2 state: {e:?}"));
	assert_eq!(crate::Emission::on_chain_storage_version(), 5);
	let max =
		<<Runtime as pallet_emission::Config>::MaxTines as frame_support::traits::Get<u32>>::get();
	assert_eq!(pallet_emission::Tines::<Runtime>::count(), max);
	assert_eq!(Readings::<Runtime>::iter().count(), 0);
	assert!(
		!pallet_emission::LastFork::<Runtime>::exists() ||
			pallet_emission::LastFork::<Runtime>::get().is_some()
	);
	let counted: Vec<(u16, u32)> = queue.into_iter().map(|n| (n, 1)).collect();
	assert_eq!(pallet_emission::EpochQueue::<Runtime>::get().into_inner(), counted);
	<AllPalletsWithSystem as TryState<u32>>::try_state(System::block_number(), TryStateSelect::All)
		.unwrap_or_else(|e| panic!("try_state after the upgrade: {e:?}"));
	AllPalletsWithSystem::try_decode_entire_state()
		.unwrap_or_else(|e| panic!("the state does not decode after the upgrade: {e:?}"));
}

/// A transfer from `sender` to one of `who`: nothing, one unit, the existential deposit, a random
/// amount, or nearly all of the sender's balance (which reaps its account: the dust is lost).
fn transfer<S: Source>(r: &mut S, who: &[AccountId], sender: &AccountId) -> RuntimeCall {
	let balance = pallet_balances::Pallet::<Runtime>::free_balance(sender);
	let value = match r.below(5) {
		0 => 0,
		1 => 1,
		2 => crate::EXISTENTIAL_DEPOSIT,
		3 => balance.saturating_sub(crate::EXISTENTIAL_DEPOSIT / 2),
		_ => r.amount() % balance.saturating_add(1),
	};
	pallet_balances::Call::transfer_allow_death { dest: r.pick(who).into(), value }.into()
}

/// Apply `call` signed by `sender` through the runtime's transaction extensions (without a
/// signature: the harness is the block author), with its current nonce and `tip`.
fn apply_signed(
	sender: AccountId,
	call: RuntimeCall,
	tip: u128,
) -> sp_runtime::ApplyExtrinsicResultWithInfo<frame_support::dispatch::PostDispatchInfo> {
	use codec::Encode;
	use frame_support::dispatch::GetDispatchInfo;
	use sp_runtime::traits::Applyable;
	let nonce = frame_system::Pallet::<Runtime>::account_nonce(&sender);
	let extension: crate::TxExtension = (
		frame_system::CheckNonZeroSender::<Runtime>::new(),
		frame_system::CheckSpecVersion::<Runtime>::new(),
		frame_system::CheckTxVersion::<Runtime>::new(),
		frame_system::CheckGenesis::<Runtime>::new(),
		frame_system::CheckEra::<Runtime>::from(sp_runtime::generic::Era::Immortal),
		frame_system::CheckNonce::<Runtime>::from(nonce),
		frame_system::CheckWeight::<Runtime>::new(),
		pallet_transaction_payment::ChargeTransactionPayment::<Runtime>::from(tip),
		frame_metadata_hash_extension::CheckMetadataHash::<Runtime>::new(false),
		frame_system::WeightReclaim::<Runtime>::new(),
	);
	let info = call.get_dispatch_info();
	// About what a signed extrinsic of this call weighs in bytes: the call, the extension, an
	// address and a signature.
	let len = call.encoded_size() + extension.encoded_size() + 100;
	let xt: sp_runtime::generic::CheckedExtrinsic<AccountId, RuntimeCall, crate::TxExtension> =
		sp_runtime::generic::CheckedExtrinsic {
			format: sp_runtime::generic::ExtrinsicFormat::Signed(sender, extension),
			function: call,
		};
	xt.apply::<Runtime>(&info, len)
}

/// What fees (tips included) and lost dust took out of Balances' total issuance in the events
/// from index `from` on, read from two sources: the payment and balances pallets' events
/// (`TransactionFeePaid`'s `actual_fee`, `DustLost`), and the emission pallet's recycles of them
/// (`Recycled` with reason `TransactionFees` or `Dust`). Panics when they differ: every unit that
/// leaves Balances is recycled through the emission pallet.
fn fees_and_dust_recycled_since(from: u32) -> u128 {
	use pallet_emission::types::RecycleReason;
	let (mut paid, mut recycled) = (0u128, 0u128);
	for r in System::events().into_iter().skip(from as usize) {
		match r.event {
			RuntimeEvent::TransactionPayment(
				pallet_transaction_payment::Event::TransactionFeePaid { actual_fee, .. },
			) => paid += actual_fee,
			RuntimeEvent::Balances(pallet_balances::Event::DustLost { amount, .. }) =>
				paid += amount,
			RuntimeEvent::Emission(pallet_emission::Event::Recycled {
				reason: RecycleReason::TransactionFees | RecycleReason::Dust,
				amount,
				..
			}) => recycled += amount,
			_ => {},
		}
	}
	assert_eq!(paid, recycled, "fees and dust paid vs recycled by the emission pallet");
	recycled
}

/// How many accounts lost their dust in the events from index `from` on.
fn reaped_since(from: u32) -> u64 {
	System::events()
		.into_iter()
		.skip(from as usize)
		.filter(|r| {
			matches!(r.event, RuntimeEvent::Balances(pallet_balances::Event::DustLost { .. }))
		})
		.count() as u64
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
		// The pallet's record of it (read at its genesis) against the harness's own reading.
		assert_eq!(pallet_emission::IssuanceBase::<Runtime>::get(), genesis);
		let mut checks = Checks::default();
		let mut until_block = 0u64;
		for i in 0..calls {
			if r.exhausted() {
				break;
			}
			// Halfway: back to the largest state specs 100 and 101 allowed, and the upgrade.
			if i == calls / 2 && calls >= 1_000 {
				largest_v2_state_then_upgrade();
				// The v4 migration recomputed the base from the identity: it is still genesis.
				assert_eq!(pallet_emission::IssuanceBase::<Runtime>::get(), genesis);
				assert_conserved(genesis);
			}
			if until_block == 0 {
				// A block of random length: 0 to 7 calls, sometimes a run of empty blocks.
				let blocks = if r.chance(10) { 1 + r.below(12) } else { 1 };
				for _ in 0..blocks {
					let n = System::block_number() + 1;
					let predicted = Predictions::read(n);
					System::reset_events();
					System::set_block_number(n);
					// A new block for `CheckWeight` (the fee-paying calls apply through it).
					frame_system::BlockWeight::<Runtime>::kill();
					frame_system::BlockSize::<Runtime>::kill();
					<AllPalletsWithSystem as OnInitialize<u32>>::on_initialize(n);
					checks.compare(&predicted, n);
					<AllPalletsWithSystem as TryState<u32>>::try_state(n, TryStateSelect::All)
						.unwrap_or_else(|e| panic!("try_state after block {n} (call {i}): {e:?}"));
					assert_conserved(genesis);
					counts.2 += 1;
				}
				until_block = r.below(8);
			}
			until_block = until_block.saturating_sub(1);
			// One call in five pays fees: applied as a signed transaction through the runtime's
			// transaction extensions (nonce, weight, fee and tip charged, the fee burned), by one
			// of the accounts; one in ten is a plain transfer, sometimes of nearly all the
			// sender's balance (its account reaped, the dust lost).
			if r.chance(20) {
				let sender = r.pick(&who);
				let call = if r.chance(50) { transfer(r, &who, &sender) } else { call(r, &who) };
				let tip = r.pick(&[0, 0, 1, crate::MILLI_UNIT, crate::UNIT]);
				let events_before = System::event_count();
				let before = storage_root();
				let description = format!("{call:?}");
				match apply_signed(sender, call, tip) {
					Ok(Ok(_)) => counts.0 += 1,
					Ok(Err(_)) => counts.1 += 1,
					Err(invalid) => {
						counts.1 += 1;
						assert_eq!(
							storage_root(),
							before,
							"invalid transaction {i} changed storage: {description}: {invalid:?}"
						);
					},
				}
				checks.compared.fees_recycled += fees_and_dust_recycled_since(events_before);
				checks.compared.fee_paying += 1;
				checks.compared.reaped += reaped_since(events_before);
				assert_conserved(genesis);
				continue;
			}
			let call = if r.chance(10) { transfer(r, &who, &alice) } else { call(r, &who) };
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
			let events_before = System::event_count();
			let before = storage_root();
			let description = format!("{call:?}");
			// A promise of the floor gate holds while what it was made on stays: the floor, the
			// schedule and the turn's length.
			let voids_promise = matches!(
				call,
				RuntimeCall::Subnets(pallet_subnets::Call::set_floor { .. }) |
					RuntimeCall::Emission(
						pallet_emission::Call::set_emission_schedule { .. } |
							pallet_emission::Call::set_turn_length { .. }
					)
			);
			match call.dispatch(origin) {
				Ok(_) => {
					counts.0 += 1;
					if voids_promise {
						checks.promise = None;
					}
				},
				Err(e) => {
					counts.1 += 1;
					assert_eq!(
						storage_root(),
						before,
						"failed call {i} changed storage: {description}: {e:?}"
					);
				},
			}
			checks.compared.fees_recycled += fees_and_dust_recycled_since(events_before);
			checks.compared.reaped += reaped_since(events_before);
			assert_conserved(genesis);
		}
		// The state after the last call, whether or not a block followed it.
		<AllPalletsWithSystem as TryState<u32>>::try_state(
			System::block_number(),
			TryStateSelect::All,
		)
		.unwrap_or_else(|e| panic!("try_state after the last call: {e:?}"));
		COMPARED.with(|c| *c.borrow_mut() = checks.compared.clone());
	});
	counts
}

std::thread_local! {
	/// What the last [`run`] on this thread compared.
	pub static COMPARED: std::cell::RefCell<Compared> = std::cell::RefCell::new(Compared::default());
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
		.unwrap_or(2);
	let started = std::time::Instant::now();
	let (ok, failed, blocks) =
		run(&mut Rng(seed), calls, crate::testing::ext_from_preset("development"));
	let compared = COMPARED.with(|c| c.borrow().clone());
	println!(
		"harness: {calls} calls ({ok} ok, {failed} failed: storage unchanged, or only the fee charged), {blocks} blocks, seed {seed}, {:.1} s; predictions compared: {compared:?}",
		started.elapsed().as_secs_f64()
	);
	assert!(ok > calls / 10 && failed > calls / 10, "both outcomes must be common");
	// Every block's emission, shares and withholding predictions were compared; closes happen and
	// some of them keep a tine whose floor promise is then checked.
	assert_eq!(compared.scheduled, u64::from(blocks));
	assert!(compared.shares > 0 && compared.per_subnet > 0 && compared.withholding > 0);
	assert!(compared.forks > 0 && compared.promises_kept > 0, "{compared:?}");
	assert!(compared.fee_paying > calls / 10 && compared.reaped > 0, "{compared:?}");
	assert!(compared.fees_recycled > 0, "{compared:?}");
}
