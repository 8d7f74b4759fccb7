/**
 * The reviewed credentials of Polytomic's connection-type schemas (`data/connection-types/<type>.json`).
 *
 * Most schemas mark their credentials `sensitive: true`, and those need no entry here. A few leave credentials
 * unmarked; each such path is listed in {@link EXTRA_SECRETS} with the reason it is a secret, and from there it is
 * treated exactly like a marked one (`secretPathsForType` in `./json-schema`): wrapped in `pulumi.secret` by
 * the resource classes, kept out of error messages, masked by the emulator on read.
 *
 * {@link NOT_SECRETS} lists the properties whose names look like credentials but are not secrets, each with the
 * reason, so a reviewer can see they were looked at and not forgotten.
 *
 * How the list was made: every property of every schema whose name or title speaks of passwords, secrets,
 * tokens, keys, credentials, certificates, passphrases, service accounts or auth values was reviewed by hand
 * (504 paths, 189 of them not marked `sensitive`). Paths use the schema's keys: dotted, `[]` for every element of
 * an array (`auth.query[].value`).
 */

/** One reviewed path of a type's configuration. */
export interface ReviewedSecret {
  /** The path pattern, as the API spells it: `auth.basic.password`, `query[].value`. */
  readonly path: string;
  /** Why it is a secret, in one line. */
  readonly reason: string;
}

/** A credential-looking property that is not a secret. */
export interface NotASecret {
  /** The property, or the end of its path (`token_endpoint` matches `auth.oauth.token_endpoint`). */
  readonly name: string;
  /** The types whose schemas hold it unmarked. */
  readonly types: readonly string[];
  /** Why it is not a secret, in one line. */
  readonly reason: string;
}

/** Credentials the schemas leave unmarked, by connection type. */
export const EXTRA_SECRETS: Readonly<Record<string, readonly ReviewedSecret[]>> = {
  api: [
    { path: "auth.basic.password", reason: "the HTTP basic-auth password sent to the API" },
    { path: "auth.oauth.client_secret", reason: "the OAuth client secret of the client-credentials flow" },
    {
      path: "auth.header.value",
      reason: "the value of the authentication header (an API key or bearer token)",
    },
    { path: "auth.query[].value", reason: "values of the query-string authentication parameters (API keys)" },
  ],
  csv: [
    { path: "auth.basic.password", reason: "the HTTP basic-auth password for fetching the CSV URL" },
    { path: "auth.oauth.client_secret", reason: "the OAuth client secret of the client-credentials flow" },
    {
      path: "auth.header.value",
      reason: "the value of the authentication header (an API key or bearer token)",
    },
    { path: "auth.query[].value", reason: "values of the query-string authentication parameters (API keys)" },
  ],
  httpenrichment: [
    { path: "auth.basic.password", reason: "the HTTP basic-auth password sent to the enrichment endpoint" },
    { path: "auth.oauth.client_secret", reason: "the OAuth client secret of the client-credentials flow" },
    {
      path: "auth.header.value",
      reason: "the value of the authentication header (an API key or bearer token)",
    },
    { path: "auth.query[].value", reason: "values of the query-string authentication parameters (API keys)" },
  ],
  webhook: [
    { path: "basic.password", reason: "the HTTP basic-auth password sent with each delivery" },
    { path: "oauth.client_secret", reason: "the OAuth client secret of the client-credentials flow" },
    { path: "header.value", reason: "the value of the authentication header (an API key or bearer token)" },
    { path: "query[].value", reason: "values of the query-string authentication parameters (API keys)" },
  ],
};

