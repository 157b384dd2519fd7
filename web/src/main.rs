//! Entry point of the console's wasm: mounts the Yew app on `<body>`.

// Talc instead of Rust's default wasm allocator (dlmalloc): about 8 KB less of the console's wasm,
// a general allocator that frees as dlmalloc does (the npm package's call module uses it too).
// Memory and speed on a 200 000-URL job: `sh bench/console_scale.sh`.
#[cfg(all(target_family = "wasm", not(target_feature = "atomics")))]
#[global_allocator]
static TALC: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

fn main() {
    edgewarm_console::host_url::install();
    yew::Renderer::<edgewarm_console::App>::new().render();
}
