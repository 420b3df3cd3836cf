import type { Severity } from '../../model/severity.ts';
import type { AllowlistSpec, ConfigSpec, RuleSpec } from './spec.ts';

/*
 * gatechain's default secret rules, written from the public descriptions of each token format
 * (prefixes, alphabets and lengths). Conventions:
 * - group 1 is the secret; `END` stops a token from matching the head of a longer word;
 * - "context" rules (a bare hex or base64 value is only a secret next to a provider's name) use
 *   `near(names, value)`: the name, up to 25 identifier characters, an assignment, the value;
 * - nothing here crosses a line except the private-key blocks, so the matcher's windows stay
 *   one line wide for every other rule.
 */

const END = String.raw`(?:[^A-Za-z0-9_\n-]|(?m:$))`;
const B64END = String.raw`(?:[^A-Za-z0-9+/=_\n-]|(?m:$))`;
const UUID = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}';

function near(names: string, value: string, end: string = END): string {
  return String.raw`(?i:${names})[\w.-]{0,25}["']?[ \t]*(?:=|:=|=>|:|,)[ \t]*["'\x60]?(${value})` + end;
}

function token(body: string, end: string = END): string {
  return String.raw`\b(${body})` + end;
}

interface Row {
  id: string;
  description: string;
  severity: Severity;
  regex: string;
  keywords: string[];
  entropy?: number;
  tags: string[];
  path?: string;
  allowlists?: AllowlistSpec[];
}

const rows: Row[] = [];

function add(
  tag: string,
  severity: Severity,
  id: string,
  description: string,
  regex: string,
  keywords: string[],
  entropy?: number,
): void {
  rows.push({ id, description, severity, regex, keywords, tags: [tag], ...(entropy ? { entropy } : {}) });
}

