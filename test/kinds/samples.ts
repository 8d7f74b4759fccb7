import fc from "fast-check";
import {
  BULK_DISCOVER,
  BULK_NORMALIZE_NAMES,
  BULK_SCHEDULE_SYNC_MODES,
  BULK_SYNC_MODES,
} from "../../src/api/bulk-sync-enums";
import {
  FILTER_FUNCTIONS,
  IDENTITY_FUNCTIONS,
  SCHEDULE_FREQUENCIES,
  SYNC_MODES,
} from "../../src/api/sync-enums";
import type { PolytomicClient } from "../../src/client";
import { bulkSyncExecutionCalls, syncExecutionCalls } from "../../src/client/executions";
import { camelizeKey, toApiConfiguration } from "../../src/connection-types/configuration-shape";
import {
  enumValues,
  isReadOnly,
  type JsonSchema,
  secretPathsForType,
} from "../../src/connection-types/json-schema";
import { loadConnectionSchema } from "../../src/connection-types/registry";
import { KINDS } from "../../src/kinds";
import { FAKE_SERVICE_ACCOUNT } from "../helpers/fixtures";
import { sampleConfiguration } from "../helpers/samples";
import {
  type BadInputs,
  badEnum,
  badItem,
  compact,
  connectionCommon,
  connectionCommonMutations,
  custom,
  id,
  type Json,
  maybe,
  name,
  notIn,
  notString,
  p,
  readOnly,
  removeAt,
  required,
  schemaMutations,
  setAt,
  small,
  strangeKey,
  unknownKey,
  wrong,
} from "./mutations";
import { ORGANIZATION_SAMPLES } from "./organization-samples";

/**
 * The sample registry: for every resource kind of the kinds table (src/kinds.ts), what the tests, the reliability
 * suites and the gRPC tests need to exercise it. The generic `Connection`, a few typed connection classes and every
 * API object kind are written here by hand; every other typed connection class gets a sample generated from its
 * connection type's schema. A kind added to `OBJECT_KINDS` needs an entry in {@link HAND_WRITTEN}: until it has
 * one, test/kinds/samples.test.ts fails naming it, and so does every suite that iterates over the table
 * (R3-R7, test/grpc/provider-server.test.ts). A kind that cannot be updated in place, changed or deleted through
 * the API leaves `update`, `drift` or the API's `update`/`delete` out, and the suites skip those steps for it.
 */

export type { Json };

/** The ids of the objects a sample refers to, by their kind (`deps.GcsConnection`). */
export type Deps = Readonly<Record<string, string>>;

/** The API calls of a kind, through the package's client (the ids are the resource ids). */
export interface SampleApi {
  create(body: Json): Promise<{ id: string }>;
  get(id: string): Promise<{ id: string; name?: string }>;
  /** A full replacement, as Polytomic's PUTs are; absent when the API cannot change the object. */
  update?(id: string, body: Json): Promise<unknown>;
  /** Absent when the API cannot delete the object (then no suite deletes one outside Pulumi). */
  delete?(id: string): Promise<unknown>;
}

/** The provider calls whose requests the gRPC test counts (test/grpc/provider-server.test.ts). */
export type CountedCall = "create" | "update" | "read" | "get" | "delete" | "readGone" | "deleteGone";

/** A change made outside Pulumi, and what a refresh must then show. */
export interface Drift {
  /** The PUT body (as the API spells it): the object as {@link KindSample.update} left it, with one change. */
  readonly body: Json;
  /** What a refresh then shows (as the inputs spell it; matched with `toMatchObject`). */
  readonly shows: Json;
}

export interface KindSample {
  readonly kind: string;
  /** Written in this file (false: generated from the connection type's schema). */
  readonly handWritten: boolean;
  /** The kinds of the objects the inputs refer to: create those first (see {@link createDependencies}). */
  readonly dependsOn: readonly string[];
  /** Whether create and update wait for the schema cache (then they poll the cache's status). */
  readonly waitsForSchema: boolean;
  /** Valid inputs, as the providers receive them. */
  inputs(name: string, deps: Deps): Json;
  /** The same object as the API spells a create body (to set objects up with the API client). */
  body(name: string, deps: Deps): Json;
  /**
   * New inputs for the same object (same name) that update it in place: a change of a remote setting. Absent for a
   * kind nothing of which changes in place (then the suites test no update).
   */
  update?(name: string, deps: Deps): Json;
  /**
   * A change made outside Pulumi, through the API client, to the object as `update` left it: never a rename (the
   * name stays), so a drift in configuration alone is tested; it changes `configuration` where the kind has a
   * setting Polytomic shows back, else another setting. Absent only when the API cannot change the object.
   */
  drift?(name: string, deps: Deps): Drift;
  /**
   * One run of a sync (SyncExecution, BulkSyncExecution), not an object: creating it starts the run, deleting it
   * leaves the run as history, and its requests go to its parent's paths. The gRPC lifecycle test leaves these to
   * test/grpc/executions.test.ts.
   */
  readonly isRun?: boolean;
  /** The secret values that `inputs` and `update` carry. */
  readonly secrets: readonly string[];
  api(client: PolytomicClient): SampleApi;
  /** Random valid inputs and the ways of breaking them (the bad-input suite, R3). */
  readonly badInputs: BadInputs;
  /**
   * The requests of the provider calls, for a kind whose calls do not follow the rule the gRPC test writes down
   * for API objects (`METHOD {collection}|{object}[/...] status` each; see that test): by hand, like the rule.
   */
  readonly requests?: Partial<Record<CountedCall, readonly string[]>>;
  /**
   * The key the kind's calls take, when not the API key: `partnerKey` for organizations and users' API keys (the
   * suites configure the fixtures' partner key beside the API key; see ./organization-samples.ts).
   */
  readonly key?: "partnerKey";
}

