// URLs whose parsing differs between WHATWG parsers if anything does: international names,
// odd hosts and ports, credentials, escapes, `xn--` labels Chromium lets through. Both wasm
// modules parse with the host's `URL`; tests/url_answers.json records the answer for each case
// and service, and the Rust parser (natively), Node (call.test.mjs) and Chromium (the bundle
// page, browser.test.mjs) are each held to it.
export const URL_CASES = [
  'https://www.example.com/a.js',
  'https://例子.测试/路径/a.png?q=é',
  'https://BÜCHER.example/x',
  'https://Example.COM:443/a',
  'http://example.com:8080/a b',
  'https://xn--fsqu00a.xn--0zwm56d/',
  'http://0x7f.1/x',
  'http://127.0.0.1:80/',
  'http://[::1]:8080/x',
  'http://[0:0::1]/',
  'https://a.example./x',
  'https://%65xample.com/x',
  'https://user:pw@example.com/x',
  'https://user@example.com/x',
  'https://exa mple.com/',
  'https://example.com:99999/',
  'https://[::1/',
  'https:///a',
  'https://ex%00ample.com/',
  'https://xn--a.example/',
  'https://xn--.example/',
  'https://xn--zz.example/',
  'https://xn--abc-.example/',
  'https://XN--FA-HIA.de/',
  'https://faß.de/x',
  'https://xn--ls8h.la/',
  'https://xn--1ug.example/',
  'https://exa%20mple.com/',
  'https://a%41.com/',
  'https://ＥＸＡＭＰＬＥ.com/full-width',
  'https://*.example.com/a',
  'ftp://example.com/a',
];

/** The services each case is answered for, in tests/url_answers.json's order. */
export const URL_SERVICES = ['teo', 'cdn', 'esa'];

/** `prepareUrl` of a module, or the error's name, code, field and rule. */
export function answer(m, url, service) {
  try {
    return m.prepareUrl(url, service);
  } catch (e) {
    return { name: e.name, code: e.code, field: e.field, rule: e.rule };
  }
}
