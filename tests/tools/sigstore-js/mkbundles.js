#!/usr/bin/env node
// mkbundles.js OUTDIR - Sigstore bundles made offline by Sigstore's own
// JavaScript signer (@sigstore/sign) against @sigstore/mock's in-process
// Fulcio CA (with a CT log), Rekor log and timestamp authority, plus the
// trusted_root.json that names the mock's keys, and negative cases made
// from the valid bundles (this script holds the mock's private keys, so a
// mutation can re-sign what it must to leave exactly one check failing).
//
// Writes OUTDIR/art (the artifact), OUTDIR/art.flip (one byte flipped),
// OUTDIR/*.bundle.json, OUTDIR/*.root.json, OUTDIR/key.pub.pem and
// OUTDIR/cases.tsv: one line per case,
//   name  bundle  root  artifact  mode  expect
// where mode is "keyless" (identity IDENTITY, issuer ISSUER unless the
// case name says wrong-identity / wrong-issuer) or "key" (key.pub.pem) and
// expect is "ok" or drydock's name of the check that must fail.
// Nothing leaves the process: nock intercepts the HTTP calls.
'use strict';
const fs = require('fs');
const path = require('path');
const crypto = require('crypto');
const { createRequire } = require('module');
const mock = require('@sigstore/mock');
const sign = require('@sigstore/sign');
const sbundle = require('@sigstore/bundle');
const nock = createRequire(require.resolve('@sigstore/mock'))('nock');

const OUT = process.argv[2];
if (!OUT) {
  console.error('usage: mkbundles.js OUTDIR');
  process.exit(2);
}
const IDENTITY = 'https://example.com/ci/release';
const ISSUER = 'https://issuer.example.com';
const FULCIO = 'https://fulcio.mock.test';
const FULCIO_NOCT = 'https://fulcio-noct.mock.test';
const TSA_LATE = 'https://tsa-late.mock.test';
const REKOR = 'https://rekor.mock.test';
const TSA = 'https://tsa.mock.test';

const b64 = (b) => Buffer.from(b).toString('base64');
const keypair = () => crypto.generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const spki = (k) => k.export({ format: 'der', type: 'spki' });
const write = (name, obj) =>
  fs.writeFileSync(path.join(OUT, name), typeof obj === 'string' || Buffer.isBuffer(obj) ? obj : JSON.stringify(obj, null, 2) + '\n');
const clone = (o) => JSON.parse(JSON.stringify(o));

function serve(base, handler) {
  nock(base)
    .persist()
    .post(handler.path)
    .reply(async (_uri, body) => {
      const req = typeof body === 'string' ? body : JSON.stringify(body);
      const r = await handler.fn(req);
      return [r.statusCode, r.response, { 'Content-Type': r.contentType || 'text/plain' }];
    });
}

