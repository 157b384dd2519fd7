// Types of `edgewarm/vite`: the Vite / Rollup plugin that warms what a build emitted.

/** Options of the plugin. Credentials come from the environment (the CLI's variables). */
export interface EdgewarmPluginOptions {
  /** `edgeone` (Tencent EdgeOne), `cdn` (Tencent CDN) or `esa` (Alibaba ESA). */
  vendor: 'edgeone' | 'cdn' | 'esa';
  /** Where the build is served from; emitted files are warmed at `baseUrl + fileName`. Default: Vite's `base` when it is an absolute URL. */
  baseUrl?: string;
  /** EdgeOne ZoneId (required for edgeone). */
  zoneId?: string;
  /** ESA SiteId (required for esa). */
  siteId?: number | string;
  /** API region (esa: the site's region, default cn-hangzhou). */
  region?: string;
  /** Tencent Cloud international site endpoints. */
  intl?: boolean;
  /** Tencent CDN area: mainland, overseas or global. */
  area?: 'mainland' | 'overseas' | 'global';
  /** Send through an edgewarm proxy or edge worker at this base URL. */
  proxy?: string;
  /** Send the vendor requests to this base URL instead (Host kept as signed). */
  endpoint?: string;
  /** Extra URLs to warm with the build's files. */
  urls?: string[];
  /** Extra sources: files, or http(s) URLs of sitemaps, lists or playlists. */
  sources?: string[];
  /** Only files whose name (relative to the output directory) matches one of these. */
  include?: string | RegExp | (string | RegExp)[];
  /** Files to leave out; default: source maps and `.vite/` manifests. */
  exclude?: string | RegExp | (string | RegExp)[];
  /** Purge every URL first, wait until each purge is done, then warm it (the refresh job). */
  purgeFirst?: boolean;
  /** Plan and print, send nothing. */
  dryRun?: boolean;
  /** Requests per second (default: the vendor's documented rate). */
  rate?: number;
  /** Fail the build when any URL is not warmed, with the reasons (default true). */
  failOnError?: boolean;
  /** Journal path; default `<cacheDir>/edgewarm/…` (Vite) or `node_modules/.cache/edgewarm/…`. */
  journal?: string;
  /** Where the summary lines go (default: stdout). */
  logger?: (line: string) => void;
}

/** A Vite plugin that is also a plain Rollup plugin (hooks: configResolved, writeBundle). */
export interface EdgewarmPlugin {
  name: 'edgewarm';
  apply: 'build';
  enforce: 'post';
  configResolved(config: { base?: string; cacheDir?: string; root?: string; build?: { ssr?: unknown } }): void;
  writeBundle(this: unknown, outputOptions: { dir?: string; file?: string }, bundle: Record<string, { fileName: string }>): Promise<void>;
}

/** The plugin: `plugins: [edgewarm({ vendor: 'cdn', baseUrl: 'https://static.example.com/' })]`. */
export default function edgewarm(options: EdgewarmPluginOptions): EdgewarmPlugin;
export { edgewarm };
/** A glob (`*`, `**`, `?`, `{a,b}`) as a RegExp over `/`-separated file names. */
export function globToRegExp(glob: string): RegExp;
