#![doc = include_str!("../README.md")]
#![cfg_attr(not(feature = "std"), no_std)]
#![deny(missing_docs)]
#![deny(
	clippy::arithmetic_side_effects,
	clippy::indexing_slicing,
	clippy::float_arithmetic,
	clippy::unwrap_used,
	clippy::expect_used,
	clippy::cast_possible_truncation,
	clippy::cast_possible_wrap,
	clippy::cast_sign_loss
)]

extern crate alloc;

pub use pallet::*;
pub use weights::WeightInfo;

pub mod adapters;
mod impls;
pub mod math;
pub mod migrations;
pub mod traits;
pub mod types;
pub mod weights;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
#[cfg(feature = "runtime-benchmarks")]
pub use benchmarking::BenchmarkHelper;
#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;

pub use math::{Balance, NetUid};

// The FRAME macros expand to `expect` calls and `as` casts on the `#[pallet::*]` lines; the
// module's own code is thin (each call and hook delegates to the hand-written modules, which the
// crate-level lints cover).
#[allow(
	clippy::unwrap_used,
	clippy::expect_used,
	clippy::cast_possible_truncation,
	clippy::cast_possible_wrap,
	clippy::cast_sign_loss
)]
#[frame_support::pallet]
pub mod pallet {
	use super::{
		math,
		traits::{FloorSource, SubnetEconomy},
		types::{
			CounterfactualSettings, EmissionSchedule, EpochRecord, ForkPreview, ForkRecord,
			RecycleReason, ShareStages, SupplyProjection, Tine, TineMeasureWeights, TineReading,
			TurnSubmissions, Withholding,
		},
		Balance, NetUid, WeightInfo,
	};
	use alloc::vec::Vec;
	use frame_support::{
		pallet_prelude::*,
		traits::fungible::{Inspect, Mutate},
		PalletId,
	};
	use frame_system::pallet_prelude::*;
	use sp_runtime::{Perbill, Permill, Perquintill};
	use substrate_fixed::types::U96F32;

	/// The in-code storage version.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(5);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// Configuration of the emission pallet.
	#[pallet::config]
	pub trait Config: frame_system::Config {
		/// The origin allowed to change the emission settings (Root in the dev runtime).
		type AdminOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// The chain's subnets: who is eligible, their dividends, where emission goes.
		type Subnets: SubnetEconomy<Self::AccountId>;

		/// The most subnets the pallet reads in one block; bounds the hook's work.
		#[pallet::constant]
		type MaxSubnets: Get<u32>;

		/// The most validators per subnet epoch the pallet reads; bounds the hook's work.
		#[pallet::constant]
		type MaxValidatorsPerSubnet: Get<u32>;

		/// The most subnet epochs settled in one block. Epochs due beyond it wait in
		/// [`EpochQueue`] (first due, first settled), so that the worst block is a constant, not a
		/// function of the number of subnets.
		#[pallet::constant]
		type MaxEpochsPerBlock: Get<u32>;

		/// The native currency: withheld emission is minted into the reserve accounts.
		///
		/// Every change of its total issuance goes through this pallet: its emission (minted
		/// into the reserves, or by the economy when dividends are paid), and whatever leaves it
		/// (transaction fees, reaped accounts' dust) through the recycling handlers of
		/// [`crate::adapters`]. `try_state` checks the identity exactly ([`IssuanceBase`]); a
		/// runtime that mints or burns elsewhere breaks it.
		type Currency: Mutate<Self::AccountId, Balance = Balance>;

		/// Where the floor and the protocol-owned liquidity are read from: the active tine leans
		/// toward the depth reserve while the floor is not met, and the fork's winner must show
		/// that the floor would hold under its config ([`math::floor`]).
		type Floor: FloorSource;

		/// The most oracle feeders ([`Feeders`]); with [`Config::MaxTines`] it bounds the
		/// submissions of a turn.
		#[pallet::constant]
		type MaxFeeders: Get<u32>;

		/// Derives the reserve accounts.
		#[pallet::constant]
		type PalletId: Get<PalletId>;

		/// The most candidate tines at once; bounds the fork's work.
		#[pallet::constant]
		type MaxTines: Get<u32>;

		/// The most reserves in a tine's split.
		#[pallet::constant]
		type MaxReserves: Get<u32>;

		/// The longest tine id or reserve name, in bytes.
		#[pallet::constant]
		type MaxNameLen: Get<u32>;

		/// Blocks in a year at the runtime's block time (365.25 days): the horizon of
		/// [`Pallet::supply_projection`]'s yearly issuance and rate.
		#[pallet::constant]
		type BlocksPerYear: Get<u32>;

		/// Weights of this pallet's calls and hooks, from benchmarks.
		type WeightInfo: WeightInfo;

		/// Sets up the chain's subnets for benchmarks.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: crate::BenchmarkHelper<Self::AccountId>;
	}

