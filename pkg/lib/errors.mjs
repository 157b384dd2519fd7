// Errors of the package: every failure of the wasm core arrives as a plain object
// `{kind, code, message, field, rule, class, retryable, …}` and leaves as one of these classes.

/** Base class: `code` (vendor code or `edgewarm.*`), `field`, `class`, `retryable`. */
export class EdgewarmError extends Error {
  constructor(detail) {
    super(detail.message ?? String(detail.code));
    this.name = 'EdgewarmError';
    this.kind = detail.kind ?? 'internal';
    this.code = detail.code ?? 'edgewarm.Internal';
    this.field = detail.field;
    this.rule = detail.rule;
    this.class = detail.class ?? 'server';
    this.retryable = Boolean(detail.retryable);
    if (detail.hint !== undefined) this.hint = detail.hint;
    if (detail.httpStatus !== undefined) this.httpStatus = detail.httpStatus;
    if (detail.requestId !== undefined) this.requestId = detail.requestId;
  }
}

/** Input that breaks a documented rule; `errors` lists every bad field. */
export class ValidationError extends EdgewarmError {
  constructor(detail) {
    super(detail);
    this.name = 'ValidationError';
    this.errors = detail.errors ?? [];
  }
}

/** An error answered by a vendor (or the sandbox), classified. */
export class ApiError extends EdgewarmError {
  constructor(detail) {
    super(detail);
    this.name = 'ApiError';
  }
}

/** A request the proxy policy refuses (status and stable code). */
export class ProxyRefusal extends EdgewarmError {
  constructor(detail) {
    super(detail);
    this.name = 'ProxyRefusal';
  }
}

const classes = { validation: ValidationError, api: ApiError, refusal: ProxyRefusal };

/** Turns whatever the wasm threw into an `EdgewarmError`. */
export function toError(thrown) {
  if (thrown instanceof EdgewarmError) return thrown;
  if (thrown && typeof thrown === 'object' && typeof thrown.kind === 'string' && 'code' in thrown) {
    const Class = classes[thrown.kind] ?? EdgewarmError;
    return new Class(thrown);
  }
  if (thrown instanceof Error) {
    // a trap inside the module would land here; the core is built never to panic
    return new EdgewarmError({ kind: 'internal', code: 'edgewarm.Internal', message: thrown.message });
  }
  return new EdgewarmError({ kind: 'internal', code: 'edgewarm.Internal', message: String(thrown) });
}

/** Wraps a function so that what it throws is an `EdgewarmError`. */
export function guard(fn) {
  return function guarded(...args) {
    try {
      return fn.apply(this, args);
    } catch (e) {
      throw toError(e);
    }
  };
}

/** Wraps every method of a wasm-bindgen class in place (instances made by statics included). */
export function guardClass(Class) {
  for (const target of [Class.prototype, Class]) {
    for (const name of Object.getOwnPropertyNames(target)) {
      if (name === 'constructor' || name === 'prototype' || name === 'length' || name === 'name') continue;
      const d = Object.getOwnPropertyDescriptor(target, name);
      if (d && typeof d.value === 'function' && !name.startsWith('__')) {
        Object.defineProperty(target, name, { ...d, value: guard(d.value) });
      }
    }
  }
  return Class;
}
