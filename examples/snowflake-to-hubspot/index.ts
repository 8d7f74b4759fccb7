/**
 * Snowflake to HubSpot: a model over a Snowflake query, synced to HubSpot contacts every day at 06:30 UTC.
 * Contacts are created or updated (matched on email); customers without an email or under 1,000 of lifetime
 * value are filtered out.
 *
 * Configuration (see README.md):
 *   pulumi config set --secret polytomic:apiKey <key>
 *   pulumi config set snowflakeAccount xy12345.us-east-1
 *   pulumi config set snowflakeUser POLYTOMIC
 *   pulumi config set --secret snowflakePassword <password>
 *   pulumi config set snowflakeDatabase ANALYTICS
 *   pulumi config set snowflakeWarehouse COMPUTE_WH   # optional
 */
import * as pulumi from "@pulumi/pulumi";
import * as polytomic from "pulumi-polytomic";

const config = new pulumi.Config();

// The `snowflake` schema requires account, username and dbname; `password` is kept secret.
const snowflake = new polytomic.Connection("snowflake", {
  name: "Snowflake analytics",
  type: "snowflake",
  configuration: {
    account: config.require("snowflakeAccount"),
    username: config.require("snowflakeUser"),
    password: config.requireSecret("snowflakePassword"),
    dbname: config.require("snowflakeDatabase"),
    warehouse: config.get("snowflakeWarehouse") ?? "COMPUTE_WH",
  },
});

// HubSpot authenticates with OAuth and has no required settings: after `pulumi up`, open the `hubspotAuthUrl`
// output to authorise the connection.
const hubspot = new polytomic.Connection("hubspot", {
  name: "HubSpot",
  type: "hubspot",
  configuration: {},
});

// A query model: the query's columns become the model's fields.
const customers = new polytomic.Model("customers", {
  name: "Customers (Snowflake)",
  connectionId: snowflake.id,
  configuration: {
    query: [
      "select email, first_name, last_name, company, lifetime_value",
      "from analytics.customers",
      "where deleted_at is null",
    ].join("\n"),
  },
  fields: ["email", "first_name", "last_name", "company", "lifetime_value"],
});

const from = (field: string) => ({ modelId: customers.id, field });

const sync = new polytomic.Sync("customers-to-hubspot", {
  name: "Snowflake customers to HubSpot contacts",
  active: true,
  mode: "updateOrCreate",
  identity: { source: from("email"), target: "email", function: "Equality" },
  fields: [
    { source: from("first_name"), target: "firstname" },
    { source: from("last_name"), target: "lastname" },
    { source: from("company"), target: "company" },
  ],
  // Filter 1: the contact has an email; filter 2: its lifetime value is over 1,000. Both must hold.
  filters: [
    { function: "IsNotNull", field: from("email") },
    { function: "GreaterThan", field: from("lifetime_value"), value: 1000 },
  ],
  filterLogic: "1 AND 2",
  // List a connection's target objects with GET /api/connections/{id}/modelsync/targetobjects.
  target: { connectionId: hubspot.id, object: "contacts" },
  schedule: { frequency: "daily", hour: "06", minute: "30" },
});

export const snowflakeConnectionId = snowflake.id;
export const hubspotConnectionId = hubspot.id;
/** Open this once to finish HubSpot's OAuth flow. */
export const hubspotAuthUrl = hubspot.authUrl;
export const modelId = customers.id;
export const modelFieldNames = customers.fieldNames;
export const syncId = sync.id;
