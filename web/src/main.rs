//! Entry point of the console's wasm: mounts the Yew app on `<body>`.

fn main() {
    edgewarm_console::host_url::install();
    yew::Renderer::<edgewarm_console::App>::new().render();
}
