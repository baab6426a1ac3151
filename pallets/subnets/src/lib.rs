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

mod glue;
pub mod weights;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
#[cfg(feature = "runtime-benchmarks")]
pub use benchmarking::EmissionBenchmarkHelper;
#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;

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
	use super::WeightInfo;
	use frame_support::{pallet_prelude::*, traits::fungible::Mutate};
	use frame_system::pallet_prelude::*;
	use pallet_emission::{traits::OnSubnetRemoved, Balance, NetUid};
	use sp_runtime::Perbill;

	/// The in-code storage version.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(1);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// Configuration of the subnets pallet.
	#[pallet::config]
	pub trait Config: frame_system::Config {
		/// The native currency: claimed dividends are minted into the validators' accounts.
		type Currency: Mutate<Self::AccountId, Balance = Balance>;

		/// The origin that registers subnets and validators (Root in the dev runtime).
		type AdminOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// Told when a subnet is removed, with its pending emission (the emission pallet drops its
		/// per-subnet state and recycles the pending emission).
		type OnSubnetRemoved: OnSubnetRemoved;

		/// The most subnets; must not exceed the emission pallet's `MaxSubnets`.
		#[pallet::constant]
		type MaxSubnets: Get<u32>;

		/// The most validators per subnet; must not exceed the emission pallet's
		/// `MaxValidatorsPerSubnet`.
		#[pallet::constant]
		type MaxValidatorsPerSubnet: Get<u32>;

		/// The weight of root stake against alpha stake.
		#[pallet::constant]
		type TaoWeight: Get<Perbill>;

		/// Alpha (the subnet's own token) each subnet issues per block, whatever its share of the
		/// block emission: an epoch pays `(tempo + 1) × AlphaEmission` alpha beside the subnet's
		/// pending emission, as in Subtensor, where an epoch pays out of the subnet's own alpha
		/// emission. So a subnet the filters give no emission still has dividends, and its
		/// utilization can recover. Valued 1:1 with the native token in this dev economy.
		#[pallet::constant]
		type AlphaEmission: Get<Balance>;

		/// The most alpha balances one [`Pallet::clear_alpha`] removes.
		#[pallet::constant]
		type MaxAlphaClear: Get<u32>;

		/// Weights of this pallet's calls, from benchmarks.
		type WeightInfo: WeightInfo;
	}

	/// A registered subnet.
	#[derive(
		Encode,
		Decode,
		DecodeWithMemTracking,
		MaxEncodedLen,
		TypeInfo,
		Clone,
		Copy,
		PartialEq,
		Eq,
		Debug,
	)]
	pub struct SubnetDetails {
		/// An epoch every `tempo + 1` blocks.
		pub tempo: u16,
		/// Base (pre-filter) emission weight.
		pub base_weight: u64,
		/// Number of validators registered on it.
		pub validators: u32,
	}

	/// A validator registered on a subnet.
	#[derive(
		Encode,
		Decode,
		DecodeWithMemTracking,
		MaxEncodedLen,
		TypeInfo,
		Clone,
		Copy,
		PartialEq,
		Eq,
		Debug,
		Default,
	)]
	pub struct ValidatorDetails {
		/// Stake on the root network.
		pub root_stake: Balance,
		/// Stake on this subnet.
		pub alpha_stake: Balance,
		/// Whether it validates: only validating validators earn dividends.
		pub validating: bool,
	}

	/// Registered subnets.
	#[pallet::storage]
	///
	/// One value, not a map: the emission pallet's hook reads every subnet each block, and one
	/// read of the whole table is the minimum it needs.
	pub type Subnets<T: Config> = StorageValue<_, SubnetTable<T>, ValueQuery>;

	/// The subnet table of this runtime: netuid → details, at most `MaxSubnets` entries.
	pub type SubnetTable<T> = BoundedBTreeMap<NetUid, SubnetDetails, <T as Config>::MaxSubnets>;

	/// Pending emission of each subnet, at most `MaxSubnets` entries.
	pub type PendingTable<T> = BoundedBTreeMap<NetUid, Balance, <T as Config>::MaxSubnets>;

	/// Validators of each subnet.
	#[pallet::storage]
	pub type Validators<T: Config> = StorageDoubleMap<
		_,
		Twox64Concat,
		NetUid,
		Blake2_128Concat,
		T::AccountId,
		ValidatorDetails,
		OptionQuery,
	>;

	/// Emission delivered to each subnet and not paid out yet: a ledger, out of which the subnet's
	/// epoch credits its validators' dividends to [`Unclaimed`] (and hands back a capped epoch's
	/// root part, which the emission pallet recycles). One value for all subnets: the hook adds
	/// each block's amounts with one read and one write.
	#[pallet::storage]
	pub type PendingEmission<T: Config> = StorageValue<_, PendingTable<T>, ValueQuery>;

	/// Alpha dividends paid to each validator on each subnet (the subnet's own token: a ledger, not
	/// the native currency). A removed subnet's alpha goes with it: anyone clears its balances
	/// ([`Pallet::clear_alpha`], bounded per call), and its netuid cannot be registered again
	/// until they are gone, so a new subnet never inherits them.
	#[pallet::storage]
	pub type AlphaBalances<T: Config> = StorageDoubleMap<
		_,
		Twox64Concat,
		NetUid,
		Blake2_128Concat,
		T::AccountId,
		Balance,
		ValueQuery,
	>;

	/// Alpha recycled: the alpha part of the root dividends of hard-capped epochs (never paid).
	#[pallet::storage]
	pub type AlphaRecycled<T> = StorageValue<_, Balance, ValueQuery>;

	/// What a validator is owed on a subnet: credited at the subnet's epochs, paid out when it
	/// claims ([`Pallet::claim_dividends`]) or leaves the subnet.
	#[derive(
		Encode,
		Decode,
		DecodeWithMemTracking,
		MaxEncodedLen,
		TypeInfo,
		Clone,
		Copy,
		PartialEq,
		Eq,
		Debug,
		Default,
	)]
	pub struct Owed {
		/// Native token, out of the subnet's pending emission: minted at the claim.
		pub tao: Balance,
		/// The subnet's alpha: credited to [`AlphaBalances`] at the claim.
		pub alpha: Balance,
	}

	/// A subnet's unclaimed dividends: validator → owed, at most `MaxValidatorsPerSubnet` entries
	/// (only registered validators are owed: leaving a subnet pays a validator out).
	pub type OwedTable<T> = BoundedBTreeMap<
		<T as frame_system::Config>::AccountId,
		Owed,
		<T as Config>::MaxValidatorsPerSubnet,
	>;

	/// Dividends credited to each subnet's validators at its epochs and not claimed yet. One value
	/// per subnet: an epoch credits all its validators with one read and one write, instead of a
	/// mint and an alpha write per validator; each validator then claims its own (one mint).
	#[pallet::storage]
	pub type Unclaimed<T: Config> = StorageMap<_, Twox64Concat, NetUid, OwedTable<T>, ValueQuery>;

	/// The native-token part of every [`Unclaimed`] entry: issued, not in any account yet (the
	/// conservation term the emission pallet reads with the pending emission).
	#[pallet::storage]
	pub type UnclaimedTotal<T> = StorageValue<_, Balance, ValueQuery>;

	/// The floor the protocol-owned liquidity must stay at or above, set by governance. `None`:
	/// the floor cannot be read, and the emission pallet's floor gate refuses every fork.
	#[pallet::storage]
	pub type Floor<T> = StorageValue<_, Balance, OptionQuery>;

	/// Events of the subnets pallet.
	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A subnet was registered.
		SubnetRegistered {
			/// The subnet.
			netuid: NetUid,
			/// Its tempo.
			tempo: u16,
			/// Its base weight.
			base_weight: u64,
		},
		/// A subnet and its validators were removed.
		SubnetRemoved {
			/// The subnet.
			netuid: NetUid,
		},
		/// A subnet's base weight changed.
		BaseWeightSet {
			/// The subnet.
			netuid: NetUid,
			/// The weight before.
			old: u64,
			/// The weight now.
			new: u64,
		},
		/// A subnet's tempo changed.
		TempoSet {
			/// The subnet.
			netuid: NetUid,
			/// The tempo before.
			old: u16,
			/// The tempo now.
			new: u16,
		},
		/// A validator was registered on a subnet.
		ValidatorRegistered {
			/// The subnet.
			netuid: NetUid,
			/// The validator.
			validator: T::AccountId,
			/// Its root stake.
			root_stake: Balance,
			/// Its alpha stake.
			alpha_stake: Balance,
		},
		/// A validator was removed from a subnet.
		ValidatorRemoved {
			/// The subnet.
			netuid: NetUid,
			/// The validator.
			validator: T::AccountId,
		},
		/// A validator started or stopped validating.
		ValidatingSet {
			/// The subnet.
			netuid: NetUid,
			/// The validator.
			validator: T::AccountId,
			/// Whether it validates now.
			validating: bool,
		},
		/// A validator's epoch dividends were credited to its [`Unclaimed`] dividends: out of the
		/// subnet's pending emission (native) and out of its alpha emission (in alpha).
		DividendsCredited {
			/// The subnet.
			netuid: NetUid,
			/// The validator.
			validator: T::AccountId,
			/// Its alpha dividend out of the pending emission.
			alpha: Balance,
			/// Its root dividend out of the pending emission (0 when the hard cap fired).
			root: Balance,
			/// Its alpha dividend out of the subnet's alpha emission, in alpha.
			alpha_in_alpha: Balance,
			/// Its root dividend out of the subnet's alpha emission, in alpha (0 when the hard
			/// cap fired).
			root_in_alpha: Balance,
		},
		/// A validator's unclaimed dividends on a subnet were paid out: `tao` minted into its
		/// account, `alpha` added to its alpha balance (by its claim, or as it left the subnet).
		DividendsClaimed {
			/// The subnet.
			netuid: NetUid,
			/// The validator.
			validator: T::AccountId,
			/// Minted into its account.
			tao: Balance,
			/// Added to its alpha balance on the subnet.
			alpha: Balance,
		},
		/// A leaving validator's unclaimed native dividends could not be minted (below a new
		/// account's existential deposit): they went back to the subnet's pending emission.
		DividendsReturned {
			/// The subnet.
			netuid: NetUid,
			/// The validator.
			validator: T::AccountId,
			/// Returned to the pending emission.
			amount: Balance,
		},
		/// The alpha part of a hard-capped epoch's root dividends was recycled.
		AlphaRecycled {
			/// The subnet.
			netuid: NetUid,
			/// The amount, in alpha.
			amount: Balance,
		},
		/// Alpha balances of a removed subnet were cleared: its token no longer exists.
		AlphaCleared {
			/// The removed subnet.
			netuid: NetUid,
			/// How many holders' balances were removed.
			holders: u32,
			/// The alpha they held, destroyed.
			amount: Balance,
			/// Whether balances remain (another call clears them).
			remaining: bool,
		},
		/// The floor was set or cleared.
		FloorSet {
			/// The floor before.
			old: Option<Balance>,
			/// The floor now.
			new: Option<Balance>,
		},
	}

	/// Errors of the subnets pallet.
	#[pallet::error]
	pub enum Error<T> {
		/// A subnet with this netuid is already registered.
		SubnetExists,
		/// No subnet with this netuid is registered.
		SubnetNotFound,
		/// `MaxSubnets` subnets are already registered.
		TooManySubnets,
		/// This validator is already registered on the subnet.
		ValidatorExists,
		/// This validator is not registered on the subnet.
		ValidatorNotFound,
		/// `MaxValidatorsPerSubnet` validators are already registered on the subnet.
		TooManyValidators,
		/// A validator needs a root stake or an alpha stake.
		ZeroStake,
		/// The caller has no unclaimed dividends on this subnet.
		NothingToClaim,
		/// The dividends cannot be minted: below the existential deposit of an account that
		/// does not exist yet. They stay unclaimed.
		ClaimBelowMinimum,
		/// The netuid still has alpha balances of a removed subnet: clear them first
		/// ([`Pallet::clear_alpha`]).
		AlphaNotCleared,
		/// The netuid has no alpha balances to clear.
		NoAlphaToClear,
		/// A registered subnet's alpha cannot be cleared.
		SubnetStillRegistered,
		/// `limit` must be at least 1.
		ZeroLimit,
	}

	/// Genesis subnets and validators.
	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// `(netuid, tempo, base_weight)` of each subnet.
		pub subnets: alloc::vec::Vec<(NetUid, u16, u64)>,
		/// `(netuid, validator, root_stake, alpha_stake, validating)` of each validator.
		pub validators: alloc::vec::Vec<(NetUid, T::AccountId, Balance, Balance, bool)>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			for (netuid, tempo, base_weight) in &self.subnets {
				assert!(
					Pallet::<T>::do_register_subnet(*netuid, *tempo, *base_weight).is_ok(),
					"genesis: cannot register subnet {netuid}"
				);
			}
			for (netuid, who, root, alpha, validating) in &self.validators {
				assert!(
					Pallet::<T>::do_register_validator(*netuid, who.clone(), *root, *alpha).is_ok(),
					"genesis: cannot register a validator on subnet {netuid}"
				);
				Validators::<T>::mutate(netuid, who, |v| {
					if let Some(v) = v {
						v.validating = *validating;
					}
				});
			}
		}
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn integrity_test() {
			assert!(T::MaxSubnets::get() > 0, "MaxSubnets must not be 0");
			assert!(T::MaxValidatorsPerSubnet::get() > 0, "MaxValidatorsPerSubnet must not be 0");
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call(weight(<T as Config>::WeightInfo))]
	impl<T: Config> Pallet<T> {
		/// Register subnet `netuid` with an epoch every `tempo + 1` blocks and `base_weight`.
		#[pallet::call_index(0)]
		pub fn register_subnet(
			origin: OriginFor<T>,
			netuid: NetUid,
			tempo: u16,
			base_weight: u64,
		) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			Self::do_register_subnet(netuid, tempo, base_weight)?;
			Self::deposit_event(Event::SubnetRegistered { netuid, tempo, base_weight });
			Ok(())
		}

		/// Remove subnet `netuid` and its validators (at most `MaxValidatorsPerSubnet`).
		#[pallet::call_index(1)]
		pub fn remove_subnet(origin: OriginFor<T>, netuid: NetUid) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			Self::do_remove_subnet(netuid)?;
			Self::deposit_event(Event::SubnetRemoved { netuid });
			Ok(())
		}

		/// Set a subnet's base emission weight.
		#[pallet::call_index(2)]
		pub fn set_base_weight(
			origin: OriginFor<T>,
			netuid: NetUid,
			base_weight: u64,
		) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			let old = Self::mutate_subnet(netuid, |s| {
				core::mem::replace(&mut s.base_weight, base_weight)
			})?;
			Self::deposit_event(Event::BaseWeightSet { netuid, old, new: base_weight });
			Ok(())
		}

		/// Set a subnet's tempo.
		#[pallet::call_index(3)]
		pub fn set_tempo(origin: OriginFor<T>, netuid: NetUid, tempo: u16) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			let old = Self::mutate_subnet(netuid, |s| core::mem::replace(&mut s.tempo, tempo))?;
			Self::deposit_event(Event::TempoSet { netuid, old, new: tempo });
			Ok(())
		}

		/// Register `validator` on subnet `netuid` with a root and an alpha stake. It starts
		/// validating.
		#[pallet::call_index(4)]
		pub fn register_validator(
			origin: OriginFor<T>,
			netuid: NetUid,
			validator: T::AccountId,
			root_stake: Balance,
			alpha_stake: Balance,
		) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			Self::do_register_validator(netuid, validator.clone(), root_stake, alpha_stake)?;
			Self::deposit_event(Event::ValidatorRegistered {
				netuid,
				validator,
				root_stake,
				alpha_stake,
			});
			Ok(())
		}

		/// Remove `validator` from subnet `netuid`.
		#[pallet::call_index(5)]
		pub fn remove_validator(
			origin: OriginFor<T>,
			netuid: NetUid,
			validator: T::AccountId,
		) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			Validators::<T>::take(netuid, &validator).ok_or(Error::<T>::ValidatorNotFound)?;
			Subnets::<T>::mutate(|subnets| {
				if let Some(s) = subnets.get_mut(&netuid) {
					s.validators = s.validators.saturating_sub(1);
				}
			});
			// Only registered validators are owed: a leaving one is paid out now.
			let mut ledger = Unclaimed::<T>::get(netuid);
			if let Some(owed) = ledger.remove(&validator) {
				Self::put_ledger(netuid, ledger);
				let returned = Self::pay_out(netuid, &validator, owed);
				Self::return_to_pending(netuid, returned);
			}
			Self::deposit_event(Event::ValidatorRemoved { netuid, validator });
			Ok(())
		}

		/// Mark `validator` on subnet `netuid` as validating or not.
		#[pallet::call_index(6)]
		pub fn set_validating(
			origin: OriginFor<T>,
			netuid: NetUid,
			validator: T::AccountId,
			validating: bool,
		) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			Validators::<T>::try_mutate(netuid, &validator, |v| {
				let v = v.as_mut().ok_or(Error::<T>::ValidatorNotFound)?;
				v.validating = validating;
				Ok::<_, Error<T>>(())
			})?;
			Self::deposit_event(Event::ValidatingSet { netuid, validator, validating });
			Ok(())
		}

		/// Set the floor of the protocol-owned liquidity (in the smallest unit); `None` clears
		/// it, so that the floor cannot be read.
		#[pallet::call_index(7)]
		pub fn set_floor(origin: OriginFor<T>, floor: Option<Balance>) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			let old = Floor::<T>::mutate(|f| core::mem::replace(f, floor));
			Self::deposit_event(Event::FloorSet { old, new: floor });
			Ok(())
		}

		/// Claim the caller's unclaimed dividends on subnet `netuid`: the native part minted into
		/// its account, the alpha part added to its alpha balance. One subnet's ledger, one mint,
		/// one alpha balance: bounded whatever the number of validators.
		#[pallet::call_index(8)]
		pub fn claim_dividends(origin: OriginFor<T>, netuid: NetUid) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let mut ledger = Unclaimed::<T>::get(netuid);
			let owed = ledger.remove(&who).ok_or(Error::<T>::NothingToClaim)?;
			if owed.tao > 0 {
				T::Currency::mint_into(&who, owed.tao)
					.map_err(|_| Error::<T>::ClaimBelowMinimum)?;
			}
			Self::credit_alpha(netuid, &who, owed.alpha);
			Self::put_ledger(netuid, ledger);
			UnclaimedTotal::<T>::mutate(|t| *t = t.saturating_sub(owed.tao));
			Self::deposit_event(Event::DividendsClaimed {
				netuid,
				validator: who,
				tao: owed.tao,
				alpha: owed.alpha,
			});
			Ok(())
		}

		/// Clear up to `limit` (at most `MaxAlphaClear`) alpha balances of a removed subnet: its
		/// token no longer exists, and its netuid can be registered again once none are left.
		/// Anyone may call it; the weight charged is that of the balances actually removed.
		#[pallet::call_index(9)]
		#[pallet::weight(<T as Config>::WeightInfo::clear_alpha(
			(*limit).min(T::MaxAlphaClear::get())
		))]
		pub fn clear_alpha(
			origin: OriginFor<T>,
			netuid: NetUid,
			limit: u32,
		) -> DispatchResultWithPostInfo {
			ensure_signed(origin)?;
			ensure!(limit > 0, Error::<T>::ZeroLimit);
			ensure!(!Subnets::<T>::get().contains_key(&netuid), Error::<T>::SubnetStillRegistered);
			ensure!(Self::has_alpha(netuid), Error::<T>::NoAlphaToClear);
			let limit = limit.min(T::MaxAlphaClear::get());
			let (holders, amount) = Self::do_clear_alpha(netuid, limit);
			let remaining = Self::has_alpha(netuid);
			Self::deposit_event(Event::AlphaCleared { netuid, holders, amount, remaining });
			Ok(Some(<T as Config>::WeightInfo::clear_alpha(holders)).into())
		}
	}

	impl<T: Config> Pallet<T> {
		/// A registered subnet's details.
		pub fn subnet(netuid: NetUid) -> Option<SubnetDetails> {
			Subnets::<T>::get().get(&netuid).copied()
		}

		/// A subnet's pending emission (0 when it has none or is not registered).
		pub fn pending_emission(netuid: NetUid) -> Balance {
			PendingEmission::<T>::get().get(&netuid).copied().unwrap_or(0)
		}

		/// A validator's unclaimed dividends on a subnet.
		pub fn unclaimed(netuid: NetUid, who: &T::AccountId) -> Owed {
			Unclaimed::<T>::get(netuid).get(who).copied().unwrap_or_default()
		}

		/// Store a subnet's ledger; an empty one is removed. The one place that writes
		/// [`Unclaimed`].
		pub(crate) fn put_ledger(netuid: NetUid, ledger: OwedTable<T>) {
			if ledger.is_empty() {
				Unclaimed::<T>::remove(netuid);
			} else {
				Unclaimed::<T>::insert(netuid, ledger);
			}
		}

		/// Add `amount` alpha to a validator's alpha balance on a subnet.
		fn credit_alpha(netuid: NetUid, who: &T::AccountId, amount: Balance) {
			if amount > 0 {
				AlphaBalances::<T>::mutate(netuid, who, |b| *b = b.saturating_add(amount));
			}
		}

		/// Pay a leaving validator what it was owed (already out of the ledger). Returns the
		/// native part that could not be minted (below a new account's existential deposit).
		fn pay_out(netuid: NetUid, who: &T::AccountId, owed: Owed) -> Balance {
			UnclaimedTotal::<T>::mutate(|t| *t = t.saturating_sub(owed.tao));
			let minted = owed.tao == 0 || T::Currency::mint_into(who, owed.tao).is_ok();
			let (tao, returned) = if minted { (owed.tao, 0) } else { (0, owed.tao) };
			Self::credit_alpha(netuid, who, owed.alpha);
			Self::deposit_event(Event::DividendsClaimed {
				netuid,
				validator: who.clone(),
				tao,
				alpha: owed.alpha,
			});
			if returned > 0 {
				Self::deposit_event(Event::DividendsReturned {
					netuid,
					validator: who.clone(),
					amount: returned,
				});
			}
			returned
		}

		/// Put native dividends that could not be paid back into a subnet's pending emission
		/// (a registered subnet has an entry or room for one: the table holds `MaxSubnets`).
		fn return_to_pending(netuid: NetUid, amount: Balance) {
			if amount == 0 {
				return;
			}
			PendingEmission::<T>::mutate(|pending| match pending.get_mut(&netuid) {
				Some(p) => *p = p.saturating_add(amount),
				None =>
					if pending.try_insert(netuid, amount).is_err() {
						log::error!(target: "runtime::subnets", "pending emission table full: {amount} lost");
					},
			});
		}

		/// Change a registered subnet's details; [`Error::SubnetNotFound`] when there is none.
		fn mutate_subnet<R>(
			netuid: NetUid,
			f: impl FnOnce(&mut SubnetDetails) -> R,
		) -> Result<R, Error<T>> {
			Subnets::<T>::try_mutate(|subnets| {
				subnets.get_mut(&netuid).map(f).ok_or(Error::<T>::SubnetNotFound)
			})
		}

		/// Whether any account holds alpha of `netuid` (one read).
		pub fn has_alpha(netuid: NetUid) -> bool {
			AlphaBalances::<T>::iter_key_prefix(netuid).next().is_some()
		}

		/// Remove up to `limit` alpha balances of `netuid`; returns how many, and their sum.
		fn do_clear_alpha(netuid: NetUid, limit: u32) -> (u32, Balance) {
			let take = usize::try_from(limit).unwrap_or(usize::MAX);
			AlphaBalances::<T>::drain_prefix(netuid)
				.take(take)
				.fold((0u32, 0u128), |(n, sum), (_, b)| {
					(n.saturating_add(1), sum.saturating_add(b))
				})
		}

		pub(crate) fn do_register_subnet(
			netuid: NetUid,
			tempo: u16,
			base_weight: u64,
		) -> DispatchResult {
			ensure!(!Self::has_alpha(netuid), Error::<T>::AlphaNotCleared);
			Subnets::<T>::try_mutate(|subnets| {
				ensure!(!subnets.contains_key(&netuid), Error::<T>::SubnetExists);
				subnets
					.try_insert(netuid, SubnetDetails { tempo, base_weight, validators: 0 })
					.map_err(|_| Error::<T>::TooManySubnets)?;
				Ok::<_, DispatchError>(())
			})
		}

		pub(crate) fn do_remove_subnet(netuid: NetUid) -> DispatchResult {
			Subnets::<T>::try_mutate(|subnets| {
				subnets.remove(&netuid).map(|_| ()).ok_or(Error::<T>::SubnetNotFound)
			})?;
			let _ = Validators::<T>::clear_prefix(netuid, T::MaxValidatorsPerSubnet::get(), None);
			// Its validators leave: each is paid what it was owed; what cannot be minted joins
			// the pending emission.
			let returned =
				Unclaimed::<T>::take(netuid).into_iter().fold(0u128, |acc, (who, owed)| {
					acc.saturating_add(Self::pay_out(netuid, &who, owed))
				});
			// Its pending emission was issued and nobody holds it: the emission pallet recycles it.
			let pending = PendingEmission::<T>::mutate(|pending| pending.remove(&netuid))
				.unwrap_or(0)
				.saturating_add(returned);
			T::OnSubnetRemoved::on_subnet_removed(netuid, pending);
			Ok(())
		}

		pub(crate) fn do_register_validator(
			netuid: NetUid,
			validator: T::AccountId,
			root_stake: Balance,
			alpha_stake: Balance,
		) -> DispatchResult {
			ensure!(root_stake > 0 || alpha_stake > 0, Error::<T>::ZeroStake);
			ensure!(
				!Validators::<T>::contains_key(netuid, &validator),
				Error::<T>::ValidatorExists
			);
			Subnets::<T>::try_mutate(|subnets| {
				let s = subnets.get_mut(&netuid).ok_or(Error::<T>::SubnetNotFound)?;
				ensure!(
					s.validators < T::MaxValidatorsPerSubnet::get(),
					Error::<T>::TooManyValidators
				);
				s.validators = s.validators.saturating_add(1);
				Ok::<_, Error<T>>(())
			})?;
			Validators::<T>::insert(
				netuid,
				validator,
				ValidatorDetails { root_stake, alpha_stake, validating: true },
			);
			Ok(())
		}

		/// Invariants: every subnet's validator count matches its validators; pending emission is
		/// kept only for registered subnets; only registered validators are owed, and
		/// [`UnclaimedTotal`] is the sum of what they are owed.
		#[cfg(any(feature = "try-runtime", test))]
		pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
			let subnets = Subnets::<T>::get();
			for (netuid, details) in subnets.iter() {
				let count = Validators::<T>::iter_prefix(netuid).count();
				ensure!(
					u32::try_from(count).ok() == Some(details.validators),
					"validator count mismatch"
				);
			}
			ensure!(
				PendingEmission::<T>::get().keys().all(|netuid| subnets.contains_key(netuid)),
				"pending emission of an unregistered subnet"
			);
			let mut owed_total: Balance = 0;
			for (netuid, ledger) in Unclaimed::<T>::iter() {
				ensure!(!ledger.is_empty(), "an empty unclaimed ledger is stored");
				ensure!(
					ledger.keys().all(|who| Validators::<T>::contains_key(netuid, who)),
					"unclaimed dividends of a validator not registered on the subnet"
				);
				owed_total = ledger.values().fold(owed_total, |t, o| t.saturating_add(o.tao));
			}
			ensure!(owed_total == UnclaimedTotal::<T>::get(), "UnclaimedTotal mismatch");
			Ok(())
		}
	}
}
