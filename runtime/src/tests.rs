//! Native tests of the runtime: genesis presets and the emission pallet's wiring.

use crate::{
	genesis_config_presets::{self, ENDOWMENT},
	testing::{assert_conserved, ext_from_preset},
	Balances, Emission, Runtime, RuntimeCall, RuntimeOrigin, Sudo, System,
};
use frame_support::{assert_noop, assert_ok};
use sp_keyring::Sr25519Keyring;
use sp_runtime::{traits::Dispatchable, DispatchError, Permill};

#[test]
fn presets_are_listed_and_unknown_names_yield_none() {
	let names: Vec<String> = genesis_config_presets::preset_names()
		.into_iter()
		.map(|p| AsRef::<str>::as_ref(&p).to_string())
		.collect();
	assert_eq!(names, ["development", "local_testnet", "local_testnet_four"]);
	assert!(genesis_config_presets::get_preset(&"no-such-preset".into()).is_none());
}

#[test]
fn development_preset_has_alice_as_only_authority_and_sudo() {
	ext_from_preset("development").execute_with(|| {
		let alice = Sr25519Keyring::Alice.to_account_id();
		assert_eq!(pallet_aura::Authorities::<Runtime>::get().len(), 1);
		assert_eq!(pallet_grandpa::Pallet::<Runtime>::grandpa_authorities().len(), 1);
		assert_eq!(pallet_sudo::Key::<Runtime>::get(), Some(alice.clone()));
		assert_eq!(Balances::free_balance(&alice), ENDOWMENT);
		assert_eq!(Balances::free_balance(Sr25519Keyring::Ferdie.to_account_id()), ENDOWMENT);
		assert_eq!(Emission::emission_top_subnet_proportion(), Permill::one());
	});
}

#[test]
fn local_testnet_preset_has_alice_and_bob_as_authorities() {
	ext_from_preset("local_testnet").execute_with(|| {
		assert_eq!(pallet_aura::Authorities::<Runtime>::get().len(), 2);
		assert_eq!(pallet_grandpa::Pallet::<Runtime>::grandpa_authorities().len(), 2);
	});
}

#[test]
fn local_testnet_four_preset_has_four_authorities_in_keyring_order() {
	use sp_keyring::Ed25519Keyring;
	ext_from_preset("local_testnet_four").execute_with(|| {
		let aura: Vec<_> = pallet_aura::Authorities::<Runtime>::get().into_inner();
		let expected_aura: Vec<sp_consensus_aura::sr25519::AuthorityId> = [
			Sr25519Keyring::Alice,
			Sr25519Keyring::Bob,
			Sr25519Keyring::Charlie,
			Sr25519Keyring::Dave,
		]
		.iter()
		.map(|k| k.public().into())
		.collect();
		assert_eq!(aura, expected_aura);
		let grandpa = pallet_grandpa::Pallet::<Runtime>::grandpa_authorities();
		let expected_grandpa: Vec<(sp_consensus_grandpa::AuthorityId, u64)> = [
			Ed25519Keyring::Alice,
			Ed25519Keyring::Bob,
			Ed25519Keyring::Charlie,
			Ed25519Keyring::Dave,
		]
		.iter()
		.map(|k| (k.public().into(), 1))
		.collect();
		assert_eq!(grandpa, expected_grandpa);
		assert_eq!(pallet_sudo::Key::<Runtime>::get(), Some(Sr25519Keyring::Alice.to_account_id()));
	});
}

