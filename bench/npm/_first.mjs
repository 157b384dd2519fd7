const t0 = performance.now();
const api = await import('edgewarm/call');
const t1 = performance.now();
const CREDS = { id: 'AKIDSANDBOX0000000000000000000000000', secret: 'sandbox-tencent-secret' };
const r1 = api.prepareCall({ action: 'PushUrlsCache', params: { Urls: ['https://www.example.com/a.js'] }, credentials: CREDS });
const t2 = performance.now();
const r2 = api.prepareCall({ action: 'PushUrlsCache', params: { Urls: ['https://www.example.com/b.js'] }, credentials: CREDS });
const t3 = performance.now();
console.log(`import ${(t1-t0).toFixed(2)} first ${(t2-t1).toFixed(2)} second ${(t3-t2).toFixed(2)}`);
