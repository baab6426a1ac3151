//! Storage migrations of the emission pallet, each a
//! [`frame_support::migrations::VersionedMigration`] guarded by the pallet's storage version. A
//! runtime lists them in its `Migrations`.

pub mod v1;
pub mod v2;
pub mod v3;
pub mod v4;
pub mod v5;
