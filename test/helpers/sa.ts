/** A fake GCS service-account key: JSON shaped like Google's, with an obviously fake private key. */
export const FAKE_SERVICE_ACCOUNT = JSON.stringify({
  type: "service_account",
  project_id: "demo-project",
  private_key_id: "0000000000000000000000000000000000000000",
  private_key: "-----BEGIN PRIVATE KEY-----\nTHIS-IS-NOT-A-REAL-KEY-5f1d2c\n-----END PRIVATE KEY-----\n",
  client_email: "polytomic-demo@demo-project.iam.gserviceaccount.com",
  client_id: "100000000000000000000",
});

export const API_KEY = "test-api-key-7c9e1f";
