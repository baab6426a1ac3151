//! A mock runtime for the emission pallet's unit tests, with a scripted subnet economy.

#![allow(clippy::arithmetic_side_effects)]

use crate::{
	self as pallet_emission,
	math::floor::FloorReading,
	traits::{FloorSource, RootPropInputs, SubnetEconomy, SubnetInfo},
	types::EpochDividends,
	Balance, NetUid,
};
use core::cell::RefCell;
use frame_support::{derive_impl, parameter_types, PalletId};
use frame_system::EnsureRoot;
use sp_runtime::{BuildStorage, Perquintill};
use std::collections::BTreeMap;

type Block = frame_system::mocking::MockBlock<Test>;

/// The mock's account id: 16 bytes, so that a pallet sub-account keeps 4 bytes of its seed after
/// the 12 of the pallet id and reserve accounts differ (with `u64` all of them would coincide).
pub type AccountId = u128;

#[frame_support::runtime]
mod runtime {
	#[runtime::runtime]
	#[runtime::derive(
		RuntimeCall,
		RuntimeEvent,
		RuntimeError,
		RuntimeOrigin,
		RuntimeFreezeReason,
		RuntimeHoldReason,
		RuntimeSlashReason,
		RuntimeLockId,
		RuntimeTask,
		RuntimeViewFunction
	)]
	pub struct Test;

	#[runtime::pallet_index(0)]
	pub type System = frame_system::Pallet<Test>;

	// The currency first: the emission pallet's genesis reads its total issuance.
	#[runtime::pallet_index(2)]
	pub type Balances = pallet_balances::Pallet<Test>;

	#[runtime::pallet_index(1)]
	pub type Emission = pallet_emission::Pallet<Test>;
}

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
	type AccountId = AccountId;
	type Lookup = sp_runtime::traits::IdentityLookup<AccountId>;
	type AccountData = pallet_balances::AccountData<u128>;
}

#[derive_impl(pallet_balances::config_preludes::TestDefaultConfig)]
impl pallet_balances::Config for Test {
	type Balance = u128;
	type ExistentialDeposit = ExistentialDeposit;
	type AccountStore = System;
	type DustRemoval = pallet_emission::adapters::RecycleDust<Test, Balances>;
}

parameter_types! {
	/// Settable, so that a test can make new reserve accounts impossible to create.
	pub static ExistentialDeposit: u128 = 1;
}

parameter_types! {
	pub const MaxSubnets: u32 = 16;
	pub const MaxValidatorsPerSubnet: u32 = 8;
	pub const MaxEpochsPerBlock: u32 = 2;
	pub const EmissionPalletId: PalletId = PalletId(*b"py/emisn");
	pub const MaxTines: u32 = 4;
	pub const MaxReserves: u32 = 3;
	pub const MaxNameLen: u32 = 16;
	pub const MaxFeeders: u32 = 5;
	pub const BlocksPerYear: u32 = 1_000;
}

thread_local! {
	static FLOOR: RefCell<Option<u128>> = const { RefCell::new(Some(0)) };
	/// The genesis endowments of the externalities in use, as the test wrote them.
	static ENDOWED: RefCell<u128> = const { RefCell::new(0) };
}

/// The floor of the mock: the floor a test set (default 0: always met) against the depth
/// reserve's balance, the protocol-owned liquidity.
pub struct MockFloor;

impl MockFloor {
	/// Set the floor (`None`: unreadable).
	pub fn set(floor: Option<u128>) {
		FLOOR.with(|f| *f.borrow_mut() = floor);
	}
}

impl FloorSource for MockFloor {
	fn read() -> Option<FloorReading> {
		use frame_support::traits::fungible::Inspect;
		let floor = FLOOR.with(|f| *f.borrow())?;
		let liquidity = Balances::balance(&Emission::depth_reserve_account());
		Some(FloorReading { liquidity, floor })
	}
}

impl pallet_emission::Config for Test {
	type AdminOrigin = EnsureRoot<AccountId>;
	type Currency = Balances;
	type Floor = MockFloor;
	type MaxFeeders = MaxFeeders;
	type PalletId = EmissionPalletId;
	type MaxTines = MaxTines;
	type MaxReserves = MaxReserves;
	type MaxNameLen = MaxNameLen;
	type Subnets = MockEconomy;
	type MaxSubnets = MaxSubnets;
	type MaxValidatorsPerSubnet = MaxValidatorsPerSubnet;
	type MaxEpochsPerBlock = MaxEpochsPerBlock;
	type BlocksPerYear = BlocksPerYear;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = MockEconomy;
}