// ── cloud providers and infrastructure ──────────────────────────────────────────────────────────
add(
  'cloud',
  'critical',
  'aws-access-key-id',
  'AWS access key ID',
  token('(?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}'),
  ['akia', 'asia', 'abia', 'acca', 'a3t'],
  3,
);
add(
  'cloud',
  'critical',
  'aws-secret-access-key',
  'AWS secret access key',
  near('aws[_.-]?secret[_.-]?(?:access[_.-]?)?key|secret[_.-]?access[_.-]?key', '[A-Za-z0-9/+]{40}', B64END),
  ['secret'],
  3.5,
);
add(
  'cloud',
  'high',
  'aws-session-token',
  'AWS session token',
  near('aws[_.-]?session[_.-]?token|x-amz-security-token', '[A-Za-z0-9/+=]{100,1000}', B64END),
  ['session_token', 'session-token', 'session.token', 'sessiontoken', 'security-token'],
  4,
);
add('cloud', 'high', 'aws-mws-key', 'Amazon MWS auth token', token(`amzn\\.mws\\.${UUID}`), ['amzn.mws.']);
add('cloud', 'high', 'gcp-api-key', 'Google Cloud API key', token('AIza[0-9A-Za-z_-]{35}'), ['aiza'], 3);
add(
  'cloud',
  'critical',
  'gcp-service-account-key',
  'Google Cloud service account key (private_key_id of a JSON key file)',
  String.raw`"private_key_id"[ \t]*:[ \t]*"([0-9a-f]{40})"`,
  ['private_key_id'],
  3,
);
add(
  'cloud',
  'high',
  'gcp-oauth-client-secret',
  'Google OAuth client secret',
  token('GOCSPX-[A-Za-z0-9_-]{28}'),
  ['gocspx-'],
);
add(
  'cloud',
  'high',
  'google-oauth-access-token',
  'Google OAuth access token',
  token('ya29\\.[0-9A-Za-z_-]{30,512}'),
  ['ya29.'],
);
add(
  'cloud',
  'high',
  'google-oauth-refresh-token',
  'Google OAuth refresh token',
  String.raw`(?:(?m:^)|[^A-Za-z0-9/\n])(1//0[0-9A-Za-z_-]{40,512})` + END,
  ['1//0'],
);
add(
  'cloud',
  'high',
  'firebase-cloud-messaging-key',
  'Firebase Cloud Messaging legacy server key',
  token('AAAA[A-Za-z0-9_-]{7}:APA91b[A-Za-z0-9_-]{120,170}'),
  [':apa91b'],
);
add(
  'cloud',
  'critical',
  'azure-storage-account-key',
  'Azure storage account key in a connection string',
  String.raw`(?i:AccountKey)[ \t]*=[ \t]*([A-Za-z0-9+/]{86}==)`,
  ['accountkey'],
);
add(
  'cloud',
  'critical',
  'azure-shared-access-key',
  'Azure Service Bus / Event Hubs / IoT shared access key',
  String.raw`(?i:SharedAccessKey)[ \t]*=[ \t]*([A-Za-z0-9+/]{43}=)`,
  ['sharedaccesskey'],
);
add(
  'cloud',
  'high',
  'azure-sas-token',
  'Azure shared access signature in a URL',
  String.raw`[?&](?i:sig)=((?:[A-Za-z0-9]|%2[BbFf]){40,60}(?:%3[Dd]|=)?)(?:[&"' \t\r]|(?m:$))`,
  ['sig='],
  3.5,
);
add(
  'cloud',
  'high',
  'azure-ad-client-secret',
  'Microsoft Entra ID (Azure AD) client secret',
  String.raw`(?:(?m:^)|[^A-Za-z0-9_~.\n-])([A-Za-z0-9_~.]{3}[0-9]Q~[A-Za-z0-9_~.-]{31,34})(?:[^A-Za-z0-9_~.\n-]|(?m:$))`,
  ['q~'],
  3,
);
add(
  'cloud',
  'high',
  'azure-devops-pat',
  'Azure DevOps personal access token',
  near('azure[_.-]?devops|ado[_.-]?(?:pat|token)|vsts|azdo', '[a-z2-7]{52}'),
  ['devops', 'ado_', 'ado-', 'ado.', 'vsts', 'azdo'],
  3,
);
add(
  'cloud',
  'critical',
  'digitalocean-pat',
  'DigitalOcean personal access token',
  token('dop_v1_[a-f0-9]{64}'),
  ['dop_v1_'],
);
add(
  'cloud',
  'high',
  'digitalocean-oauth-token',
  'DigitalOcean OAuth access token',
  token('doo_v1_[a-f0-9]{64}'),
  ['doo_v1_'],
);
add(
  'cloud',
  'high',
  'digitalocean-refresh-token',
  'DigitalOcean OAuth refresh token',
  token('dor_v1_[a-f0-9]{64}'),
  ['dor_v1_'],
);
add(
  'cloud',
  'high',
  'alibaba-access-key-id',
  'Alibaba Cloud AccessKey ID',
  token('LTAI[A-Za-z0-9]{12,20}'),
  ['ltai'],
  3,
);
add(
  'cloud',
  'critical',
  'alibaba-access-key-secret',
  'Alibaba Cloud AccessKey secret',
  near('alibaba|aliyun|alicloud', '[A-Za-z0-9]{30}'),
  ['alibaba', 'aliyun', 'alicloud'],
  3.5,
);
add(
  'cloud',
  'critical',
  'ibm-cloud-api-key',
  'IBM Cloud API key',
  near('ibm', '[A-Za-z0-9_-]{44}'),
  ['ibm'],
  3.5,
);
add('cloud', 'high', 'heroku-api-key', 'Heroku API key (UUID form)', near('heroku', UUID), ['heroku']);
add(
  'cloud',
  'high',
  'heroku-api-key-v2',
  'Heroku platform API key (HRKU- form)',
  token('HRKU-[A-Za-z0-9_-]{60}'),
  ['hrku-'],
);
add(
  'cloud',
  'high',
  'cloudflare-api-token',
  'Cloudflare API token',
  near('cloudflare|cf[_.-]?(?:api|token)', '[A-Za-z0-9_-]{40}'),
  ['cloudflare', 'cf_api', 'cf-api', 'cf_token', 'cf-token'],
  3.5,
);
add(
  'cloud',
  'critical',
  'cloudflare-global-api-key',
  'Cloudflare global API key',
  near('cloudflare', '[a-f0-9]{37}'),
  ['cloudflare'],
  3,
);
add(
  'cloud',
  'high',
  'cloudflare-origin-ca-key',
  'Cloudflare Origin CA key',
  token('v1\\.0-[a-f0-9]{24}-[a-f0-9]{146}'),
  ['v1.0-'],
);
add(
  'cloud',
  'high',
  'linode-token',
  'Linode (Akamai) API token',
  near('linode', '[a-f0-9]{64}'),
  ['linode'],
  3,
);
add('cloud', 'high', 'vultr-api-key', 'Vultr API key', near('vultr', '[A-Z0-9]{36}'), ['vultr'], 3);
add('cloud', 'high', 'scaleway-secret-key', 'Scaleway secret key', near('scaleway|scw', UUID), [
  'scaleway',
  'scw',
]);
add(
  'cloud',
  'high',
  'hetzner-cloud-token',
  'Hetzner Cloud API token',
  near('hetzner|hcloud', '[A-Za-z0-9]{64}'),
  ['hetzner', 'hcloud'],
  3.5,
);
add(
  'cloud',
  'high',
  'fastly-api-token',
  'Fastly API token',
  near('fastly', '[A-Za-z0-9_-]{32}'),
  ['fastly'],
  3.5,
);
add(
  'cloud',
  'high',
  'netlify-token',
  'Netlify access token',
  near('netlify', '[A-Za-z0-9_-]{40,46}'),
  ['netlify'],
  3.5,
);
add(
  'cloud',
  'high',
  'vercel-token',
  'Vercel access token',
  near('vercel', '[A-Za-z0-9]{24}'),
  ['vercel'],
  3.5,
);
add('cloud', 'high', 'flyio-access-token', 'Fly.io access token', token('fo1_[A-Za-z0-9_-]{43}'), ['fo1_']);
add(
  'cloud',
  'high',
  'flyio-macaroon-token',
  'Fly.io macaroon token',
  String.raw`\b(FlyV1 fm[12][ar]?_[A-Za-z0-9+/=_-]{100,1000})` + B64END,
  ['flyv1 fm'],
);
add('cloud', 'high', 'supabase-access-token', 'Supabase personal access token', token('sbp_[a-f0-9]{40}'), [
  'sbp_',
]);
add(
  'cloud',
  'critical',
  'supabase-secret-key',
  'Supabase secret API key',
  token('sb_secret_[A-Za-z0-9_-]{20,64}'),
  ['sb_secret_'],
);
add(
  'cloud',
  'high',
  'planetscale-token',
  'PlanetScale service token',
  token('pscale_tkn_[A-Za-z0-9_.-]{32,64}'),
  ['pscale_tkn_'],
);
add(
  'cloud',
  'critical',
  'planetscale-password',
  'PlanetScale database password',
  token('pscale_pw_[A-Za-z0-9_.-]{32,64}'),
  ['pscale_pw_'],
);
add(
  'cloud',
  'high',
  'planetscale-oauth-token',
  'PlanetScale OAuth token',
  token('pscale_oauth_[A-Za-z0-9_.-]{32,64}'),
  ['pscale_oauth_'],
);
add(
  'cloud',
  'high',
  'databricks-token',
  'Databricks personal access token',
  token('dapi[a-f0-9]{32}(?:-[0-9])?'),
  ['dapi'],
  3,
);
add(
  'cloud',
  'high',
  'doppler-token',
  'Doppler API token',
  token('dp\\.(?:pt|st|sa|ct|scim|audit)\\.[A-Za-z0-9]{40,44}'),
  ['dp.pt.', 'dp.st.', 'dp.sa.', 'dp.ct.', 'dp.scim.', 'dp.audit.'],
);
add(
  'cloud',
  'critical',
  'hashicorp-vault-service-token',
  'HashiCorp Vault service token',
  token('hvs\\.[A-Za-z0-9_-]{90,120}'),
  ['hvs.'],
);
add(
  'cloud',
  'high',
  'hashicorp-vault-batch-token',
  'HashiCorp Vault batch token',
  token('hvb\\.[A-Za-z0-9_-]{138,300}'),
  ['hvb.'],
);
add(
  'cloud',
  'high',
  'terraform-cloud-token',
  'Terraform Cloud / HCP Terraform API token',
  token('[A-Za-z0-9]{14}\\.atlasv1\\.[A-Za-z0-9_=-]{60,70}'),
  ['.atlasv1.'],
);
add('cloud', 'high', 'pulumi-token', 'Pulumi access token', token('pul-[a-f0-9]{40}'), ['pul-']);
add(
  'cloud',
  'high',
  'grafana-cloud-token',
  'Grafana Cloud access policy token',
  String.raw`\b(glc_[A-Za-z0-9+/]{32,400}={0,2})` + B64END,
  ['glc_'],
);
add(
  'cloud',
  'high',
  'grafana-service-account-token',
  'Grafana service account token',
  token('glsa_[A-Za-z0-9]{32}_[A-Fa-f0-9]{8}'),
  ['glsa_'],
);
add('cloud', 'high', 'newrelic-user-key', 'New Relic user API key', token('NRAK-[A-Z0-9]{27}'), ['nrak-']);
add('cloud', 'high', 'newrelic-insert-key', 'New Relic insert key', token('NRII-[A-Za-z0-9_-]{32}'), [
  'nrii-',
]);
add('cloud', 'medium', 'newrelic-browser-key', 'New Relic browser API key', token('NRJS-[a-f0-9]{19}'), [
  'nrjs-',
]);
add(
  'cloud',
  'high',
  'datadog-api-key',
  'Datadog API key',
  near('datadog|dd[_.-]?api[_.-]?key', '[a-f0-9]{32}'),
  ['datadog', 'dd_api', 'dd-api', 'dd.api'],
  3,
);
add(
  'cloud',
  'high',
  'datadog-app-key',
  'Datadog application key',
  near('datadog[_.-]?app|dd[_.-]?app(?:lication)?[_.-]?key', '[a-f0-9]{40}'),
  ['datadog', 'dd_app', 'dd-app', 'dd.app'],
  3,
);
add(
  'cloud',
  'high',
  'sentry-org-token',
  'Sentry organization auth token',
  String.raw`\b(sntrys_eyJ[A-Za-z0-9+/=_-]{80,1000})` + B64END,
  ['sntrys_'],
);
add('cloud', 'high', 'sentry-user-token', 'Sentry user auth token', token('sntryu_[a-f0-9]{64}'), [
  'sntryu_',
]);
add(
  'cloud',
  'high',
  'dynatrace-token',
  'Dynatrace API token',
  token('dt0c01\\.[A-Z0-9]{24}\\.[A-Z0-9]{64}'),
  ['dt0c01.'],
);
add('saas', 'high', 'postman-api-key', 'Postman API key', token('PMAK-[a-f0-9]{24}-[a-f0-9]{34}'), ['pmak-']);
add(
  'saas',
  'high',
  'shopify-access-token',
  'Shopify Admin API access token',
  token('shpat_[a-fA-F0-9]{32}'),
  ['shpat_'],
);
add('saas', 'high', 'shopify-shared-secret', 'Shopify app shared secret', token('shpss_[a-fA-F0-9]{32}'), [
  'shpss_',
]);
add(
  'saas',
  'high',
  'shopify-custom-app-token',
  'Shopify custom app access token',
  token('shpca_[a-fA-F0-9]{32}'),
  ['shpca_'],
);
add(
  'saas',
  'high',
  'shopify-private-app-token',
  'Shopify private app password',
  token('shppa_[a-fA-F0-9]{32}'),
  ['shppa_'],
);
add('saas', 'high', 'atlassian-api-token', 'Atlassian API token', token('ATATT3[A-Za-z0-9_=-]{186}'), [
  'atatt3',
]);
add('saas', 'high', 'linear-api-key', 'Linear API key', token('lin_api_[A-Za-z0-9]{40}'), ['lin_api_']);
add('saas', 'high', 'notion-token', 'Notion integration token', token('ntn_[0-9]{11}[A-Za-z0-9]{35}'), [
  'ntn_',
]);
add(
  'saas',
  'high',
  'airtable-pat',
  'Airtable personal access token',
  token('pat[A-Za-z0-9]{14}\\.[a-f0-9]{64}'),
  ['pat'],
);
add('saas', 'high', 'figma-pat', 'Figma personal access token', token('figd_[A-Za-z0-9_-]{40}'), ['figd_']);
add(
  'saas',
  'high',
  'hubspot-private-app-token',
  'HubSpot private app access token',
  token(`pat-(?:na|eu)1-${UUID}`),
  ['pat-na1-', 'pat-eu1-'],
);
add('saas', 'high', 'typeform-token', 'Typeform personal access token', token('tfp_[A-Za-z0-9_=.-]{59}'), [
  'tfp_',
]);
add('saas', 'high', 'okta-api-token', 'Okta API token', near('okta', '00[A-Za-z0-9_-]{40}'), ['okta'], 3.5);
add(
  'saas',
  'critical',
  'onepassword-service-account-token',
  '1Password service account token',
  String.raw`\b(ops_eyJ[A-Za-z0-9+/]{250,1000}={0,3})` + B64END,
  ['ops_eyj'],
);
add(
  'saas',
  'high',
  'openai-api-key',
  'OpenAI API key',
  token('sk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,160}T3BlbkFJ[A-Za-z0-9_-]{20,160}'),
  ['t3blbkfj'],
);
add('saas', 'high', 'anthropic-api-key', 'Anthropic API key', token('sk-ant-api03-[A-Za-z0-9_-]{93}AA'), [
  'sk-ant-api03-',
]);
add(
  'saas',
  'critical',
  'anthropic-admin-key',
  'Anthropic admin API key',
  token('sk-ant-admin01-[A-Za-z0-9_-]{93}AA'),
  ['sk-ant-admin01-'],
);
add('saas', 'high', 'huggingface-token', 'Hugging Face access token', token('hf_[A-Za-z]{34}'), ['hf_'], 3);
add('saas', 'high', 'replicate-token', 'Replicate API token', token('r8_[A-Za-z0-9]{37}'), ['r8_'], 3);
add('saas', 'high', 'groq-api-key', 'Groq API key', token('gsk_[A-Za-z0-9]{52}'), ['gsk_'], 3);
add('saas', 'high', 'perplexity-api-key', 'Perplexity API key', token('pplx-[A-Za-z0-9]{48}'), ['pplx-'], 3);
add(
  'saas',
  'high',
  'mapbox-secret-token',
  'Mapbox secret access token',
  token('sk\\.eyJ[A-Za-z0-9_-]{50,}\\.[A-Za-z0-9_-]{20,}'),
  ['sk.eyj'],
);
add(
  'saas',
  'high',
  'algolia-admin-key',
  'Algolia admin API key',
  near('algolia', '[a-f0-9]{32}'),
  ['algolia'],
  3,
);
add(
  'saas',
  'high',
  'contentful-token',
  'Contentful personal access token',
  token('CFPAT-[A-Za-z0-9_-]{43}'),
  ['cfpat-'],
);
add(
  'saas',
  'critical',
  'age-secret-key',
  'age encryption secret key',
  token('AGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58}'),
  ['age-secret-key-1'],
);

