import { readFileSync } from 'node:fs';
import { parseDocument } from 'yaml';
import { z } from 'zod';
import { AuthConfigError } from './errors';
import type { CertIdentityEntry } from './cert-identity-set';
import type { TokenEntry } from './static-token-set';
import { isScope, type Scope } from './scopes';

/** The parsed `HYPERCACHE_AUTH_CONFIG` policy file (auth.md §3). */
export interface PolicyFile {
  readonly tokens: readonly TokenEntry[];
  readonly certIdentities: readonly CertIdentityEntry[];
  /** Used verbatim (default false): a file never turns anonymous mode on by itself. */
  readonly allowAnonymous: boolean;
}

const scopes = z
  .array(z.string())
  .min(1, 'at least one of read/write/admin required')
  .superRefine((xs, ctx) => {
    xs.forEach((s, i) => {
      if (!isScope(s)) ctx.addIssue({ code: 'custom', path: [i], message: `unknown scope ${JSON.stringify(s)} (expected read, write or admin)` });
    });
  })
  .transform((xs) => xs as Scope[]);

const nonEmpty = (what: string) => z.string().refine((s) => s.trim() !== '', `${what} must not be empty`);

const schema = z.strictObject({
  tokens: z.array(z.strictObject({ id: nonEmpty('id'), token: nonEmpty('token'), scopes })).nullish(),
  cert_identities: z.array(z.strictObject({ subject_cn: nonEmpty('subject_cn'), scopes })).nullish(),
  // HTTP Basic users are part of upstream's newest format but not of this build: rejecting them
  // keeps a file written for upstream from silently granting less (or more) than intended.
  users: z.never({ error: 'HTTP Basic users are not supported by this build' }).optional(),
  allow_anonymous: z.boolean().nullish(),
  allow_basic_without_tls: z.boolean().nullish(),
});

/** Human-readable `path: message` of a zod issue, with the path joined as `tokens[0].scopes`. */
function describe(issue: z.core.$ZodIssue): string {
  const path = issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '');
  const message =
    issue.code === 'unrecognized_keys' ? `unknown field(s) ${issue.keys.map((k) => JSON.stringify(k)).join(', ')}` : issue.message;
  return path === '' ? message : `${path}: ${message}`;
}

/**
 * Parses a policy document (YAML; JSON is accepted as the YAML subset it is). Unknown fields,
 * unknown or empty scopes, empty ids/tokens/CNs and duplicate token ids are errors. Messages name
 * fields and identity IDs only, never a token.
 */
export function parsePolicyFile(text: string, variable = 'HYPERCACHE_AUTH_CONFIG'): PolicyFile {
  const doc = parseDocument(text, { uniqueKeys: true });
  if (doc.errors.length > 0) throw new AuthConfigError(variable, `malformed YAML: ${doc.errors[0].message.split('\n')[0]}`);
  const raw: unknown = doc.toJS() ?? {};
  const r = schema.safeParse(raw);
  if (!r.success) throw new AuthConfigError(variable, `invalid policy: ${r.error.issues.map(describe).join('; ')}`);
  const tokens = (r.data.tokens ?? []).map((t) => ({ id: t.id, token: t.token, scopes: t.scopes }));
  const ids = new Set<string>();
  for (const t of tokens) {
    if (ids.has(t.id)) throw new AuthConfigError(variable, `invalid policy: duplicate token id ${JSON.stringify(t.id)}`);
    ids.add(t.id);
  }
  return {
    tokens,
    certIdentities: (r.data.cert_identities ?? []).map((c) => ({ subjectCn: c.subject_cn, scopes: c.scopes })),
    allowAnonymous: r.data.allow_anonymous ?? false,
  };
}

/** Reads and parses the policy file at `path`; any problem is an {@link AuthConfigError} (fail closed). */
export function loadPolicyFile(path: string, variable = 'HYPERCACHE_AUTH_CONFIG'): PolicyFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new AuthConfigError(variable, `cannot read policy file ${JSON.stringify(path)}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, { cause: e });
  }
  return parsePolicyFile(text, variable);
}
