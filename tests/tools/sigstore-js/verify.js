#!/usr/bin/env node
// verify.js --bundle B --trusted-root R (--key PEM | --certificate-identity
//   ID --certificate-oidc-issuer ISS) [--no-tlog] ARTIFACT
// Verifies a Sigstore bundle with Sigstore's JavaScript verifier
// (@sigstore/verify), offline, against a trusted_root.json, with the same
// contract as `drydock verify-blob`: exit 0 and "OK", or exit 1 and one
// line "FAIL CODE: message". For a DSSE bundle with an in-toto statement
// the artifact's SHA-256 must be one of the subjects (@sigstore/verify
// leaves that to its caller, as cosign verify-blob-attestation does it).
// --no-tlog: accept a managed-key bundle with no log entry or timestamp
// (thresholds 0), as drydock does with --key.
'use strict';
const fs = require('fs');
const crypto = require('crypto');
const { bundleFromJSON } = require('@sigstore/bundle');
const { TrustedRoot } = require('@sigstore/protobuf-specs');
const { Verifier, toSignedEntity, toTrustMaterial } = require('@sigstore/verify');

function main(argv) {
  const o = { noTlog: false };
  const rest = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--bundle') o.bundle = argv[++i];
    else if (a === '--trusted-root') o.root = argv[++i];
    else if (a === '--key') o.key = argv[++i];
    else if (a === '--certificate-identity') o.identity = argv[++i];
    else if (a === '--certificate-oidc-issuer') o.issuer = argv[++i];
    else if (a === '--no-tlog') o.noTlog = true;
    else rest.push(a);
  }
  if (!o.bundle || !o.root || rest.length !== 1 || (!o.key && !(o.identity && o.issuer))) {
    console.error('usage: verify.js --bundle B --trusted-root R (--key PEM | --certificate-identity ID --certificate-oidc-issuer ISS) [--no-tlog] ARTIFACT');
    return 2;
  }
  const artifact = fs.readFileSync(rest[0]);
  try {
    const bundle = bundleFromJSON(JSON.parse(fs.readFileSync(o.bundle, 'utf8')));
    const root = TrustedRoot.fromJSON(JSON.parse(fs.readFileSync(o.root, 'utf8')));
    let keys;
    if (o.key) {
      const publicKey = crypto.createPublicKey(fs.readFileSync(o.key));
      keys = () => ({ publicKey, validFor: () => true });
    }
    const isDSSE = bundle.content.$case === 'dsseEnvelope';
    const entity = toSignedEntity(bundle, isDSSE ? undefined : artifact);
    const opts = o.noTlog ? { tlogThreshold: 0, timestampThreshold: 0, ctlogThreshold: 0 } : {};
    const verifier = new Verifier(toTrustMaterial(root, keys), opts);
    const policy = o.key ? undefined : { subjectAlternativeName: o.identity, extensions: { issuer: o.issuer } };
    verifier.verify(entity, policy);
    if (isDSSE && bundle.content.dsseEnvelope.payloadType === 'application/vnd.in-toto+json') {
      const st = JSON.parse(Buffer.from(bundle.content.dsseEnvelope.payload).toString('utf8'));
      const hex = crypto.createHash('sha256').update(artifact).digest('hex');
      if (!(st.subject || []).some((s) => s.digest && s.digest.sha256 === hex)) {
        console.log('FAIL SUBJECT_ERROR: no in-toto subject has the artifact digest');
        return 1;
      }
    }
    console.log('OK');
    return 0;
  } catch (e) {
    console.log(`FAIL ${e.code || e.name}: ${String(e.message).split('\n')[0]}`);
    return 1;
  }
}
process.exitCode = main(process.argv.slice(2));