const connectionsApi = (client: PolytomicClient): SampleApi => ({
  create: (body) => client.connections.create(body as never),
  get: (id) => client.connections.get(id),
  update: (id, body) => client.connections.update(id, body as never),
  delete: (id) => client.connections.delete(id),
});

// ---- Connections written by hand ----------------------------------------------------------------------------

const WEBHOOK_AUTH = ["polytomic_secret", "basic", "header", "query", "oauth_client_credentials"];
const FILE_FORMATS = ["csv", "json", "parquet"];
const HEADER_SECRET = "sample-header-secret-2c7a";
const GENERIC_PASSWORD = "generic-basic-password-41";
const GENERIC_PASSWORD_2 = "generic-basic-password-42";
const PASSPHRASE = "sample-passphrase-0d3e";

const gcsMutations = [
  ...connectionCommonMutations,
  required("configuration.bucket", "string"),
  required("configuration.serviceAccount", "string"),
  wrong("configuration.csvHasHeaders", "boolean"),
  wrong("configuration.isSingleTable", "boolean"),
  wrong("configuration.skipLines", "integer"),
  wrong("configuration.singleTableFileFormats", "array"),
  badEnum("configuration.singleTableFileFormat", FILE_FORMATS),
  badItem("configuration.singleTableFileFormats", "string", false, FILE_FORMATS),
  unknownKey("configuration"),
  readOnly("configuration.projectId"),
  readOnly("configuration.clientEmail"),
  custom(
    "directory snapshot without a glob",
    [
      "configuration.isDirectorySnapshot",
      "configuration.isSingleTable",
      "configuration.directoryGlobPattern",
    ],
    "configuration.directoryGlobPattern",
    (i) => {
      setAt(i, p("configuration.isDirectorySnapshot"), true);
      setAt(i, p("configuration.isSingleTable"), true);
      removeAt(i, p("configuration.directoryGlobPattern"));
    },
  ),
  custom(
    "directory snapshot without single table",
    [
      "configuration.isDirectorySnapshot",
      "configuration.isSingleTable",
      "configuration.directoryGlobPattern",
    ],
    "configuration.isDirectorySnapshot",
    (i) => {
      setAt(i, p("configuration.isDirectorySnapshot"), true);
      setAt(i, p("configuration.isSingleTable"), false);
      setAt(i, p("configuration.directoryGlobPattern"), "tables/*");
    },
  ),
];

const GcsConnection: KindSample = {
  kind: "GcsConnection",
  handWritten: true,
  dependsOn: [],
  waitsForSchema: true,
  inputs: (name) => ({ name, configuration: { bucket: "sample", serviceAccount: FAKE_SERVICE_ACCOUNT } }),
  body: (name) => ({
    name,
    type: "gcs",
    configuration: { bucket: "sample", service_account: FAKE_SERVICE_ACCOUNT },
    validate: false,
  }),
  update: (name) => ({
    name,
    configuration: { bucket: "sample", serviceAccount: FAKE_SERVICE_ACCOUNT, csvHasHeaders: true },
    schemaTimeoutSeconds: 30,
  }),
  drift: (name) => ({
    body: {
      name,
      type: "gcs",
      configuration: {
        bucket: "other-bucket",
        service_account: FAKE_SERVICE_ACCOUNT,
        csv_has_headers: false,
      },
    },
    shows: { configuration: { bucket: "other-bucket", csvHasHeaders: false } },
  }),
  secrets: [FAKE_SERVICE_ACCOUNT],
  api: connectionsApi,
  badInputs: {
    valid: fc
      .record({
        ...connectionCommon,
        configuration: fc
          .record({
            bucket: id,
            serviceAccount: fc.string({ minLength: 1 }),
            csvHasHeaders: maybe(fc.boolean()),
            skipLines: maybe(fc.integer({ min: 0, max: 10 })),
            singleTableFileFormat: maybe(fc.constantFrom("csv", "json", "parquet")),
          })
          .map(compact),
      })
      .map(compact),
    mutations: () => gcsMutations,
  },
};

const AUTH_OBJECTS = [
  "configuration.basic",
  "configuration.header",
  "configuration.query",
  "configuration.oauth",
];
const webhookMutations = [
  ...connectionCommonMutations,
  required("configuration.url", "string"),
  badEnum("configuration.authMethod", WEBHOOK_AUTH),
  wrong("configuration.headers", "array"),
  badItem("configuration.headers", "object", false, [{ name: "X-Team", value: "data" }]),
  wrong("configuration.basic", "object"),
  wrong("configuration.header", "object"),
  wrong("configuration.oauth.authStyle", "integer"),
  wrong("configuration.oauth.scopes", "array"),
  unknownKey("configuration"),
  unknownKey("configuration.basic"),
  ...(
    [
      ["basic", "configuration.basic.username"],
      ["basic", "configuration.basic.password"],
      ["header", "configuration.header.name"],
      ["header", "configuration.header.value"],
      ["query", "configuration.query"],
      ["oauth_client_credentials", "configuration.oauth.clientId"],
      ["oauth_client_credentials", "configuration.oauth.clientSecret"],
      ["oauth_client_credentials", "configuration.oauth.tokenEndpoint"],
    ] as const
  ).map(([method, property]) =>
    custom(
      `authMethod ${method} without ${property}`,
      ["configuration.authMethod", ...AUTH_OBJECTS],
      property,
      (i) => {
        setAt(i, p("configuration.authMethod"), method);
        for (const path of AUTH_OBJECTS) removeAt(i, p(path));
      },
    ),
  ),
];