#[test]
fn sudo_sets_the_top_subnet_proportion_and_signed_bob_cannot() {
	ext_from_preset("development").execute_with(|| {
		let alice = Sr25519Keyring::Alice.to_account_id();
		let bob = Sr25519Keyring::Bob.to_account_id();
		let call =
			RuntimeCall::Emission(pallet_emission::Call::set_emission_top_subnet_proportion {
				proportion: Permill::from_percent(50),
			});

		assert_noop!(call.clone().dispatch(RuntimeOrigin::signed(bob)), DispatchError::BadOrigin);
		assert_ok!(Sudo::sudo(RuntimeOrigin::signed(alice), Box::new(call)));
		assert_eq!(Emission::emission_top_subnet_proportion(), Permill::from_percent(50));
		System::assert_has_event(
			pallet_emission::Event::EmissionTopSubnetProportionSet {
				old: Permill::one(),
				new: Permill::from_percent(50),
			}
			.into(),
		);
	});
}

/// Run `on_initialize` of every pallet for each block up to `n`. No `on_finalize`: these
/// blocks have no timestamp inherent, which `pallet-timestamp` would insist on.
fn run_to_block(n: u32) {
	use frame_support::traits::OnInitialize;
	while System::block_number() < n {
		let next = System::block_number() + 1;
		System::set_block_number(next);
		<crate::AllPalletsWithSystem as OnInitialize<u32>>::on_initialize(next);
	}
}

#[test]
fn dev_economy_conserves_emission_and_pays_dividends() {
	ext_from_preset("development").execute_with(|| {
		let issuance = Balances::total_issuance();
		run_to_block(20);
		let issued = pallet_emission::TotalIssued::<Runtime>::get();
		// 1 UNIT per block for blocks 2..=20 (block 1 was initialized by the test setup).
		assert_eq!(issued, 19 * crate::UNIT);
		let recycled = pallet_emission::TotalRecycled::<Runtime>::get();
		// Still pending + credited to validators + recycled = issued (nothing minted yet).
		let pending: u128 = pallet_subnets::PendingEmission::<Runtime>::get().values().sum();
		let unclaimed = pallet_subnets::UnclaimedTotal::<Runtime>::get();
		assert!(pending > 0 && unclaimed > 0);
		assert_eq!(Balances::total_issuance() - issuance, 0);
		assert_eq!(pending + unclaimed + recycled, issued);
		assert_conserved(issuance);
		// Subnet 1 (tempo 4) settled epochs at full utilization and credited Alice; she claims.
		let record = pallet_emission::LastEpoch::<Runtime>::get(1).expect("subnet 1 settled");
		assert!(!record.capped);
		let alice = Sr25519Keyring::Alice.to_account_id();
		let owed = pallet_subnets::Pallet::<Runtime>::unclaimed(1, &alice);
		assert!(owed.tao > 0);
		assert_ok!(crate::Subnets::claim_dividends(RuntimeOrigin::signed(alice.clone()), 1));
		assert_eq!(Balances::free_balance(&alice), ENDOWMENT + owed.tao);
		assert_eq!(pallet_subnets::UnclaimedTotal::<Runtime>::get(), unclaimed - owed.tao);
		assert_conserved(issuance);
		#[cfg(feature = "try-runtime")]
		{
			Emission::do_try_state().unwrap();
			pallet_subnets::Pallet::<Runtime>::do_try_state().unwrap();
		}
	});
}

#[test]
fn dev_economy_hard_cap_fires_when_the_main_root_validator_stops() {
	ext_from_preset("development").execute_with(|| {
		let genesis = Balances::total_issuance();
		let charlie = Sr25519Keyring::Charlie.to_account_id();
		assert_ok!(pallet_subnets::Pallet::<Runtime>::set_validating(
			RuntimeOrigin::root(),
			2,
			charlie.clone(),
			false
		));
		run_to_block(11);
		let alpha_recycled = pallet_subnets::AlphaRecycled::<Runtime>::get();
		run_to_block(12);
		let record = pallet_emission::LastEpoch::<Runtime>::get(2).expect("subnet 2 settled");
		assert!(record.capped);
		// Every root dividend recycled: the pending-emission part by the emission pallet, the
		// alpha part by the dev economy.
		assert!(record.recycled > 0);
		assert_eq!(
			record.recycled + pallet_subnets::AlphaRecycled::<Runtime>::get() - alpha_recycled,
			record.root_dividends
		);
		assert_eq!(pallet_emission::EffectiveRootProp::<Runtime>::get(2), Some(Default::default()));
		// Subnet 1 is unaffected.
		assert!(!pallet_emission::LastEpoch::<Runtime>::get(1).expect("subnet 1 settled").capped);
		// Charlie earned nothing on subnet 2.
		assert_eq!(Balances::free_balance(&charlie), ENDOWMENT);
		assert_conserved(genesis);
	});
}

