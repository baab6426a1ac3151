//! The emission dev node: Aura block production, GRANDPA finality, the emission dev runtime.

#![warn(missing_docs)]

mod chain_spec;
mod cli;
mod command;
mod rpc;
mod service;

fn main() -> sc_cli::Result<()> {
	command::run()
}