/** The webhook as `update` leaves it: header authentication (a secret value) and extra headers. */
const webhookHeaderAuth = (url: string) => ({
  url,
  authMethod: "header",
  header: { name: "X-Token", value: HEADER_SECRET },
  headers: [{ name: "X-Team", value: "data" }],
});

const WebhookConnection: KindSample = {
  kind: "WebhookConnection",
  handWritten: true,
  dependsOn: [],
  waitsForSchema: false,
  inputs: (name) => ({ name, configuration: { url: "https://example.com/hook" } }),
  body: (name) => ({
    name,
    type: "webhook",
    configuration: { url: "https://example.com/hook", auth_method: "polytomic_secret" },
  }),
  update: (name) => ({ name, configuration: webhookHeaderAuth("https://example.com/updated") }),
  drift: (name) => ({
    body: {
      name,
      type: "webhook",
      configuration: {
        url: "https://changed.example.com",
        auth_method: "header",
        header: { name: "X-Token", value: HEADER_SECRET },
        headers: [{ name: "X-Team", value: "data" }],
      },
    },
    shows: { configuration: { url: "https://changed.example.com" } },
  }),
  secrets: [HEADER_SECRET],
  api: connectionsApi,
  badInputs: {
    valid: fc
      .record({
        ...connectionCommon,
        configuration: fc
          .record({
            url: fc.webUrl(),
            authMethod: maybe(fc.constant("polytomic_secret")),
            headers: maybe(fc.array(fc.record({ name: id, value: fc.string() }), { maxLength: 2 })),
          })
          .map(compact),
      })
      .map(compact),
    mutations: () => webhookMutations,
  },
};

/** The generic class: the type decides the configuration's schema, so removing or breaking it touches both. */
const typeMutations = [
  fc.oneof(fc.constant<unknown>(undefined), notString, fc.constant("")).map((v) => ({
    paths: [["type"], ["configuration"]],
    apply: (i: Json) => (v === undefined ? removeAt(i, ["type"]) : setAt(i, ["type"], v)),
    property: "type",
    label: `type = ${JSON.stringify(v)}`,
  })),
];
const genericMutations = (base: Json) => [
  ...connectionCommonMutations,
  ...typeMutations,
  // (Unknown top-level configuration keys are allowed on the generic class: it passes newer API keys through.)
  ...(base.type === "gcs"
    ? [
        required("configuration.bucket", "string"),
        required("configuration.service_account", "string"),
        wrong("configuration.csv_has_headers", "boolean"),
        wrong("configuration.skip_lines", "integer"),
        badEnum("configuration.single_table_file_format", FILE_FORMATS),
        readOnly("configuration.project_id"),
        readOnly("configuration.client_email"),
      ]
    : [
        required("configuration.url", "string"),
        badEnum("configuration.auth_method", WEBHOOK_AUTH),
        wrong("configuration.headers", "array"),
        readOnly("configuration.secret"),
        unknownKey("configuration.basic"),
        custom(
          "basic auth without a password",
          ["configuration.basic.password", "configuration.auth_method"],
          "configuration.basic.password",
          (i) => removeAt(i, p("configuration.basic.password")),
        ),
        custom(
          "basic auth without a username",
          ["configuration.basic.username", "configuration.auth_method"],
          "configuration.basic.username",
          (i) => removeAt(i, p("configuration.basic.username")),
        ),
      ]),
];

const genericWebhook = (url: string, username: string, password: string) => ({
  url,
  auth_method: "basic",
  basic: { username, password },
});

const Connection: KindSample = {
  kind: "Connection",
  handWritten: true,
  dependsOn: [],
  waitsForSchema: false,
  inputs: (name) => ({
    name,
    type: "webhook",
    configuration: genericWebhook("https://example.com/generic", "pulumi", GENERIC_PASSWORD),
  }),
  body: (name) => ({
    name,
    type: "webhook",
    configuration: genericWebhook("https://example.com/generic", "pulumi", GENERIC_PASSWORD),
  }),
  // A new password too: an update must send the new secret.
  update: (name) => ({
    name,
    type: "webhook",
    configuration: genericWebhook("https://example.com/generic/v2", "pulumi", GENERIC_PASSWORD_2),
  }),
  drift: (name) => ({
    body: {
      name,
      type: "webhook",
      configuration: genericWebhook(
        "https://changed.example.com/generic",
        "someone-else",
        GENERIC_PASSWORD_2,
      ),
    },
    shows: {
      configuration: { url: "https://changed.example.com/generic", basic: { username: "someone-else" } },
    },
  }),
  secrets: [GENERIC_PASSWORD, GENERIC_PASSWORD_2],
  api: connectionsApi,
  badInputs: {
    valid: fc.oneof(
      fc
        .record({
          ...connectionCommon,
          type: fc.constant("webhook"),
          configuration: fc.record({
            url: fc.webUrl(),
            auth_method: fc.constant("basic"),
            basic: fc.record({ username: id, password: fc.string({ minLength: 1 }) }),
          }),
        })
        .map(compact),
      fc
        .record({
          ...connectionCommon,
          type: fc.constant("gcs"),
          configuration: fc.record({ bucket: id, service_account: fc.string({ minLength: 1 }) }),
        })
        .map(compact),
    ),
    mutations: genericMutations,
  },
};