// ── version control and CI ─────────────────────────────────────────────────────────────────────
add('vcs', 'critical', 'github-pat', 'GitHub personal access token (classic)', token('ghp_[A-Za-z0-9]{36}'), [
  'ghp_',
]);
add(
  'vcs',
  'critical',
  'github-fine-grained-pat',
  'GitHub fine-grained personal access token',
  token('github_pat_[A-Za-z0-9_]{82}'),
  ['github_pat_'],
);
add('vcs', 'high', 'github-oauth-token', 'GitHub OAuth access token', token('gho_[A-Za-z0-9]{36}'), ['gho_']);
add('vcs', 'high', 'github-app-user-token', 'GitHub App user-to-server token', token('ghu_[A-Za-z0-9]{36}'), [
  'ghu_',
]);
add(
  'vcs',
  'high',
  'github-app-installation-token',
  'GitHub App installation (server-to-server) token',
  token('ghs_[A-Za-z0-9]{36}'),
  ['ghs_'],
);
add('vcs', 'high', 'github-refresh-token', 'GitHub App refresh token', token('ghr_[A-Za-z0-9]{36,76}'), [
  'ghr_',
]);
add(
  'vcs',
  'critical',
  'gitlab-pat',
  'GitLab personal, project or group access token',
  token('glpat-[A-Za-z0-9_-]{20}(?:[A-Za-z0-9_.-]{7,300})?'),
  ['glpat-'],
);
add(
  'vcs',
  'high',
  'gitlab-runner-token',
  'GitLab runner authentication token',
  token('glrt-[A-Za-z0-9_-]{20}(?:[A-Za-z0-9_.-]{7,300})?'),
  ['glrt-'],
);
add(
  'vcs',
  'high',
  'gitlab-runner-registration-token',
  'GitLab runner registration token',
  token('GR1348941[A-Za-z0-9_-]{20}'),
  ['gr1348941'],
);
add(
  'vcs',
  'high',
  'gitlab-pipeline-trigger-token',
  'GitLab pipeline trigger token',
  token('glptt-[A-Za-z0-9_-]{40}'),
  ['glptt-'],
);
add('vcs', 'high', 'gitlab-deploy-token', 'GitLab deploy token', token('gldt-[A-Za-z0-9_-]{20}'), ['gldt-']);
add(
  'vcs',
  'high',
  'gitlab-ci-job-token',
  'GitLab CI/CD job token',
  token('glcbt-(?:[0-9a-fA-F]{1,5}_)?[A-Za-z0-9_-]{20}'),
  ['glcbt-'],
);
add('vcs', 'medium', 'gitlab-feed-token', 'GitLab feed token', token('glft-[A-Za-z0-9_-]{20}'), ['glft-']);
add(
  'vcs',
  'high',
  'gitlab-oauth-app-secret',
  'GitLab OAuth application secret',
  token('gloas-[A-Za-z0-9_-]{64}'),
  ['gloas-'],
);
add('vcs', 'high', 'gitlab-scim-token', 'GitLab SCIM OAuth token', token('glsoat-[A-Za-z0-9_-]{20}'), [
  'glsoat-',
]);
add(
  'vcs',
  'high',
  'gitlab-agent-token',
  'GitLab agent for Kubernetes token',
  token('glagent-[A-Za-z0-9_-]{50}'),
  ['glagent-'],
);
add(
  'vcs',
  'medium',
  'gitlab-incoming-mail-token',
  'GitLab incoming e-mail token',
  token('glimt-[A-Za-z0-9_-]{25}'),
  ['glimt-'],
);
add(
  'vcs',
  'high',
  'bitbucket-app-password',
  'Bitbucket app password / API token',
  token('ATBB[A-Za-z0-9_=.-]{32}'),
  ['atbb'],
  3,
);
add(
  'vcs',
  'high',
  'bitbucket-client-secret',
  'Bitbucket OAuth consumer secret',
  near('bitbucket', '[A-Za-z0-9_=-]{64}'),
  ['bitbucket'],
  3.5,
);
add(
  'ci',
  'high',
  'circleci-personal-token',
  'CircleCI personal API token',
  token('CCIPAT_[A-Za-z0-9]{22}_[a-f0-9]{40}'),
  ['ccipat_'],
);
add(
  'ci',
  'high',
  'circleci-token',
  'CircleCI API token (legacy form)',
  near('circle[_.-]?ci|circle[_.-]?token', '[a-f0-9]{40}'),
  ['circle'],
  3,
);
add(
  'ci',
  'high',
  'travis-ci-token',
  'Travis CI access token',
  near('travis', '[A-Za-z0-9_-]{22}'),
  ['travis'],
  3.5,
);
add('ci', 'high', 'buildkite-token', 'Buildkite agent / API access token', token('bkua_[a-f0-9]{40}'), [
  'bkua_',
]);
add(
  'ci',
  'high',
  'sourcegraph-token',
  'Sourcegraph access token',
  token('sgp_(?:[a-f0-9]{16}|local)_[a-f0-9]{40}'),
  ['sgp_'],
);
add('ci', 'high', 'jfrog-api-key', 'JFrog Artifactory API key', token('AKCp[A-Za-z0-9]{69}'), ['akcp']);
add(
  'ci',
  'high',
  'jfrog-reference-token',
  'JFrog reference (identity) token',
  token('cmVmdGtuOjAxOj[A-Za-z0-9]{40,80}'),
  ['cmvmdgtuojaxoj'],
);
add(
  'ci',
  'high',
  'harness-pat',
  'Harness personal / service account token',
  token('pat\\.[A-Za-z0-9_-]{22}\\.[a-f0-9]{24}\\.[A-Za-z0-9]{20}'),
  ['pat.'],
);
add(
  'ci',
  'high',
  'drone-ci-token',
  'Drone CI access token',
  near('drone', '[A-Za-z0-9]{32}'),
  ['drone'],
  3.5,
);
add('ci', 'medium', 'codecov-token', 'Codecov upload token', near('codecov', UUID), ['codecov']);
add(
  'ci',
  'high',
  'gitea-token',
  'Gitea / Forgejo access token',
  near('gitea|forgejo', '[a-f0-9]{40}'),
  ['gitea', 'forgejo'],
  3,
);
add('ci', 'high', 'jenkins-api-token', 'Jenkins API token', near('jenkins', '[a-f0-9]{34}'), ['jenkins'], 3);

