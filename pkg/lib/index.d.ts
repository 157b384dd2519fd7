// Public types of the edgewarm package. Every data type (parameters, requests, outputs, job
// state, errors' details) is generated from the core's Rust types in ../wasm/edgewarm.d.ts.
import type {
  Step, CallInput, CodeHelp, Endpoint, EndpointOptions, ErrorClass, Extracted, HttpRequest,
  JobSpec, Output, Playlist, PlanSummary, PreparedUrl, Progress, Rule, Service, Signed,
  SigningParams, Sitemap, SitemapLimits, Upstream, UrlEntry, ValidationError as ValidationProblem, Verified,
  Credentials, TransportError, ActionStats, PayloadHash, CorsPolicy, Limits,
  FailureSummary, QuotaReading, SourceKind, PhaseCounts, ExplainedError, RefusedHost, JournalWrite,
} from '../wasm/edgewarm.js';

export type * from '../wasm/edgewarm.js';
export { ProxyPolicy, PlaylistExpander } from '../wasm/edgewarm.js';
import type { ProxyPolicy } from '../wasm/edgewarm.js';

/** What kind of failure: `validation`, `api`, `refusal`, `argument`, `params`, … */
export type ErrorKind =
  | 'validation' | 'api' | 'unknown-action' | 'params' | 'malformed-response' | 'signing'
  | 'argument' | 'journal' | 'refusal' | 'source' | 'internal';

/** Every failure of the package. */
export class EdgewarmError extends Error {
  readonly kind: ErrorKind;
  /** The vendor's code for API errors; `edgewarm.*` otherwise. */
  readonly code: string;
  /** The field named by the first problem. */
  readonly field?: string;
  readonly rule?: Rule;
  readonly class: ErrorClass;
  readonly retryable: boolean;
  readonly hint?: string;
  readonly httpStatus?: number;
  readonly requestId?: string;
}
/** Input that breaks a documented rule; `errors` names every bad field. */
export class ValidationError extends EdgewarmError {
  readonly errors: ValidationProblem[];
}
/** An error answered by a vendor. */
export class ApiError extends EdgewarmError {}
/** A request the proxy policy refuses. */
export class ProxyRefusal extends EdgewarmError {}

/** Where requests go: the vendor itself (Node, workers) or an edgewarm proxy / edge worker. */
export type Transport = { kind: 'vendor' } | { kind: 'proxy'; base: string };

/** Signing input; `signing` defaults to now, a random nonce and (in Node) a native hash. */
export interface SignRequestInput {
  request: HttpRequest;
  service: Service;
  credentials: Credentials;
  signing?: Partial<SigningParams>;
}

export function operations(): { service: Service; action: string; name: string }[];
export function endpoint(service: Service, options?: EndpointOptions): Endpoint;
export function validate(input: CallInput): Service;
export function buildRequest(input: CallInput): HttpRequest;
export function signRequest(input: SignRequestInput): Signed;
export function signRequestAsync(input: SignRequestInput): Promise<Signed>;
export function prepareCall(input: CallInput & { credentials: Credentials; signing?: Partial<SigningParams> }): Signed & { service: Service };
/**
 * `POST /sign`'s intent in one crossing: built (limits as `signLimits` gave them), validated,
 * routed by `policy` (a host it does not allow is refused before anything is signed) and signed
 * with `credentials`; `undefined` when the intent is valid but there are no credentials.
 */
export function signIntent(policy: ProxyPolicy, input: CallInput & { credentials?: Credentials; signing?: Partial<SigningParams> }): (Signed & { service: Service }) | undefined;
export function parseResponse(action: string, status: number, body: string): Output;
export function verifyRequest(request: HttpRequest, credentials: Credentials, now: number): Verified;
export function lookupCode(code: string): CodeHelp | undefined;
/** A vendor error in English first (Chinese messages keep the vendor's text after it), with a hint naming the parameter. */
export function explainError(code: string, message: string, fields?: string[]): ExplainedError;
export function serviceOf(action: string): Service;
/** The reader a source needs, from its name, content type and first bytes (the core's rule). */
export function detectSource(name: string | undefined, contentType: string | undefined, bytes: Uint8Array): SourceKind;
export function randomNonce(): string;
export function parseList(name: string, text: string): Extracted;
/** A sitemap or index (plain or gzip); throws `BadSource` past `limits.maxBytes` decompressed (50 MiB). */
export function parseSitemap(bytes: Uint8Array, limits?: Partial<SitemapLimits>): Sitemap;
export function parsePlaylist(text: string, url: string): Playlist;
export function prepareUrl(url: string, service: Service): PreparedUrl;
export function dedupe(urls: string[]): string[];
export function checkOrigin(origin: string | null | undefined, allowed: string[]): void;
export function refusalJson(status: number, code: string, message: string): string;
export function corsPolicy(): CorsPolicy;
export function signActions(configured?: string | null): string[];
export function defaultSignActions(): string[];
export function checkSignAction(action: string, allowed: string[]): void;
export function checkBearer(authorization: string | null | undefined, token: string): void;
export function signLimits(limits?: Partial<Limits> | null): Limits;
export function rebuildRequest(input: { request: HttpRequest; limits?: Partial<Limits> }): { service: Service; request: HttpRequest };