// ---- API objects --------------------------------------------------------------------------------------------

const modelMutations = [
  unknownKey(""),
  required("name", "string", true),
  required("connectionId", "string", true),
  required("configuration", "object"),
  wrong("fields", "array"),
  badItem("fields", "string", true),
  badItem("labels", "string", true),
  badItem("trackingColumns", "string", true),
  badItem("policies", "string", true),
  wrong("identifier", "string"),
  wrong("organizationId", "string", true),
  wrong("importId", "string", true),
  wrong("additionalFields", "array"),
  fc.constantFrom("name", "label", "type").map((key) => ({
    paths: [["additionalFields"]],
    apply: (i: Json) => {
      const item: Json = { name: "extra", label: "Extra", type: "string" };
      delete item[key];
      setAt(i, ["additionalFields"], [item]);
    },
    property: `additionalFields[0].${key}`,
    label: `additionalFields[0] without ${key}`,
  })),
  strangeKey.map((key) => ({
    paths: [["additionalFields"]],
    apply: (i: Json) => setAt(i, ["additionalFields"], [{ name: "x", label: "X", type: "string", [key]: 1 }]),
    property: `additionalFields[0].${key}`,
    label: `additionalFields[0] with ${key}`,
  })),
  fc
    .constantFrom<[Json, string]>(
      [{ from: "a" }, "relations[0].to"],
      [{ from: "a", to: { modelId: "", field: "f" } }, "relations[0].to.modelId"],
      [{ to: { modelId: "m", field: "f" } }, "relations[0].from"],
    )
    .map(([relation, property]) => ({
      paths: [["relations"]],
      apply: (i: Json) => setAt(i, ["relations"], [relation]),
      property,
      label: `relations = ${JSON.stringify([relation])}`,
    })),
];

const MODEL_FILE = { model_from: "single_file", key: "high_paying_users.csv" };

const Model: KindSample = {
  kind: "Model",
  handWritten: true,
  dependsOn: ["GcsConnection"],
  waitsForSchema: false,
  inputs: (name, deps) => ({ name, connectionId: deps.GcsConnection, configuration: { ...MODEL_FILE } }),
  body: (name, deps) => ({ name, connection_id: deps.GcsConnection, configuration: { ...MODEL_FILE } }),
  update: (name, deps) => ({
    name,
    connectionId: deps.GcsConnection,
    configuration: { ...MODEL_FILE },
    labels: ["sample", "updated"],
  }),
  drift: (name, deps) => ({
    body: {
      name,
      connection_id: deps.GcsConnection,
      configuration: { ...MODEL_FILE, file_format: "csv" },
      labels: ["sample", "updated"],
    },
    shows: { configuration: { ...MODEL_FILE, file_format: "csv" } },
  }),
  secrets: [],
  api: (client) => client.models as unknown as SampleApi,
  badInputs: {
    valid: fc
      .record({
        name,
        connectionId: id,
        configuration: fc.oneof(
          fc.constant({ ...MODEL_FILE }),
          fc.record({ table: id }),
          fc.record({ query: fc.string() }),
        ),
        fields: maybe(fc.array(id, { maxLength: 3 })),
        labels: maybe(fc.array(id, { maxLength: 2 })),
        identifier: maybe(id),
      })
      .map(compact),
    mutations: () => modelMutations,
  },
};

const syncMutations = [
  unknownKey(""),
  required("name", "string", true),
  required("mode", "string"),
  badEnum("mode", SYNC_MODES),
  wrong("active", "boolean"),
  required("fields", "array"),
  custom("no fields", ["fields"], "fields", (i) => setAt(i, ["fields"], [])),
  required("fields.0.target", "string", true),
  wrong("fields.0.source.modelId", "string", true),
  wrong("fields.0.source.field", "string", true),
  custom("a field without source", ["fields.0.source", "fields.0.overrideValue"], "fields[0].source", (i) =>
    removeAt(i, p("fields.0.source")),
  ),
  unknownKey("fields.0"),
  required("target", "object"),
  required("target.connectionId", "string", true),
  wrong("target.configuration", "object"),
  unknownKey("target"),
  custom("target without object or create", ["target.object", "target.create"], "target.object", (i) =>
    removeAt(i, p("target.object")),
  ),
  custom("target with object and create", ["target.object", "target.create"], "target", (i) =>
    setAt(i, p("target.create"), { name: "new_table" }),
  ),
  required("schedule", "object"),
  badEnum("schedule.frequency", SCHEDULE_FREQUENCIES),
  fc.oneof(fc.integer({ max: -1 }), fc.boolean(), fc.constant(null), small).map((v) => ({
    paths: [["schedule", "hour"]],
    apply: (i: Json) => setAt(i, ["schedule", "hour"], v),
    property: "schedule.hour",
    label: `schedule.hour = ${JSON.stringify(v)}`,
  })),
  badItem("schedule.runAfter.syncIds", "string", true),
  unknownKey("schedule"),
  fc.constantFrom("update", "updateOrCreate", "remove").map((mode) => ({
    paths: [["mode"], ["identity"], ["target", "object"]],
    apply: (i: Json) => {
      setAt(i, ["mode"], mode);
      removeAt(i, ["identity"]);
    },
    property: "identity",
    label: `mode ${mode} without identity`,
  })),
  badEnum("identity.function", IDENTITY_FUNCTIONS),
  custom("filter without field", ["filters"], "filters[0].field", (i) =>
    setAt(i, ["filters"], [{ function: "IsNull" }]),
  ),
  notIn(FILTER_FUNCTIONS).map((fn) => ({
    paths: [["filters"]],
    apply: (i: Json) => setAt(i, ["filters"], [{ function: fn, field: { modelId: "m", field: "f" } }]),
    property: "filters[0].function",
    label: `filters[0].function = ${JSON.stringify(fn)}`,
  })),
  wrong("encryptionPassphrase", "string"),
  wrong("syncAllRecords", "boolean"),
  badItem("policies", "string", true),
];

