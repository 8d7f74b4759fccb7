/**
 * A Polytomic partner provisions its customers: one organization per customer, each with a role and a policy
 * for its analysts, a user holding that role, Polytomic's event notifications and error emails, and a pipeline
 * (a GCS bucket's CSV, a model over it, and a sync to the customer's webhook) that the policy guards.
 *
 * Everything runs with the partner key: organizations are managed with it directly, and every object inside a
 * customer's organization names that organization (`organizationId: org.id`), so the key acts there (HTTP Basic
 * with the organization id, as Polytomic documents). No API key is configured: an API key would act only in its
 * own organization.
 *
 * Configuration (see README.md):
 *   pulumi config set --secret polytomic:partnerKey <partner key>
 *   pulumi config set gcsBucket my-bucket
 *   pulumi config set --secret gcsServiceAccount "$(cat service-account.json)"
 *   pulumi config set webhookBaseUrl https://hooks.example.com/polytomic
 *   pulumi config set eventsBaseUrl https://events.example.com/polytomic
 *   pulumi config set --secret eventWebhookSecret <secret>
 */
import * as pulumi from "@pulumi/pulumi";
import * as polytomic from "pulumi-polytomic";

const config = new pulumi.Config();

/** The customers, one organization each. */
const customers = [
  { key: "acme", name: "Acme Corp", domain: "acme.example", admin: "data.lead@acme.example" },
  { key: "globex", name: "Globex", domain: "globex.example", admin: "analytics@globex.example" },
];

function customer(c: (typeof customers)[number]) {
  const org = new polytomic.Organization(`${c.key}-org`, { name: c.name, ssoDomain: c.domain });
  // Every object below lives in the customer's organization.
  const organizationId = org.id;

  const analysts = new polytomic.Role(`${c.key}-analysts`, { name: "Analysts", organizationId });
  const policy = new polytomic.Policy(`${c.key}-pipeline-policy`, {
    name: "Analysts run the pipeline",
    organizationId,
    policyActions: [
      { action: "read", roleIds: [analysts.id] },
      { action: "edit", roleIds: [analysts.id] },
      { action: "trigger", roleIds: [analysts.id] },
    ],
  });
  const admin = new polytomic.User(`${c.key}-admin`, {
    email: c.admin,
    roleIds: [analysts.id],
    organizationId,
  });

  new polytomic.EventWebhook(`${c.key}-events`, {
    endpoint: pulumi.interpolate`${config.require("eventsBaseUrl")}/${c.key}`,
    secret: config.requireSecret("eventWebhookSecret"),
    organizationId,
  });
  new polytomic.GlobalErrorSubscribers(`${c.key}-error-subscribers`, {
    emails: [c.admin, "oncall@partner.example"],
    organizationId,
  });

  // The pipeline: bucket → model → webhook, every part guarded by the analysts' policy.
  const policies = [policy.id];
  const gcs = new polytomic.GcsConnection(`${c.key}-gcs`, {
    name: `${c.name} bucket`,
    organizationId,
    policies,
    configuration: {
      bucket: config.require("gcsBucket"),
      serviceAccount: config.requireSecret("gcsServiceAccount"),
    },
  });
  const webhook = new polytomic.WebhookConnection(`${c.key}-webhook`, {
    name: `${c.name} webhook`,
    organizationId,
    policies,
    configuration: { url: pulumi.interpolate`${config.require("webhookBaseUrl")}/${c.key}` },
  });
  const model = new polytomic.Model(`${c.key}-users`, {
    name: "High paying users",
    organizationId,
    policies,
    connectionId: gcs.id,
    configuration: { model_from: "single_file", key: "high_paying_users.csv" },
  });
  const field = (name: string) => ({ source: { modelId: model.id, field: name }, target: "record" });
  const sync = new polytomic.Sync(`${c.key}-to-webhook`, {
    name: `${c.name}: users to webhook`,
    organizationId,
    policies,
    active: true,
    mode: "updateOrCreate",
    fields: [field("email_address"), field("first_name"), field("last_name")],
    target: { connectionId: webhook.id, object: "http", configuration: { batch_size: 100 } },
    schedule: { frequency: "daily", hour: 6, minute: 0 },
  });

  return { organizationId, adminUserId: admin.id, policyId: policy.id, syncId: sync.id };
}

const provisioned = Object.fromEntries(customers.map((c) => [c.key, customer(c)]));

/** Each customer's organization id, admin user, policy and sync. */
export const organizations = provisioned;