#[test]
fn removing_a_subnet_with_pending_emission_recycles_it_and_conserves() {
	ext_from_preset("development").execute_with(|| {
		let genesis = Balances::total_issuance();
		run_to_block(7);
		let pending = pallet_subnets::Pallet::<Runtime>::pending_emission(3);
		assert!(pending > 0, "subnet 3 holds pending emission");
		assert_ok!(pallet_subnets::Pallet::<Runtime>::remove_subnet(RuntimeOrigin::root(), 3));
		// Before the fix the pending entry vanished: issued exceeded minted + pending + recycled.
		assert_eq!(pallet_emission::TotalRecycled::<Runtime>::get() >= pending, true);
		assert_conserved(genesis);
		run_to_block(14);
		assert_conserved(genesis);
		#[cfg(feature = "try-runtime")]
		Emission::do_try_state().unwrap();
	});
}

#[test]
fn capped_root_dividends_leave_the_pool_at_the_capped_epoch() {
	ext_from_preset("development").execute_with(|| {
		let genesis = Balances::total_issuance();
		let charlie = Sr25519Keyring::Charlie.to_account_id();
		assert_ok!(pallet_subnets::Pallet::<Runtime>::set_validating(
			RuntimeOrigin::root(),
			2,
			charlie,
			false
		));
		// Subnet 2's epochs: blocks 2, 7, 12 (`(block + 3) % 5 == 0`); 12 settles alone.
		run_to_block(11);
		let alpha_recycled = pallet_subnets::AlphaRecycled::<Runtime>::get();
		run_to_block(12);
		let record = pallet_emission::LastEpoch::<Runtime>::get(2).expect("settled");
		assert_eq!(record.block, 12);
		assert!(record.capped && record.root_dividends > 0);
		// Before the fix the capped root dividends stayed pending for the next epoch to pay out
		// pro rata, root stake included. Now only the division dust (under one unit per
		// validator) is left.
		assert!(pallet_subnets::Pallet::<Runtime>::pending_emission(2) < 10);
		assert_eq!(
			record.recycled + pallet_subnets::AlphaRecycled::<Runtime>::get() - alpha_recycled,
			record.root_dividends
		);
		assert_conserved(genesis);
	});
}

#[test]
fn a_subnet_at_erp_zero_under_scaling_recovers_when_its_validator_validates_again() {
	ext_from_preset("development").execute_with(|| {
		let genesis = Balances::total_issuance();
		let eve = Sr25519Keyring::Eve.to_account_id();
		assert_ok!(Emission::set_effective_root_prop_emission_scaling(RuntimeOrigin::root(), true));
		// Subnet 3's only validator stops: its epochs pay nobody, its ERP falls to 0, and with ERP
		// scaling it gets no share of the block emission.
		assert_ok!(pallet_subnets::Pallet::<Runtime>::set_validating(
			RuntimeOrigin::root(),
			3,
			eve.clone(),
			false
		));
		// Subnet 3's epochs: `(block + 4) % 5 == 0`: blocks 6, 11, 16, 21, 26.
		run_to_block(11);
		assert_eq!(pallet_emission::EffectiveRootProp::<Runtime>::get(3), Some(Default::default()));
		run_to_block(14);
		let pending = pallet_subnets::Pallet::<Runtime>::pending_emission(3);
		run_to_block(15);
		assert_eq!(
			pallet_subnets::Pallet::<Runtime>::pending_emission(3),
			pending,
			"no share at ERP 0"
		);
		// Eve validates again. Before the fix the next epoch had no dividends (its only pool was
		// the emission it no longer received), so ERP stayed 0 for ever; now the subnet's own alpha
		// emission pays her, utilization is 1, and ERP and the share come back.
		assert_ok!(pallet_subnets::Pallet::<Runtime>::set_validating(
			RuntimeOrigin::root(),
			3,
			eve,
			true
		));
		run_to_block(16);
		let record = pallet_emission::LastEpoch::<Runtime>::get(3).expect("settled");
		assert_eq!(record.block, 16);
		assert!(!record.capped && record.root_dividends > 0);
		assert!(record.effective_root_prop.to_bits() > 0);
		let before = pallet_subnets::Pallet::<Runtime>::pending_emission(3);
		run_to_block(17);
		assert!(pallet_subnets::Pallet::<Runtime>::pending_emission(3) > before, "a share again");
		assert_conserved(genesis);
	});
}