	/// `EffectiveRootProp` of each subnet, from its last epoch: the root share of its dividends
	/// scaled by root-stake utilization, 0 when the hard cap fired. Missing means 0.
	#[pallet::storage]
	pub type EffectiveRootProp<T> = StorageMap<_, Twox64Concat, NetUid, U96F32, OptionQuery>;

	/// `RootProp` of each subnet, from its stake totals at its last epoch. Missing means 0.
	#[pallet::storage]
	pub type RootProp<T> = StorageMap<_, Twox64Concat, NetUid, U96F32, OptionQuery>;

	/// `(EffectiveRootProp, RootProp)` of every subnet that has settled an epoch: the input of the
	/// ERP-scaling filter, kept in one value so that the hook reads it once per block (the two
	/// maps above are the per-subnet view for clients; all three are written together).
	#[pallet::storage]
	pub type ScalingInputs<T: Config> = StorageValue<
		_,
		BoundedBTreeMap<NetUid, (U96F32, U96F32), <T as Config>::MaxSubnets>,
		ValueQuery,
	>;

	/// Subnets whose epoch is due but not settled yet, first due first, each at most once:
	/// `(netuid, due epochs)`. A subnet that falls due again while it waits is not queued twice:
	/// its count grows, and its settlement covers every epoch counted (the chain pays each one's
	/// alpha, [`SubnetEconomy::epoch_dividends`]; [`Event::EpochSettled`] records how many).
	#[pallet::storage]
	pub type EpochQueue<T: Config> =
		StorageValue<_, BoundedVec<(NetUid, u32), <T as Config>::MaxSubnets>, ValueQuery>;

	/// Whether emission shares are scaled by `min(EffectiveRootProp, RootProp)`. Off by default.
	#[pallet::storage]
	pub type EffectiveRootPropEmissionScaling<T> = StorageValue<_, bool, ValueQuery>;

	/// Default of [`EmissionTopSubnetProportion`]: every subnet receives emission.
	#[pallet::type_value]
	pub fn DefaultTopSubnetProportion() -> Permill {
		Permill::one()
	}

	/// The proportion of subnets, ranked by emission share, that receive emission.
	///
	/// `100 %` (the default) keeps every subnet. The number of subnets kept is
	/// `max(ceil(n · proportion), 1)`; never zero (see
	/// [`Pallet::set_emission_top_subnet_proportion`]). Ties at the cut are all kept, decided
	/// exactly on the base weights and the stored `EffectiveRootProp`/`RootProp` values (not on
	/// an epoch's unrounded inputs).
	#[pallet::storage]
	pub type EmissionTopSubnetProportion<T> =
		StorageValue<_, Permill, ValueQuery, DefaultTopSubnetProportion>;

	/// Each subnet's emission rate, where it is below 100 % (a subnet missing has 100 %): its base
	/// weight is multiplied by it before the filters, so that 0 % takes the subnet out of every
	/// cut and its share goes to the others ([`math::rate_keys`]). One value, read once per block;
	/// an entry exists only for a subnet the chain reports (set by
	/// [`Pallet::set_subnet_emission_rate`], removed with the subnet).
	#[pallet::storage]
	pub type SubnetEmissionRates<T: Config> =
		StorageValue<_, BoundedBTreeMap<NetUid, Perbill, <T as Config>::MaxSubnets>, ValueQuery>;

	/// The most subnets that receive emission; `None` (the default): no limit.
	#[pallet::storage]
	pub type EmissionTopSubnetAbsoluteLimit<T> = StorageValue<_, u16, OptionQuery>;

	/// The block emission schedule; `None`: nothing is emitted.
	#[pallet::storage]
	pub type Schedule<T> = StorageValue<_, EmissionSchedule, OptionQuery>;

	/// Everything this pallet has issued so far: to subnets, withheld for the reserves, and
	/// recycled. `TotalIssued − TotalRecycled` is what counts against the supply cap.
	#[pallet::storage]
	pub type TotalIssued<T> = StorageValue<_, Balance, ValueQuery>;

	/// Everything recycled so far: returned to the unissued supply ([`RecycleReason`]): this
	/// pallet's emission before anyone held it, and what the runtime routes through
	/// [`crate::adapters`] (transaction fees, reaped accounts' dust). It does not count against
	/// the supply cap.
	#[pallet::storage]
	pub type TotalRecycled<T> = StorageValue<_, Balance, ValueQuery>;

	/// The currency's total issuance this pallet did not issue: the genesis endowments (read at
	/// genesis, after the currency's own genesis), or, on a chain upgraded to storage version 4,
	/// what the identity gave at the upgrade. With it the ledger is one exact identity, checked by
	/// `try_state` at every block:
	/// `total issuance + TotalRecycled + pending + carried = IssuanceBase + TotalIssued`.
	#[pallet::storage]
	pub type IssuanceBase<T> = StorageValue<_, Balance, ValueQuery>;

