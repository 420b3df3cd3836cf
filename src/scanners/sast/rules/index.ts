import type { SastRule } from '../types.ts';
import { commandInjection } from './command-injection.ts';
import { corsCredentialsWildcard } from './cors-credentials-wildcard.ts';
import { csrfDisabled } from './csrf-disabled.ts';
import { evalInjection } from './eval-injection.ts';
import { hardcodedJwtSecret } from './hardcoded-jwt-secret.ts';
import { insecureCookie } from './insecure-cookie.ts';
import { insecureRandom } from './insecure-random.ts';
import { openRedirect } from './open-redirect.ts';
import { pathTraversal } from './path-traversal.ts';
import { prototypePollution } from './prototype-pollution.ts';
import { regexpInjection } from './regexp-injection.ts';
import { sqlInjection } from './sql-injection.ts';
import { stringTimer } from './string-timer.ts';
import { tlsVerificationDisabled } from './tls-verification-disabled.ts';
import { unsafeDeserialization } from './unsafe-deserialization.ts';
import { vmCodeInjection } from './vm-code-injection.ts';
import { weakCipher } from './weak-cipher.ts';
import { weakHash } from './weak-hash.ts';
import { xssSink } from './xss-sink.ts';

/** The built-in rule table: one row per rule, one file per rule. */
export const BUILTIN_RULES: readonly SastRule[] = [
  evalInjection,
  stringTimer,
  commandInjection,
  sqlInjection,
  tlsVerificationDisabled,
  weakHash,
  insecureRandom,
  unsafeDeserialization,
  vmCodeInjection,
  pathTraversal,
  openRedirect,
  xssSink,
  regexpInjection,
  prototypePollution,
  hardcodedJwtSecret,
  insecureCookie,
  corsCredentialsWildcard,
  csrfDisabled,
  weakCipher,
];
