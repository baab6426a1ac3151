//! Weights this runtime benchmarked on its own machine (`scripts/bench.sh`), for FRAME parts whose
//! `WeightInfo` is configured here rather than in a pallet of this workspace.

pub mod frame_system_extensions;
