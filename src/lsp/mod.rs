//! `clausecheck lsp`: a language server for rule files, so analysts see in their editor what the
//! CLI would say, as they type.
//!
//! The server answers from an [`workspace::Analysis`] of the rule folder a file belongs to (its
//! `.terms` files, open buffers over what is on disk): the CLI's diagnostics (syntax, resolve,
//! lint), hovers, definitions and references, rename, completion, quick fixes and formatting.
//! Each of those is a module of its own, plain functions from an analysis and a place to LSP
//! values; `server.rs` is the only module that knows the protocol's transport, and reads no file
//! itself (the CLI hands it a [`server::Disk`]).
//!
//! Nothing here restates a rule of the language: parsing is `syntax` (with the good pieces of a
//! broken file kept, `syntax::parse_partial`), errors are the resolver's and lint's, keywords
//! are the grammar's (`syntax::keywords_at`), suggestions `suggest.rs`'s, layout `format`'s.
//! What is new is the name index ([`index`]: definitions and uses with spans), which other tools
//! can use too, and the conversion of byte offsets to the protocol's UTF-16 positions
//! ([`position`]), written once.

pub mod actions;
pub mod completion;
pub mod hover;
pub mod index;
pub mod navigate;
pub mod position;
pub mod server;
pub mod workspace;