/// A chain that ran the usual scenario (epochs, a hard cap, the filters, forks) on the v0 layout
/// upgrades with every check: each migration's pre- and post-upgrade checks, the whole state
/// decoding, `try_state` of every pallet; a second run changes nothing; the weight fits a block.
#[cfg(feature = "try-runtime")]
#[test]
fn a_v0_chain_upgrades_with_every_check_and_a_second_run_changes_nothing() {
	use crate::Executive;
	use frame_support::traits::{GetStorageVersion, StorageVersion};
	use frame_try_runtime::UpgradeCheckSelect;
	use pallet_emission::migrations::v1::v0;
	use sp_runtime::Perbill;

	ext_from_preset("development").execute_with(|| {
		let genesis = Balances::total_issuance();
		let root = RuntimeOrigin::root;
		let charlie = Sr25519Keyring::Charlie.to_account_id();
		// The hard cap: Charlie, subnet 2's root validator, stops validating.
		assert_ok!(pallet_subnets::Pallet::<Runtime>::set_validating(root(), 2, charlie, false));
		// The filters.
		assert_ok!(Emission::set_effective_root_prop_emission_scaling(root(), true));
		assert_ok!(Emission::set_emission_top_subnet_proportion(root(), Permill::from_percent(66)));
		assert_ok!(Emission::set_emission_top_subnet_absolute_limit(root(), Some(2)));
		// Two tines, measured every turn of 50 blocks; the floor holds.
		assert_ok!(pallet_subnets::Pallet::<Runtime>::set_floor(root(), Some(0)));
		assert_ok!(Emission::set_turn_length(root(), 50));
		let half = Some(Perbill::from_percent(50));
		let (w_depth, w_retention) =
			(Some(Perbill::from_percent(30)), Some(Perbill::from_percent(20)));
		assert_ok!(Emission::set_measure_weights(root(), half, w_depth, w_retention));
		for (id, fee) in [(&b"steady"[..], 100), (b"bold", 900)] {
			let split = vec![(b"treasury".to_vec(), Perbill::one())];
			let p = Perbill::from_percent(10);
			assert_ok!(Emission::propose_tine(root(), id.to_vec(), fee, split, p, p));
		}
		let feeders = pallet_emission::Feeders::<Runtime>::get();
		assert_eq!(feeders.len(), 3, "the dev preset's feeders");
		for block in 2..=300u32 {
			run_to_block(block);
			let turn = pallet_emission::CurrentTurn::<Runtime>::get();
			for (id, growth) in [(&b"steady"[..], 10), (b"bold", i64::from(block % 7) * 5)] {
				// Readings of the open turn from a quorum of the dev feeders; a tine the fork cut
				// is gone (its reading fails).
				for feeder in &feeders[..2] {
					let _ = Emission::submit_reading(
						RuntimeOrigin::signed(feeder.clone()),
						turn,
						id.to_vec(),
						Some(growth),
						half,
						Some(true),
						half,
					);
				}
			}
		}
		assert!(pallet_emission::LastEpoch::<Runtime>::get(2).is_some_and(|r| r.capped));
		assert!(pallet_emission::LastFork::<Runtime>::get().is_some());
		assert!(
			pallet_emission::ActiveTine::<Runtime>::get().is_some(),
			"{:?}",
			pallet_emission::LastFork::<Runtime>::get()
		);
		assert_conserved(genesis);

		// Back to the v0 layout: the schedule with its `Perbill` factor, both pallets at version 0.
		let schedule = pallet_emission::Schedule::<Runtime>::get().expect("the dev schedule");
		v0::Schedule::<Runtime>::put(v0::EmissionSchedule {
			initial: schedule.initial,
			decay_factor: Perbill::from_percent(99),
			epoch_length: schedule.epoch_length,
			supply_cap: schedule.supply_cap,
		});
		// And v1's readings: one per tine of the open turn, from one origin, no feeders.
		let turn = pallet_emission::CurrentTurn::<Runtime>::get();
		let old_readings = pallet_emission::Tines::<Runtime>::iter_keys().count();
		assert!(old_readings > 0);
		for id in pallet_emission::Tines::<Runtime>::iter_keys() {
			let reading = pallet_emission::types::TineReading {
				reserve_growth_ppm: Some(10),
				..Default::default()
			};
			pallet_emission::migrations::v2::v1::Readings::<Runtime>::insert(turn, id, reading);
		}
		let _ = pallet_emission::Submissions::<Runtime>::clear(u32::MAX, None);
		pallet_emission::Feeders::<Runtime>::kill();
		pallet_emission::ReadingQuorum::<Runtime>::kill();
		// And v2's epoch queue: the netuids alone.
		let queued: Vec<u16> =
			pallet_emission::EpochQueue::<Runtime>::get().iter().map(|(n, _)| *n).collect();
		pallet_emission::migrations::v3::old::EpochQueue::<Runtime>::put(
			frame_support::BoundedVec::truncate_from(queued.clone()),
		);
		StorageVersion::new(0).put::<Emission>();
		StorageVersion::new(0).put::<pallet_subnets::Pallet<Runtime>>();
		// v0 had no issuance base.
		pallet_emission::IssuanceBase::<Runtime>::kill();

		let weight = Executive::try_runtime_upgrade(UpgradeCheckSelect::All).expect("upgrade");
		// v3 → v4: the base from the identity, here the genesis issuance (nothing left Balances
		// unrecorded in this test: no fees are paid).
		assert_eq!(pallet_emission::IssuanceBase::<Runtime>::get(), genesis);
		assert_eq!(pallet_emission::Schedule::<Runtime>::get(), Some(schedule));
		assert_eq!(Emission::on_chain_storage_version(), 5);
		// v2 → v3: each waiting subnet keeps its place with one due epoch.
		let counted: Vec<(u16, u32)> = queued.into_iter().map(|n| (n, 1)).collect();
		assert_eq!(pallet_emission::EpochQueue::<Runtime>::get().into_inner(), counted);
		assert_eq!(pallet_subnets::Pallet::<Runtime>::on_chain_storage_version(), 1);
		// v1 → v2: the readings gone, the dev feeders and their quorum set.
		assert_eq!(pallet_emission::migrations::v2::v1::Readings::<Runtime>::iter().count(), 0);
		let (feeders, quorum) =
			<crate::configs::DevFeeders as frame_support::traits::Get<_>>::get();
		let mut feeders = feeders;
		feeders.sort();
		assert_eq!(pallet_emission::Feeders::<Runtime>::get().to_vec(), feeders);
		assert_eq!(pallet_emission::ReadingQuorum::<Runtime>::get(), quorum);
		let max = <Runtime as frame_system::Config>::BlockWeights::get().max_block;
		assert!(weight.all_lte(max), "{weight:?} exceeds a block");
		assert_conserved(genesis);

		// Idempotent: a second run leaves every byte as it was.
		let before = sp_io::storage::root(sp_runtime::StateVersion::V1);
		Executive::try_runtime_upgrade(UpgradeCheckSelect::All).expect("second upgrade");
		assert_eq!(sp_io::storage::root(sp_runtime::StateVersion::V1), before);

		// The chain goes on: the same emission as before the upgrade.
		let issued = pallet_emission::TotalIssued::<Runtime>::get();
		run_to_block(301);
		assert_eq!(pallet_emission::TotalIssued::<Runtime>::get(), issued + crate::UNIT);
		assert_conserved(genesis);
	});
}