const SYNC_FIELDS = ["email_address", "first_name", "last_name"];
const SYNC_TARGET_CONFIGURATION = { batch_size: 100, record_requests: true };

/** Sync inputs on the sample model and webhook. */
const syncInputs = (name: string, deps: Deps, extra: Json = {}): Json => ({
  name,
  active: true,
  mode: "updateOrCreate",
  fields: SYNC_FIELDS.map((field) => ({ source: { modelId: deps.Model, field }, target: "record" })),
  target: {
    connectionId: deps.WebhookConnection,
    object: "http",
    configuration: { ...SYNC_TARGET_CONFIGURATION },
  },
  schedule: { frequency: "manual" },
  ...extra,
});

/** The same sync as the API spells it. */
const syncBody = (name: string, deps: Deps, extra: Json = {}): Json => ({
  name,
  active: true,
  mode: "updateOrCreate",
  fields: SYNC_FIELDS.map((field) => ({ source: { model_id: deps.Model, field }, target: "record" })),
  target: {
    connection_id: deps.WebhookConnection,
    object: "http",
    configuration: { ...SYNC_TARGET_CONFIGURATION },
  },
  schedule: { frequency: "manual" },
  ...extra,
});

const Sync: KindSample = {
  kind: "Sync",
  handWritten: true,
  dependsOn: ["Model", "WebhookConnection"],
  waitsForSchema: false,
  inputs: (name, deps) => syncInputs(name, deps),
  body: (name, deps) => syncBody(name, deps),
  update: (name, deps) =>
    syncInputs(name, deps, {
      schedule: { frequency: "daily", hour: 6, minute: 30 },
      encryptionPassphrase: PASSPHRASE,
    }),
  drift: (name, deps) => ({
    body: syncBody(name, deps, { schedule: { frequency: "hourly" }, encryption_passphrase: PASSPHRASE }),
    shows: { schedule: { frequency: "hourly" } },
  }),
  secrets: [PASSPHRASE],
  api: (client) => client.syncs as unknown as SampleApi,
  badInputs: {
    valid: fc
      .record({
        name,
        active: maybe(fc.boolean()),
        mode: fc.constantFrom("create", "append", "replace", "snapshot"),
        fields: fc.array(fc.record({ source: fc.record({ modelId: id, field: id }), target: id }), {
          minLength: 1,
          maxLength: 3,
        }),
        target: fc.record({ connectionId: id, object: fc.constantFrom("contacts", "users", "Lead") }),
        schedule: fc.oneof(
          fc.constant({ frequency: "manual" }),
          fc.record({
            frequency: fc.constant("daily"),
            hour: fc.integer({ min: 0, max: 23 }),
            minute: fc.integer({ min: 0, max: 59 }),
          }),
        ),
        encryptionPassphrase: maybe(fc.string({ minLength: 1 })),
      })
      .map(compact),
    mutations: () => syncMutations,
  },
};

// ---- BulkSync: a GCS bucket's CSV file copied into the same bucket (GCS is a source and a destination) --------

/** The sample bucket's one file: the one schema of a GCS bulk source. */
const BULK_SCHEMA = "high_paying_users.csv";

const bulkInputs = (name: string, deps: Deps, extra: Json = {}): Json => ({
  name,
  sourceConnectionId: deps.GcsConnection,
  destinationConnectionId: deps.GcsConnection,
  destinationConfiguration: { format: "csv", subfolder: "copies" },
  mode: "snapshot",
  schemas: [BULK_SCHEMA],
  defaultSchedule: { frequency: "manual" },
  ...extra,
});

const bulkBody = (name: string, deps: Deps, extra: Json = {}): Json => ({
  name,
  source_connection_id: deps.GcsConnection,
  destination_connection_id: deps.GcsConnection,
  destination_configuration: { format: "csv", subfolder: "copies" },
  mode: "snapshot",
  schemas: [BULK_SCHEMA],
  default_schedule: { frequency: "manual" },
  ...extra,
});

/** A schema item of the wrong type (not a string, nor an object, which would be read as settings). */
const notSchemaItem = fc.oneof(
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.integer(), { maxLength: 2 }),
);