// ── package registries ─────────────────────────────────────────────────────────────────────────
add('registry', 'critical', 'npm-access-token', 'npm access token', token('npm_[A-Za-z0-9]{36}'), ['npm_']);
add(
  'generic',
  'high',
  'npmrc-auth-token',
  'Auth token in an .npmrc / .yarnrc',
  String.raw`(?i:_authToken)[ \t]*[=:][ \t]*["']?([A-Za-z0-9_.=+/-]{20,512})`,
  ['_authtoken'],
  3,
);
add(
  'registry',
  'critical',
  'pypi-token',
  'PyPI upload token',
  token('pypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{50,1000}'),
  ['pypi-ageichlwas5vcmc'],
);
add(
  'registry',
  'medium',
  'pypi-test-token',
  'TestPyPI upload token',
  token('pypi-AgENdGVzdC5weXBpLm9yZw[A-Za-z0-9_-]{50,1000}'),
  ['pypi-agendgvzdc5wexbplm9yzw'],
);
add('registry', 'critical', 'rubygems-api-key', 'RubyGems API key', token('rubygems_[a-f0-9]{48}'), [
  'rubygems_',
]);
add('registry', 'critical', 'nuget-api-key', 'NuGet API key', token('oy2[a-z0-9]{43}'), ['oy2'], 3);
add(
  'registry',
  'high',
  'dockerhub-pat',
  'Docker Hub personal access token',
  token('dckr_pat_[A-Za-z0-9_-]{27}'),
  ['dckr_pat_'],
);
add(
  'registry',
  'high',
  'dockerhub-org-token',
  'Docker Hub organization access token',
  token('dckr_oat_[A-Za-z0-9_-]{32}'),
  ['dckr_oat_'],
);
add(
  'generic',
  'high',
  'docker-config-auth',
  'Registry credentials in a Docker config.json',
  String.raw`"auth"[ \t]*:[ \t]*"([A-Za-z0-9+/]{8,512}={0,2})"`,
  ['"auth"'],
  3,
);
add(
  'registry',
  'critical',
  'crates-io-token',
  'crates.io API token',
  token('cio[A-Za-z0-9]{32}'),
  ['cio'],
  3,
);
add('registry', 'high', 'clojars-token', 'Clojars deploy token', token('CLOJARS_[a-z0-9]{60}'), ['clojars_']);
add(
  'registry',
  'high',
  'maven-settings-password',
  'Password in a Maven settings.xml server entry',
  String.raw`<password>[ \t]*([^<\s$]{6,256})[ \t]*</password>`,
  ['<password>'],
  2.5,
);