/// Epochs on time at Bittensor's pace and this runtime's maxima: 1,024 subnets with a 360-block
/// tempo (an epoch every 361 blocks), 256 validators each, Subtensor's netuid offsets (subnet `n`
/// is due when `(block + n + 1) % 361 == 0`: two or three subnets every block, 2.84 on average).
/// Over two full tempos and more, every epoch due settles at most one block after it is due (with
/// `MaxEpochsPerBlock` = 3: in the block it is due), none is skipped, and emission is conserved
/// after every block.
#[test]
fn epochs_settle_on_time_at_the_maxima() {
	use pallet_subnets::{SubnetDetails, SubnetTable, ValidatorDetails, Validators};
	const TEMPO: u16 = 360;
	let period = u32::from(TEMPO) + 1;
	let subnets = crate::configs::MaxSubnets::get();
	let per_subnet = crate::configs::MaxValidatorsPerSubnet::get();
	let netuids: Vec<u16> = (0..subnets).map(|n| u16::try_from(n).unwrap()).collect();
	// The block of subnet `netuid`'s latest due epoch at or before `block`.
	let due_at_or_before = |netuid: u16, block: u32| -> u32 {
		let offset = (block + u32::from(netuid) + 1) % period;
		block - offset
	};
	ext_from_preset("development").execute_with(|| {
		let issuance = Balances::total_issuance();
		let _ = Validators::<Runtime>::clear(u32::MAX, None);
		let mut table = SubnetTable::<Runtime>::default();
		for &netuid in &netuids {
			let details = SubnetDetails {
				tempo: TEMPO,
				base_weight: 1_000 + u64::from(netuid % 97),
				validators: per_subnet,
			};
			table.try_insert(netuid, details).unwrap();
			for i in 0..per_subnet {
				let mut raw = [0u8; 32];
				raw[..2].copy_from_slice(&netuid.to_le_bytes());
				raw[2..6].copy_from_slice(&i.to_le_bytes());
				// One subnet in seven: its largest root holder does not validate, so utilization
				// falls below 1/2 and the hard cap fires (its epochs cost the same).
				let idle = netuid % 7 == 0 && i == 0;
				let details = ValidatorDetails {
					root_stake: if idle { 10_000 * crate::UNIT } else { crate::UNIT },
					alpha_stake: crate::UNIT / 2,
					validating: !idle,
				};
				Validators::<Runtime>::insert(netuid, crate::AccountId::from(raw), details);
			}
		}
		pallet_subnets::Subnets::<Runtime>::put(table);

		let start = System::block_number() + 1;
		let end = start + 2 * period + 2;
		let mut settled = vec![0u32; netuids.len()];
		let mut worst_lateness = 0;
		let mut most_in_a_block = 0;
		for n in start..=end {
			System::reset_events();
			System::set_block_number(n);
			<crate::AllPalletsWithSystem as frame_support::traits::OnInitialize<u32>>::on_initialize(n);
			let mut in_block = 0;
			for record in System::read_events_no_consensus() {
				if let crate::RuntimeEvent::Emission(pallet_emission::Event::EpochSettled {
					netuid,
					..
				}) = record.event
				{
					let lateness = n - due_at_or_before(netuid, n);
					assert!(lateness <= 1, "subnet {netuid} settled {lateness} blocks late at {n}");
					worst_lateness = worst_lateness.max(lateness);
					settled[usize::from(netuid)] += 1;
					in_block += 1;
				}
			}
			most_in_a_block = most_in_a_block.max(in_block);
			assert_conserved(issuance);
		}
		// Every epoch due in [start, end − 1] settled (one due in `end` may settle a block later).
		for &netuid in &netuids {
			let due = (start..end)
				.filter(|b| (b + u32::from(netuid) + 1) % period == 0)
				.count();
			let got = usize::try_from(settled[usize::from(netuid)]).unwrap();
			assert!(got == due || got == due + 1, "subnet {netuid}: {got} epochs settled, {due} due");
		}
		assert!(most_in_a_block <= crate::configs::MaxEpochsPerBlock::get());
		println!(
			"{} blocks, {} epochs settled, at most {most_in_a_block} in a block, latest {worst_lateness} block(s) after due",
			end - start + 1,
			settled.iter().sum::<u32>()
		);
		#[cfg(feature = "try-runtime")]
		{
			Emission::do_try_state().unwrap();
			pallet_subnets::Pallet::<Runtime>::do_try_state().unwrap();
		}
	});
}