/// What the scripted economy reports and what it was handed.
#[derive(codec::Encode, codec::Decode, Default, Clone, Debug)]
pub struct EconomyState {
	/// The subnets reported.
	pub subnets: Vec<SubnetInfo>,
	/// Stake totals per subnet.
	pub root_prop_inputs: BTreeMap<NetUid, RootPropInputs>,
	/// Epoch dividends per subnet (reported at every epoch of that subnet).
	pub dividends: BTreeMap<NetUid, EpochDividends<AccountId>>,
	/// Block emission handed to each subnet, summed.
	pub emission: BTreeMap<NetUid, Balance>,
	/// How many times block emission was delivered (once per block with emission).
	pub deliveries: u32,
	/// Epoch dividends handed back, in order: `(netuid, dividends, recycled)`.
	pub delivered: Vec<(NetUid, EpochDividends<AccountId>, Balance)>,
	/// Emission each subnet holds and has not paid out: what it was delivered, less the
	/// dividends handed back and the capped root dividends taken out.
	pub pending: BTreeMap<NetUid, Balance>,
	/// Dividends paid out of pending emission: credited to the validators and never claimed (the
	/// mock pays no account), so still in the pending term of the ledger, as the dev economy's
	/// unclaimed dividends are.
	pub paid_out: Balance,
	/// When set, the economy records at most this much per block and hands back the rest.
	pub record_at_most: Option<Balance>,
	/// Each settlement's subnet and the due epochs it covered, in order.
	pub epochs_settled: Vec<(NetUid, u32)>,
	/// Subnet owners (the dev economy has none; the mock's may lower their rates).
	pub owners: BTreeMap<NetUid, AccountId>,
}

/// Where the scripted economy keeps its state: in storage, like a real economy, so that what the
/// hook hands it is rolled back with the rest of a storage transaction (the fork preview runs the
/// next block's hook and rolls it back).
const ECONOMY_KEY: &[u8] = b":mock:economy";

/// The scripted subnet economy of the mock runtime.
pub struct MockEconomy;

impl MockEconomy {
	/// Read the economy's state.
	pub fn state() -> EconomyState {
		frame_support::storage::unhashed::get(ECONOMY_KEY).unwrap_or_default()
	}

	/// Change the economy's state.
	pub fn mutate<R>(f: impl FnOnce(&mut EconomyState) -> R) -> R {
		let mut state = Self::state();
		let out = f(&mut state);
		frame_support::storage::unhashed::put(ECONOMY_KEY, &state);
		out
	}

	/// Report these subnets: `(netuid, base_weight, tempo)`.
	pub fn set_subnets(subnets: &[(NetUid, u64, u16)]) {
		Self::mutate(|e| {
			e.subnets = subnets
				.iter()
				.map(|(netuid, base_weight, tempo)| SubnetInfo {
					netuid: *netuid,
					base_weight: *base_weight,
					tempo: *tempo,
				})
				.collect()
		});
	}

	/// Report these epoch dividends and root stakes for `netuid`: `(validator, amount)` lists.
	pub fn set_epoch(
		netuid: NetUid,
		alpha: &[(AccountId, Balance)],
		root: &[(AccountId, Balance)],
		root_stakes: &[(AccountId, Balance)],
	) {
		Self::mutate(|e| {
			e.dividends.insert(
				netuid,
				EpochDividends {
					alpha: alpha.iter().copied().collect(),
					root: root.iter().copied().collect(),
					root_stakes: root_stakes.iter().copied().collect(),
					validators_read: u32::try_from(
						root_stakes.len().max(alpha.len()).max(root.len()),
					)
					.unwrap(),
				},
			);
		});
	}
}

impl SubnetEconomy<AccountId> for MockEconomy {
	fn subnets() -> Vec<SubnetInfo> {
		Self::state().subnets
	}

	fn subnet_owner(netuid: NetUid) -> Option<AccountId> {
		Self::state().owners.get(&netuid).copied()
	}

	fn root_prop_inputs(netuid: NetUid) -> RootPropInputs {
		Self::state().root_prop_inputs.get(&netuid).copied().unwrap_or_default()
	}

	fn epoch_dividends(netuid: NetUid, _epochs: u32) -> EpochDividends<AccountId> {
		Self::state().dividends.get(&netuid).cloned().unwrap_or_default()
	}

	fn deliver_block_emission(amounts: &BTreeMap<NetUid, Balance>) -> Balance {
		Self::mutate(|e| {
			e.deliveries += 1;
			let mut budget = e.record_at_most.unwrap_or(Balance::MAX);
			let mut lost = 0;
			for (netuid, amount) in amounts {
				let recorded = (*amount).min(budget);
				budget -= recorded;
				lost += amount - recorded;
				*e.emission.entry(*netuid).or_default() += recorded;
				*e.pending.entry(*netuid).or_default() += recorded;
			}
			lost
		})
	}

	fn deliver_epoch_dividends(
		netuid: NetUid,
		epochs: u32,
		dividends: EpochDividends<AccountId>,
		recycle: Balance,
	) -> Balance {
		Self::mutate(|e| {
			let pending = e.pending.entry(netuid).or_default();
			let paid: Balance = dividends.alpha.values().chain(dividends.root.values()).sum();
			let paid = paid.min(*pending);
			*pending -= paid;
			e.paid_out += paid;
			let taken = recycle.min(*pending);
			*pending -= taken;
			e.delivered.push((netuid, dividends, recycle));
			e.epochs_settled.push((netuid, epochs));
			taken
		})
	}