	/// Withholding held back for the active tine's reserves because it is below what a new
	/// account needs to exist (the existential deposit): `(depth reserve, each reserve of the
	/// split in order)`. It is added to the next block's withholding until the account can be
	/// created; when another tine takes over, what is left is recycled.
	#[pallet::storage]
	pub type ReserveCarry<T: Config> =
		StorageValue<_, (Balance, BoundedVec<Balance, <T as Config>::MaxReserves>), ValueQuery>;

	/// The last epoch of each subnet: its results and totals. The per-validator inputs of
	/// utilization are in its [`Event::EpochSettled`]; `RootProp` comes from the subnet's stake
	/// totals at that block.
	#[pallet::storage]
	pub type LastEpoch<T: Config> =
		StorageMap<_, Twox64Concat, NetUid, EpochRecord<BlockNumberFor<T>>, OptionQuery>;

	/// A tine id (or reserve name): short bytes.
	pub type NameOf<T> = BoundedVec<u8, <T as Config>::MaxNameLen>;

	/// A tine of this runtime.
	pub type TineOf<T> = Tine<<T as Config>::MaxReserves, <T as Config>::MaxNameLen>;

	/// A fork result of this runtime.
	pub type ForkRecordOf<T> = ForkRecord<<T as Config>::MaxTines, <T as Config>::MaxNameLen>;

	/// The feeders' submissions for a tine, as stored.
	pub type TurnSubmissionsOf<T> =
		TurnSubmissions<<T as frame_system::Config>::AccountId, <T as Config>::MaxFeeders>;

	/// The candidate configs, by id. At most [`Config::MaxTines`].
	#[pallet::storage]
	pub type Tines<T: Config> =
		CountedStorageMap<_, Blake2_128Concat, NameOf<T>, TineOf<T>, OptionQuery>;

	/// The measure's weights, each unset until governance sets it.
	#[pallet::storage]
	pub type MeasureWeights<T> = StorageValue<_, TineMeasureWeights, ValueQuery>;

	/// Default of [`TurnLength`]: 100 blocks.
	#[pallet::type_value]
	pub fn DefaultTurnLength() -> u32 {
		100
	}

	/// Length of a turn, in blocks (not 0).
	#[pallet::storage]
	pub type TurnLength<T> = StorageValue<_, u32, ValueQuery, DefaultTurnLength>;

	/// The open turn's index.
	#[pallet::storage]
	pub type CurrentTurn<T> = StorageValue<_, u32, ValueQuery>;

	/// The block the open turn started in.
	#[pallet::storage]
	pub type TurnStart<T: Config> = StorageValue<_, BlockNumberFor<T>, ValueQuery>;

	/// The oracle feeders: the accounts whose submissions form the tines' readings, sorted, at
	/// most [`Config::MaxFeeders`]. Set by [`Config::AdminOrigin`] ([`Pallet::set_feeders`]).
	#[pallet::storage]
	pub type Feeders<T: Config> =
		StorageValue<_, BoundedVec<T::AccountId, T::MaxFeeders>, ValueQuery>;

	/// The fewest feeders that must have submitted a reading field for it to count (at least 1,
	/// at most the number of feeders, while there are feeders).
	#[pallet::storage]
	pub type ReadingQuorum<T> = StorageValue<_, u32, ValueQuery>;

	/// The feeders' submissions for each tine: `tine → (turn, [(feeder, reading)])`, one entry
	/// per tine holding every feeder's reading for the turn, so that a turn's close reads one
	/// entry per tine. Entries exist only for tines that exist (withdrawn and cut tines lose
	/// theirs) and hold only current [`Feeders`]; an entry of a closed turn counts for nothing.
	/// A tine's reading is formed from the open turn's entry by [`math::fork::aggregate`].
	#[pallet::storage]
	pub type Submissions<T: Config> =
		StorageMap<_, Blake2_128Concat, NameOf<T>, TurnSubmissionsOf<T>, OptionQuery>;

	/// The governing tine: its id and config, from the last fork that landed. `None`: nothing is
	/// withheld.
	#[pallet::storage]
	pub type ActiveTine<T: Config> = StorageValue<_, (NameOf<T>, TineOf<T>), OptionQuery>;

	/// The result of the last fork.
	#[pallet::storage]
	pub type LastFork<T: Config> = StorageValue<_, ForkRecordOf<T>, OptionQuery>;

