/**
 * The one API key and the one fake service-account key of the tests, the benchmark (bench/run.js) and the demo
 * (scripts/demo.js). Plain constants only: the two Node scripts `require` this file as it is (Node strips the
 * types), so it must import nothing and use no TypeScript-only syntax.
 */

/**
 * The API key every emulator here accepts. It is the emulator's own default key (`DEFAULT_API_KEY`), so an
 * emulator started without `apiKeys` accepts it too.
 */
export const API_KEY = "test-api-key";

/**
 * The partner key the suites' emulators accept beside the API key, and their providers are configured with: the
 * kinds that take a partner key (organizations, users' API keys) use it; every other call takes the API key.
 */
export const PARTNER_KEY = "test-partner-key";

/** The line inside the fake private key: a part of the secret that a server message might quote alone. */
export const PRIVATE_KEY_LINE = "THIS-IS-NOT-A-REAL-KEY-5f1d2c";

/** A fake GCS service-account key: JSON shaped like Google's (the emulator derives `client_email` and `project_id` from it), with an obviously fake private key. */
export const FAKE_SERVICE_ACCOUNT = JSON.stringify({
  type: "service_account",
  project_id: "demo-project",
  private_key_id: "0000000000000000000000000000000000000000",
  private_key: `-----BEGIN PRIVATE KEY-----\n${PRIVATE_KEY_LINE}\n-----END PRIVATE KEY-----\n`,
  client_email: "polytomic-demo@demo-project.iam.gserviceaccount.com",
  client_id: "100000000000000000000",
});