const bulkSyncMutations = [
  unknownKey(""),
  required("name", "string", true),
  required("sourceConnectionId", "string", true),
  required("destinationConnectionId", "string", true),
  required("destinationConfiguration", "object"),
  required("defaultSchedule", "object"),
  badEnum("mode", BULK_SYNC_MODES),
  badEnum("defaultSchedule.frequency", SCHEDULE_FREQUENCIES),
  unknownKey("defaultSchedule"),
  badEnum("automaticallyAddNewObjects", BULK_DISCOVER),
  badEnum("automaticallyAddNewFields", BULK_DISCOVER),
  badEnum("normalizeNames", BULK_NORMALIZE_NAMES),
  wrong("active", "boolean"),
  wrong("disableRecordTimestamps", "boolean"),
  wrong("concurrencyLimit", "integer"),
  wrong("schemaTimeoutSeconds", "integer"),
  badItem("policies", "string", true),
  notSchemaItem.map((v) => ({
    paths: [["schemas"]],
    apply: (i: Json) => setAt(i, ["schemas"], ["Account", v]),
    property: "schemas[1]",
    label: `schemas = ["Account", ${JSON.stringify(v)}]`,
  })),
  custom("no schema", ["schemas"], "schemas", (i) => setAt(i, ["schemas"], [])),
  custom("a schema named twice", ["schemas"], "schemas[1]", (i) =>
    setAt(i, ["schemas"], ["Account", "Account"]),
  ),
  custom("a schema without fields", ["schemas"], "schemas[0].fields", (i) =>
    setAt(i, ["schemas"], [{ id: "Account", fields: [] }]),
  ),
  custom("an unknown schema setting", ["schemas"], "schemas[0].obfuscate", (i) =>
    setAt(i, ["schemas"], [{ id: "Account", obfuscate: true }]),
  ),
  notIn(FILTER_FUNCTIONS).map((fn) => ({
    paths: [["schemas"]],
    apply: (i: Json) =>
      setAt(i, ["schemas"], [{ id: "Account", filters: [{ function: fn, fieldId: "Id" }] }]),
    property: "schemas[0].filters[0].function",
    label: `schemas[0].filters[0].function = ${JSON.stringify(fn)}`,
  })),
  notIn(BULK_SCHEDULE_SYNC_MODES).map((mode) => ({
    paths: [["additionalSchedules"]],
    apply: (i: Json) => setAt(i, ["additionalSchedules"], [{ frequency: "weekly", resyncMode: mode }]),
    property: "additionalSchedules[0].resyncMode",
    label: `additionalSchedules[0].resyncMode = ${JSON.stringify(mode)}`,
  })),
  custom("a bad cutoff timestamp", ["dataCutoffTimestamp"], "dataCutoffTimestamp", (i) =>
    setAt(i, ["dataCutoffTimestamp"], "yesterday"),
  ),
];

const BulkSync: KindSample = {
  kind: "BulkSync",
  handWritten: true,
  dependsOn: ["GcsConnection"],
  waitsForSchema: false,
  inputs: (name, deps) => bulkInputs(name, deps),
  body: (name, deps) => bulkBody(name, deps),
  update: (name, deps) =>
    bulkInputs(name, deps, {
      defaultSchedule: { frequency: "daily", hour: 6, minute: 30 },
      additionalSchedules: [{ frequency: "weekly", dayOfWeek: "sunday", hour: 1, resyncMode: "resync" }],
    }),
  drift: (name, deps) => ({
    body: bulkBody(name, deps, {
      destination_configuration: { format: "json", subfolder: "copies" },
      default_schedule: { frequency: "daily", hour: "06", minute: "30" },
      additional_schedules: [
        { frequency: "weekly", day_of_week: "sunday", hour: "01", resync_mode: "resync" },
      ],
    }),
    shows: { destinationConfiguration: { format: "json", subfolder: "copies" } },
  }),
  secrets: [],
  api: (client) => client.bulkSyncs as unknown as SampleApi,
  badInputs: {
    valid: fc
      .record({
        name,
        sourceConnectionId: id,
        destinationConnectionId: id,
        destinationConfiguration: fc.constantFrom({ format: "csv" }, { schema: "raw" }),
        mode: fc.constantFrom(...BULK_SYNC_MODES),
        schemas: maybe(fc.uniqueArray(id, { minLength: 1, maxLength: 3 })),
        defaultSchedule: fc.oneof(
          fc.constant({ frequency: "manual" }),
          fc.record({
            frequency: fc.constant("daily"),
            hour: fc.integer({ min: 0, max: 23 }),
            minute: fc.integer({ min: 0, max: 59 }),
          }),
        ),
        active: maybe(fc.boolean()),
        automaticallyAddNewObjects: maybe(fc.constantFrom(...BULK_DISCOVER)),
      })
      .map(compact),
    mutations: () => bulkSyncMutations,
  },
  // After each write and each read, the schemas (the list; no schema is named as an object here) and the status.
  requests: {
    create: ["POST {collection} 200", "GET {object}/schemas 200", "GET {object}/status 200"],
    update: ["PUT {object} 200", "GET {object}/schemas 200", "GET {object}/status 200"],
    read: ["GET {object} 200", "GET {object}/schemas 200", "GET {object}/status 200"],
    get: ["GET {object} 200", "GET {object}/schemas 200", "GET {object}/status 200"],
  },
};

/** The samples written by hand: the generic connection, two typed connection classes, every API object kind. */
// ---- Runs: SyncExecution and BulkSyncExecution -----------------------------------------------------------------
//
// A run is not an object Polytomic keeps as configuration: creating the resource starts it, nothing of it changes
// in place (no `update`, no `drift`), and the API can neither change nor delete it (no API `update`/`delete`: R6
// has nothing to delete outside Pulumi). The gRPC lifecycle test (each method's requests, read after delete) does
// not fit a run either (its requests go to the parent's paths, and a deleted run stays as history): those kinds are
// `isRun`, and test/grpc/executions.test.ts drives them through the server instead. The samples do not wait for the
// run (`waitForCompletion: false`): the sample sync's webhook is not on loopback, so its runs fail, and waiting would
// only slow the suites.

