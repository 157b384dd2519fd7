// What a wasm would weigh without a part: a measured lower bound for a size goal that only a
// redesign can reach (issue 18: the console's first load, the npm tarball). For each cut it
// takes the build with its name section (before wasm-bindgen), replaces the body of every
// function whose demangled name mentions the part with `unreachable`, lets binaryen drop what
// nothing reaches any more (remove-unused-module-elements), strips the custom sections (not
// shipped) and gzips the code (level 9). The same pipeline without a cut is the baseline, so
// the fraction compares like with like; "shipped ≈" applies it to the shipped file's gzip.
//
// A bound, not a build: a function is cut when its name mentions the part anywhere, generic
// instances included (`drop_in_place<edgewarm::job::UrlEntry>`), and a split design would add
// back the bridge that reaches the cut part (JS calls, the types crossing). Read-only data is
// never cut (binaryen cannot tell whose strings are whose), which errs the other way.
//
//   node wasm_bound.mjs NAME=BUILT.wasm:SHIPPED.wasm ...      (bench/wasm_bound.sh)
import binaryen from 'binaryen';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

/** The parts a redesign could move out of a module, by the demangled names of their functions. */
const CORE = /(?<!\w)edgewarm::|quick_xml|miniz_oxide|flate2|sha2::|hmac::/;
const JOBS = /(?<!\w)edgewarm::(job|sources)::|edgewarm_wasm::(job|sources)::|quick_xml|miniz_oxide|flate2/;
const CALL_BINDINGS = /edgewarm_wasm::(calls|policy)::/;
/** What the call module already holds: the vendor models, signing and URL checks (and their bindings). */
const VENDOR = /(?<!\w)edgewarm::(vendor|operation|record|response|rebuild|validate|limits|urls|url_list|host_name|task_rows|status|sign|encoding|credentials|headers|request|value_de|value_ser|proxy_policy)::|sha2::|hmac::|edgewarm_wasm::(calls|policy)::/;
const SECONDARY_PAGES = /edgewarm_console::components::(history|scheduled|connections)::/;
const either = (...res) => new RegExp(res.map((r) => r.source).join('|'));

/** Cuts per module (by its label): what each would leave if the part lived elsewhere. */
const CUTS = {
  console: [
    ['the core (job engine, vendor models, signing, sources)', CORE],
    ['the History & quotas, ESA scheduled and Connections pages', SECONDARY_PAGES],
    ['both', either(CORE, SECONDARY_PAGES)],
  ],
  'full module': [
    ['the call exports (their bindings: calls, policy)', CALL_BINDINGS],
    ['the job engine and the sources', JOBS],
    ['the vendor code, signing and the call exports (a jobs-only module that leaves them to the call module)', VENDOR],
  ],
};

const ESCAPES = { $LT$: '<', $GT$: '>', $RF$: '&', $BP$: '*', $C$: ',', $u20$: ' ', $u27$: "'", $u22$: '"', $u3b$: ';', $u5b$: '[', $u5d$: ']', $u7b$: '{', $u7d$: '}', $u7e$: '~', $u2b$: '+' };

/** Rust's legacy mangling (`_ZN…17h<hash>E`) read back to a path; other names as they are. */
function demangle(name) {
  if (!name.startsWith('_ZN')) return name;
  const parts = [];
  let i = 3;
  while (i < name.length && name[i] !== 'E') {
    const digits = /^\d+/.exec(name.slice(i));
    if (!digits) return name;
    i += digits[0].length;
    parts.push(name.slice(i, i + Number(digits[0])));
    i += Number(digits[0]);
  }
  if (/^h[0-9a-f]{16}$/.test(parts.at(-1) ?? '')) parts.pop();
  return parts
    .map((p) => p.replace(/^_\$/, '$').replace(/\$(LT|GT|RF|BP|C|u[0-9a-f]{2})\$/g, (m) => ESCAPES[m] ?? m).replaceAll('..', '::'))
    .join('::');
}

/** The shippable code of `bytes` with every function named by `cut` emptied: its gzipped size. */
function weigh(bytes, cut) {
  const module = binaryen.readBinary(bytes);
  try {
    module.setFeatures(binaryen.Features.All);
    let emptied = 0;
    for (let i = 0; i < module.getNumFunctions(); i++) {
      const fn = module.getFunctionByIndex(i);
      const info = binaryen.getFunctionInfo(fn);
      if (info.module || !cut || !cut.test(demangle(info.name))) continue;
      binaryen._BinaryenFunctionSetBody(fn, module.unreachable());
      emptied++;
    }
    // wasm-bindgen's descriptor exports, which it removes when it writes the shipped module
    for (let i = module.getNumExports() - 1; i >= 0; i--) {
      const { name } = binaryen.getExportInfo(module.getExportByIndex(i));
      if (name.startsWith('__wbindgen_describe')) module.removeExport(name);
    }
    module.runPasses(['remove-unused-module-elements']);
    const code = withoutCustomSections(module.emitBinary());
    return { emptied, raw: code.length, gz: gzipSync(code, { level: 9 }).length };
  } finally {
    module.dispose();
  }
}

/** The module without its custom sections (names, wasm-bindgen's schema, target features). */
function withoutCustomSections(bytes) {
  const b = Buffer.from(bytes);
  const kept = [b.subarray(0, 8)];
  let p = 8;
  const leb = () => {
    let r = 0;
    let s = 0;
    let x;
    do {
      x = b[p++];
      r += (x & 0x7f) * 2 ** s;
      s += 7;
    } while (x & 0x80);
    return r;
  };
  while (p < b.length) {
    const start = p;
    const id = b[p++];
    const end = leb() + p;
    if (id !== 0) kept.push(b.subarray(start, end));
    p = end;
  }
  return Buffer.concat(kept);
}

const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;
for (const arg of process.argv.slice(2)) {
  const [label, paths] = arg.split('=');
  const [built, shipped] = paths.split(':');
  const cuts = CUTS[label];
  if (!cuts) throw new Error(`no cuts for ${label}: one of ${Object.keys(CUTS).join(', ')}`);
  const bytes = readFileSync(built);
  const shippedGz = gzipSync(readFileSync(shipped), { level: 9 }).length;
  const base = weigh(bytes, null);
  console.log(`${label}: shipped ${shippedGz} B gzipped (${kib(shippedGz)}); the same pipeline, nothing cut: ${base.gz} B`);
  for (const [what, cut] of cuts) {
    const w = weigh(bytes, cut);
    const fraction = w.gz / base.gz;
    console.log(`  without ${what}: ${w.emptied} functions emptied, ${w.gz} B (${(100 * fraction).toFixed(1)} %), shipped ≈ ${Math.round(fraction * shippedGz)} B (${kib(fraction * shippedGz)})`);
  }
  console.log();
}