/// The performance targets at this runtime's maxima, from the benchmarked weights (the figures in
/// PERFORMANCE.md): `cargo test -p emission-runtime performance -- --nocapture` prints them.
#[test]
fn performance_targets_hold_at_the_maxima() {
	use frame_support::weights::Weight;
	use pallet_emission::WeightInfo as _;
	type W = pallet_emission::weights::SubstrateWeight<Runtime>;
	let max_block = <Runtime as frame_system::Config>::BlockWeights::get().max_block;
	let subnets = crate::configs::MaxSubnets::get();
	let validators = crate::configs::MaxValidatorsPerSubnet::get();
	let tines = crate::configs::MaxTines::get();
	let epochs = crate::configs::MaxEpochsPerBlock::get();
	// Integers only: µs with three decimals (ref time is in picoseconds), the share of the block
	// in thousandths of a percent.
	let show = |name: &str, w: Weight| {
		let ns = w.ref_time() / 1_000;
		let milli_percent = u128::from(w.ref_time()) * 100_000 / u128::from(max_block.ref_time());
		println!(
			"{name:<52} {:>7}.{:03} µs {:>3}.{:03} % {:>9} B",
			ns / 1_000,
			ns % 1_000,
			milli_percent / 1_000,
			milli_percent % 1_000,
			w.proof_size()
		);
	};
	show(&format!("distribute_block_emission({subnets})"), W::distribute_block_emission(subnets));
	show("schedule_exact()", W::schedule_exact());
	show(&format!("epoch_queue({subnets})"), W::epoch_queue(subnets));
	show("epoch_queue(0)", W::epoch_queue(0));
	show(&format!("settle_epoch({validators})"), W::settle_epoch(validators));
	show("turn_check()", W::turn_check());
	show(&format!("close_turn({tines})"), W::close_turn(tines));
	show(
		&format!("close_turn({tines}) with the gate's two exact comparisons"),
		Emission::close_turn_weight(tines),
	);
	let steady = Emission::steady_state_tick_weight();
	let worst = Emission::worst_case_tick_weight();
	show("steady-state block", steady);
	show(&format!("worst block ({epochs} epochs of {validators}, fork over {tines})"), worst);
	assert_eq!(
		steady,
		W::distribute_block_emission(subnets)
			.saturating_add(W::schedule_exact())
			.saturating_add(W::epoch_queue(0))
			.saturating_add(W::turn_check())
	);
	assert!(steady.ref_time() <= max_block.ref_time() / 100, "steady state above 1 %");
	assert!(worst.ref_time() <= max_block.ref_time() / 20, "worst block above 5 %");
}