export function requestUrl(request: HttpRequest, transport?: Transport): string;
export function toCurl(request: HttpRequest, transport?: Transport): string;
export interface Answer { status: number; body: Uint8Array; dateMs?: number }
export interface SendOptions { transport?: Transport; fetch?: typeof fetch; signal?: AbortSignal }
export function sendRequest(request: HttpRequest, options?: SendOptions): Promise<Answer>;
/** Builds, signs, sends and parses one call; resolves to the operation's typed output. */
export function call(input: CallInput & { credentials: Credentials; signing?: Partial<SigningParams> }, options?: SendOptions): Promise<Output['output']>;

/** A job (prefetch, purge or refresh: `spec.kind`): the core's engine (sans-IO). */
export class Job {
  constructor(spec: JobSpec, urls: string[], seed?: number, nowMs?: number);
  /** From one whole journal, or a snapshot and its records one per line (a torn last line is ignored). */
  static resume(journal: string): Job;
  /** From a snapshot and its records kept apart (IndexedDB), in append order. */
  static resumeParts(snapshot: string, records: string[]): Job;
  /**
   * A job over a text of one URL a line (LF or CRLF; white space trimmed, blank lines skipped),
   * as a string or UTF-8 bytes (a file's `Buffer`): the list crosses into wasm once, in one piece.
   */
  static fromText(spec: JobSpec, text: string | Uint8Array, seed?: number, nowMs?: number): Job;
  nextActions(nowMs: number, credentials: Credentials): Step[];
  dryRun(nowMs: number, credentials: Credentials): HttpRequest[];
  /** The signed submit call of planned batch `batch` alone, as `dryRun` gives it (`undefined` when not planned). */
  dryRunBatch(batch: number, nowMs: number, credentials: Credentials): HttpRequest | undefined;
  onResponse(callId: number, status: number, body: Uint8Array, nowMs: number, serverDateMs?: number | null): void;
  onTransportError(callId: number, kind: TransportError, nowMs: number): void;
  progress(nowMs: number): Progress;
  /** The plan, with URLs per host; warns about hosts refused so far or missing from `servedHosts`. */
  plan(servedHosts?: string[]): PlanSummary;
  /** The hosts the vendor refused for this job (their URLs fail without being sent). */
  refusedHosts(): Record<string, RefusedHost>;
  /** URLs per fate, failures grouped by code with what to do, throttling, deferral, halt. */
  failureSummary(): FailureSummary;
  /** The prefetch quota a quota answer leaves for this job's target (CDN: least over its areas). */
  prefetchQuota(answer: Output): QuotaReading | undefined;
  /** The phase running and the failures of each phase (a refresh's failed purges are never prefetched). */
  phaseCounts(): PhaseCounts;
  urls(): UrlEntry[];
  /** The URLs whose fate is one of `fates`, in input order (a summary's failures without copying every entry). */
  urlsByFate(fates: Array<'pending' | 'submitted' | 'succeeded' | 'failed' | 'deferred' | 'invalid'>): UrlEntry[];
  stats(): Record<string, ActionStats>;
  spec(): JobSpec;
  isDone(): boolean;
  /** The whole state as one line of JSON: a journal that resumes on its own. */
  journal(): string;
  /**
   * What to write to the journal now, costing what changed since the last update: a `snapshot`
   * (replace everything stored with `text`) or a `record` (append `text` as one more line).
   */
  journalUpdate(): JournalWrite;
  retryFailed(seed?: number, nowMs?: number): Job;
  free(): void;
}

export interface RunJobOptions {
  credentials: Credentials;
  transport?: Transport;
  fetch?: typeof fetch;
  signal?: AbortSignal;
  onProgress?: (progress: Progress) => void;
  /** Called before every round of sends and at the end, with the whole journal (O(job) a call). */
  saveJournal?: (journal: string) => void | Promise<void>;
  /** Called instead, with `job.journalUpdate()`: a snapshot or a record, O(that call). Persist it before resolving. */
  writeJournal?: (write: JournalWrite) => void | Promise<void>;
  now?: () => number;
  timeoutMs?: number;
  /** At most one `onProgress` per this many ms (100; counting fates costs O(job)), and one at the end. */
  progressEveryMs?: number;
}
/** Runs a job to the end with fetch and timers; resolves to the final progress. */
export function runJob(job: Job, options: RunJobOptions): Promise<Progress>;

export type Source = { name?: string; bytes: Uint8Array; baseUrl?: string } | { url: string; name?: string };
export interface Collected {
  urls: string[];
  rejected: (Extracted['rejected'][number] & { source?: string })[];
  duplicates: number;
  errors: { source?: string; message: string }[];
}
/** URLs from lists, sitemaps (indexes followed) and playlists (expanded). */
export interface CollectOptions {
  fetch?: typeof fetch;
  signal?: AbortSignal;
  /** Largest decompressed sitemap, in bytes (default 52 428 800: the protocol's 50 MB). */
  maxBytes?: number;
  /** Largest fetched document, in bytes (default `maxBytes`). */
  maxFetchBytes?: number;
  /** Most sitemap documents per source, index children counted before they are fetched (1 000). */
  maxSitemaps?: number;
}
/**
 * URLs from lists, sitemaps (indexes followed) and playlists (expanded). Fetches follow at most
 * 5 redirects, to http(s) only; caps exceeded are reported in `errors`, naming the cap.
 */
export function collectUrls(sources: Source[], options?: CollectOptions): Promise<Collected>;

export type { PayloadHash };
