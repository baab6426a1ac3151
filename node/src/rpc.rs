//! The node's RPC extensions: `system_accountNextIndex`, the transaction payment queries and, on a
//! node started with `--sealing manual`, `engine_createBlock` and `engine_finalizeBlock`.

use std::sync::Arc;

use emission_runtime::{opaque::Block, AccountId, Balance, Nonce};
use jsonrpsee::RpcModule;
use sc_transaction_pool_api::TransactionPool;
use sp_api::ProvideRuntimeApi;
use sp_block_builder::BlockBuilder;
use sp_blockchain::{Error as BlockChainError, HeaderBackend, HeaderMetadata};

/// Dependencies of the full node's RPC extensions.
pub struct FullDeps<C, P> {
	/// The client instance to use.
	pub client: Arc<C>,
	/// Transaction pool instance.
	pub pool: Arc<P>,
	/// The manual-seal task's command channel (`--sealing manual`), for the `engine_*` calls.
	pub manual_seal: Option<
		futures::channel::mpsc::Sender<
			sc_consensus_manual_seal::EngineCommand<<Block as sp_runtime::traits::Block>::Hash>,
		>,
	>,
}

/// The RPC extensions of a full node.
pub fn create_full<C, P>(
	deps: FullDeps<C, P>,
) -> Result<RpcModule<()>, Box<dyn std::error::Error + Send + Sync>>
where
	C: ProvideRuntimeApi<Block>,
	C: HeaderBackend<Block> + HeaderMetadata<Block, Error = BlockChainError> + 'static,
	C: Send + Sync + 'static,
	C::Api: substrate_frame_rpc_system::AccountNonceApi<Block, AccountId, Nonce>,
	C::Api: pallet_transaction_payment_rpc::TransactionPaymentRuntimeApi<Block, Balance>,
	C::Api: BlockBuilder<Block>,
	P: TransactionPool + 'static,
{
	use pallet_transaction_payment_rpc::{TransactionPayment, TransactionPaymentApiServer};
	use substrate_frame_rpc_system::{System, SystemApiServer};

	let mut module = RpcModule::new(());
	let FullDeps { client, pool, manual_seal } = deps;

	module.merge(System::new(client.clone(), pool).into_rpc())?;
	module.merge(TransactionPayment::new(client).into_rpc())?;
	if let Some(command_sink) = manual_seal {
		use sc_consensus_manual_seal::rpc::{ManualSeal, ManualSealApiServer};
		module.merge(ManualSeal::new(command_sink).into_rpc())?;
	}

	Ok(module)
}
