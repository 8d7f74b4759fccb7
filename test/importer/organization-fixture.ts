/**
 * An organization made "in the UI" (straight through the API, as Polytomic's own app would): the seed's
 * pipeline, the examples' pipelines, a sample connection of every type, and more models and syncs with
 * identities, filters, overrides, schedules and secrets. The importer's round trip reads it back.
 */

import { z } from "zod";
import type { PolytomicClient } from "../../src/client";
import { toApiConfiguration } from "../../src/connection-types/configuration-shape";
import { listConnectionTypes, loadConnectionSchema } from "../../src/connection-types/registry";
import { FAKE_SERVICE_ACCOUNT } from "../helpers/sa";
import { sampleConfiguration } from "../helpers/samples";

type Json = Record<string, unknown>;

/** What was made, by kind (the summary's groups). */
export interface Fixture {
  connections: number;
  models: number;
  syncs: number;
  bulkSyncs: number;
  roles: number;
  policies: number;
  users: number;
  eventWebhooks: number;
  errorSubscribers: number;
  /** Secret strings the generated files must never contain. */
  secrets: string[];
}

const ref = (modelId: string, field: string) => ({ model_id: modelId, field });

/** Makes the organization. */
export async function populate(client: PolytomicClient): Promise<Fixture> {
  const secrets: string[] = [FAKE_SERVICE_ACCOUNT, "THIS-IS-NOT-A-REAL-KEY-5f1d2c"];
  const counts = {
    connections: 0,
    models: 0,
    syncs: 0,
    bulkSyncs: 0,
    roles: 0,
    policies: 0,
    users: 0,
    eventWebhooks: 0,
    errorSubscribers: 0,
  };

  // Administration: roles, policies granting them actions, users holding them, the event webhook and the error
  // subscribers. The built-in roles (Admin, Member) are Polytomic's own: not imported.
  const analysts = await client.admin.roles.create({ name: "Analysts" });
  const engineers = await client.admin.roles.create({ name: "Data engineers" });
  counts.roles += 2;
  const restricted = await client.admin.policies.create({
    name: "Restricted data",
    policy_actions: [
      { action: "read", role_ids: [analysts.id, engineers.id] },
      { action: "edit", role_ids: [engineers.id] },
    ],
  });
  await client.admin.policies.create({
    name: "Engineers only",
    policy_actions: [{ action: "delete", role_ids: [engineers.id] }],
  });
  counts.policies += 2;
  await client.admin.users.create({ email: "ada@example.com", role_ids: [analysts.id] });
  await client.admin.users.create({ email: "grace@example.com", role_ids: [engineers.id, analysts.id] });
  const webhookSecret = "event-webhook-secret-0c4d7a";
  secrets.push(webhookSecret);
  await client.admin.eventWebhooks.create({
    endpoint: "https://example.com/polytomic-events",
    secret: webhookSecret,
  });
  counts.eventWebhooks++;
  await client.admin.globalErrorSubscribers.set(["oncall@example.com", "data-team@example.com"]);
  counts.errorSubscribers++;
  const policies = [restricted.id];
  const connection = async (body: Json) => {
    counts.connections++;
    return client.connections.create(body as never);
  };
  const model = async (body: Json) => {
    counts.models++;
    return client.models.create(body as never);
  };
  const sync = async (body: Json) => {
    counts.syncs++;
    return client.syncs.create(body as never);
  };

  // The seed (seed/index.ts): GCS CSV → webhook.
  const webhook = await connection({
    name: "Contacts webhook",
    type: "webhook",
    configuration: { url: "https://example.com/polytomic-webhook", auth_method: "polytomic_secret" },
  });
  const gcs = await connection({
    name: "Contacts bucket",
    type: "gcs",
    configuration: { bucket: "sample", service_account: FAKE_SERVICE_ACCOUNT },
  });
  const users = await model({
    name: "High paying users",
    connection_id: gcs.id,
    configuration: { model_from: "single_file", key: "high_paying_users.csv" },
  });
  const record = (field: string) => ({ source: ref(users.id, field), target: "record" });
  const seedSync = await sync({
    name: "Sync GCS to Webhook",
    active: true,
    mode: "updateOrCreate",
    fields: ["email_address", "first_name", "last_name"].map(record),
    target: {
      connection_id: webhook.id,
      object: "http",
      configuration: { batch_size: 100, record_requests: true },
    },
    schedule: { frequency: "manual" },
  });

  // examples/adopt-existing-gcs: a model with selected columns, an hourly sync.
  const contacts = await model({
    name: "Contacts",
    connection_id: gcs.id,
    configuration: { model_from: "single_file", key: "high_paying_users.csv" },
    fields: ["email_address", "first_name", "last_name"],
  });
  await sync({
    name: "Contacts to webhook",
    active: true,
    mode: "updateOrCreate",
    fields: ["email_address", "first_name", "last_name"].map((f) => ({
      source: ref(contacts.id, f),
      target: "record",
    })),
    target: { connection_id: webhook.id, object: "http", configuration: { batch_size: 50 } },
    schedule: { frequency: "hourly", minute: "15" },
  });

  // examples/postgres-to-salesforce.
  const pgPassword = "pg-password-3b8e1d";
  const sfSecret = "sf-client-secret-91ac0e";
  secrets.push(pgPassword, sfSecret, "sf-client-id-55d2a1");
  const postgres = await connection({
    name: "App database",
    type: "postgresql",
    configuration: {
      hostname: "db.example.com",
      port: 5432,
      username: "polytomic_reader",
      password: pgPassword,
      database: "app",
    },
    policies,
    validate: false,
  });
  const salesforce = await connection({
    name: "Salesforce",
    type: "salesforce",
    configuration: {
      domain: "https://example.my.salesforce.com",
      client_id: "sf-client-id-55d2a1",
      client_secret: sfSecret,
    },
    validate: false,
  });
  const appUsers = await model({
    name: "Users",
    connection_id: postgres.id,
    configuration: { table: "public.users" },
    fields: ["email", "first_name", "last_name", "title", "phone"],
    identifier: "email",
    policies,
  });
  const from = (field: string) => ref(appUsers.id, field);
  await sync({
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
    target: { connection_id: salesforce.id, object: "Contact" },
    schedule: { frequency: "daily", hour: "05", minute: "00" },
    policies,
  });

  // examples/snowflake-to-hubspot: a query model, filters with logic.
  const sfPassword = "snowflake-password-7c2f90";
  secrets.push(sfPassword);
  const snowflake = await connection({
    name: "Snowflake analytics",
    type: "snowflake",
    configuration: {
      account: "xy12345.us-east-1",
      username: "POLYTOMIC",
      password: sfPassword,
      dbname: "ANALYTICS",
      warehouse: "COMPUTE_WH",
    },
    validate: false,
  });
  const hubspot = await connection({ name: "HubSpot", type: "hubspot", configuration: {}, validate: false });
  const customers = await model({
    name: "Customers (Snowflake)",
    connection_id: snowflake.id,
    configuration: {
      query:
        "select email, first_name, last_name, company, lifetime_value\nfrom analytics.customers\nwhere deleted_at is null",
    },
    fields: ["email", "first_name", "last_name", "company", "lifetime_value"],
  });
  const c = (field: string) => ref(customers.id, field);
  const customersSync = await sync({
    name: "Snowflake customers to HubSpot contacts",
    active: true,
    mode: "updateOrCreate",
    identity: { source: c("email"), target: "email", function: "Equality" },
    fields: [
      { source: c("first_name"), target: "firstname" },
      { source: c("last_name"), target: "lastname" },
      { source: c("company"), target: "company" },
    ],
    filters: [
      { function: "IsNotNull", field: c("email") },
      { function: "GreaterThan", field: c("lifetime_value"), value: 1000 },
    ],
    filter_logic: "1 AND 2",
    target: { connection_id: hubspot.id, object: "contacts" },
    schedule: { frequency: "daily", hour: "06", minute: "30" },
  });

  // More models: added fields with examples, tracking columns, relations between models.
  const enriched = await model({
    name: "Enriched users",
    connection_id: gcs.id,
    configuration: { model_from: "single_file", key: "high_paying_users.csv" },
    fields: ["email_address", "company", "annual_revenue", "plan", "signup_date"],
    additional_fields: [
      { name: "tier", label: "Tier", type: "string", example: "gold" },
      { name: "score", label: "Score", type: "number" },
    ],
    identifier: "email_address",
    tracking_columns: ["plan", "annual_revenue"],
    relations: [{ from: "email_address", to: { model_id: users.id, field: "email_address" } }],
  });
  // Names that need care as identifiers: a reserved word, a leading digit, a duplicate, punctuation only.
  const reserved = await model({
    name: "default",
    connection_id: postgres.id,
    configuration: { query: "select 1 as one" },
    fields: ["one"],
  });
  await model({
    name: "2024 signups",
    connection_id: postgres.id,
    configuration: { table: "public.signups" },
    fields: ["id"],
  });
  await model({
    name: "Users",
    connection_id: snowflake.id,
    configuration: { table: "USERS" },
    fields: ["ID", "EMAIL"],
  });
  await model({
    name: "!!!",
    connection_id: postgres.id,
    configuration: { table: "public.bangs" },
    fields: ["x"],
  });

  // More syncs: weekly with a passphrase, overrides and override fields; a sync that runs after two others.
  const passphrase = "correct-horse-battery-4e1a";
  secrets.push(passphrase);
  const weekly = await sync({
    name: "Enriched users to Postgres",
    active: false,
    mode: "updateOrCreate",
    identity: { source: ref(enriched.id, "email_address"), target: "email", function: "Equality" },
    fields: [
      { source: ref(enriched.id, "company"), target: "company", new: true },
      { source: ref(enriched.id, "tier"), target: "tier", sync_mode: "create" },
    ],
    override_fields: [{ override_value: "pulumi", target: "source" }],
    overrides: [{ field: ref(enriched.id, "plan"), function: "Equality", value: "free", override: "trial" }],
    filters: [
      {
        function: "StringContains",
        field: ref(enriched.id, "email_address"),
        value: "@example.com",
        label: "example",
      },
    ],
    target: {
      connection_id: postgres.id,
      object: "public.enriched_users",
      configuration: { batch_size: 500 },
    },
    schedule: { frequency: "weekly", day_of_week: "monday", hour: "03", minute: "45" },
    encryption_passphrase: passphrase,
    sync_all_records: true,
    only_enrich_updates: true,
  });
  await sync({
    name: "After the nightly syncs",
    active: true,
    mode: "create",
    fields: [{ source: ref(reserved.id, "one"), target: "one" }],
    target: { connection_id: postgres.id, object: "public.after" },
    schedule: {
      frequency: "runafter",
      run_after: { sync_ids: [weekly.id, customersSync.id] },
      run_after_success_only: true,
    },
  });
  await sync({
    name: "Seed again, every 10 minutes",
    active: true,
    mode: "updateOrCreate",
    fields: [record("email_address")],
    target: { connection_id: webhook.id, object: "http" },
    schedule: { frequency: "custom", minute: "*/10" },
    skip_initial_backfill: true,
  });
  void seedSync;

  // Bulk syncs: Salesforce (its catalog's schemas) into the app database, some schemas and fields only; the
  // bucket's CSV files into S3 with an additional schedule, inactive.
  const bulk = async (body: Json) => {
    counts.bulkSyncs++;
    return client.bulkSyncs.create(body as never);
  };
  await bulk({
    name: "Salesforce to the app database",
    source_connection_id: salesforce.id,
    destination_connection_id: postgres.id,
    destination_configuration: { schema: "salesforce" },
    mode: "replicate",
    active: true,
    schemas: ["Account", { id: "Contact", fields: [{ id: "Id" }, { id: "Email" }] }],
    default_schedule: { frequency: "daily", hour: "02", minute: "00" },
    policies,
  });
  const lakeSecret = "s3-secret-key-2d9b61";
  secrets.push(lakeSecret);
  const lake = await connection({
    name: "Data lake",
    type: "s3",
    configuration: {
      auth_mode: "access_key_and_secret",
      aws_access_key_id: "AKIAEXAMPLE",
      aws_secret_access_key: lakeSecret,
      s3_bucket_region: "us-east-1",
      s3_bucket_name: "sample",
    },
    validate: false,
  });
  await bulk({
    name: "Bucket files to the lake",
    source_connection_id: gcs.id,
    destination_connection_id: lake.id,
    destination_configuration: { format: "csv", subfolder: "gcs" },
    mode: "snapshot",
    active: false,
    default_schedule: { frequency: "manual" },
    additional_schedules: [{ frequency: "weekly", day_of_week: "sunday", hour: "04", minute: "30" }],
    automatically_add_new_objects: "none",
  });
  // The users: the two made above, and the key's own.
  const ids = z.array(z.looseObject({ id: z.string() }));
  counts.users = (await client.transport.call("GET", "/api/organization/users", { schema: ids })).length;

  // A sample connection of every type, its every settable property set (validation upstream off).
  for (const { id: type } of listConnectionTypes()) {
    const schema = loadConnectionSchema(type);
    if (schema === undefined) throw new Error(`no schema for ${type}`);
    const sample = sampleConfiguration(type, schema);
    secrets.push(...sample.secrets);
    await connection({
      name: `Sample ${type}`,
      type,
      configuration: toApiConfiguration(schema, sample.camel),
      validate: false,
    });
  }
  return { ...counts, secrets: [...new Set(secrets)] };
}