// ── payment ───────────────────────────────────────────────────────────────────────────────────
add(
  'payment',
  'critical',
  'stripe-secret-key',
  'Stripe live secret key',
  token('sk_live_[A-Za-z0-9]{24,99}'),
  ['sk_live_'],
);
add(
  'payment',
  'low',
  'stripe-test-secret-key',
  'Stripe test-mode secret key',
  token('sk_test_[A-Za-z0-9]{24,99}'),
  ['sk_test_'],
);
add(
  'payment',
  'critical',
  'stripe-restricted-key',
  'Stripe restricted API key',
  token('rk_(?:live|test)_[A-Za-z0-9]{24,99}'),
  ['rk_live_', 'rk_test_'],
);
add(
  'payment',
  'high',
  'stripe-webhook-secret',
  'Stripe webhook signing secret',
  token('whsec_[A-Za-z0-9+/]{32,88}'),
  ['whsec_'],
);
add(
  'payment',
  'critical',
  'square-access-token',
  'Square access token',
  token('EAAA[A-Za-z0-9_-]{60}'),
  ['eaaa'],
  3,
);
add(
  'payment',
  'high',
  'square-oauth-token',
  'Square OAuth access token (legacy sq0atp)',
  token('sq0atp-[A-Za-z0-9_-]{22}'),
  ['sq0atp-'],
);
add(
  'payment',
  'critical',
  'square-oauth-secret',
  'Square application secret',
  token('sq0csp-[A-Za-z0-9_-]{43}'),
  ['sq0csp-'],
);
add(
  'payment',
  'critical',
  'braintree-access-token',
  'PayPal Braintree production access token',
  token('access_token\\$production\\$[a-z0-9]{16}\\$[a-f0-9]{32}'),
  ['access_token$production$'],
);
add(
  'payment',
  'critical',
  'paypal-client-secret',
  'PayPal REST client secret',
  near('paypal', '[A-Za-z0-9_-]{80}'),
  ['paypal'],
  3.5,
);
add(
  'payment',
  'critical',
  'adyen-api-key',
  'Adyen API key',
  near('adyen', 'AQE[A-Za-z0-9+/=._-]{80,250}', B64END),
  ['adyen'],
);
add('payment', 'high', 'razorpay-key-id', 'Razorpay live key ID', token('rzp_live_[A-Za-z0-9]{14}'), [
  'rzp_live_',
]);
add(
  'payment',
  'critical',
  'razorpay-key-secret',
  'Razorpay key secret',
  near('razorpay', '[A-Za-z0-9]{24}'),
  ['razorpay'],
  3.5,
);
add(
  'payment',
  'critical',
  'flutterwave-secret-key',
  'Flutterwave secret key',
  token('FLWSECK(?:_TEST)?-[a-h0-9]{32}-X'),
  ['flwseck'],
);
add(
  'payment',
  'critical',
  'plaid-access-token',
  'Plaid access token',
  token(`access-(?:sandbox|development|production)-${UUID}`),
  ['access-sandbox-', 'access-development-', 'access-production-'],
);
add(
  'payment',
  'high',
  'coinbase-api-secret',
  'Coinbase API secret',
  near('coinbase', '[A-Za-z0-9+/]{32,88}={0,2}', B64END),
  ['coinbase'],
  3.5,
);
add(
  'payment',
  'critical',
  'gocardless-token',
  'GoCardless live access token',
  near('gocardless', 'live_[A-Za-z0-9_=-]{40}'),
  ['gocardless'],
);