	/// Events of the emission pallet.
	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// The top-subnet proportion was changed.
		EmissionTopSubnetProportionSet {
			/// The proportion before the change.
			old: Permill,
			/// The proportion now in force.
			new: Permill,
		},
		/// `EffectiveRootProp` scaling of emission shares was switched.
		EffectiveRootPropEmissionScalingSet {
			/// The setting before the change.
			old: bool,
			/// The setting now in force.
			new: bool,
		},
		/// The absolute limit on subnets receiving emission was changed.
		EmissionTopSubnetAbsoluteLimitSet {
			/// The limit before the change.
			old: Option<u16>,
			/// The limit now in force.
			new: Option<u16>,
		},
		/// The block emission schedule was changed.
		EmissionScheduleSet {
			/// The schedule before the change.
			old: Option<EmissionSchedule>,
			/// The schedule now in force.
			new: EmissionSchedule,
		},
		/// A block's emission was issued and shared across subnets.
		BlockEmissionDistributed {
			/// Emission issued this block.
			issued: Balance,
			/// How much of it the active tine withheld for the reserves (minted into them, or
			/// carried until a reserve can exist: [`ReserveCarry`]).
			withheld: Balance,
			/// How much of it went to subnets.
			to_subnets: Balance,
			/// How much of it was recycled (no subnet could receive it, rounding dust, or a share
			/// the chain could not record).
			recycled: Balance,
			/// How many subnets received a non-zero amount.
			recipients: u32,
		},
		/// A subnet's epoch was settled: utilization, `EffectiveRootProp` and the hard cap, with
		/// the per-validator inputs utilization was computed from, so that it can be re-derived
		/// from this event alone.
		EpochSettled {
			/// The subnet.
			netuid: NetUid,
			/// How many due epochs this settlement covers: 1, or more when the subnet fell due
			/// again while it waited in [`EpochQueue`] (the epochs merged into this one).
			epochs: u32,
			/// Root stake of each validator registered on the subnet (with root stake), as read.
			root_stakes: Vec<(T::AccountId, Balance)>,
			/// Root dividend of each validator, before the cap, as read.
			root_dividends_by_validator: Vec<(T::AccountId, Balance)>,
			/// Root-stake utilization.
			utilization: U96F32,
			/// `RootProp` from the stake totals.
			root_prop: U96F32,
			/// `root / (alpha + root)` of the epoch's dividends.
			raw_root_prop: U96F32,
			/// `EffectiveRootProp` stored (0 when capped).
			effective_root_prop: U96F32,
			/// Whether the hard cap fired (utilization below 1/2 with root dividends).
			capped: bool,
			/// Sum of the alpha dividends.
			alpha_dividends: Balance,
			/// Sum of the root dividends before the cap.
			root_dividends: Balance,
			/// Of the root dividends the cap took away, what was this pallet's emission, recycled
			/// (returned to the unissued supply); the chain recycles the rest (a subnet's alpha).
			recycled: Balance,
		},
		/// A tine was proposed.
		TineProposed {
			/// Its id.
			id: NameOf<T>,
			/// The turn it was born in.
			born_at_turn: u32,
		},
		/// A tine was withdrawn.
		TineWithdrawn {
			/// Its id.
			id: NameOf<T>,
		},
		/// The measure's weights were changed.
		MeasureWeightsSet {
			/// The weights before.
			old: TineMeasureWeights,
			/// The weights now.
			new: TineMeasureWeights,
		},
		/// The turn length was changed.
		TurnLengthSet {
			/// The length before.
			old: u32,
			/// The length now.
			new: u32,
		},
		/// A feeder submitted (or corrected) its reading of a tine for the open turn.
		ReadingSubmitted {
			/// The turn.
			turn: u32,
			/// The tine.
			id: NameOf<T>,
			/// The feeder.
			feeder: T::AccountId,
			/// The submission.
			reading: TineReading,
		},
		/// The oracle feeders and the quorum were set; the submissions of the open turn by feeders
		/// no longer in the set were removed.
		FeedersSet {
			/// The feeders now, sorted.
			feeders: Vec<T::AccountId>,
			/// The quorum now.
			quorum: u32,
		},
		/// A turn closed and the fork ran.
		ForkDecided {
			/// The result (kept, cut with gaps, or refused and why).
			result: ForkRecordOf<T>,
		},
		/// The active tine withheld part of the block's emission.
		EmissionWithheld {
			/// The active tine.
			tine: NameOf<T>,
			/// Withheld from this block's emission.
			withheld: Balance,
			/// Minted into the depth reserve this block (with what was carried for it).
			to_depth: Balance,
			/// Of this block's part for the depth reserve, what the floor's lean moved there from
			/// the other reserves (the floor was not met: [`math::floor::withhold`]).
			leaned: Balance,
			/// Minted into the split's reserves this block (with what was carried for them).
			to_reserves: Balance,
			/// Held back after this block for reserves that cannot exist yet ([`ReserveCarry`]).
			carried: Balance,
		},
		/// The v3 → v4 migration set [`IssuanceBase`] from the identity at the upgrade
		/// ([`crate::migrations::v4`]).
		IssuanceBaseSetAtUpgrade {
			/// The currency's issuance this pallet did not issue, as of the upgrade.
			base: Balance,
		},
		/// A subnet's emission rate was set.
		SubnetEmissionRateSet {
			/// The subnet.
			netuid: NetUid,
			/// The rate before.
			old: Perbill,
			/// The rate now.
			new: Perbill,
			/// The subnet's owner, when it lowered the rate itself (`None`: the admin origin).
			by_owner: Option<T::AccountId>,
		},
		/// An amount was recycled: returned to the unissued supply.
		Recycled {
			/// The subnet it came from, if any.
			netuid: Option<NetUid>,
			/// Why.
			reason: RecycleReason,
			/// The amount.
			amount: Balance,
		},
		/// A subnet was removed; its per-subnet state is gone.
		SubnetStateRemoved {
			/// The subnet.
			netuid: NetUid,
		},
		/// A runtime upgrade removed a tine (with its submissions) beyond the runtime's
		/// `MaxTines` ([`migrations::v3`]).
		TineRemovedAtUpgrade {
			/// Its id.
			id: NameOf<T>,
		},
		/// A runtime upgrade trimmed the last fork record's cut to the runtime's `MaxTines`
		/// ([`migrations::v3`]): its first entries were kept.
		ForkRecordTrimmedAtUpgrade {
			/// The record's turn.
			turn: u32,
			/// How many cut entries were dropped.
			dropped: u32,
		},
	}

	/// Errors of the emission pallet.
	#[pallet::error]
	pub enum Error<T> {
		/// A top-subnet proportion of 0 would keep no subnet and stop all emission.
		ZeroTopSubnetProportion,
		/// An absolute limit of 0 would keep no subnet and stop all emission; use `None` for no
		/// limit.
		ZeroAbsoluteLimit,
		/// A schedule's decay factor must be below 100 %: emission must decrease.
		DecayFactorNotBelowOne,
		/// A schedule's epoch length must not be 0.
		ZeroScheduleEpochLength,
		/// The supply cap is below what has already been issued (and not recycled).
		SupplyCapBelowIssued,
		/// A tine with this id already exists.
		DuplicateTine,
		/// No tine with this id exists.
		UnknownTine,
		/// `MaxTines` tines already exist.
		TooManyTines,
		/// A tine's fee is above 10,000 basis points.
		FeeTooHigh,
		/// A tine's split is empty, names a reserve twice, or its weights do not sum to exactly
		/// one.
		InvalidSplit,
		/// A tine's split has more than `MaxReserves` reserves.
		TooManyReserves,
		/// A tine id or reserve name is empty or longer than `MaxNameLen`.
		InvalidName,
		/// A turn length must not be 0.
		ZeroTurnLength,
		/// Readings are accepted for the open turn only.
		WrongTurn,
		/// Two reserves of a split, or a reserve and the depth reserve, would share an account
		/// (possible only with account ids shorter than 32 bytes); rename one.
		ReserveAccountCollision,
		/// More than `MaxFeeders` feeders.
		TooManyFeeders,
		/// An account is listed twice among the feeders.
		DuplicateFeeder,
		/// The quorum must be at least 1 and at most the number of feeders.
		InvalidQuorum,
		/// The chain reports no subnet with this netuid.
		UnknownSubnet,
		/// A subnet's owner may lower its emission rate, not raise it (that is the admin
		/// origin's decision).
		OwnerMayOnlyLower,
		/// `MaxSubnets` subnets already have a rate below 100 %.
		TooManyRates,
	}

	/// Genesis settings of the emission pallet.
	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// Initial top-subnet proportion; `None` keeps the default (`100 %`).
		pub emission_top_subnet_proportion: Option<Permill>,
		/// Initial absolute limit; `None`: no limit.
		pub emission_top_subnet_absolute_limit: Option<u16>,
		/// Whether `EffectiveRootProp` scaling starts on.
		pub effective_root_prop_emission_scaling: bool,
		/// Initial schedule as `(initial, decay_factor, epoch_length, supply_cap)`; `None`: no
		/// emission until one is set.
		pub schedule: Option<(Balance, Perquintill, u32, Option<Balance>)>,
		/// The oracle feeders (any order; no duplicates, at most `MaxFeeders`).
		pub feeders: Vec<T::AccountId>,
		/// The reading quorum (at least 1 and at most the number of feeders, when there are any).
		pub reading_quorum: u32,
		#[serde(skip)]
		#[doc(hidden)]
		pub _config: core::marker::PhantomData<T>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			if let Some(proportion) = self.emission_top_subnet_proportion {
				assert!(
					Pallet::<T>::validate_top_subnet_proportion(proportion).is_ok(),
					"genesis: the top-subnet proportion must not be 0"
				);
				EmissionTopSubnetProportion::<T>::put(proportion);
			}
			if let Some(limit) = self.emission_top_subnet_absolute_limit {
				assert!(limit > 0, "genesis: the absolute limit must not be 0");
				EmissionTopSubnetAbsoluteLimit::<T>::put(limit);
			}
			EffectiveRootPropEmissionScaling::<T>::put(self.effective_root_prop_emission_scaling);
			// The currency's pallet builds its genesis first (it comes earlier in the runtime).
			IssuanceBase::<T>::put(T::Currency::total_issuance());
			if let Some((initial, decay_factor, epoch_length, supply_cap)) = self.schedule {
				let schedule = EmissionSchedule { initial, decay_factor, epoch_length, supply_cap };
				assert!(
					Pallet::<T>::validate_schedule(&schedule).is_ok(),
					"genesis: invalid emission schedule"
				);
				Schedule::<T>::put(schedule);
			}
			if !self.feeders.is_empty() {
				let (feeders, quorum) =
					Pallet::<T>::validate_feeders(self.feeders.clone(), self.reading_quorum)
						.expect("genesis: invalid feeders or quorum");
				Feeders::<T>::put(feeders);
				ReadingQuorum::<T>::put(quorum);
			}
		}
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn on_initialize(n: BlockNumberFor<T>) -> Weight {
			Self::do_tick(n)
		}

		fn integrity_test() {
			assert!(T::MaxSubnets::get() > 0, "MaxSubnets must not be 0");
			assert!(T::MaxValidatorsPerSubnet::get() > 0, "MaxValidatorsPerSubnet must not be 0");
			assert!(
				T::MaxSubnets::get() <= u32::from(NetUid::MAX).saturating_add(1),
				"MaxSubnets above the number of netuids"
			);
			assert!(T::MaxEpochsPerBlock::get() > 0, "MaxEpochsPerBlock must not be 0");
			// The performance targets: a steady-state block within 1 % of the block's weight, the
			// worst block the configuration allows within 5 %.
			let max_block = <T as frame_system::Config>::BlockWeights::get().max_block;
			let share = |p: Perbill| {
				Weight::from_parts(
					p.mul_floor(max_block.ref_time()),
					p.mul_floor(max_block.proof_size()),
				)
			};
			let steady = Self::steady_state_tick_weight();
			assert!(
				steady.all_lte(share(Perbill::from_percent(1))),
				"the steady-state on_initialize weight {steady:?} exceeds 1 % of the block"
			);
			let worst = Self::worst_case_tick_weight();
			assert!(
				worst.all_lte(share(Perbill::from_percent(5))),
				"the worst-case on_initialize weight {worst:?} exceeds 5 % of the block"
			);
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call(weight(<T as Config>::WeightInfo))]
	impl<T: Config> Pallet<T> {
		/// Set the proportion of subnets, ranked by emission share, that receive emission.
		///
		/// `proportion` is a `Permill` (parts per million): `500000` keeps the top half. `0` is
		/// rejected with [`Error::ZeroTopSubnetProportion`]. Emits
		/// [`Event::EmissionTopSubnetProportionSet`].
		#[pallet::call_index(0)]
		pub fn set_emission_top_subnet_proportion(
			origin: OriginFor<T>,
			proportion: Permill,
		) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			let old = Self::do_set_emission_top_subnet_proportion(proportion)?;
			Self::deposit_event(Event::EmissionTopSubnetProportionSet { old, new: proportion });
			Ok(())
		}

		/// Switch scaling of emission shares by `min(EffectiveRootProp, RootProp)`.
		///
		/// Emits [`Event::EffectiveRootPropEmissionScalingSet`].
		#[pallet::call_index(1)]
		pub fn set_effective_root_prop_emission_scaling(
			origin: OriginFor<T>,
			enabled: bool,
		) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			let old =
				EffectiveRootPropEmissionScaling::<T>::mutate(|v| core::mem::replace(v, enabled));
			Self::deposit_event(Event::EffectiveRootPropEmissionScalingSet { old, new: enabled });
			Ok(())
		}

		/// Set the most subnets that receive emission; `None` removes the limit.
		///
		/// `Some(0)` is rejected with [`Error::ZeroAbsoluteLimit`]: it would stop all emission.
		/// Emits [`Event::EmissionTopSubnetAbsoluteLimitSet`].
		#[pallet::call_index(2)]
		pub fn set_emission_top_subnet_absolute_limit(
			origin: OriginFor<T>,
			limit: Option<u16>,
		) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			let old = Self::do_set_absolute_limit(limit)?;
			Self::deposit_event(Event::EmissionTopSubnetAbsoluteLimitSet { old, new: limit });
			Ok(())
		}

		/// Set the block emission schedule.
		///
		/// Per block, `floor(initial × decay_factor^(block / epoch_length))` is issued, never
		/// beyond `supply_cap` in total, the floor exact ([`math::schedule`]). `initial` is in the
		/// smallest unit; `decay_factor` is a `Perquintill`: an integer of parts per 10¹⁸ (so
		/// `0.9995251127946402` is `999_525_112_794_640_200`), below 100 %
		/// ([`Error::DecayFactorNotBelowOne`]);
		/// `epoch_length` is in blocks, not 0 ([`Error::ZeroScheduleEpochLength`]); a
		/// `supply_cap` below [`TotalIssued`] is rejected ([`Error::SupplyCapBelowIssued`]).
		/// Emits [`Event::EmissionScheduleSet`].
		#[pallet::call_index(3)]
		pub fn set_emission_schedule(
			origin: OriginFor<T>,
			initial: Balance,
			decay_factor: Perquintill,
			epoch_length: u32,
			supply_cap: Option<Balance>,
		) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			let new = EmissionSchedule { initial, decay_factor, epoch_length, supply_cap };
			let old = Self::do_set_schedule(new)?;
			Self::deposit_event(Event::EmissionScheduleSet { old, new });
			Ok(())
		}

		/// Propose a tine, born at the current turn.
		///
		/// `id` and reserve names are bytes (at most `MaxNameLen`); `fee_bps` is in basis points
		/// (at most 10,000, [`Error::FeeTooHigh`]); `split` pairs reserve names with `Perbill`
		/// weights that sum to exactly 1,000,000,000 ([`Error::InvalidSplit`]), each reserve with
		/// an account of its own ([`Pallet::reserve_account`],
		/// [`Error::ReserveAccountCollision`]); `floor_pull` and `depth_feed` are `Perbill`.
		#[pallet::call_index(4)]
		pub fn propose_tine(
			origin: OriginFor<T>,
			id: Vec<u8>,
			fee_bps: u16,
			split: Vec<(Vec<u8>, Perbill)>,
			floor_pull: Perbill,
			depth_feed: Perbill,
		) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			let (id, born_at_turn) =
				Self::do_propose_tine(id, fee_bps, split, floor_pull, depth_feed)?;
			Self::deposit_event(Event::TineProposed { id, born_at_turn });
			Ok(())
		}

		/// Withdraw a tine, with its submissions of the open turn. Withdrawing the active tine's
		/// candidate leaves the active config in force until a later fork replaces it.
		#[pallet::call_index(5)]
		pub fn withdraw_tine(origin: OriginFor<T>, id: Vec<u8>) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			let id = Self::do_withdraw_tine(id)?;
			Self::deposit_event(Event::TineWithdrawn { id });
			Ok(())
		}

		/// Set the measure's weights (`Perbill` each; `None` leaves a weight unset, so no tine
		/// can be measured).
		#[pallet::call_index(6)]
		pub fn set_measure_weights(
			origin: OriginFor<T>,
			reserve_growth: Option<Perbill>,
			depth_stability: Option<Perbill>,
			retention: Option<Perbill>,
		) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			let new = TineMeasureWeights { reserve_growth, depth_stability, retention };
			let old = MeasureWeights::<T>::mutate(|w| core::mem::replace(w, new));
			Self::deposit_event(Event::MeasureWeightsSet { old, new });
			Ok(())
		}

		/// Set the turn length in blocks (not 0, [`Error::ZeroTurnLength`]). The open turn closes
		/// `blocks` after it started.
		#[pallet::call_index(7)]
		pub fn set_turn_length(origin: OriginFor<T>, blocks: u32) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			ensure!(blocks > 0, Error::<T>::ZeroTurnLength);
			let old = TurnLength::<T>::mutate(|l| core::mem::replace(l, blocks));
			Self::deposit_event(Event::TurnLengthSet { old, new: blocks });
			Ok(())
		}

		/// Submit (or correct) the caller's reading of a tine for the open turn `turn`: signed by
		/// one of the [`Feeders`] (anyone else: `BadOrigin`). `reserve_growth_ppm` is in parts
		/// per million (negative allowed); the others are `Perbill`/`bool`; any may be `None`. A
		/// feeder's later submission replaces its earlier one. The tine's reading at the turn's
		/// close is formed from every feeder's submission ([`math::fork::aggregate`]: the lower
		/// median of each field, missing below [`ReadingQuorum`]).
		#[pallet::call_index(8)]
		pub fn submit_reading(
			origin: OriginFor<T>,
			turn: u32,
			id: Vec<u8>,
			reserve_growth_ppm: Option<i64>,
			depth_stability: Option<Perbill>,
			floor_held: Option<bool>,
			retention: Option<Perbill>,
		) -> DispatchResult {
			let feeder = ensure_signed(origin)?;
			ensure!(Feeders::<T>::get().binary_search(&feeder).is_ok(), DispatchError::BadOrigin);
			let reading =
				TineReading { reserve_growth_ppm, depth_stability, floor_held, retention };
			let id = Self::do_submit_reading(turn, id, &feeder, reading)?;
			Self::deposit_event(Event::ReadingSubmitted { turn, id, feeder, reading });
			Ok(())
		}

		/// Set the oracle feeders and the reading quorum ([`Config::AdminOrigin`]): at most
		/// `MaxFeeders` accounts ([`Error::TooManyFeeders`]), none twice
		/// ([`Error::DuplicateFeeder`]), a quorum from 1 to their number
		/// ([`Error::InvalidQuorum`]). The open turn's submissions of accounts that stop being
		/// feeders are removed; the others stay.
		#[pallet::call_index(9)]
		#[pallet::weight(T::WeightInfo::set_feeders(
			u32::try_from(feeders.len()).unwrap_or(u32::MAX)
		))]
		pub fn set_feeders(
			origin: OriginFor<T>,
			feeders: Vec<T::AccountId>,
			quorum: u32,
		) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			let (feeders, quorum) = Self::validate_feeders(feeders, quorum)?;
			Self::do_set_feeders(feeders.clone(), quorum);
			Self::deposit_event(Event::FeedersSet { feeders: feeders.into_inner(), quorum });
			Ok(())
		}

		/// Set subnet `netuid`'s emission rate: its base weight is multiplied by `rate` (a
		/// `Perbill`; `100 %`, the default, removes the entry) before the filters, so that `0 %`
		/// stops the subnet's emission without deregistering it and its share goes to the others.
		///
		/// The admin origin may set any rate. A signed origin may only if it is the subnet's owner
		/// as the chain reports it ([`SubnetEconomy::subnet_owner`]; anyone else: `BadOrigin`), and
		/// only lower the rate ([`Error::OwnerMayOnlyLower`]). The subnet must exist
		/// ([`Error::UnknownSubnet`]). Emits [`Event::SubnetEmissionRateSet`].
		#[pallet::call_index(10)]
		pub fn set_subnet_emission_rate(
			origin: OriginFor<T>,
			netuid: NetUid,
			rate: Perbill,
		) -> DispatchResult {
			let by_owner = match T::AdminOrigin::try_origin(origin) {
				Ok(_) => None,
				Err(origin) => {
					let who = ensure_signed(origin)?;
					ensure!(
						T::Subnets::subnet_owner(netuid).as_ref() == Some(&who),
						DispatchError::BadOrigin
					);
					Some(who)
				},
			};
			let old = Self::do_set_subnet_emission_rate(netuid, rate, by_owner.is_some())?;
			Self::deposit_event(Event::SubnetEmissionRateSet { netuid, old, new: rate, by_owner });
			Ok(())
		}
	}

	/// What clients ask, read-only (PAPI, subxt and dedot call these natively; polkadot.js calls
	/// the same through `EmissionApi`, whose methods return these functions' answers).
	#[pallet::view_functions]
	impl<T: Config> Pallet<T> {
		/// The top-subnet proportion in force.
		pub fn emission_top_subnet_proportion() -> Permill {
			EmissionTopSubnetProportion::<T>::get()
		}

		/// What the schedule issues in block `block` given what has been issued so far.
		pub fn scheduled_emission(block: BlockNumberFor<T>) -> Balance {
			Self::block_emission_at(block)
		}

		/// The next block's shares after each filter stage, with the settings in force.
		pub fn preview_shares() -> ShareStages {
			Self::build_share_stages(Self::filter_settings(), true, true)
		}

		/// The next block's shares under `settings` instead of the ones in force (a filter off,
		/// the subnets' emission rates left out, or no hard cap: capped subnets count with their
		/// uncapped `EffectiveRootProp`).
		pub fn counterfactual_shares(settings: CounterfactualSettings) -> ShareStages {
			Self::build_share_stages(
				math::FilterSettings {
					erp_scaling: settings.erp_scaling,
					top_proportion: settings.top_proportion,
					absolute_limit: settings.absolute_limit,
				},
				settings.hard_cap,
				settings.subnet_rates,
			)
		}

		/// Subnet `netuid`'s emission rate (100 % unless one was set).
		pub fn subnet_emission_rate(netuid: NetUid) -> Perbill {
			Self::emission_rate(netuid)
		}

		/// Supply so far and where the schedule takes it: issued, recycled and outstanding; the
		/// next block's emission and the next decay step; issuance over the next year and its rate
		/// of today's supply; the supply cap and the block the schedule reaches it at
		/// ([`SupplyProjection`]).
		pub fn supply_projection() -> SupplyProjection {
			Self::build_supply_projection()
		}

		/// What subnet `netuid`'s last epoch decided (`None`: it has not settled one).
		pub fn last_epoch(netuid: NetUid) -> Option<EpochRecord<BlockNumberFor<T>>> {
			LastEpoch::<T>::get(netuid)
		}

		/// What the active tine withholds from the next block's emission.
		pub fn active_withholding() -> Withholding {
			Self::build_withholding()
		}

		/// What the fork would decide if the open turn closed at the next block: kept, cut with
		/// their gaps, or refused and why, with every tine's measure so far. Read in the block
		/// before a turn's close, it is that close's decision (the next block's emission and
		/// epochs are run first, and rolled back).
		pub fn fork_preview() -> ForkPreview {
			Self::build_fork_preview()
		}
	}
}