	fn pending_emission_total() -> Balance {
		let state = Self::state();
		state.pending.values().sum::<Balance>() + state.paid_out
	}
}

#[cfg(feature = "runtime-benchmarks")]
impl crate::benchmarking::BenchmarkHelper<AccountId> for MockEconomy {
	fn set_floor(floor: Balance) {
		MockFloor::set(Some(floor));
	}

	fn setup_subnets(subnets: u32, validators: u32) {
		let subnets: Vec<(NetUid, u64, u16)> = (0..u16::try_from(subnets).unwrap())
			.map(|n| (n, 1_000 + u64::from(n), 0))
			.collect();
		Self::set_subnets(&subnets);
		for (netuid, _, _) in subnets {
			// Validator 0 holds nearly all the root stake and is paid nothing: the cap fires.
			let paid: Vec<(AccountId, Balance)> =
				(1..AccountId::from(validators)).map(|i| (i, 1_000)).collect();
			let mut stakes = paid.clone();
			stakes.push((0, 1_000_000_000_000));
			Self::set_epoch(netuid, &paid, &paid, &stakes);
			Self::mutate(|e| {
				// Emission to pay the epoch from, as the chain would hold it.
				e.pending.insert(netuid, 1_000_000_000);
				e.root_prop_inputs.insert(
					netuid,
					RootPropInputs {
						root_stake: 1_000 * Balance::from(validators),
						alpha_stake: 1_000 * Balance::from(validators),
						tao_weight: sp_runtime::Perbill::from_percent(18),
					},
				);
			});
		}
	}
}

/// The mock's oracle feeders at genesis (quorum 1, so one submission is a reading).
pub const FEEDERS: [AccountId; 3] = [101, 102, 103];

/// Builds test externalities with the pallet's genesis settings.
pub struct ExtBuilder {
	genesis: pallet_emission::GenesisConfig<Test>,
	endowments: Vec<(AccountId, Balance)>,
}

impl Default for ExtBuilder {
	fn default() -> Self {
		let genesis = pallet_emission::GenesisConfig::<Test> {
			feeders: FEEDERS.to_vec(),
			reading_quorum: 1,
			..Default::default()
		};
		Self { genesis, endowments: Vec::new() }
	}
}

impl ExtBuilder {
	/// Start from this top-subnet proportion instead of the default.
	pub fn top_subnet_proportion(mut self, proportion: sp_runtime::Permill) -> Self {
		self.genesis.emission_top_subnet_proportion = Some(proportion);
		self
	}

	/// Start with this schedule: `(initial, decay_factor, epoch_length, supply_cap)`.
	pub fn schedule(mut self, schedule: (Balance, Perquintill, u32, Option<Balance>)) -> Self {
		self.genesis.schedule = Some(schedule);
		self
	}

	/// Endow these accounts at genesis (the currency's genesis, built before the pallet's).
	pub fn endowed(mut self, endowments: &[(AccountId, Balance)]) -> Self {
		self.endowments = endowments.to_vec();
		self
	}

	/// The externalities, at block 0, with a fresh scripted economy.
	pub fn build(self) -> sp_io::TestExternalities {
		MockFloor::set(Some(0));
		ExistentialDeposit::set(1);
		ENDOWED.with(|e| *e.borrow_mut() = self.endowments.iter().map(|(_, b)| b).sum());
		let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
		pallet_balances::GenesisConfig::<Test> { balances: self.endowments, ..Default::default() }
			.assimilate_storage(&mut storage)
			.unwrap();
		self.genesis.assimilate_storage(&mut storage).unwrap();
		storage.into()
	}

	/// Run `test` at block 1 (events are not stored at block 0), then check the invariants.
	pub fn build_and_execute(self, test: impl FnOnce()) {
		self.build().execute_with(|| {
			System::set_block_number(1);
			test();
			Emission::do_try_state().unwrap();
			assert_conserved();
		});
	}
}

/// Default externalities, used by the benchmark test suite.
#[cfg(feature = "runtime-benchmarks")]
pub fn new_test_ext() -> sp_io::TestExternalities {
	ExtBuilder::default().build()
}

/// Run `on_initialize` of every pallet up to block `n`.
pub fn run_to_block(n: u64) {
	System::run_to_block::<AllPalletsWithSystem>(n);
}

/// Conservation against Balances, from the mock's own records (not the pallet's
/// `IssuanceBase`): the genesis endowments the test wrote plus everything the pallet issued is in
/// an account, recycled, pending in the economy, paid out by the economy (credited, never minted)
/// or carried for a reserve.
pub fn assert_conserved() {
	let state = MockEconomy::state();
	let pending: Balance = state.pending.values().sum();
	let endowed = ENDOWED.with(|e| *e.borrow());
	assert_eq!(
		Balances::total_issuance() +
			pallet_emission::TotalRecycled::<Test>::get() +
			pending + Emission::carried_total() +
			state.paid_out,
		endowed + pallet_emission::TotalIssued::<Test>::get(),
		"conservation: endowed + issued = in accounts + recycled + pending + carried + paid"
	);
}
