//! Command line of the node.

use sc_cli::RunCmd;

/// The node's command line: a subcommand, or the flags of a running node.
#[derive(Debug, clap::Parser)]
pub struct Cli {
	/// A subcommand; without one the node runs.
	#[command(subcommand)]
	pub subcommand: Option<Subcommand>,

	/// Flags of a running node (`--dev`, `--chain`, `--alice`, `--rpc-port`, ...).
	#[clap(flatten)]
	pub run: RunCmd,

	/// How blocks are made: `aura` (slots and GRANDPA finality, the default), `instant` (a block
	/// for every transaction the pool imports), `manual` (a block on each `engine_createBlock`
	/// RPC call) or `manual:<ms>` (`manual`, plus a block every `<ms>` milliseconds). The last
	/// three are for tests on a single node: blocks carry an Aura pre-digest for the slot after
	/// the best block's and a timestamp one slot later, so the runtime sees the same slots as
	/// under Aura, however fast blocks come; each block is finalized when it is made and GRANDPA
	/// does not run.
	#[arg(long, value_name = "MODE", default_value = "aura", value_parser = parse_sealing)]
	pub sealing: Sealing,
}

/// How the node makes blocks (`--sealing`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sealing {
	/// Aura slots, GRANDPA finality.
	Aura,
	/// A block, finalized, for every transaction imported into the pool.
	Instant,
	/// A block, finalized, on each `engine_createBlock` call, and every `every_ms` milliseconds if
	/// given.
	Manual {
		/// The interval between blocks made without a call, if any.
		every_ms: Option<u64>,
	},
}

/// Parse `--sealing`: `aura`, `instant`, `manual` or `manual:<ms>` with `<ms>` at least 1.
pub fn parse_sealing(value: &str) -> Result<Sealing, String> {
	match value {
		"aura" => Ok(Sealing::Aura),
		"instant" => Ok(Sealing::Instant),
		"manual" => Ok(Sealing::Manual { every_ms: None }),
		other => {
			let ms = other.strip_prefix("manual:").ok_or_else(|| {
				format!("`{other}`: expected aura, instant, manual or manual:<ms>")
			})?;
			match ms.parse::<u64>() {
				Ok(ms) if ms > 0 => Ok(Sealing::Manual { every_ms: Some(ms) }),
				_ => Err(format!(
					"`{ms}`: the interval of manual:<ms> is a whole number of milliseconds above 0"
				)),
			}
		},
	}
}

#[cfg(test)]
mod tests {
	use super::{parse_sealing, Sealing};

	#[test]
	fn sealing_modes_parse() {
		assert_eq!(parse_sealing("aura"), Ok(Sealing::Aura));
		assert_eq!(parse_sealing("instant"), Ok(Sealing::Instant));
		assert_eq!(parse_sealing("manual"), Ok(Sealing::Manual { every_ms: None }));
		assert_eq!(parse_sealing("manual:250"), Ok(Sealing::Manual { every_ms: Some(250) }));
		for bad in ["", "Aura", "manual:", "manual:0", "manual:-5", "manual:1.5", "instant:3"] {
			assert!(parse_sealing(bad).is_err(), "{bad:?} parsed");
		}
	}
}

/// The node's subcommands.
#[derive(Debug, clap::Subcommand)]
#[allow(clippy::large_enum_variant)]
pub enum Subcommand {
	/// Key management utilities.
	#[command(subcommand)]
	Key(sc_cli::KeySubcommand),

	/// Build a chain specification (deprecated upstream: prefer `export-chain-spec`).
	BuildSpec(sc_cli::BuildSpecCmd),

	/// Export the chain specification of a built-in chain (`--chain dev|local`) or a file.
	ExportChainSpec(sc_cli::ExportChainSpecCmd),

	/// Validate blocks.
	CheckBlock(sc_cli::CheckBlockCmd),

	/// Export blocks.
	ExportBlocks(sc_cli::ExportBlocksCmd),

	/// Export the state of a given block into a chain spec.
	ExportState(sc_cli::ExportStateCmd),

	/// Import blocks.
	ImportBlocks(sc_cli::ImportBlocksCmd),

	/// Remove the whole chain.
	PurgeChain(sc_cli::PurgeChainCmd),

	/// Revert the chain to a previous state.
	Revert(sc_cli::RevertCmd),

	/// Benchmark the runtime's pallets (only in a node built with `--features
	/// runtime-benchmarks`).
	#[cfg(feature = "runtime-benchmarks")]
	#[command(subcommand)]
	Benchmark(frame_benchmarking_cli::BenchmarkCmd),

	/// Db meta columns information.
	ChainInfo(sc_cli::ChainInfoCmd),
}