const executionSettings = {
  triggers: maybe(fc.array(fc.oneof(fc.string(), fc.integer(), fc.boolean()), { maxLength: 3 })),
  waitForCompletion: maybe(fc.boolean()),
  timeoutSeconds: maybe(fc.integer({ min: 1, max: 7200 })),
  failOnErrors: maybe(fc.boolean()),
};
const executionMutations = [
  unknownKey(""),
  wrong("triggers", "array"),
  wrong("waitForCompletion", "boolean"),
  wrong("timeoutSeconds", "integer"),
  wrong("failOnErrors", "boolean"),
];
/** The API calls of a run kind: start (the create) and read; a run cannot be changed or deleted. */
const runApi = (calls: {
  start(parentId: string, body: Json): Promise<{ id: string }>;
  get(parentId: string, executionId: string): Promise<{ id: string }>;
}): SampleApi => ({
  create: async ({ parent_id, ...body }) => {
    const started = await calls.start(String(parent_id), body);
    return { id: `${String(parent_id)}/${started.id}` };
  },
  get: async (id) => {
    const slash = id.lastIndexOf("/");
    const run = await calls.get(id.slice(0, slash), id.slice(slash + 1));
    return { id: `${id.slice(0, slash)}/${run.id}` };
  },
});

const SyncExecution: KindSample = {
  kind: "SyncExecution",
  handWritten: true,
  isRun: true,
  dependsOn: ["Sync"],
  waitsForSchema: false,
  inputs: (name, deps) => ({ syncId: deps.Sync, triggers: [name], waitForCompletion: false }),
  body: (_name, deps) => ({ parent_id: deps.Sync }),
  secrets: [],
  api: (client) => runApi(syncExecutionCalls(client)),
  badInputs: {
    valid: fc
      .record({ syncId: id, resync: maybe(fc.boolean()), test: maybe(fc.boolean()), ...executionSettings })
      .map(compact),
    mutations: () => [
      ...executionMutations,
      required("syncId", "string", true),
      wrong("resync", "boolean"),
      wrong("test", "boolean"),
    ],
  },
};

const BULK_RESYNC = ["refetch", "resync", "rebuild"];
const BULK_FETCH = ["none", "incremental", "full"];

const BulkSyncExecution: KindSample = {
  kind: "BulkSyncExecution",
  handWritten: true,
  isRun: true,
  dependsOn: ["BulkSync"],
  waitsForSchema: false,
  inputs: (name, deps) => ({ bulkSyncId: deps.BulkSync, triggers: [name], waitForCompletion: false }),
  body: (_name, deps) => ({ parent_id: deps.BulkSync }),
  secrets: [],
  api: (client) => runApi(bulkSyncExecutionCalls(client)),
  badInputs: {
    valid: fc
      .record({
        bulkSyncId: id,
        resyncMode: maybe(fc.constantFrom(...BULK_RESYNC)),
        fetchMode: maybe(fc.constantFrom(...BULK_FETCH)),
        schemas: maybe(fc.array(id, { maxLength: 3 })),
        ...executionSettings,
      })
      .map(compact),
    mutations: () => [
      ...executionMutations,
      required("bulkSyncId", "string", true),
      wrong("test", "boolean"),
      badEnum("resyncMode", BULK_RESYNC),
      badEnum("fetchMode", BULK_FETCH),
      wrong("schemas", "array"),
      badItem("schemas", "string", true),
    ],
  },
};

export const HAND_WRITTEN: ReadonlyMap<string, KindSample> = new Map(
  [
    Connection,
    GcsConnection,
    WebhookConnection,
    Model,
    Sync,
    BulkSync,
    ...ORGANIZATION_SAMPLES,
    SyncExecution,
    BulkSyncExecution,
  ].map((s) => [s.kind, s]),
);

// ---- Typed connection classes, generated from their schema ---------------------------------------------------

/**
 * A top-level configuration setting Polytomic shows back (settable, not secret: a secret reads back masked), and
 * three distinct values for it: the sample's, the update's and the drift's. Strings first, then enumerations,
 * booleans and numbers.
 */
function tweakable(
  type: string,
  schema: JsonSchema,
  sample: Record<string, unknown>,
): { key: string; updated: unknown; drifted: unknown } | undefined {
  const secret = new Set(secretPathsForType(type, schema).map((path) => path.replace(/\[\]/g, "")));
  const candidates = Object.entries(schema.properties ?? {}).filter(
    ([key, sub]) =>
      !isReadOnly(sub) &&
      !secret.has(key) &&
      !(sub.hidden === true && sub.api_field !== true) &&
      sample[camelizeKey(key)] !== undefined,
  );
  const typeOf = (sub: JsonSchema) => (Array.isArray(sub.type) ? sub.type[0] : sub.type);
  const enumOf = (sub: JsonSchema) => (typeOf(sub) === "array" ? undefined : enumValues(sub));
  const pick = (test: (sub: JsonSchema) => boolean) => candidates.find(([, sub]) => test(sub));
  const asString = pick((s) => typeOf(s) === "string" && enumOf(s) === undefined);
  if (asString !== undefined) {
    const key = camelizeKey(asString[0]);
    return { key, updated: `${String(sample[key])}-updated`, drifted: `${String(sample[key])}-drifted` };
  }
  const asEnum = pick((s) => (enumOf(s)?.length ?? 0) >= 2);
  if (asEnum !== undefined) {
    const key = camelizeKey(asEnum[0]);
    const other = enumOf(asEnum[1])?.find((v) => v !== sample[key]);
    return { key, updated: other, drifted: sample[key] };
  }
  const asBoolean = pick((s) => typeOf(s) === "boolean" && enumOf(s) === undefined);
  if (asBoolean !== undefined) {
    const key = camelizeKey(asBoolean[0]);
    return { key, updated: sample[key] !== true, drifted: sample[key] === true };
  }
  const asNumber = pick(
    (s) => (typeOf(s) === "integer" || typeOf(s) === "number") && enumOf(s) === undefined,
  );
  if (asNumber !== undefined) {
    const key = camelizeKey(asNumber[0]);
    return { key, updated: Number(sample[key]) + 1, drifted: Number(sample[key]) + 2 };
  }
  return undefined;
}

