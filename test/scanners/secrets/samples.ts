/*
 * Positive and negative samples for every default rule. Every value is fake: random characters
 * from a seeded generator in the shape the rule expects, assembled at run time (prefixes split by
 * concatenation) so that no token-shaped literal exists in the repository.
 */

let seed = 0x2545f491;
function next(): number {
  seed ^= seed << 13;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  return seed >>> 0;
}

export const HEX = '0123456789abcdef';
export const HEXU = '0123456789ABCDEF';
export const DIGITS = '0123456789';
export const LOWER = 'abcdefghijklmnopqrstuvwxyz';
export const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
export const ALNUM = `${UPPER}${LOWER}${DIGITS}`;
export const LOWNUM = `${LOWER}${DIGITS}`;
export const UPNUM = `${UPPER}${DIGITS}`;
export const URLSAFE = `${ALNUM}_-`;
export const B64 = `${ALNUM}+/`;
export const B32 = 'abcdefghijklmnopqrstuvwxyz234567';

/** n random characters from the alphabet (deterministic across runs). */
export function r(alphabet: string, n: number): string {
  let out = '';
  for (let i = 0; i < n; i++) out += alphabet[next() % alphabet.length];
  return out;
}

/** A random value whose first character is forced, e.g. a letter for a word boundary. */
export function uuid(): string {
  return `${r(HEX, 8)}-${r(HEX, 4)}-${r(HEX, 4)}-${r(HEX, 4)}-${r(HEX, 12)}`;
}

/** Joins pieces at run time: `j('gh', 'p_')` keeps prefixes out of the source text. */
export function j(...parts: string[]): string {
  return parts.join('');
}

export interface RuleSamples {
  /** Lines (or multi-line texts) each of which must produce a finding of the rule. */
  positives: string[];
  /** Texts none of which may produce a finding of the rule. */
  negatives: string[];
  /** File path the samples are scanned under (default src/app.ts). */
  path?: string;
}

/** A `${NAME}` placeholder, written without a template-looking literal. */
const ref = (name: string) => `$${'{'}${name}}`;
const q = (value: string) => `const value = "${value}";`;
const kv = (name: string, value: string) => `${name} = "${value}"`;

function pem(label: string): string {
  const body = Array.from({ length: 6 }, () => r(B64, 64)).join('\n');
  return `-----${j('BEGIN ', label)}-----\n${body}\n-----${j('END ', label)}-----`;
}

function pemNegative(label: string): string {
  return `-----${j('BEGIN ', label)}-----\n-----${j('END ', label)}-----`;
}

