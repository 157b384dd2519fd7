//! # edgewarm console
//!
//! One console for EdgeOne, Tencent CDN and ESA: connections, targets, URLs, a plan, a dry run
//! with every signing step, a paced run with live fates, history and quotas, and ESA's scheduled
//! prefetch. All signing, planning, pacing and parsing come from the core (`edgewarm`), linked
//! directly; this crate is views ([`components`]), one [`store`] (a `Reducible` state with an
//! action enum), and thin shells for the browser's I/O ([`net`], [`runner`], [`storage`], [`journal`]).

pub mod components;
pub mod connection;
pub mod export;
pub mod gunzip;
pub mod host_url;
pub mod journal;
pub mod net;
pub mod restore;
pub mod route;
pub mod runner;
pub mod spec;
pub mod storage;
pub mod store;
pub mod time_display;

pub use components::app::App;
