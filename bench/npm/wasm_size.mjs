// Where the bytes of each wasm go: twiggy's per-function sizes (from the build with its name
// section, before wasm-bindgen strips it) summed into the parts that decide the size goals —
// serde's generated readers and writers, the job engine, the vendor models, signing, the URL
// sources, the console's UI, the bindings, the standard library, and the read-only data — with
// the largest functions, beside the shipped file's raw and gzipped size.
//
//   node wasm_size.mjs [--top 12] NAME=BUILT.wasm:SHIPPED.wasm ...      (bench/wasm_size.sh)
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { parseArgs } from 'node:util';

const { values, positionals } = parseArgs({ options: { top: { type: 'string', default: '12' } }, allowPositionals: true });

/** Parts in the order they are tried: the first whose pattern matches a function's name. */
const PARTS = [
  ['serde: readers', /Deserializ|Visitor|MapAccess|SeqAccess|EnumAccess|VariantAccess|value_de|serde_json::de|serde_json::read|private::de::content/],
  ['serde: writers', /Serializ|value_ser|serde_json::ser/],
  ['job engine', /edgewarm::job::/],
  ['vendor models, operations', /edgewarm::(vendor|operation|record|response|rebuild|validate|limits|urls|url_list|host_name|task_rows|status)/],
  ['signing, hashing', /edgewarm::(sign|encoding|credentials|headers|request)|sha2::|hmac::|digest::/],
  ['URL sources', /edgewarm::sources|quick_xml|miniz_oxide|flate2/],
  ['console UI (Yew)', /edgewarm_console::components|\byew::|web_sys::/],
  ['console shell', /edgewarm_console::/],
  ['bindings', /edgewarm_wasm::|wasm_bindgen|js_sys::|__wbindgen|__wbg_/],
  ['proxy policy, errors, rest of the core', /edgewarm::/],
  ['time', /\btime::/],
  ['std, core, alloc, collections', /\b(core|alloc|std)(\[[0-9a-f]+\])?::|hashbrown|indexmap|dlmalloc|talc|memchr|itoa|ryu/],
  ['read-only data', /^data segment/],
];

function csvRows(text) {
  const rows = [];
  for (const line of text.split('\n').slice(1)) {
    if (!line) continue;
    // Name may hold commas and quotes: the size fields are the last four (the last two may be empty)
    const m = /^(.*),(\d+),([\d.]+),(\d*),([\d.]*)$/.exec(line);
    if (m) rows.push({ name: m[1].replace(/^"|"$/g, '').replace(/""/g, '"'), size: Number(m[2]) });
  }
  return rows;
}

for (const arg of positionals) {
  const [label, paths] = arg.split('=');
  const [built, shipped] = paths.split(':');
  const twiggy = spawnSync('twiggy', ['top', '-n', '1000000', '--format', 'csv', built], { encoding: 'utf8', maxBuffer: 1 << 28 });
  if (twiggy.status !== 0) throw new Error(`twiggy ${built}: ${twiggy.stderr}`);
  // the custom sections (names, wasm-bindgen's descriptors) are not shipped
  const rows = csvRows(twiggy.stdout).filter((r) => !/^(custom section|"function names"|function names|export "__wbindgen_describe|__wbindgen_describe|import )/.test(r.name));
  const total = rows.reduce((n, r) => n + r.size, 0);
  const sums = new Map(PARTS.map(([p]) => [p, 0]));
  sums.set('other', 0);
  for (const r of rows) {
    const part = PARTS.find(([, re]) => re.test(r.name))?.[0] ?? 'other';
    sums.set(part, sums.get(part) + r.size);
  }
  const bytes = readFileSync(shipped);
  console.log(`${label}: shipped ${bytes.length} B, ${gzipSync(bytes, { level: 9 }).length} B gzipped; functions and data ${total} B:`);
  for (const [part, size] of [...sums].sort((a, b) => b[1] - a[1])) {
    if (size > 0) console.log(`  ${part.padEnd(40)} ${String(size).padStart(9)} B  ${((100 * size) / total).toFixed(1).padStart(5)} %`);
  }
  console.log('  largest:');
  for (const r of rows.sort((a, b) => b.size - a.size).slice(0, Number(values.top))) console.log(`  ${String(r.size).padStart(9)} B  ${r.name.slice(0, 120)}`);
  console.log();
}