// An unsigned JWT: the mock Fulcio reads the claims without checking them.
function token(claims) {
  const enc = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${enc({ alg: 'none', typ: 'JWT' })}.${enc(claims)}.sig`;
}

// Trusted root in Sigstore's trusted_root.json format (protojson names).
function trustedRoot(t, over = {}) {
  const start = new Date(Date.now() - 3600 * 1000).toISOString();
  const key = (der, vf) => ({
    rawBytes: b64(der),
    keyDetails: 'PKIX_ECDSA_P256_SHA_256',
    validFor: vf || { start },
  });
  const logId = (der) => ({ keyId: b64(crypto.createHash('sha256').update(der).digest()) });
  return {
    mediaType: 'application/vnd.dev.sigstore.trustedroot+json;version=0.1',
    tlogs: [
      {
        baseUrl: REKOR,
        hashAlgorithm: 'SHA2_256',
        publicKey: key(over.tlogKey || t.tlogPub, over.tlogValid),
        logId: logId(over.tlogId || t.tlogPub),
      },
    ],
    certificateAuthorities: [
      {
        subject: { organization: 'sigstore.mock', commonName: 'sigstore' },
        uri: FULCIO,
        certChain: { certificates: [{ rawBytes: b64(over.caRoot || t.caRoot) }] },
        validFor: over.caValid || { start },
      },
    ],
    ctlogs: [
      {
        baseUrl: 'https://ctfe.mock.test',
        hashAlgorithm: 'SHA2_256',
        publicKey: key(over.ctKey || t.ctPub),
        logId: { keyId: b64(over.ctId || t.ctId) },
      },
    ],
    timestampAuthorities: [
      {
        subject: { organization: 'sigstore.mock', commonName: 'tsa' },
        uri: TSA,
        certChain: {
          certificates: (over.tsaChain || t.tsaChain).map((c) => ({ rawBytes: b64(c) })),
        },
        validFor: { start },
      },
    ],
  };
}

// ---- mutations of a bundle in JSON form ---------------------------------
const flipB64 = (s, i = 10) => {
  const b = Buffer.from(s, 'base64');
  b[i % b.length] ^= 1;
  return b.toString('base64');
};

// Rebuild a tlog entry's SET, inclusion proof (tree of size 1, as the mock
// makes) and checkpoint after its body or integrated time changed.
function resign(t, e, forceRoot) {
  const body = Buffer.from(e.canonicalizedBody, 'base64');
  const setData = {
    body: e.canonicalizedBody,
    integratedTime: Number(e.integratedTime),
    logID: Buffer.from(e.logId.keyId, 'base64').toString('hex'),
    logIndex: Number(e.logIndex),
  };
  const canon = JSON.stringify(setData, Object.keys(setData).sort());
  e.inclusionPromise = { signedEntryTimestamp: b64(crypto.sign('sha256', Buffer.from(canon), t.tlogKey.privateKey)) };
  if (e.inclusionProof) {
    const root = forceRoot || crypto.createHash('sha256').update(Buffer.from([0])).update(body).digest();
    const host = new URL(REKOR).host;
    const note = [`${host} - 1`, '1', b64(root), `Timestamp: ${Number(e.integratedTime) * 1e9}`, ''].join('\n');
    const sig = crypto.sign('sha256', Buffer.from(note), t.tlogKey.privateKey);
    const hint = crypto.createHash('sha256').update(t.tlogPub).digest().subarray(0, 4);
    e.inclusionProof.rootHash = b64(root);
    e.inclusionProof.checkpoint = {
      envelope: [note, `\u2014 ${host} ${b64(Buffer.concat([hint, sig]))}`, ''].join('\n'),
    };
  }
}

// The mock Rekor logs a dsse entry as proposed ({proposedContent:
// {envelope, verifiers}}); the real Rekor stores its canonical form, the one
// verifiers check. Rewrite the body as Rekor would, and re-sign the entry.
function canonDSSE(t, bundle) {
  for (const e of bundle.verificationMaterial.tlogEntries || []) {
    const body = JSON.parse(Buffer.from(e.canonicalizedBody, 'base64'));
    if (body.kind !== 'dsse' || !body.spec.proposedContent) continue;
    const env = JSON.parse(body.spec.proposedContent.envelope);
    const hex = (b) => crypto.createHash('sha256').update(b).digest('hex');
    const canon = {
      apiVersion: '0.0.1',
      kind: 'dsse',
      spec: {
        envelopeHash: { algorithm: 'sha256', value: hex(body.spec.proposedContent.envelope) },
        payloadHash: { algorithm: 'sha256', value: hex(Buffer.from(env.payload, 'base64')) },
        signatures: [{ signature: env.signatures[0].sig, verifier: body.spec.proposedContent.verifiers[0] }],
      },
    };
    e.canonicalizedBody = b64(JSON.stringify(canon));
    resign(t, e);
  }
  return bundle;
}

async function main() {
  fs.mkdirSync(OUT, { recursive: true });
  const art = Buffer.from('drydock interop artifact\n');
  const flip = Buffer.from(art);
  flip[3] ^= 1;
  write('art', art);
  write('art.flip', flip);

  // The mock services, each with a key this script keeps.
  const caKey = keypair();
  const ctKey = keypair();
  const tlogKey = keypair();
  const tsaKey = keypair();
  const ctlog = await mock.initializeCTLog(ctKey);
  const ca = await mock.initializeCA(caKey, ctlog);
  const tlog = await mock.initializeTLog(REKOR, tlogKey);
  const tsa = await mock.initializeTSA(tsaKey);
  serve(FULCIO, mock.fulcioHandler(ca));
  serve(REKOR, mock.rekorHandler(tlog));
  serve(TSA, mock.tsaHandler(tsa));
  // a TSA whose clock is an hour ahead: its times fall after the
  // certificate's 10 minutes
  const tsaLate = await mock.initializeTSA(keypair(), new Date(Date.now() + 3600 * 1000));
  serve(TSA_LATE, mock.tsaHandler(tsaLate));
  // a second CA that logs no precertificate: its certificates carry no SCT
  const caNoCt = await mock.initializeCA(keypair());
  serve(FULCIO_NOCT, mock.fulcioHandler(caNoCt));
  nock.disableNetConnect();
  const t = {
    tlogKey,
    tlogPub: spki(tlogKey.publicKey),
    ctPub: spki(ctKey.publicKey),
    ctId: Buffer.from(ctlog.logID),
    caRoot: Buffer.from(ca.rootCertificate),
    tsaChain: [Buffer.from(tsa.intCertificate), Buffer.from(tsa.rootCertificate)],
  };

  const identityProvider = { getToken: async () => token({ iss: ISSUER, sub: IDENTITY, aud: 'sigstore' }) };
  const fulcio = new sign.FulcioSigner({ fulcioBaseURL: FULCIO, identityProvider });
  const rekor = new sign.RekorWitness({ rekorBaseURL: REKOR });
  const rekorIntoto = new sign.RekorWitness({ rekorBaseURL: REKOR, entryType: 'intoto' });
  const tsaW = new sign.TSAWitness({ tsaBaseURL: TSA });
  const toJSON = (b) => sbundle.bundleToJSON(b);

  const statement = Buffer.from(
    JSON.stringify({
      _type: 'https://in-toto.io/Statement/v1',
      subject: [{ name: 'art', digest: { sha256: crypto.createHash('sha256').update(art).digest('hex') } }],
      predicateType: 'https://example.com/scan/v1',
      predicate: { scanner: 'drydock', findings: 0 },
    })
  );
  const intoto = { data: statement, type: 'application/vnd.in-toto+json' };

  const good = {};
  // v0.2: the library's message-signature builder (x509CertificateChain)
  good['msg-v02'] = toJSON(
    await new sign.MessageSignatureBundleBuilder({ signer: fulcio, witnesses: [rekor] }).create({ data: art })
  );
  // v0.3: the same signature material packaged with certificateChain=false
  {
    const s = await fulcio.sign(art);
    const b = sbundle.toMessageSignatureBundle({
      digest: crypto.createHash('sha256').update(art).digest(),
      signature: s.signature,
      certificate: Buffer.from(s.key.certificate.replace(/-----[^-]+-----|\s/g, ''), 'base64'),
      certificateChain: false,
    });
    const vm = await rekor.testify(b.content, s.key.certificate);
    b.verificationMaterial.tlogEntries = vm.tlogEntries;
    good['msg-v03'] = toJSON(b);
  }
  good['dsse-v03'] = toJSON(
    await new sign.DSSEBundleBuilder({ signer: fulcio, witnesses: [rekor], certificateChain: false }).create(intoto)
  );
  good['dsse-v02'] = toJSON(
    await new sign.DSSEBundleBuilder({ signer: fulcio, witnesses: [rekor], certificateChain: true }).create(intoto)
  );
  good['dsse-intoto-v03'] = toJSON(
    await new sign.DSSEBundleBuilder({ signer: fulcio, witnesses: [rekorIntoto], certificateChain: false }).create(
      intoto
    )
  );
  good['tsa-v03'] = toJSON(
    await new sign.DSSEBundleBuilder({ signer: fulcio, witnesses: [rekor, tsaW], certificateChain: false }).create(
      intoto
    )
  );
  good['tsa-only-v03'] = toJSON(
    await new sign.DSSEBundleBuilder({ signer: fulcio, witnesses: [tsaW], certificateChain: false }).create(intoto)
  );
  for (const n of ['dsse-v03', 'dsse-v02', 'tsa-v03']) canonDSSE(t, good[n]);
  // managed key (ECDSA P-256), logged in the mock Rekor
  const mk = keypair();
  const mkPem = mk.publicKey.export({ format: 'pem', type: 'spki' }).toString();
  write('key.pub.pem', mkPem);
  const keySigner = {
    sign: async (data) => ({
      signature: crypto.sign('sha256', data, mk.privateKey),
      key: { $case: 'publicKey', publicKey: mkPem, hint: 'mk' },
    }),
  };
  good['key-v02'] = toJSON(
    await new sign.MessageSignatureBundleBuilder({ signer: keySigner, witnesses: [rekor] }).create({ data: art })
  );

  // roots
  write('root.json', trustedRoot(t));
  const other = await mock.initializeCA(keypair());
  write('other-ca.root.json', trustedRoot(t, { caRoot: Buffer.from(other.rootCertificate) }));
  write('other-tlog-key.root.json', trustedRoot(t, { tlogKey: spki(keypair().publicKey), tlogId: t.tlogPub }));
  write('other-tlog.root.json', trustedRoot(t, { tlogKey: spki(keypair().publicKey) }));
  const otherCt = keypair();
  write('other-ctlog-key.root.json', trustedRoot(t, { ctKey: spki(otherCt.publicKey) }));
  const otherTsa = await mock.initializeTSA(keypair());
  write(
    'other-tsa.root.json',
    trustedRoot(t, { tsaChain: [Buffer.from(otherTsa.intCertificate), Buffer.from(otherTsa.rootCertificate)] })
  );
  const past = {
    start: new Date(Date.now() - 7200 * 1000).toISOString(),
    end: new Date(Date.now() - 3600 * 1000).toISOString(),
  };
  write('ca-expired.root.json', trustedRoot(t, { caValid: past }));
  write('tlog-expired.root.json', trustedRoot(t, { tlogValid: past }));

  const cases = [];
  const add = (name, bundle, root, artifact, mode, expect) => {
    write(`${name}.bundle.json`, bundle);
    cases.push([name, `${name}.bundle.json`, root, artifact, mode, expect].join('\t'));
  };
  for (const [n, b] of Object.entries(good)) {
    add(n, b, 'root.json', 'art', n.startsWith('key') ? 'key' : 'keyless', 'ok');
  }

  const msg = good['msg-v03'];
  const dsse = good['dsse-v03'];
  let b;
  // artifact
  add('msg-flip-artifact', msg, 'root.json', 'art.flip', 'keyless', 'artifact');
  add('dsse-flip-artifact', dsse, 'root.json', 'art.flip', 'keyless', 'artifact');
  // signature
  b = clone(msg);
  b.messageSignature.signature = flipB64(b.messageSignature.signature);
  add('msg-flip-signature', b, 'root.json', 'art', 'keyless', 'signature');
  b = clone(dsse);
  b.dsseEnvelope.signatures[0].sig = flipB64(b.dsseEnvelope.signatures[0].sig);
  add('dsse-flip-signature', b, 'root.json', 'art', 'keyless', 'signature');
  b = clone(dsse);
  b.dsseEnvelope.payload = flipB64(b.dsseEnvelope.payload, 20);
  add('dsse-flip-payload', b, 'root.json', 'art', 'keyless', 'signature');
  b = clone(good['key-v02']);
  b.messageSignature.signature = flipB64(b.messageSignature.signature);
  add('key-flip-signature', b, 'root.json', 'art', 'key', 'signature');
  // identity, issuer
  add('msg-wrong-identity', msg, 'root.json', 'art', 'keyless', 'identity');
  add('msg-wrong-issuer', msg, 'root.json', 'art', 'keyless', 'issuer');
  // certificate chain
  add('msg-other-ca', msg, 'other-ca.root.json', 'art', 'keyless', 'certificate chain');
  add('msg-ca-expired', msg, 'ca-expired.root.json', 'art', 'keyless', 'certificate chain');
  b = clone(good['msg-v02']);
  b.verificationMaterial.x509CertificateChain.certificates.push({ rawBytes: b64(t.caRoot) });
  add('msg-root-in-bundle', b, 'root.json', 'art', 'keyless', 'certificate chain');
  // SCT
  {
    const signer = new sign.FulcioSigner({ fulcioBaseURL: FULCIO_NOCT, identityProvider });
    const nb = toJSON(await new sign.MessageSignatureBundleBuilder({ signer, witnesses: [rekor] }).create({ data: art }));
    write('noct-ca.root.json', trustedRoot(t, { caRoot: Buffer.from(caNoCt.rootCertificate) }));
    add('msg-no-sct', nb, 'noct-ca.root.json', 'art', 'keyless', 'certificate transparency');
  }
  add('msg-other-ctlog-key', msg, 'other-ctlog-key.root.json', 'art', 'keyless', 'certificate transparency');
  // signing time: a log entry, correctly signed, integrated after the
  // certificate expired (Fulcio certificates live 10 minutes)
  b = clone(msg);
  b.verificationMaterial.tlogEntries[0].integratedTime = String(
    Number(b.verificationMaterial.tlogEntries[0].integratedTime) + 3600
  );
  resign(t, b.verificationMaterial.tlogEntries[0]);
  add('msg-time-after-expiry', b, 'root.json', 'art', 'keyless', 'signing time');
  b = clone(msg);
  b.verificationMaterial.tlogEntries[0].integratedTime = String(
    Number(b.verificationMaterial.tlogEntries[0].integratedTime) - 1800
  );
  resign(t, b.verificationMaterial.tlogEntries[0]);
  add('msg-time-before-issue', b, 'root.json', 'art', 'keyless', 'signing time');
  // transparency log
  b = clone(msg);
  b.verificationMaterial.tlogEntries[0].inclusionPromise.signedEntryTimestamp = flipB64(
    b.verificationMaterial.tlogEntries[0].inclusionPromise.signedEntryTimestamp
  );
  add('msg-bad-set', b, 'root.json', 'art', 'keyless', 'transparency log');
  b = clone(msg);
  b.verificationMaterial.tlogEntries[0].inclusionProof.rootHash = flipB64(
    b.verificationMaterial.tlogEntries[0].inclusionProof.rootHash
  );
  add('msg-bad-inclusion-root', b, 'root.json', 'art', 'keyless', 'transparency log');
  b = clone(msg);
  b.verificationMaterial.tlogEntries[0].inclusionProof.hashes = [b64(crypto.randomBytes(32))];
  // a root hash the log signed in its checkpoint, that the proof does not reach
  b = clone(msg);
  resign(t, b.verificationMaterial.tlogEntries[0], crypto.randomBytes(32));
  add('msg-bad-inclusion-signed-root', b, 'root.json', 'art', 'keyless', 'transparency log');
  add('msg-bad-inclusion-path', b, 'root.json', 'art', 'keyless', 'transparency log');
  b = clone(msg);
  {
    const cp = b.verificationMaterial.tlogEntries[0].inclusionProof.checkpoint;
    const i = cp.envelope.lastIndexOf(' ') + 8;
    cp.envelope = cp.envelope.slice(0, i) + (cp.envelope[i] === 'A' ? 'B' : 'A') + cp.envelope.slice(i + 1);
  }
  add('msg-bad-checkpoint-sig', b, 'root.json', 'art', 'keyless', 'transparency log');
  b = clone(msg);
  {
    const e = b.verificationMaterial.tlogEntries[0];
    const body = JSON.parse(Buffer.from(e.canonicalizedBody, 'base64'));
    body.spec.signature.content = flipB64(body.spec.signature.content);
    e.canonicalizedBody = b64(JSON.stringify(body));
    resign(t, e);
  }
  add('msg-body-other-signature', b, 'root.json', 'art', 'keyless', 'transparency log');
  b = clone(msg);
  {
    const e = b.verificationMaterial.tlogEntries[0];
    const body = JSON.parse(Buffer.from(e.canonicalizedBody, 'base64'));
    body.spec.data.hash.value = crypto.createHash('sha256').update(flip).digest('hex');
    e.canonicalizedBody = b64(JSON.stringify(body));
    resign(t, e);
  }
  add('msg-body-other-digest', b, 'root.json', 'art', 'keyless', 'transparency log');
  b = clone(dsse);
  {
    const e = b.verificationMaterial.tlogEntries[0];
    const body = JSON.parse(Buffer.from(e.canonicalizedBody, 'base64'));
    body.spec.payloadHash.value = crypto.createHash('sha256').update('other').digest('hex');
    e.canonicalizedBody = b64(JSON.stringify(body));
    resign(t, e);
  }
  add('dsse-body-other-payload', b, 'root.json', 'art', 'keyless', 'transparency log');
  b = clone(good['dsse-intoto-v03']);
  {
    const e = b.verificationMaterial.tlogEntries[0];
    const body = JSON.parse(Buffer.from(e.canonicalizedBody, 'base64'));
    body.spec.content.payloadHash.value = crypto.createHash('sha256').update('other').digest('hex');
    e.canonicalizedBody = b64(JSON.stringify(body));
    resign(t, e);
  }
  add('intoto-body-other-payload', b, 'root.json', 'art', 'keyless', 'transparency log');
  add('msg-wrong-log-key', msg, 'other-tlog-key.root.json', 'art', 'keyless', 'transparency log');
  add('msg-log-not-in-root', msg, 'other-tlog.root.json', 'art', 'keyless', 'transparency log');
  add('msg-log-key-expired', msg, 'tlog-expired.root.json', 'art', 'keyless', 'transparency log');
  b = clone(msg);
  b.verificationMaterial.tlogEntries = [];
  add('msg-no-tlog-entry', b, 'root.json', 'art', 'keyless', 'transparency log');
  b = clone(good['key-v02']);
  b.verificationMaterial.tlogEntries[0].inclusionPromise.signedEntryTimestamp = flipB64(
    b.verificationMaterial.tlogEntries[0].inclusionPromise.signedEntryTimestamp
  );
  add('key-bad-set', b, 'root.json', 'art', 'key', 'transparency log');
  // RFC 3161
  add('tsa-wrong-tsa-key', good['tsa-only-v03'], 'other-tsa.root.json', 'art', 'keyless', 'timestamp');
  {
    const w = new sign.TSAWitness({ tsaBaseURL: TSA_LATE });
    const late = toJSON(
      await new sign.DSSEBundleBuilder({ signer: fulcio, witnesses: [w], certificateChain: false }).create(intoto)
    );
    write(
      'tsa-late.root.json',
      trustedRoot(t, { tsaChain: [Buffer.from(tsaLate.intCertificate), Buffer.from(tsaLate.rootCertificate)] })
    );
    add('tsa-time-after-expiry', late, 'tsa-late.root.json', 'art', 'keyless', 'signing time');
  }
  b = clone(good['tsa-only-v03']);
  {
    const ts = b.verificationMaterial.timestampVerificationData.rfc3161Timestamps[0];
    ts.signedTimestamp = flipB64(ts.signedTimestamp, Buffer.from(ts.signedTimestamp, 'base64').length - 20);
  }
  add('tsa-flip-token', b, 'root.json', 'art', 'keyless', 'timestamp');
  b = clone(good['tsa-only-v03']);
  b.dsseEnvelope.signatures[0].sig = flipB64(b.dsseEnvelope.signatures[0].sig);
  add('tsa-other-signature', b, 'root.json', 'art', 'keyless', 'signature');
  // bundle format
  b = clone(msg);
  b.mediaType = 'application/vnd.dev.sigstore.bundle+json;version=9.9';
  add('msg-bad-media-type', b, 'root.json', 'art', 'keyless', 'bundle');

  write('cases.tsv', cases.join('\n') + '\n');
  write('identity', `${IDENTITY}\n${ISSUER}\n`);
  nock.cleanAll();
}

main().catch((e) => {
  console.error('mkbundles.js:', e && e.stack ? e.stack : e);
  process.exit(1);
});
