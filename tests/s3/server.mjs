// The local S3 server of the object-storage tests: s3rver (npm) on a free loopback port,
// storing in DIR, with bucket "sluice" created, and two checks s3rver does not make:
//  - every AWS Signature V4 is verified (s3rver 3.7 checks only that the access key exists),
//    computed here with node's crypto, independently of Sluice's signer; a mismatch answers
//    403 SignatureDoesNotMatch as S3 does;
//  - every request is logged to LOG as "METHOD PATH?QUERY RANGE STATUS BYTES" (the path as
//    sent: /bucket/key in path style, /key at <bucket>.s3.localhost), so that tests
//    can count requests and the bytes a scan fetched.
// Usage: node --openssl-legacy-provider server.mjs DIR LOG
//   (prints the port on stdout once it listens; s3rver enciphers ListObjectsV2 continuation
//   tokens with DES, which node's OpenSSL 3 offers only through its legacy provider)
import { createRequire } from 'module';
import { createHmac, createHash } from 'crypto';
import { appendFileSync } from 'fs';

const require = createRequire(import.meta.url);
const S3rver = require('s3rver');

const [dir, log] = process.argv.slice(2);
const SECRETS = { S3RVER: 'S3RVER' };  // s3rver's built-in account

// AWS's URI encoding of a query name or value.
const encode = (s) =>
  encodeURIComponent(s).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
const hmac = (key, text) => createHmac('sha256', key).update(text).digest();

function verify(req) {
  const auth = req.headers['authorization'];
  if (!auth || !auth.startsWith('AWS4-HMAC-SHA256 ')) return null;
  const fields = Object.fromEntries(
    auth.slice(17).split(',').map((f) => f.trim().split('=')).map(([k, ...v]) => [k, v.join('=')]));
  const [key, date, region, service] = fields.Credential.split('/');
  if (!(key in SECRETS)) return null;  // s3rver answers InvalidAccessKeyId
  const [path, rawQuery = ''] = req.url.split('?');
  const query = rawQuery
    .split('&')
    .filter((p) => p.length > 0)
    .map((p) => {
      const [k, v = ''] = p.split('=');
      return [encode(decodeURIComponent(k)), encode(decodeURIComponent(v))];
    })
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : 1))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  const names = fields.SignedHeaders.split(';');
  const headers = names.map((n) => `${n}:${String(req.headers[n] ?? '').trim().replace(/\s+/g, ' ')}\n`).join('');
  const canonical = [req.method, path, query, headers, fields.SignedHeaders,
                     req.headers['x-amz-content-sha256']].join('\n');
  const amzDate = req.headers['x-amz-date'];
  const toSign = ['AWS4-HMAC-SHA256', amzDate, `${date}/${region}/${service}/aws4_request`,
                  createHash('sha256').update(canonical).digest('hex')].join('\n');
  let k = hmac('AWS4' + SECRETS[key], date);
  k = hmac(k, region);
  k = hmac(k, service);
  k = hmac(k, 'aws4_request');
  const expected = createHmac('sha256', k).update(toSign).digest('hex');
  return expected === fields.Signature ? null : canonical;
}

const server = new S3rver({
  address: '127.0.0.1',
  port: 0,
  silent: true,
  directory: dir,
  // Path style at 127.0.0.1; virtual-host style at <bucket>.s3.localhost (libcurl resolves
  // *.localhost to the loopback address itself, without DNS).
  serviceEndpoint: 'localhost',
  configureBuckets: [{ name: 'sluice' }],
});
// Runs before s3rver's own middleware (Koa composes the list when the server starts).
server.middleware.unshift(async (ctx, next) => {
  const url = ctx.url;  // as sent: s3rver rewrites virtual-host requests to /bucket/key
  try {
    const mismatch = verify(ctx.req);
    if (mismatch !== null) {
      ctx.status = 403;
      ctx.type = 'application/xml';
      ctx.body = '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>SignatureDoesNotMatch</Code>' +
        '<Message>The request signature we calculated does not match the signature you provided.' +
        '</Message></Error>';
    } else {
      await next();
    }
  } finally {
    appendFileSync(log, `${ctx.method} ${url} ${ctx.get('range') || '-'} ${ctx.status} ` +
                        `${ctx.response.length ?? 0}\n`);
  }
});
const { port } = await server.run();
console.log(port);