// ── chat, e-mail and messaging ────────────────────────────────────────────────────────────────
add(
  'chat',
  'critical',
  'slack-bot-token',
  'Slack bot token',
  token('xoxb-[0-9]{10,13}-[0-9]{10,13}-[A-Za-z0-9]{24}'),
  ['xoxb-'],
);
add(
  'chat',
  'critical',
  'slack-user-token',
  'Slack user token',
  token('xoxp-[0-9]{10,13}-[0-9]{10,13}-[0-9]{10,13}-[a-f0-9]{32}'),
  ['xoxp-'],
);
add(
  'chat',
  'high',
  'slack-app-token',
  'Slack app-level token',
  token('xapp-[0-9]-[A-Z0-9]{9,12}-[0-9]{10,14}-[a-f0-9]{64}'),
  ['xapp-'],
);
add(
  'chat',
  'high',
  'slack-config-token',
  'Slack configuration access token',
  token('xoxe\\.xox[bp]-[0-9]-[A-Za-z0-9]{160,170}'),
  ['xoxe.'],
);
add(
  'chat',
  'high',
  'slack-legacy-token',
  'Slack legacy workspace / refresh token',
  token('xox[ars]-[0-9]{1,13}-[0-9A-Za-z-]{20,200}'),
  ['xoxa-', 'xoxr-', 'xoxs-'],
);
add(
  'chat',
  'high',
  'slack-webhook-url',
  'Slack incoming webhook URL',
  String.raw`(https://hooks\.slack\.com/(?:services|workflows|triggers)/T[A-Z0-9]{8,12}/[A-Z0-9]{8,12}/[A-Za-z0-9]{24,48})` +
    END,
  ['hooks.slack.com'],
);
add(
  'chat',
  'high',
  'discord-bot-token',
  'Discord bot token',
  near('discord', '[MNO][A-Za-z0-9_-]{23,25}\\.[A-Za-z0-9_-]{6}\\.[A-Za-z0-9_-]{27,38}'),
  ['discord'],
);
add(
  'chat',
  'high',
  'discord-webhook-url',
  'Discord webhook URL',
  String.raw`(https://(?:ptb\.|canary\.)?discord(?:app)?\.com/api/webhooks/[0-9]{17,20}/[A-Za-z0-9_-]{60,68})` +
    END,
  ['discord'],
);
add(
  'chat',
  'high',
  'telegram-bot-token',
  'Telegram bot API token',
  String.raw`(?:(?m:^)|[^0-9\n])([0-9]{8,10}:AA[A-Za-z0-9_-]{33})` + END,
  [':aa'],
);
add(
  'chat',
  'medium',
  'twilio-api-key',
  'Twilio API key SID next to a Twilio setting',
  near('twilio', 'SK[0-9a-fA-F]{32}'),
  ['twilio'],
  3,
);
add(
  'chat',
  'critical',
  'twilio-auth-token',
  'Twilio auth token',
  near('twilio', '[a-f0-9]{32}'),
  ['twilio'],
  3,
);
add(
  'email',
  'high',
  'sendgrid-api-key',
  'SendGrid API key',
  token('SG\\.[A-Za-z0-9_-]{22}\\.[A-Za-z0-9_-]{43}'),
  ['sg.'],
);
add(
  'email',
  'high',
  'mailgun-api-key',
  'Mailgun API key',
  near('mailgun', 'key-[a-f0-9]{32}|[a-f0-9]{32}-[a-f0-9]{8}-[a-f0-9]{8}'),
  ['mailgun'],
);
add(
  'email',
  'high',
  'mailchimp-api-key',
  'Mailchimp marketing API key',
  token('[a-f0-9]{32}-us[0-9]{1,2}'),
  ['-us'],
  3,
);
add(
  'email',
  'high',
  'mandrill-api-key',
  'Mailchimp Transactional (Mandrill) API key',
  near('mandrill', '[A-Za-z0-9_-]{22}'),
  ['mandrill'],
  3.5,
);
add('email', 'high', 'postmark-server-token', 'Postmark server / account token', near('postmark', UUID), [
  'postmark',
]);
add(
  'email',
  'high',
  'sparkpost-api-key',
  'SparkPost API key',
  near('sparkpost', '[a-f0-9]{40}'),
  ['sparkpost'],
  3,
);
add(
  'email',
  'high',
  'brevo-api-key',
  'Brevo (Sendinblue) API key',
  token('xkeysib-[a-f0-9]{64}-[A-Za-z0-9]{16}'),
  ['xkeysib-'],
);
add(
  'email',
  'high',
  'brevo-smtp-key',
  'Brevo (Sendinblue) SMTP key',
  token('xsmtpsib-[a-f0-9]{64}-[A-Za-z0-9]{16}'),
  ['xsmtpsib-'],
);
add(
  'chat',
  'high',
  'microsoft-teams-webhook',
  'Microsoft Teams incoming webhook URL',
  String.raw`(https://[a-z0-9-]+\.webhook\.office\.com/webhookb2/[a-f0-9-]{36}@[a-f0-9-]{36}/IncomingWebhook/[a-f0-9]{32}/[a-f0-9-]{36})` +
    END,
  ['webhook.office.com'],
);
add(
  'chat',
  'high',
  'mattermost-token',
  'Mattermost access token',
  near('mattermost', '[a-z0-9]{26}'),
  ['mattermost'],
  3.5,
);
add(
  'chat',
  'high',
  'intercom-token',
  'Intercom access token',
  near('intercom', '[A-Za-z0-9=_-]{60}'),
  ['intercom'],
  3.5,
);
add(
  'chat',
  'high',
  'zendesk-api-token',
  'Zendesk API token',
  near('zendesk', '[A-Za-z0-9]{40}'),
  ['zendesk'],
  3.5,
);
add(
  'chat',
  'high',
  'vonage-api-secret',
  'Vonage (Nexmo) API secret',
  near('vonage|nexmo', '[A-Za-z0-9]{16}'),
  ['vonage', 'nexmo'],
  3,
);
add(
  'chat',
  'high',
  'messagebird-api-key',
  'MessageBird API key',
  near('messagebird|message[_.-]bird', '[A-Za-z0-9]{25}'),
  ['messagebird', 'message_bird', 'message-bird', 'message.bird'],
  3.5,
);
add(
  'chat',
  'high',
  'facebook-app-secret',
  'Facebook app secret',
  near('facebook', '[a-f0-9]{32}'),
  ['facebook'],
  3,
);
add(
  'chat',
  'high',
  'twitter-bearer-token',
  'Twitter / X app bearer token',
  token('A{22}[A-Za-z0-9%]{80,120}'),
  ['aaaaaaaaaaaaaaaaaaaaaa'],
);
add(
  'chat',
  'high',
  'linkedin-client-secret',
  'LinkedIn client secret',
  near('linkedin', '[A-Za-z0-9]{16}'),
  ['linkedin'],
  3,
);

