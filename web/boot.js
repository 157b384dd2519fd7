// Starts the console's wasm. A file of its own (not an inline script) so that the proxy's
// Content-Security-Policy can say `script-src 'self' 'wasm-unsafe-eval'` with no inline code.
import init from '/edgewarm_console.js';

init({ module_or_path: '/edgewarm_console_bg.wasm' });
