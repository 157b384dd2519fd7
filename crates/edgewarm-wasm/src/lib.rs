//! # edgewarm-wasm — the npm package's engine
//!
//! A thin wasm-bindgen binding of the sans-IO core. Each export converts its arguments (JSON
//! data, `convert.rs`), calls the core, and converts the result back; failures are thrown as
//! plain `{kind, code, message, field, rule, class, retryable, …}` objects that the package's JS
//! layer (`pkg/lib/errors.mjs`) turns into `Error` subclasses. Nothing here decides anything:
//! signing, validation, parsing, planning, pacing and the proxy policy all live in the core.
//!
//! Features match the core's: the default build (`jobs`, `sources`) is the package's full
//! module; `--no-default-features` is the call module (`edgewarm/call`): build, validate, sign,
//! verify, parse and the proxy policy, for edge workers and pages that only sign calls.
//!
//! The TypeScript types of every parameter and result are generated from the core's Rust types
//! (tsify, the core's `ts` feature) and referenced from each export's signature.

// the call module's allocator (feature `small-alloc`): a long-lived worker allocates and frees
// per request, so a general allocator, only smaller than the default dlmalloc
#[cfg(all(
    feature = "small-alloc",
    target_family = "wasm",
    not(target_feature = "atomics")
))]
#[global_allocator]
static TALC: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

mod calls;
mod convert;
mod errors;
#[cfg(target_arch = "wasm32")]
mod host_url;
#[cfg(feature = "jobs")]
mod job;
mod policy;
#[cfg(feature = "sources")]
mod sources;
mod urls;

pub use calls::*;
#[cfg(feature = "jobs")]
pub use job::JsJob;
pub use policy::JsPolicy;
#[cfg(feature = "sources")]
pub use sources::*;
pub use urls::*;
