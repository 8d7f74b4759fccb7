/**
 * PostgreSQL to Salesforce: update existing Salesforce Contacts from a `public.users` table every day at 05:00
 * UTC, matching users to Contacts on their email address.
 *
 * Configuration (see README.md):
 *   pulumi config set --secret polytomic:apiKey <key>
 *   pulumi config set pgHost db.example.com
 *   pulumi config set pgUser polytomic_reader
 *   pulumi config set pgDatabase app
 *   pulumi config set --secret pgPassword <password>
 *   pulumi config set salesforceDomain https://example.my.salesforce.com
 *   pulumi config set --secret salesforceClientId <connected app client id>
 *   pulumi config set --secret salesforceClientSecret <connected app client secret>
 */
import * as pulumi from "@pulumi/pulumi";
import * as polytomic from "pulumi-polytomic";

const config = new pulumi.Config();

// The generic Connection takes the configuration exactly as Polytomic's API spells it (snake_case). The
// `postgresql` schema requires hostname, username, password, database and port; `password` is kept secret.
// Creating it waits for Polytomic's schema cache, so the model below finds the table.
const postgres = new polytomic.Connection("postgres", {
  name: "App database",
  type: "postgresql",
  configuration: {
    hostname: config.require("pgHost"),
    port: config.getNumber("pgPort") ?? 5432,
    username: config.require("pgUser"),
    password: config.requireSecret("pgPassword"),
    database: config.require("pgDatabase"),
  },
});

// Salesforce authenticates with OAuth: after `pulumi up`, open the `salesforceAuthUrl` output to authorise the
// connection (syncs fail until then). Its schema requires `client_id`, `client_secret` and `domain`; the client
// id and secret are those of your connected app, both kept secret.
const salesforce = new polytomic.Connection("salesforce", {
  name: "Salesforce",
  type: "salesforce",
  configuration: {
    domain: config.require("salesforceDomain"),
    client_id: config.requireSecret("salesforceClientId"),
    client_secret: config.requireSecret("salesforceClientSecret"),
  },
});

// A model over the whole table, with the columns the sync needs.
const users = new polytomic.Model("users", {
  name: "Users",
  connectionId: postgres.id,
  configuration: { table: "public.users" },
  fields: ["email", "first_name", "last_name", "title", "phone"],
  identifier: "email",
});

const from = (field: string) => ({ modelId: users.id, field });

// Mode `update` only changes Contacts that already exist; the identity says how a user finds its Contact.
const sync = new polytomic.Sync("users-to-contacts", {
  name: "Users to Salesforce Contacts",
  active: true,
  mode: "update",
  identity: { source: from("email"), target: "Email", function: "Equality" },
  fields: [
    { source: from("first_name"), target: "FirstName" },
    { source: from("last_name"), target: "LastName" },
    { source: from("title"), target: "Title" },
    { source: from("phone"), target: "Phone" },
  ],
  target: { connectionId: salesforce.id, object: "Contact" },
  // Daily at 05:00 UTC. Polytomic takes hour and minute as two-digit strings.
  schedule: { frequency: "daily", hour: "05", minute: "00" },
});

export const postgresConnectionId = postgres.id;
export const salesforceConnectionId = salesforce.id;
/** Open this once to finish Salesforce's OAuth flow. */
export const salesforceAuthUrl = salesforce.authUrl;
export const modelId = users.id;
export const syncId = sync.id;