// ── private keys and tokens with structure ───────────────────────────────────────────────────
function pem(label: string): string {
  return String.raw`(-----BEGIN ${label}-----[\s\S]{64,}?-----END ${label}-----)`;
}
add('key', 'critical', 'private-key-rsa', 'RSA private key (PKCS#1 PEM)', pem('RSA PRIVATE KEY'), [
  '-----begin rsa private key-----',
]);
add('key', 'critical', 'private-key-ec', 'EC private key (SEC1 PEM)', pem('EC PRIVATE KEY'), [
  '-----begin ec private key-----',
]);
add('key', 'critical', 'private-key-dsa', 'DSA private key (PEM)', pem('DSA PRIVATE KEY'), [
  '-----begin dsa private key-----',
]);
add('key', 'critical', 'private-key-openssh', 'OpenSSH private key', pem('OPENSSH PRIVATE KEY'), [
  '-----begin openssh private key-----',
]);
add('key', 'critical', 'private-key-pkcs8', 'Private key (PKCS#8 PEM)', pem('PRIVATE KEY'), [
  '-----begin private key-----',
]);
add(
  'key',
  'high',
  'private-key-pkcs8-encrypted',
  'Encrypted private key (PKCS#8 PEM)',
  pem('ENCRYPTED PRIVATE KEY'),
  ['-----begin encrypted private key-----'],
);
add('key', 'critical', 'private-key-pgp', 'PGP private key block', pem('PGP PRIVATE KEY BLOCK'), [
  '-----begin pgp private key block-----',
]);
add(
  'key',
  'critical',
  'putty-private-key',
  'PuTTY private key file',
  String.raw`(PuTTY-User-Key-File-[23]: [\s\S]{0,1000}?Private-Lines: [0-9]+[\s\S]{16,}?Private-MAC: [a-f0-9]{40,64})`,
  ['putty-user-key-file-'],
);
add(
  'token',
  'medium',
  'jwt',
  'JSON Web Token',
  token('eyJ[A-Za-z0-9_-]{10,}\\.eyJ[A-Za-z0-9_-]{10,}\\.[A-Za-z0-9_-]{10,}'),
  ['eyj'],
  3,
);

// ── generic assignments (entropy-gated) ───────────────────────────────────────────────────────
const PLACEHOLDERS: AllowlistSpec = {
  description: 'placeholders, templating and references to other variables',
  regexes: [
    String.raw`^(?:\$\{?[A-Za-z_]|\{\{|<[A-Za-z_-]+>$|%\(|%[A-Za-z_]+%|process\.env|os\.environ|env\()`,
    String.raw`^(?:[*xX.#-]{6,}|(?i:changeme|change_me|example|placeholder|redacted|dummy|sample|your[_-]?(?:api[_-]?)?(?:key|token|secret|password)\w*))$`,
  ],
  stopwords: ['example', 'placeholder', 'changeme', 'dummy', 'redacted', 'your_', 'your-', 'xxxxxx'],
};
const WORDS_ONLY: AllowlistSpec = {
  description: 'words joined by separators ("status-value", "My.App") are identifiers, not credentials',
  regexes: ['^[A-Za-z][a-z]+(?:[A-Z][a-z]+)*(?:[-_. /:][A-Za-z][a-z]+(?:[A-Z][a-z]+)*)*$'],
};
const GENERIC_SECRET_NAMES =
  'secret|token|api[_.-]?key|apikey|access[_.-]?key|auth[_.-]?key|private[_.-]?key|client[_.-]?secret|credential';
