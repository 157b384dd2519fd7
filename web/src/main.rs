//! Entry point of the console's wasm: mounts the Yew app on `<body>`.

fn main() {
    yew::Renderer::<edgewarm_console::App>::new().render();
}