/**
 * The sample of a typed connection class without a hand-written one: the configuration `sampleConfiguration`
 * builds from the schema; `waitForSchema: false`, so creating one of the many types that are model sources does
 * not wait. The update and the drift change one configuration setting Polytomic shows back; a type whose
 * configuration holds nothing but secrets (which read back masked, so a change to them cannot show) changes the
 * health-check interval instead.
 */
function generatedSample(kind: string, type: string): KindSample {
  const schema = loadConnectionSchema(type);
  if (schema === undefined) throw new Error(`${kind}: no schema for connection type "${type}"`);
  const { camel, secrets } = sampleConfiguration(type, schema);
  const api = (configuration: Record<string, unknown>) => toApiConfiguration(schema, configuration);
  const tweak = tweakable(type, schema, camel);
  const inputs = (name: string): Json => ({ name, configuration: camel, waitForSchema: false });
  let mutations: ReturnType<BadInputs["mutations"]> | undefined;
  return {
    kind,
    handWritten: false,
    dependsOn: [],
    waitsForSchema: false,
    inputs,
    body: (name) => ({ name, type, configuration: api(camel) }),
    update: (name) =>
      tweak === undefined
        ? { ...inputs(name), healthcheckInterval: "2h" }
        : { ...inputs(name), configuration: { ...camel, [tweak.key]: tweak.updated } },
    drift: (name) =>
      tweak === undefined
        ? {
            body: { name, type, configuration: api(camel), healthcheck_interval: "3h" },
            shows: { healthcheckInterval: "3h" },
          }
        : {
            body: { name, type, configuration: api({ ...camel, [tweak.key]: tweak.drifted }) },
            shows: { configuration: { [tweak.key]: tweak.drifted } },
          },
    secrets,
    api: connectionsApi,
    badInputs: {
      valid: fc.record({ ...connectionCommon, configuration: fc.constant(camel) }).map(compact),
      mutations: () => {
        mutations ??= [...connectionCommonMutations, ...schemaMutations(schema)];
        return mutations;
      },
    },
  };
}

// ---- The registry -------------------------------------------------------------------------------------------

const generated = new Map<string, KindSample>();

/** The sample of a kind, or undefined when the kind has none (an object kind nobody wrote one for). */
export function findSample(kind: string): KindSample | undefined {
  const written = HAND_WRITTEN.get(kind);
  if (written !== undefined) return written;
  const type = KINDS.get(kind)?.connectionType;
  if (type === undefined) return undefined;
  let sample = generated.get(kind);
  if (sample === undefined) {
    sample = generatedSample(kind, type);
    generated.set(kind, sample);
  }
  return sample;
}

/** The sample of a kind; throws, naming the kind, when it has none. */
export function sampleFor(kind: string): KindSample {
  const sample = findSample(kind);
  if (sample === undefined) {
    throw new Error(
      `the resource kind "${kind}" has no sample: write one in test/kinds/samples.ts (HAND_WRITTEN), so that ` +
        "the reliability suites and the gRPC tests cover it",
    );
  }
  return sample;
}

/** Every kind of the kinds table, in its order. */
export const KIND_NAMES: readonly string[] = [...KINDS.keys()];

/** The kinds of the table that have no sample inputs. */
export function kindsWithoutSamples(): string[] {
  return KIND_NAMES.filter((kind) => findSample(kind) === undefined);
}

/** The kinds whose samples are written by hand (the generic and two typed connection classes, every API object). */
export const HAND_WRITTEN_KINDS: readonly string[] = KIND_NAMES.filter((kind) => HAND_WRITTEN.has(kind));

/**
 * Every kind of the table, each after the kinds its sample depends on (connections, then models, then syncs),
 * otherwise in the table's order. A kind without a sample depends on nothing here.
 */
export function creationOrder(): string[] {
  const order: string[] = [];
  const visit = (kind: string, path: readonly string[]) => {
    if (order.includes(kind)) return;
    if (path.includes(kind))
      throw new Error(`sample dependencies form a cycle: ${[...path, kind].join(" → ")}`);
    for (const dependency of HAND_WRITTEN.get(kind)?.dependsOn ?? []) visit(dependency, [...path, kind]);
    order.push(kind);
  };
  for (const kind of KIND_NAMES) visit(kind, []);
  return order;
}

/**
 * Creates, once each and dependencies first, the objects the samples of `kinds` depend on (not the kinds
 * themselves), with `create`; returns their ids by kind. Pass the ids already made as `made`.
 */
export async function createDependencies(
  kinds: Iterable<string>,
  create: (kind: string, deps: Deps) => Promise<string>,
  made: Record<string, string> = {},
): Promise<Deps> {
  const ensure = async (kind: string): Promise<void> => {
    if (made[kind] !== undefined) return;
    for (const dependency of sampleFor(kind).dependsOn) await ensure(dependency);
    made[kind] = await create(kind, made);
  };
  for (const kind of kinds) for (const dependency of sampleFor(kind).dependsOn) await ensure(dependency);
  return made;
}