/** Credential-looking properties that are not secrets, and why. */
export const NOT_SECRETS: readonly NotASecret[] = [
  {
    name: "oauth_token_expiry",
    types: [
      "airtable",
      "dbtprojectrepository",
      "dialpad",
      "dropbox",
      "gmail",
      "gong",
      "google_search_ads_360",
      "googleads",
      "googleanalytics",
      "googlesearchconsole",
      "googleslides",
      "googleworkspace",
      "gsheets",
      "linkedinads",
      "marketo",
      "msads",
      "msdynamics",
      "outreach",
      "quickbooks",
      "ramp",
      "redditads",
      "sageintacct",
      "salesloft",
      "sharepoint_excel",
      "typeform",
      "upfluence",
      "youtubeanalytics",
      "zendesk_support",
      "zoho_crm",
    ],
    reason: "a timestamp: when the (secret, hidden) OAuth access token expires",
  },
  {
    name: "token_endpoint",
    types: ["api", "csv", "httpenrichment", "webhook"],
    reason: "a URL: where the OAuth client-credentials token is requested",
  },
  {
    name: "auth_style",
    types: ["api", "csv", "httpenrichment", "webhook"],
    reason: "an integer choosing how the OAuth client authenticates (header or body), not a value",
  },
  {
    name: "extra_form_data[].value",
    types: ["api", "csv", "httpenrichment", "webhook"],
    reason:
      "extra fields of the OAuth token request (audience, resource); the client secret has its own field",
  },
  {
    name: "headers[].value",
    types: ["api", "csv", "httpenrichment", "webhook"],
    reason: "free-form request headers shown in plans; credentials go in the auth header, which is secret",
  },
  {
    name: "parameters[].value",
    types: ["api", "csv", "httpenrichment"],
    reason:
      "free-form query-string parameters; credentials go in the auth query parameters, which are secret",
  },
  {
    name: "client_id",
    types: [
      "amazon_selling_partner",
      "api",
      "apple_ads",
      "auth0",
      "azureblob",
      "clazar",
      "csv",
      "dealcloud",
      "httpenrichment",
      "ironclad",
      "learnworlds",
      "marketo",
      "netsuitesaconnect",
      "sproutsocial",
      "standard_metrics",
      "webhook",
      "zoominfo",
    ],
    reason:
      "an OAuth client's public identifier; its client secret is the credential (37 schemas mark it anyway)",
  },
  {
    name: "access_key_id",
    types: ["amazon_keyspaces", "cloudtalk"],
    reason: "the identifier half of an access-key pair; the secret half is marked sensitive",
  },
  {
    name: "aws_access_key_id",
    types: [
      "awsopensearch",
      "clickhouse",
      "cloudflare_logs",
      "cloudflare_r2",
      "customeriowarehouseexports",
      "databricks",
      "motherduck",
      "redshift",
      "s3",
      "tigris",
    ],
    reason: "an AWS access key ID, which AWS documents as not secret; `aws_secret_access_key` is marked",
  },
  {
    name: "access_id",
    types: ["awsathena"],
    reason: "an AWS access key ID; the secret access key is marked sensitive",
  },
  {
    name: "access_key",
    types: ["gong"],
    reason: "Gong's access key is the identifier paired with `access_secret`, which is marked sensitive",
  },
  {
    name: "key_id",
    types: ["apple_ads"],
    reason: "the identifier of the Apple Ads API key, not the key",
  },
  {
    name: "private_key_id",
    types: ["appstoreconnect"],
    reason: "the identifier of the App Store Connect key; `private_key` itself is marked sensitive",
  },
  {
    name: "certificate_id",
    types: ["netsuitesaconnect"],
    reason: "the identifier of the certificate registered in NetSuite; `private_key` is marked sensitive",
  },
  {
    name: "public_key",
    types: ["apple_ads"],
    reason: "read-only public key Polytomic generates for you to register with Apple; public by design",
  },
  {
    name: "ca_cert",
    types: ["scylladb"],
    reason: "the certificate authority's public certificate; the client key is marked sensitive",
  },
  {
    name: "client_certs",
    types: ["postgresql", "scylladb"],
    reason: "a boolean switching client-certificate authentication on; the certificate and key are marked",
  },
  {
    name: "key_pair_auth",
    types: ["snowflake"],
    reason: "a boolean switching key-pair authentication on; the private key is marked sensitive",
  },
  {
    name: "service_account_username",
    types: ["mixpanel"],
    reason: "a user name; `service_account_secret` is marked sensitive",
  },
  {
    name: "storage_credential_name",
    types: ["databricks"],
    reason: "the name of a Unity Catalog storage credential defined in Databricks, not the credential",
  },
  {
    name: "org_keys",
    types: ["autura"],
    reason:
      "a comma-delimited list of the Autura organizations to read; the credential is `authentication_key`",
  },
  {
    name: "uri",
    types: ["cosmosdb"],
    reason: "the Cosmos DB account endpoint URL; the account key is `key`, which is marked sensitive",
  },
  {
    name: "store_id",
    types: ["yotpo"],
    reason:
      'titled "App Key" but documented as the client or store ID; the secret is `secret`, marked sensitive',
  },
  {
    name: "client_email",
    types: ["bigquery", "gcs", "googleworkspace"],
    reason: "read-only identity Polytomic derives from the service-account key, which is marked sensitive",
  },
  {
    name: "auth_method",
    types: [
      "amazon_keyspaces",
      "azureblob",
      "bigquery",
      "chorus",
      "dealcloud",
      "dialpad",
      "fbaudience",
      "gong",
      "googleanalytics",
      "googleworkspace",
      "greenhouse",
      "ironclad",
      "jira",
      "msads",
      "salesloft",
      "webhook",
      "zendesk_support",
    ],
    reason: "an enum choosing the authentication method, not a credential",
  },
];