rows.push({
  id: 'generic-secret-assignment',
  description: 'High-entropy value assigned to a secret-like name',
  severity: 'medium',
  regex: String.raw`(?i:[\w.-]{0,40}(?:${GENERIC_SECRET_NAMES})s?[\w.-]{0,20})["']?[ \t]*(?::=|=>|=|:)[ \t]*["'\x60]([A-Za-z0-9+/_=.~!@#%^&*:-]{16,128})["'\x60]`,
  keywords: [
    'secret',
    'token',
    'api_key',
    'apikey',
    'api-key',
    'api.key',
    'access_key',
    'accesskey',
    'access-key',
    'auth_key',
    'authkey',
    'private_key',
    'privatekey',
    'credential',
  ],
  entropy: 3.7,
  tags: ['generic'],
  allowlists: [PLACEHOLDERS, WORDS_ONLY],
});
rows.push({
  id: 'generic-password-assignment',
  description: 'Password literal assigned to a password-like name',
  severity: 'medium',
  regex: String.raw`(?i:[\w.-]{0,40}(?:password|passwd|passphrase|pwd)[\w.-]{0,20})["']?[ \t]*(?::=|=>|=|:)[ \t]*["'\x60]([^"'\x60\s$<>{}]{8,128})["'\x60]`,
  keywords: ['password', 'passwd', 'passphrase', 'pwd'],
  entropy: 3,
  tags: ['generic'],
  allowlists: [PLACEHOLDERS, WORDS_ONLY],
});
rows.push({
  id: 'generic-env-secret',
  description: 'Secret-like variable in a dotenv, properties or ini file',
  severity: 'medium',
  regex: String.raw`(?m)^[ \t]*(?:export[ \t]+)?(?i:[A-Z0-9_.-]*(?:secret|token|password|passwd|api_key|apikey|private_key|access_key)[A-Z0-9_.-]*)[ \t]*[=:][ \t]*([^\s"'$#]{12,200})`,
  keywords: ['secret', 'token', 'password', 'passwd', 'api_key', 'apikey', 'private_key', 'access_key'],
  entropy: 3.5,
  tags: ['generic'],
  path: String.raw`(?i)(?:^|/)(?:\.env(?:\.[\w.-]+)?|[\w.-]+\.env|[\w.-]+\.properties|[\w.-]+\.ini|[\w.-]+\.cfg)$`,
  allowlists: [PLACEHOLDERS, WORDS_ONLY],
});
rows.push({
  id: 'url-credentials',
  description: 'Password embedded in a URL (scheme://user:password@host)',
  severity: 'high',
  regex: String.raw`\b[a-zA-Z][a-zA-Z0-9+.-]{1,20}://[^\s:@/'"]{1,64}:([^\s:@/'"]{3,128})@[A-Za-z0-9.-]{1,253}`,
  keywords: ['://'],
  entropy: 2.5,
  tags: ['generic'],
  allowlists: [PLACEHOLDERS, { stopwords: ['password', 'passwd', 'secret', 'pass'] }],
});
rows.push({
  id: 'connection-string-password',
  description: 'Password in an ADO.NET / ODBC connection string',
  severity: 'high',
  regex: String.raw`(?i:(?:server|data source|host|address)[ \t]*=[^;'"\n]{1,200};[^'"\n]{0,300}?(?:password|pwd)[ \t]*=[ \t]*)([^;'"\s]{4,128})`,
  keywords: ['password=', 'pwd=', 'password =', 'pwd ='],
  entropy: 2.5,
  tags: ['generic'],
  allowlists: [PLACEHOLDERS],
});
rows.push({
  id: 'curl-basic-auth',
  description: 'Credentials passed to curl with -u / --user',
  severity: 'high',
  regex: String.raw`\bcurl\b[^\n]{0,200}?[ \t](?:-u|--user)[ \t]+["']?[^\s:'"]{1,64}:([^\s'"]{4,128})`,
  keywords: ['curl'],
  entropy: 2.5,
  tags: ['generic'],
  allowlists: [PLACEHOLDERS],
});
rows.push({
  id: 'curl-auth-header',
  description: 'Authorization header with a literal credential passed to curl',
  severity: 'high',
  regex: String.raw`\bcurl\b[^\n]{0,200}?(?:-H|--header)[ \t]+["'](?i:authorization:[ \t]*(?:bearer|basic|token)[ \t]+)([A-Za-z0-9._~+/=-]{16,512})`,
  keywords: ['curl'],
  entropy: 3,
  tags: ['generic'],
  allowlists: [PLACEHOLDERS],
});

const DEFAULT_ALLOWLIST: AllowlistSpec = {
  description: 'lockfiles, vendored dependencies and binary-like assets never hold our secrets',
  paths: [
    String.raw`(?:^|/)(?:package-lock\.json|npm-shrinkwrap\.json|yarn\.lock|pnpm-lock\.yaml|bun\.lockb|go\.sum|Cargo\.lock|poetry\.lock|Pipfile\.lock|composer\.lock|Gemfile\.lock|gradle\.lockfile)$`,
    String.raw`(?:^|/)(?:node_modules|vendor|\.venv|site-packages)/`,
    String.raw`(?i)\.(?:png|jpe?g|gif|ico|bmp|webp|svg|woff2?|ttf|eot|otf|mp[34]|mov|avi|pdf|zip|gz|tgz|bz2|xz|7z|jar|class|exe|dll|so|dylib|wasm|pyc)$`,
  ],
};

/** The built-in configuration: every rule above plus the default global allowlist. */
export const DEFAULT_CONFIG: ConfigSpec = {
  title: 'gatechain default secret rules',
  rules: rows.map((row): RuleSpec => ({ ...row, secretGroup: 1 })),
  allowlists: [DEFAULT_ALLOWLIST],
};