/// Call the emission pallet's view function `V` as a client does: by id, with SCALE-encoded
/// arguments, through the runtime's `RuntimeViewFunction` entry point.
fn call_view<V, R>(args: V) -> R
where
	V: frame_support::view_functions::ViewFunction + codec::Encode,
	R: codec::Decode,
{
	let out = Runtime::execute_view_function(V::id(), args.encode()).expect("view function runs");
	R::decode(&mut &out[..]).expect("view function output decodes")
}

#[test]
fn the_view_functions_and_the_runtime_api_give_the_same_answers() {
	use frame_support::view_functions::ViewFunction;
	use pallet_emission::types;
	use pallet_emission_runtime_api::runtime_decl_for_emission_api::EmissionApi;
	ext_from_preset("development").execute_with(|| {
		let issuance = Balances::total_issuance();
		run_to_block(6);
		assert_ok!(Emission::set_emission_top_subnet_proportion(
			RuntimeOrigin::root(),
			Permill::from_percent(50)
		));

		let preview: types::ShareStages =
			call_view(pallet_emission::PreviewSharesViewFunction::<Runtime>::new());
		assert_eq!(preview, <Runtime as EmissionApi<crate::Block>>::preview_shares());
		assert_eq!(preview.block_emission, crate::UNIT, "the dev schedule: 1 UNIT per block");
		// Three dev subnets, the top half kept: two are paid, their amounts and the recycled
		// rest make the block's emission.
		assert_eq!(preview.amounts.iter().filter(|(_, a)| *a > 0).count(), 2);
		let paid: u128 = preview.amounts.iter().map(|(_, a)| a).sum();
		assert_eq!(paid + preview.recycled + preview.withheld, preview.block_emission);

		let off = types::CounterfactualSettings {
			subnet_rates: false,
			erp_scaling: false,
			top_proportion: Permill::one(),
			absolute_limit: None,
			hard_cap: false,
		};
		let counterfactual: types::ShareStages =
			call_view(pallet_emission::CounterfactualSharesViewFunction::<Runtime>::new(off));
		assert_eq!(
			counterfactual,
			<Runtime as EmissionApi<crate::Block>>::counterfactual_shares(off)
		);
		assert_eq!(counterfactual.amounts.iter().filter(|(_, a)| *a > 0).count(), 3);

		let withholding: types::Withholding =
			call_view(pallet_emission::ActiveWithholdingViewFunction::<Runtime>::new());
		assert_eq!(withholding, <Runtime as EmissionApi<crate::Block>>::active_withholding());
		assert_eq!(withholding.tine, None);
		assert_eq!(withholding.withheld, 0);

		let fork: types::ForkPreview =
			call_view(pallet_emission::ForkPreviewViewFunction::<Runtime>::new());
		assert_eq!(fork, <Runtime as EmissionApi<crate::Block>>::fork_preview());
		assert_eq!(fork.refused, Some(types::ForkRefusal::NoMeasurableTine));

		let epoch: Option<types::EpochRecord<u32>> =
			call_view(pallet_emission::LastEpochViewFunction::<Runtime>::new(1));
		assert_eq!(epoch, pallet_emission::LastEpoch::<Runtime>::get(1));
		assert!(epoch.is_some(), "subnet 1 (tempo 4) settled by block 6");
		let scheduled: u128 =
			call_view(pallet_emission::ScheduledEmissionViewFunction::<Runtime>::new(7));
		assert_eq!(scheduled, crate::UNIT);
		let proportion: Permill =
			call_view(pallet_emission::EmissionTopSubnetProportionViewFunction::<Runtime>::new());
		assert_eq!(proportion, Permill::from_percent(50));

		// An unknown id is an error, not a panic.
		let mut bad = pallet_emission::ForkPreviewViewFunction::<Runtime>::id();
		bad.suffix = [0xff; 16];
		assert!(Runtime::execute_view_function(bad, Vec::new()).is_err());
		assert_conserved(issuance);
	});
}