export function buildSamples(): Record<string, RuleSamples> {
  const s: Record<string, RuleSamples> = {};
  const add = (id: string, positives: string[], negatives: string[], path?: string) => {
    s[id] = { positives, negatives, ...(path ? { path } : {}) };
  };
  // ── cloud ──
  add(
    'aws-access-key-id',
    [q(j('AK', 'IA', r(UPPER + '234567', 16))), q(j('AS', 'IA', r(UPPER + '234567', 16)))],
    [q(j('AK', 'IA', r(UPPER, 10))), q(j('AK', 'IA', 'AAAAAAAAAAAAAAAA'))],
  );
  add(
    'aws-secret-access-key',
    [kv('aws_secret_access_key', r(B64, 40)), `AWS_SECRET_ACCESS_KEY: ${r(ALNUM, 40)}`],
    [kv('aws_secret_access_key', r(B64, 39)), kv('aws_secret_access_key', 'A'.repeat(40))],
  );
  add('aws-session-token', [kv('aws_session_token', r(B64, 300))], [kv('aws_session_token', r(B64, 40))]);
  add('aws-mws-key', [q(j('amzn', '.mws.', uuid()))], [q(j('amzn', '.mws.', r(HEX, 20)))]);
  add('gcp-api-key', [q(j('AI', 'za', r(URLSAFE, 35)))], [q(j('AI', 'za', r(URLSAFE, 20)))]);
  add(
    'gcp-service-account-key',
    [`  "private_key_id": "${r(HEX, 40)}",`],
    [`  "private_key_id": "${r(HEX, 20)}",`],
  );
  add(
    'gcp-oauth-client-secret',
    [q(j('GOC', 'SPX-', r(URLSAFE, 28)))],
    [q(j('GOC', 'SPX-', r(URLSAFE, 12)))],
  );
  add('google-oauth-access-token', [q(j('ya', '29.', r(URLSAFE, 120)))], [q(j('ya', '29.', r(URLSAFE, 10)))]);
  add(
    'google-oauth-refresh-token',
    [q(j('1//', '0', r(URLSAFE, 90)))],
    [q(j('1//', '0', r(URLSAFE, 20))), `see http://1//0${r(URLSAFE, 50)}`],
  );
  add(
    'firebase-cloud-messaging-key',
    [q(j('AAAA', r(URLSAFE, 7), ':APA', '91b', r(URLSAFE, 134)))],
    [q(j('AAAA', r(URLSAFE, 7), ':APA', '91b', r(URLSAFE, 20)))],
  );
  add(
    'azure-storage-account-key',
    [
      `DefaultEndpointsProtocol=https;AccountName=acct;${j('Account', 'Key=')}${r(B64, 86)}==;EndpointSuffix=core.windows.net`,
    ],
    [`${j('Account', 'Key=')}${r(B64, 40)}==`],
  );
  add(
    'azure-shared-access-key',
    [
      `Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=root;${j('SharedAccess', 'Key=')}${r(B64, 43)}=`,
    ],
    [`${j('SharedAccess', 'Key=')}${r(B64, 20)}=`],
  );
  add(
    'azure-sas-token',
    [
      `https://acct.blob.core.windows.net/c?sv=2022-11-02&ss=b&srt=o&sp=r&se=2030-01-01&${j('si', 'g=')}${r(ALNUM, 40)}%2B${r(ALNUM, 2)}%3D`,
    ],
    [`https://x.test/?sig=${'a'.repeat(44)}`, `https://x.test/?sig=${r(ALNUM, 20)}`],
  );
  add(
    'azure-ad-client-secret',
    [q(j(r(ALNUM, 3), '8Q', '~', r(ALNUM, 34)))],
    [q(j(r(ALNUM, 3), '8Q', '~', r(ALNUM, 10))), q(j(r(ALNUM, 3), 'xQ', '~', r(ALNUM, 34)))],
  );
  add(
    'azure-devops-pat',
    [kv('azure_devops_pat', r(B32, 52))],
    [kv('azure_devops_pat', r(B32, 40)), kv('color', r(B32, 52))],
  );
  add('digitalocean-pat', [q(j('do', 'p_v1_', r(HEX, 64)))], [q(j('do', 'p_v1_', r(HEX, 40)))]);
  add('digitalocean-oauth-token', [q(j('do', 'o_v1_', r(HEX, 64)))], [q(j('do', 'o_v1_', r(HEX, 40)))]);
  add('digitalocean-refresh-token', [q(j('do', 'r_v1_', r(HEX, 64)))], [q(j('do', 'r_v1_', 'x'.repeat(64)))]);
  add(
    'alibaba-access-key-id',
    [q(j('LT', 'AI', r(ALNUM, 20)))],
    [q(j('LT', 'AI', r(ALNUM, 6))), q(j('LT', 'AI', 'aaaaaaaaaaaaaaaa'))],
  );
  add(
    'alibaba-access-key-secret',
    [kv('alibaba_secret', r(ALNUM, 30))],
    [kv('alibaba_secret', r(ALNUM, 20)), kv('alibaba_secret', 'a'.repeat(30))],
  );
  add('ibm-cloud-api-key', [kv('ibm_api_key', r(URLSAFE, 44))], [kv('ibm_api_key', r(URLSAFE, 30))]);
  add(
    'heroku-api-key',
    [kv('HEROKU_API_KEY', uuid())],
    [kv('HEROKU_APP', 'my-app'), kv('request_id', uuid())],
  );
  add('heroku-api-key-v2', [q(j('HR', 'KU-', r(URLSAFE, 60)))], [q(j('HR', 'KU-', r(URLSAFE, 20)))]);
  add(
    'cloudflare-api-token',
    [kv('CLOUDFLARE_API_TOKEN', r(URLSAFE, 40))],
    [kv('CLOUDFLARE_API_TOKEN', r(URLSAFE, 20)), kv('cloudflare_zone', 'example.com')],
  );
  add(
    'cloudflare-global-api-key',
    [kv('cloudflare_global_key', r(HEX, 37))],
    [kv('cloudflare_global_key', r(HEX, 30))],
  );
  add(
    'cloudflare-origin-ca-key',
    [q(j('v1', '.0-', r(HEX, 24), '-', r(HEX, 146)))],
    [q(j('v1', '.0-', r(HEX, 24), '-', r(HEX, 20)))],
  );
  add('linode-token', [kv('LINODE_TOKEN', r(HEX, 64))], [kv('LINODE_TOKEN', r(HEX, 32))]);
  add('vultr-api-key', [kv('VULTR_API_KEY', r(UPNUM, 36))], [kv('VULTR_API_KEY', r(UPNUM, 20))]);
  add('scaleway-secret-key', [kv('SCW_SECRET_KEY', uuid())], [kv('SCW_SECRET_KEY', r(HEX, 20))]);
  add('hetzner-cloud-token', [kv('HCLOUD_TOKEN', r(ALNUM, 64))], [kv('HCLOUD_TOKEN', r(ALNUM, 30))]);
  add('fastly-api-token', [kv('FASTLY_API_TOKEN', r(URLSAFE, 32))], [kv('FASTLY_API_TOKEN', r(URLSAFE, 16))]);
  add(
    'netlify-token',
    [kv('NETLIFY_AUTH_TOKEN', r(URLSAFE, 43))],
    [kv('NETLIFY_AUTH_TOKEN', r(URLSAFE, 20))],
  );
  add(
    'vercel-token',
    [kv('VERCEL_TOKEN', r(ALNUM, 24))],
    [kv('VERCEL_TOKEN', r(ALNUM, 12)), kv('VERCEL_TOKEN', 'a'.repeat(24))],
  );
  add('flyio-access-token', [q(j('fo', '1_', r(URLSAFE, 43)))], [q(j('fo', '1_', r(URLSAFE, 20)))]);
  add('flyio-macaroon-token', [q(j('Fly', 'V1 fm2_', r(B64, 200)))], [q(j('Fly', 'V1 fm2_', r(B64, 40)))]);
  add('supabase-access-token', [q(j('sb', 'p_', r(HEX, 40)))], [q(j('sb', 'p_', r(HEX, 20)))]);
  add(
    'supabase-secret-key',
    [q(j('sb_', 'secret_', r(URLSAFE, 32)))],
    [q(j('sb_', 'secret_', r(URLSAFE, 8)))],
  );
  add(
    'planetscale-token',
    [q(j('pscale', '_tkn_', r(URLSAFE, 43)))],
    [q(j('pscale', '_tkn_', r(URLSAFE, 10)))],
  );
  add(
    'planetscale-password',
    [q(j('pscale', '_pw_', r(URLSAFE, 43)))],
    [q(j('pscale', '_pw_', r(URLSAFE, 10)))],
  );
  add(
    'planetscale-oauth-token',
    [q(j('pscale', '_oauth_', r(URLSAFE, 43)))],
    [q(j('pscale', '_oauth_', r(URLSAFE, 10)))],
  );
  add(
    'databricks-token',
    [q(j('da', 'pi', r(HEX, 32)))],
    [q(j('da', 'pi', r(HEX, 20))), q(j('da', 'pi', 'a'.repeat(32)))],
  );
  add('doppler-token', [q(j('dp', '.pt.', r(ALNUM, 43)))], [q(j('dp', '.pt.', r(ALNUM, 20)))]);
  add(
    'hashicorp-vault-service-token',
    [q(j('hv', 's.', r(URLSAFE, 95)))],
    [q(j('hv', 's.', r(URLSAFE, 24)))],
  );
  add('hashicorp-vault-batch-token', [q(j('hv', 'b.', r(URLSAFE, 150)))], [q(j('hv', 'b.', r(URLSAFE, 40)))]);
  add(
    'terraform-cloud-token',
    [q(j(r(ALNUM, 14), '.atlas', 'v1.', r(URLSAFE, 67)))],
    [q(j(r(ALNUM, 14), '.atlas', 'v1.', r(URLSAFE, 20)))],
  );
  add('pulumi-token', [q(j('pu', 'l-', r(HEX, 40)))], [q(j('pu', 'l-', r(HEX, 20)))]);
  add('grafana-cloud-token', [q(j('gl', 'c_', r(B64, 120), '='))], [q(j('gl', 'c_', r(B64, 10)))]);
  add(
    'grafana-service-account-token',
    [q(j('gl', 'sa_', r(ALNUM, 32), '_', r(HEX, 8)))],
    [q(j('gl', 'sa_', r(ALNUM, 32)))],
  );
  add('newrelic-user-key', [q(j('NR', 'AK-', r(UPNUM, 27)))], [q(j('NR', 'AK-', r(UPNUM, 10)))]);
  add('newrelic-insert-key', [q(j('NR', 'II-', r(URLSAFE, 32)))], [q(j('NR', 'II-', r(URLSAFE, 10)))]);
  add('newrelic-browser-key', [q(j('NR', 'JS-', r(HEX, 19)))], [q(j('NR', 'JS-', r(HEX, 10)))]);
  add(
    'datadog-api-key',
    [kv('DD_API_KEY', r(HEX, 32))],
    [kv('DD_API_KEY', r(HEX, 20)), kv('datadog_site', 'datadoghq.eu')],
  );
  add('datadog-app-key', [kv('DD_APP_KEY', r(HEX, 40))], [kv('DD_APP_KEY', r(HEX, 20))]);
  add(
    'sentry-org-token',
    [q(j('sntr', 'ys_', 'eyJ', r(B64, 150)))],
    [q(j('sntr', 'ys_', 'eyJ', r(B64, 20)))],
  );
  add('sentry-user-token', [q(j('sntr', 'yu_', r(HEX, 64)))], [q(j('sntr', 'yu_', r(HEX, 30)))]);
  add(
    'dynatrace-token',
    [q(j('dt0', 'c01.', r(UPNUM, 24), '.', r(UPNUM, 64)))],
    [q(j('dt0', 'c01.', r(UPNUM, 24)))],
  );
  add('postman-api-key', [q(j('PM', 'AK-', r(HEX, 24), '-', r(HEX, 34)))], [q(j('PM', 'AK-', r(HEX, 24)))]);
  add('shopify-access-token', [q(j('sh', 'pat_', r(HEX, 32)))], [q(j('sh', 'pat_', r(HEX, 16)))]);
  add('shopify-shared-secret', [q(j('sh', 'pss_', r(HEX, 32)))], [q(j('sh', 'pss_', r(HEX, 16)))]);
  add('shopify-custom-app-token', [q(j('sh', 'pca_', r(HEX, 32)))], [q(j('sh', 'pca_', r(HEX, 16)))]);
  add('shopify-private-app-token', [q(j('sh', 'ppa_', r(HEX, 32)))], [q(j('sh', 'ppa_', r(HEX, 16)))]);
  add('atlassian-api-token', [q(j('ATA', 'TT3', r(URLSAFE, 186)))], [q(j('ATA', 'TT3', r(URLSAFE, 40)))]);
  add('linear-api-key', [q(j('lin', '_api_', r(ALNUM, 40)))], [q(j('lin', '_api_', r(ALNUM, 20)))]);
  add('notion-token', [q(j('nt', 'n_', r(DIGITS, 11), r(ALNUM, 35)))], [q(j('nt', 'n_', r(ALNUM, 20)))]);
  add(
    'airtable-pat',
    [q(j('pa', 't', r(ALNUM, 14), '.', r(HEX, 64)))],
    [q(j('pa', 't', r(ALNUM, 14), '.', r(HEX, 20))), 'const pattern = path.join(a, b);'],
  );
  add('figma-pat', [q(j('fi', 'gd_', r(URLSAFE, 40)))], [q(j('fi', 'gd_', r(URLSAFE, 20)))]);
  add('hubspot-private-app-token', [q(j('pat', '-na1-', uuid()))], [q(j('pat', '-na1-', r(HEX, 20)))]);
  add('typeform-token', [q(j('tf', 'p_', r(URLSAFE, 59)))], [q(j('tf', 'p_', r(URLSAFE, 20)))]);
  add(
    'okta-api-token',
    [kv('OKTA_API_TOKEN', j('00', r(URLSAFE, 40)))],
    [kv('OKTA_API_TOKEN', j('00', r(URLSAFE, 20)))],
  );
  add(
    'onepassword-service-account-token',
    [q(j('op', 's_', 'eyJ', r(B64, 300)))],
    [q(j('op', 's_', 'eyJ', r(B64, 40)))],
  );
  add(
    'openai-api-key',
    [
      q(j('sk-', 'proj-', r(URLSAFE, 58), 'T3Blbk', 'FJ', r(URLSAFE, 58))),
      q(j('sk-', r(ALNUM, 20), 'T3Blbk', 'FJ', r(ALNUM, 20))),
    ],
    [q(j('sk-', r(ALNUM, 48)))],
  );
  add(
    'anthropic-api-key',
    [q(j('sk-', 'ant-api03-', r(URLSAFE, 93), 'AA'))],
    [q(j('sk-', 'ant-api03-', r(URLSAFE, 30)))],
  );
  add(
    'anthropic-admin-key',
    [q(j('sk-', 'ant-admin01-', r(URLSAFE, 93), 'AA'))],
    [q(j('sk-', 'ant-admin01-', r(URLSAFE, 30)))],
  );
  add(
    'huggingface-token',
    [q(j('h', 'f_', r(UPPER + LOWER, 34)))],
    [q(j('h', 'f_', r(UPPER + LOWER, 20))), q(j('h', 'f_', 'a'.repeat(34)))],
  );
  add('replicate-token', [q(j('r', '8_', r(ALNUM, 37)))], [q(j('r', '8_', r(ALNUM, 20)))]);
  add('groq-api-key', [q(j('gs', 'k_', r(ALNUM, 52)))], [q(j('gs', 'k_', r(ALNUM, 20)))]);
  add('perplexity-api-key', [q(j('pp', 'lx-', r(ALNUM, 48)))], [q(j('pp', 'lx-', r(ALNUM, 20)))]);
  add(
    'mapbox-secret-token',
    [q(j('sk', '.eyJ', r(URLSAFE, 60), '.', r(URLSAFE, 22)))],
    [q(j('pk', '.eyJ', r(URLSAFE, 60), '.', r(URLSAFE, 22)))],
  );
  add('algolia-admin-key', [kv('ALGOLIA_ADMIN_KEY', r(HEX, 32))], [kv('ALGOLIA_APP_ID', r(UPNUM, 10))]);
  add('contentful-token', [q(j('CF', 'PAT-', r(URLSAFE, 43)))], [q(j('CF', 'PAT-', r(URLSAFE, 20)))]);
  add(
    'age-secret-key',
    [q(j('AGE-', 'SECRET-KEY-1', r('QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L', 58)))],
    [q(j('AGE-', 'SECRET-KEY-1', r('QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L', 20)))],
  );
  // ── vcs / ci ──
  add(
    'github-pat',
    [q(j('gh', 'p_', r(ALNUM, 36)))],
    [q(j('gh', 'p_', r(ALNUM, 20))), q(j('gh', 'p_', r(ALNUM, 40)))],
  );
  add(
    'github-fine-grained-pat',
    [q(j('github', '_pat_', r(ALNUM, 22), '_', r(ALNUM, 59)))],
    [q(j('github', '_pat_', r(ALNUM, 22)))],
  );
  add('github-oauth-token', [q(j('gh', 'o_', r(ALNUM, 36)))], [q(j('gh', 'o_', r(ALNUM, 20)))]);
  add('github-app-user-token', [q(j('gh', 'u_', r(ALNUM, 36)))], [q(j('gh', 'u_', r(ALNUM, 20)))]);
  add('github-app-installation-token', [q(j('gh', 's_', r(ALNUM, 36)))], [q(j('gh', 's_', r(ALNUM, 20)))]);
  add('github-refresh-token', [q(j('gh', 'r_', r(ALNUM, 76)))], [q(j('gh', 'r_', r(ALNUM, 20)))]);
  add('gitlab-pat', [q(j('gl', 'pat-', r(URLSAFE, 20)))], [q(j('gl', 'pat-', r(URLSAFE, 10)))]);
  add('gitlab-runner-token', [q(j('gl', 'rt-', r(URLSAFE, 20)))], [q(j('gl', 'rt-', r(URLSAFE, 10)))]);
  add(
    'gitlab-runner-registration-token',
    [q(j('GR13', '48941', r(URLSAFE, 20)))],
    [q(j('GR13', '48941', r(URLSAFE, 10)))],
  );
  add('gitlab-pipeline-trigger-token', [q(j('gl', 'ptt-', r(HEX, 40)))], [q(j('gl', 'ptt-', r(HEX, 20)))]);
  add('gitlab-deploy-token', [q(j('gl', 'dt-', r(URLSAFE, 20)))], [q(j('gl', 'dt-', r(URLSAFE, 10)))]);
  add(
    'gitlab-ci-job-token',
    [q(j('gl', 'cbt-', r(URLSAFE, 20))), q(j('gl', 'cbt-', '64_', r(URLSAFE, 20)))],
    [q(j('gl', 'cbt-', r(URLSAFE, 10)))],
  );
  add('gitlab-feed-token', [q(j('gl', 'ft-', r(URLSAFE, 20)))], [q(j('gl', 'ft-', r(URLSAFE, 10)))]);
  add('gitlab-oauth-app-secret', [q(j('gl', 'oas-', r(URLSAFE, 64)))], [q(j('gl', 'oas-', r(URLSAFE, 20)))]);
  add('gitlab-scim-token', [q(j('gl', 'soat-', r(URLSAFE, 20)))], [q(j('gl', 'soat-', r(URLSAFE, 10)))]);
  add('gitlab-agent-token', [q(j('gl', 'agent-', r(URLSAFE, 50)))], [q(j('gl', 'agent-', r(URLSAFE, 20)))]);
  add(
    'gitlab-incoming-mail-token',
    [q(j('gl', 'imt-', r(URLSAFE, 25)))],
    [q(j('gl', 'imt-', r(URLSAFE, 10)))],
  );
  add('bitbucket-app-password', [q(j('AT', 'BB', r(ALNUM, 32)))], [q(j('AT', 'BB', r(ALNUM, 10)))]);
  add(
    'bitbucket-client-secret',
    [kv('BITBUCKET_CLIENT_SECRET', r(URLSAFE, 64))],
    [kv('BITBUCKET_CLIENT_SECRET', r(URLSAFE, 20))],
  );
  add(
    'circleci-personal-token',
    [q(j('CCI', 'PAT_', r(ALNUM, 22), '_', r(HEX, 40)))],
    [q(j('CCI', 'PAT_', r(ALNUM, 22)))],
  );
  add('circleci-token', [kv('CIRCLECI_TOKEN', r(HEX, 40))], [kv('CIRCLECI_TOKEN', r(HEX, 20))]);
  add('travis-ci-token', [kv('TRAVIS_TOKEN', r(URLSAFE, 22))], [kv('TRAVIS_TOKEN', r(URLSAFE, 10))]);
  add('buildkite-token', [q(j('bk', 'ua_', r(HEX, 40)))], [q(j('bk', 'ua_', r(HEX, 20)))]);
  add(
    'sourcegraph-token',
    [q(j('sg', 'p_', r(HEX, 16), '_', r(HEX, 40))), q(j('sg', 'p_local_', r(HEX, 40)))],
    [q(j('sg', 'p_', r(HEX, 40)))],
  );
  add('jfrog-api-key', [q(j('AK', 'Cp', r(ALNUM, 69)))], [q(j('AK', 'Cp', r(ALNUM, 20)))]);
  add(
    'jfrog-reference-token',
    [q(j('cmVmdGtu', 'OjAxOj', r(ALNUM, 50)))],
    [q(j('cmVmdGtu', 'OjAxOj', r(ALNUM, 10)))],
  );
  add(
    'harness-pat',
    [q(j('pa', 't.', r(URLSAFE, 22), '.', r(HEX, 24), '.', r(ALNUM, 20)))],
    [q(j('pa', 't.', r(URLSAFE, 22)))],
  );
  add('drone-ci-token', [kv('DRONE_TOKEN', r(ALNUM, 32))], [kv('DRONE_TOKEN', r(ALNUM, 16))]);
  add('codecov-token', [kv('CODECOV_TOKEN', uuid())], [kv('CODECOV_TOKEN', r(HEX, 16))]);
  add('gitea-token', [kv('GITEA_TOKEN', r(HEX, 40))], [kv('GITEA_TOKEN', r(HEX, 20))]);
  add(
    'jenkins-api-token',
    [kv('JENKINS_API_TOKEN', j('11', r(HEX, 32)))],
    [kv('JENKINS_API_TOKEN', r(HEX, 20))],
  );
  // ── registries ──
  add('npm-access-token', [q(j('np', 'm_', r(ALNUM, 36)))], [q(j('np', 'm_', r(ALNUM, 20)))]);
  add(
    'npmrc-auth-token',
    [`//registry.npmjs.org/:${j('_auth', 'Token')}=${r(URLSAFE, 36)}`],
    ['//registry.npmjs.org/:_authToken=' + ref('NPM_TOKEN') + ''],
    '.npmrc',
  );
  add(
    'pypi-token',
    [q(j('pypi-', 'AgEIcHlwaS5vcmc', r(URLSAFE, 120)))],
    [q(j('pypi-', 'AgEIcHlwaS5vcmc', r(URLSAFE, 10)))],
  );
  add(
    'pypi-test-token',
    [q(j('pypi-', 'AgENdGVzdC5weXBpLm9yZw', r(URLSAFE, 120)))],
    [q(j('pypi-', 'AgENdGVzdC5weXBpLm9yZw', r(URLSAFE, 10)))],
  );
  add('rubygems-api-key', [q(j('ruby', 'gems_', r(HEX, 48)))], [q(j('ruby', 'gems_', r(HEX, 20)))]);
  add('nuget-api-key', [q(j('oy', '2', r(LOWNUM, 43)))], [q(j('oy', '2', r(LOWNUM, 20)))]);
  add('dockerhub-pat', [q(j('dckr', '_pat_', r(URLSAFE, 27)))], [q(j('dckr', '_pat_', r(URLSAFE, 10)))]);
  add(
    'dockerhub-org-token',
    [q(j('dckr', '_oat_', r(URLSAFE, 32)))],
    [q(j('dckr', '_oat_', r(URLSAFE, 10)))],
  );
  add(
    'docker-config-auth',
    [`{"auths": {"registry.example.test": {"auth": "${r(B64, 32)}"}}}`],
    ['{"auths": {"r": {"auth": ""}}}', '{"auth": "aaaaaaaaaaaa"}'],
  );
  add(
    'crates-io-token',
    [q(j('ci', 'o', r(ALNUM, 32)))],
    [q(j('ci', 'o', r(ALNUM, 16))), 'const ratio = 1;'],
  );
  add('clojars-token', [q(j('CLO', 'JARS_', r(LOWNUM, 60)))], [q(j('CLO', 'JARS_', r(LOWNUM, 20)))]);
  add(
    'maven-settings-password',
    [`<server><id>r</id><password>${r(ALNUM, 16)}</password></server>`],
    ['<password>' + ref('env.MAVEN_PASSWORD') + '</password>'],
    'settings.xml',
  );
  // ── payment ──
  add('stripe-secret-key', [q(j('sk', '_live_', r(ALNUM, 24)))], [q(j('sk', '_live_', r(ALNUM, 10)))]);
  add('stripe-test-secret-key', [q(j('sk', '_test_', r(ALNUM, 24)))], [q(j('sk', '_test_', r(ALNUM, 10)))]);
  add('stripe-restricted-key', [q(j('rk', '_live_', r(ALNUM, 24)))], [q(j('rk', '_live_', r(ALNUM, 10)))]);
  add('stripe-webhook-secret', [q(j('wh', 'sec_', r(ALNUM, 32)))], [q(j('wh', 'sec_', r(ALNUM, 16)))]);
  add('square-access-token', [q(j('EA', 'AA', r(URLSAFE, 60)))], [q(j('EA', 'AA', r(URLSAFE, 20)))]);
  add('square-oauth-token', [q(j('sq0', 'atp-', r(URLSAFE, 22)))], [q(j('sq0', 'atp-', r(URLSAFE, 10)))]);
  add('square-oauth-secret', [q(j('sq0', 'csp-', r(URLSAFE, 43)))], [q(j('sq0', 'csp-', r(URLSAFE, 20)))]);
  add(
    'braintree-access-token',
    [q(j('access_token', '$production$', r(LOWNUM, 16), '$', r(HEX, 32)))],
    [q(j('access_token', '$sandbox$', r(LOWNUM, 16), '$', r(HEX, 32)))],
  );
  add(
    'paypal-client-secret',
    [kv('PAYPAL_CLIENT_SECRET', r(URLSAFE, 80))],
    [kv('PAYPAL_CLIENT_SECRET', r(URLSAFE, 40))],
  );
  add(
    'adyen-api-key',
    [kv('ADYEN_API_KEY', j('AQE', r(B64, 120)))],
    [kv('ADYEN_API_KEY', j('AQE', r(B64, 20)))],
  );
  add('razorpay-key-id', [q(j('rzp', '_live_', r(ALNUM, 14)))], [q(j('rzp', '_live_', r(ALNUM, 6)))]);
  add(
    'razorpay-key-secret',
    [kv('RAZORPAY_KEY_SECRET', r(ALNUM, 24))],
    [kv('RAZORPAY_KEY_SECRET', r(ALNUM, 12))],
  );
  add(
    'flutterwave-secret-key',
    [q(j('FLW', 'SECK_TEST-', r('abcdefgh0123456789', 32), '-X'))],
    [q(j('FLW', 'SECK_TEST-', r('abcdefgh0123456789', 20), '-X'))],
  );
  add('plaid-access-token', [q(j('access-', 'sandbox-', uuid()))], [q(j('access-', 'staging-', uuid()))]);
  add(
    'coinbase-api-secret',
    [kv('COINBASE_API_SECRET', r(B64, 64))],
    [kv('COINBASE_API_SECRET', r(B64, 16))],
  );
  add(
    'gocardless-token',
    [kv('GOCARDLESS_ACCESS_TOKEN', j('live', '_', r(URLSAFE, 40)))],
    [kv('GOCARDLESS_ACCESS_TOKEN', j('sandbox', '_', r(URLSAFE, 40)))],
  );
  // ── chat / e-mail ──
  add(
    'slack-bot-token',
    [q(j('xo', 'xb-', r(DIGITS, 12), '-', r(DIGITS, 13), '-', r(ALNUM, 24)))],
    [q(j('xo', 'xb-', r(DIGITS, 12), '-', r(ALNUM, 24)))],
  );
  add(
    'slack-user-token',
    [q(j('xo', 'xp-', r(DIGITS, 12), '-', r(DIGITS, 12), '-', r(DIGITS, 13), '-', r(HEX, 32)))],
    [q(j('xo', 'xp-', r(DIGITS, 12), '-', r(HEX, 32)))],
  );
  add(
    'slack-app-token',
    [q(j('xa', 'pp-1-', r(UPNUM, 11), '-', r(DIGITS, 13), '-', r(HEX, 64)))],
    [q(j('xa', 'pp-1-', r(UPNUM, 11), '-', r(HEX, 64)))],
  );
  add(
    'slack-config-token',
    [q(j('xo', 'xe.xoxp-1-', r(ALNUM, 163)))],
    [q(j('xo', 'xe.xoxp-1-', r(ALNUM, 40)))],
  );
  add(
    'slack-legacy-token',
    [q(j('xo', 'xs-', r(DIGITS, 12), '-', r(ALNUM, 40)))],
    [q(j('xo', 'xs-', r(DIGITS, 12), '-', r(ALNUM, 8)))],
  );
  add(
    'slack-webhook-url',
    [q(j('https://hooks', '.slack.com/services/T', r(UPNUM, 10), '/B', r(UPNUM, 10), '/', r(ALNUM, 24)))],
    [q('https://hooks.slack.com/services/')],
  );
  add(
    'discord-bot-token',
    [kv('DISCORD_BOT_TOKEN', j('M', r(URLSAFE, 23), '.', r(URLSAFE, 6), '.', r(URLSAFE, 27)))],
    [kv('DISCORD_BOT_TOKEN', j('M', r(URLSAFE, 23)))],
  );
  add(
    'discord-webhook-url',
    [q(j('https://discord', '.com/api/webhooks/', r(DIGITS, 18), '/', r(URLSAFE, 68)))],
    [q(j('https://discord', '.com/api/webhooks/', r(DIGITS, 18)))],
  );
  add(
    'telegram-bot-token',
    [kv('TELEGRAM_BOT_TOKEN', j(r(DIGITS, 10), ':A', 'A', r(URLSAFE, 33)))],
    [kv('TELEGRAM_BOT_TOKEN', j(r(DIGITS, 10), ':A', 'A', r(URLSAFE, 10)))],
  );
  add(
    'twilio-api-key',
    [kv('TWILIO_API_KEY', j('S', 'K', r(HEX, 32)))],
    [kv('TWILIO_API_KEY', j('S', 'K', r(HEX, 16))), q(j('S', 'K', r(HEX, 32)))],
  );
  add('twilio-auth-token', [kv('TWILIO_AUTH_TOKEN', r(HEX, 32))], [kv('TWILIO_AUTH_TOKEN', r(HEX, 16))]);
  add(
    'sendgrid-api-key',
    [q(j('S', 'G.', r(URLSAFE, 22), '.', r(URLSAFE, 43)))],
    [q(j('S', 'G.', r(URLSAFE, 22)))],
  );
  add(
    'mailgun-api-key',
    [
      kv('MAILGUN_API_KEY', j('key', '-', r(HEX, 32))),
      kv('MAILGUN_API_KEY', j(r(HEX, 32), '-', r(HEX, 8), '-', r(HEX, 8))),
    ],
    [kv('MAILGUN_DOMAIN', 'mg.example.test')],
  );
  add('mailchimp-api-key', [q(j(r(HEX, 32), '-u', 's', '21'))], [q(j(r(HEX, 16), '-u', 's', '21'))]);
  add('mandrill-api-key', [kv('MANDRILL_API_KEY', r(URLSAFE, 22))], [kv('MANDRILL_API_KEY', r(URLSAFE, 10))]);
  add(
    'postmark-server-token',
    [kv('POSTMARK_SERVER_TOKEN', uuid())],
    [kv('POSTMARK_SERVER_TOKEN', r(HEX, 16))],
  );
  add('sparkpost-api-key', [kv('SPARKPOST_API_KEY', r(HEX, 40))], [kv('SPARKPOST_API_KEY', r(HEX, 20))]);
  add(
    'brevo-api-key',
    [q(j('xkey', 'sib-', r(HEX, 64), '-', r(ALNUM, 16)))],
    [q(j('xkey', 'sib-', r(HEX, 64)))],
  );
  add(
    'brevo-smtp-key',
    [q(j('xsmtp', 'sib-', r(HEX, 64), '-', r(ALNUM, 16)))],
    [q(j('xsmtp', 'sib-', r(HEX, 64)))],
  );
  add(
    'microsoft-teams-webhook',
    [
      q(
        j(
          'https://contoso',
          '.webhook.office.com/webhookb2/',
          uuid(),
          '@',
          uuid(),
          '/IncomingWebhook/',
          r(HEX, 32),
          '/',
          uuid(),
        ),
      ),
    ],
    [q('https://contoso.webhook.office.com/webhookb2/')],
  );
  add('mattermost-token', [kv('MATTERMOST_TOKEN', r(LOWNUM, 26))], [kv('MATTERMOST_TOKEN', r(LOWNUM, 12))]);
  add(
    'intercom-token',
    [kv('INTERCOM_ACCESS_TOKEN', r(URLSAFE, 60))],
    [kv('INTERCOM_ACCESS_TOKEN', r(URLSAFE, 20))],
  );
  add('zendesk-api-token', [kv('ZENDESK_API_TOKEN', r(ALNUM, 40))], [kv('ZENDESK_API_TOKEN', r(ALNUM, 20))]);
  add('vonage-api-secret', [kv('VONAGE_API_SECRET', r(ALNUM, 16))], [kv('VONAGE_API_SECRET', r(ALNUM, 8))]);
  add(
    'messagebird-api-key',
    [kv('MESSAGEBIRD_API_KEY', r(ALNUM, 25))],
    [kv('MESSAGEBIRD_API_KEY', r(ALNUM, 10))],
  );
  add(
    'facebook-app-secret',
    [kv('FACEBOOK_APP_SECRET', r(HEX, 32))],
    [kv('FACEBOOK_APP_SECRET', r(HEX, 16))],
  );
  add('twitter-bearer-token', [q(j('A'.repeat(22), r(ALNUM, 90)))], [q(j('A'.repeat(22), r(ALNUM, 20)))]);
  add(
    'linkedin-client-secret',
    [kv('LINKEDIN_CLIENT_SECRET', r(ALNUM, 16))],
    [kv('LINKEDIN_CLIENT_SECRET', r(ALNUM, 8))],
  );
  // ── keys ──
  add(
    'private-key-rsa',
    [pem('RSA PRIVATE KEY')],
    [pemNegative('RSA PRIVATE KEY'), '-----BEGIN RSA PUBLIC KEY-----'],
  );
  add('private-key-ec', [pem('EC PRIVATE KEY')], [pemNegative('EC PRIVATE KEY')]);
  add('private-key-dsa', [pem('DSA PRIVATE KEY')], [pemNegative('DSA PRIVATE KEY')]);
  add('private-key-openssh', [pem('OPENSSH PRIVATE KEY')], [pemNegative('OPENSSH PRIVATE KEY')]);
  add('private-key-pkcs8', [pem('PRIVATE KEY')], [pemNegative('PRIVATE KEY'), pem('PUBLIC KEY')]);
  add('private-key-pkcs8-encrypted', [pem('ENCRYPTED PRIVATE KEY')], [pemNegative('ENCRYPTED PRIVATE KEY')]);
  add('private-key-pgp', [pem('PGP PRIVATE KEY BLOCK')], [pem('PGP PUBLIC KEY BLOCK')]);
  add(
    'putty-private-key',
    [
      `${j('PuTTY-User', '-Key-File-3')}: ssh-ed25519\nEncryption: none\nPublic-Lines: 2\n${r(B64, 64)}\nPrivate-Lines: 1\n${r(B64, 48)}\nPrivate-MAC: ${r(HEX, 64)}`,
    ],
    [`${j('PuTTY-User', '-Key-File-3')}: ssh-ed25519\nPublic-Lines: 2`],
  );
  add(
    'jwt',
    [q(j('ey', 'J', r(URLSAFE, 30), '.', 'ey', 'J', r(URLSAFE, 60), '.', r(URLSAFE, 43)))],
    [q(j('ey', 'J', r(URLSAFE, 30), '.', r(URLSAFE, 43)))],
  );
  // ── generic ──
  add(
    'generic-secret-assignment',
    [`const clientSecret = "${r(ALNUM, 32)}";`, `api_key: '${r(ALNUM, 24)}'`],
    [
      `const clientSecret = "${'a'.repeat(32)}";`,
      'const clientSecret = "' + ref('CLIENT_SECRET_FROM_ENV') + '";',
      `const secretName = "my-app-production-db";`,
    ],
  );
  add(
    'generic-password-assignment',
    [`db_password = "${r(ALNUM, 14)}"`, `"password": "${r(ALNUM, 12)}",`],
    [
      'password = "password"',
      'password = "' + ref('DB_PASSWORD') + '"',
      'password = "changeme"',
      `password = "${'x'.repeat(12)}"`,
    ],
  );
  add(
    'generic-env-secret',
    [`STRIPE_SECRET=${r(ALNUM, 32)}`, `export DB_PASSWORD=${r(ALNUM, 20)}`],
    ['DB_PASSWORD=' + ref('FROM_VAULT') + '', `DB_HOST=${r(ALNUM, 20)}`],
    '.env.production',
  );
  add(
    'url-credentials',
    [
      `const url = "postgres://app:${r(ALNUM, 16)}@db.internal:5432/app";`,
      `amqp://guest:${r(ALNUM, 12)}@mq/`,
    ],
    [
      'const url = "https://example.test/a:b@c";',
      'postgres://user:password@localhost/db',
      'redis://:' + ref('REDIS_PASSWORD') + '@cache:6379',
    ],
  );
  add(
    'connection-string-password',
    [`Server=tcp:db.internal,1433;Database=app;User Id=app;Password=${r(ALNUM, 16)};`],
    ['Server=db;Database=app;Integrated Security=true;'],
  );
  add(
    'curl-basic-auth',
    [`curl -s -u admin:${r(ALNUM, 16)} https://api.internal/v1`],
    ['curl -u "$USER:$PASS" https://api.internal', 'curl https://example.test'],
  );
  add(
    'curl-auth-header',
    [`curl -H "Authorization: Bearer ${r(URLSAFE, 40)}" https://api.internal`],
    ['curl -H "Authorization: Bearer $TOKEN" https://api.internal'],
  );
  return s;
}
