//! Benchmarks of the emission pallet (frame-benchmarking v2).

#![allow(clippy::arithmetic_side_effects, clippy::float_arithmetic)]

use super::*;
use frame_benchmarking::v2::*;
use frame_support::traits::EnsureOrigin;
use sp_runtime::Permill;

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn set_emission_top_subnet_proportion() -> Result<(), BenchmarkError> {
		let origin =
			T::AdminOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let proportion = Permill::from_percent(50);

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, proportion);

		assert_eq!(EmissionTopSubnetProportion::<T>::get(), proportion);
		Ok(())
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}
