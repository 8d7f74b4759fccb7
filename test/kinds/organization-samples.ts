/**
 * The sample registry's entries (./samples.ts) for the organization-administration kinds: Organization, Role,
 * Policy, User, UserApiKey, GlobalErrorSubscribers, EventWebhook, ConnectionSchemaPrimaryKeys and
 * ConnectionSchemaField.
 *
 * The suites' emulators accept the fixtures' partner key besides their API key, and their providers are configured
 * with both (test/helpers/fixtures.ts): an API key makes every call inside an organization, so only
 * `Organization` and `UserApiKey` take the partner key (their `key`). The samples name no organization: the API
 * key's own, the emulator's default one (the partner's own), is meant.
 *
 * A kind without a name has no `drift` (the suites' drift keeps and checks the name); `api` leaves out `delete`
 * where the API has no delete that a second call answers 404 (the list of subscribers, a primary-key override,
 * a user's key).
 */
import fc from "fast-check";
import { POLICY_ACTIONS, SCHEMA_FIELD_TYPES } from "../../src/api/organization-enums";
import { PolytomicClient } from "../../src/client";
import { ORGANIZATION_ID } from "../../src/emulator/identity";
import { PARTNER_KEY } from "../helpers/fixtures";
import {
  badEnum,
  badItem,
  compact,
  custom,
  id,
  type Json,
  maybe,
  name,
  p,
  required,
  setAt,
  unknownKey,
  wrong,
} from "./mutations";
import type { Deps, KindSample, SampleApi } from "./samples";

/** The partner's client on the emulator the given client talks to. */
const partnerOf = (client: PolytomicClient) =>
  new PolytomicClient({ apiKey: PARTNER_KEY, deploymentUrl: client.transport.baseUrl });

/** An email address made from a sample's name (unique per name). */
const emailOf = (sampleName: string) => `${sampleName.toLowerCase().replace(/[^a-z0-9]+/g, ".")}@example.com`;

const OIDC_SECRET = "sample-oidc-client-secret-6a1e";
const EVENT_SECRET = "sample-event-webhook-secret-93b2";
const SCHEMA = "high_paying_users.csv";
/** The schema's path with the connection written `{GcsConnection}`, as the gRPC test writes request paths. */
const SCHEMA_PATH = `/api/connections/{GcsConnection}/schemas/${SCHEMA}`;
const email = fc.stringMatching(/^[a-z][a-z0-9.]{0,10}@[a-z]{1,8}\.example$/);

const Organization: KindSample = {
  kind: "Organization",
  handWritten: true,
  key: "partnerKey",
  dependsOn: [],
  waitsForSchema: false,
  inputs: (n) => ({
    name: n,
    ssoDomain: "sample.example",
    clientId: "sample-client",
    clientSecret: OIDC_SECRET,
  }),
  body: (n) => ({ name: n, sso_domain: "sample.example" }),
  update: (n) => ({
    name: n,
    ssoDomain: "updated.example",
    clientId: "sample-client",
    clientSecret: OIDC_SECRET,
  }),
  drift: (n) => ({
    body: { name: n, sso_domain: "drifted.example", client_id: "sample-client", client_secret: OIDC_SECRET },
    shows: { ssoDomain: "drifted.example" },
  }),
  secrets: [OIDC_SECRET],
  api: (client) => partnerOf(client).admin.organizations as unknown as SampleApi,
  badInputs: {
    valid: fc
      .record({
        name,
        ssoDomain: maybe(fc.string()),
        issuer: maybe(fc.string()),
        clientSecret: maybe(fc.string()),
      })
      .map(compact),
    mutations: () => [
      unknownKey(""),
      required("name", "string", true),
      wrong("ssoDomain", "string"),
      wrong("ssoOrgId", "string"),
      wrong("clientSecret", "string"),
      wrong("importId", "string", true),
    ],
  },
};

const Role: KindSample = {
  kind: "Role",
  handWritten: true,
  dependsOn: [],
  waitsForSchema: false,
  // Its name is all a role has: nothing of it changes in place but the name, which the suites keep.
  inputs: (n) => ({ name: n }),
  body: (n) => ({ name: n }),
  secrets: [],
  api: (client) => client.admin.roles as unknown as SampleApi,
  badInputs: {
    valid: fc.record({ name, organizationId: maybe(id) }).map(compact),
    mutations: () => [
      unknownKey(""),
      required("name", "string", true),
      wrong("organizationId", "string", true),
    ],
  },
};

/** Policy actions sorted by action, as the outputs hold them (so a refresh shows exactly these). */
const actions = (roleId: string, ...names: string[]) =>
  [...names].sort().map((action) => ({ action, roleIds: [roleId] }));
const apiActions = (roleId: string, ...names: string[]) =>
  [...names].sort().map((action) => ({ action, role_ids: [roleId] }));

const Policy: KindSample = {
  kind: "Policy",
  handWritten: true,
  dependsOn: ["Role"],
  waitsForSchema: false,
  inputs: (n, deps) => ({ name: n, policyActions: actions(deps.Role as string, "read") }),
  body: (n, deps) => ({ name: n, policy_actions: apiActions(deps.Role as string, "read") }),
  update: (n, deps) => ({ name: n, policyActions: actions(deps.Role as string, "edit", "read") }),
  drift: (n, deps) => ({
    body: { name: n, policy_actions: apiActions(deps.Role as string, "delete", "read") },
    shows: { policyActions: actions(deps.Role as string, "delete", "read") },
  }),
  secrets: [],
  api: (client) => client.admin.policies as unknown as SampleApi,
  badInputs: {
    valid: fc
      .record({
        name,
        policyActions: fc
          .uniqueArray(fc.constantFrom(...POLICY_ACTIONS), { minLength: 1, maxLength: 3 })
          .chain((names) =>
            fc.tuple(
              ...names.map((action) =>
                fc.record({ action: fc.constant(action), roleIds: maybe(fc.array(id, { maxLength: 2 })) }),
              ),
            ),
          ),
      })
      .map(compact),
    mutations: () => [
      unknownKey(""),
      required("name", "string", true),
      required("policyActions", "array"),
      badEnum("policyActions.0.action", POLICY_ACTIONS),
      badItem("policyActions.0.roleIds", "string", true),
      unknownKey("policyActions.0"),
      custom("an action twice", ["policyActions"], "policyActions[1].action", (i) =>
        setAt(i, ["policyActions"], [{ action: "read" }, { action: "read" }]),
      ),
    ],
  },
};

const User: KindSample = {
  kind: "User",
  handWritten: true,
  dependsOn: ["Role"],
  waitsForSchema: false,
  inputs: (n) => ({ email: emailOf(n) }),
  body: (n) => ({ email: emailOf(n) }),
  update: (n, deps) => ({ email: emailOf(n), roleIds: [deps.Role as string] }),
  secrets: [],
  api: (client) => client.admin.users as unknown as SampleApi,
  badInputs: {
    valid: fc.record({ email, roleIds: maybe(fc.array(id, { minLength: 1, maxLength: 2 })) }).map(compact),
    mutations: () => [
      unknownKey(""),
      required("email", "string", true),
      fc.constantFrom("no-at-sign", "two@@example.com", "spaces in@example.com").map((v) => ({
        paths: [p("email")],
        apply: (i: Json) => setAt(i, ["email"], v),
        property: "email",
        label: `email = ${JSON.stringify(v)}`,
      })),
      custom("roleIds empty", ["roleIds"], "roleIds", (i) => setAt(i, ["roleIds"], [])),
      badItem("roleIds", "string", true),
      wrong("organizationId", "string", true),
    ],
  },
};

/** The user's path on the partner endpoints of the default organization, the user's id written `{User}`. */
const USER_PATH = `/api/organizations/${ORGANIZATION_ID}/users/{User}`;

const UserApiKey: KindSample = {
  kind: "UserApiKey",
  handWritten: true,
  key: "partnerKey",
  dependsOn: ["User"],
  waitsForSchema: false,
  // Every argument replaces the key: no update. Its id is `<organization>/<user>`.
  inputs: (_n, deps) => ({ userId: deps.User as string, organizationId: ORGANIZATION_ID }),
  body: (_n, deps) => ({ userId: deps.User as string }),
  secrets: [],
  api: (client): SampleApi => {
    const users = partnerOf(client).admin.partnerUsers(ORGANIZATION_ID);
    return {
      create: async (body) => {
        await users.createKey(body.userId as string, { force: true });
        return { id: `${ORGANIZATION_ID}/${body.userId}` };
      },
      get: (keyId) => users.get(keyId.slice(keyId.indexOf("/") + 1)),
    };
  },
  requests: {
    // A read finds the user, then asks whether the key still works, with the key itself.
    read: [`GET ${USER_PATH} 200`, "GET /api/me 200"],
    get: [`GET ${USER_PATH} 200`],
    // Delete replaces a key that still works with one nobody holds (Polytomic cannot revoke one).
    delete: [`GET ${USER_PATH} 200`, "GET /api/me 200", "POST {collection} 200"],
    readGone: [`GET ${USER_PATH} 200`, "GET /api/me 401"],
    deleteGone: [`GET ${USER_PATH} 200`, "GET /api/me 401"],
  },
  badInputs: {
    valid: fc.record({ userId: id, organizationId: maybe(id), force: maybe(fc.boolean()) }).map(compact),
    mutations: () => [
      unknownKey(""),
      required("userId", "string", true),
      wrong("organizationId", "string", true),
      wrong("force", "boolean"),
    ],
  },
};

const SUBSCRIBERS = "{collection}";

const GlobalErrorSubscribers: KindSample = {
  kind: "GlobalErrorSubscribers",
  handWritten: true,
  dependsOn: [],
  waitsForSchema: false,
  inputs: (n) => ({ emails: [emailOf(n)] }),
  body: (n) => ({ emails: [emailOf(n)] }),
  update: (n) => ({ emails: [emailOf(n), "oncall@example.com"] }),
  secrets: [],
  api: (client): SampleApi => ({
    create: async (body) => {
      await client.admin.globalErrorSubscribers.set(body.emails as string[]);
      return { id: "global-error-subscribers" };
    },
    get: async () => ({
      id: "global-error-subscribers",
      ...(await client.admin.globalErrorSubscribers.get()),
    }),
    update: (_id, body) => client.admin.globalErrorSubscribers.set(body.emails as string[]),
  }),
  // One list, written whole (PUT) and read (GET) at one path; deleting empties it, and an empty list reads as gone.
  requests: {
    create: [`PUT ${SUBSCRIBERS} 200`],
    update: [`PUT ${SUBSCRIBERS} 200`],
    read: [`GET ${SUBSCRIBERS} 200`],
    get: [`GET ${SUBSCRIBERS} 200`],
    delete: [`PUT ${SUBSCRIBERS} 200`],
    readGone: [`GET ${SUBSCRIBERS} 200`],
    deleteGone: [`PUT ${SUBSCRIBERS} 200`],
  },
  badInputs: {
    valid: fc.record({ emails: fc.array(email, { minLength: 1, maxLength: 3 }) }).map(compact),
    mutations: () => [
      unknownKey(""),
      required("emails", "array"),
      custom("no emails", ["emails"], "emails", (i) => setAt(i, ["emails"], [])),
      badItem("emails", "string", true, ["a@example.com"]),
      wrong("organizationId", "string", true),
    ],
  },
};

const EventWebhook: KindSample = {
  kind: "EventWebhook",
  handWritten: true,
  dependsOn: [],
  waitsForSchema: false,
  inputs: () => ({ endpoint: "https://example.com/events", secret: EVENT_SECRET }),
  body: () => ({ endpoint: "https://example.com/events", secret: EVENT_SECRET }),
  update: () => ({ endpoint: "https://example.com/events", secret: EVENT_SECRET, enabled: false }),
  secrets: [EVENT_SECRET],
  api: (client) => client.admin.eventWebhooks as unknown as SampleApi,
  // The update switches deliveries off: the PUT, then the disable call.
  requests: { update: ["PUT {object} 200", "POST {object}/disable 200"] },
  badInputs: {
    valid: fc
      .record({
        endpoint: fc.constantFrom("https://example.com/e", "http://127.0.0.1:9/events"),
        secret: fc.string({ minLength: 1 }),
        enabled: maybe(fc.boolean()),
      })
      .map(compact),
    mutations: () => [
      unknownKey(""),
      required("endpoint", "string", true),
      fc.constantFrom("example.com/no-scheme", "ftp://example.com", "https://").map((v) => ({
        paths: [p("endpoint")],
        apply: (i: Json) => setAt(i, ["endpoint"], v),
        property: "endpoint",
        label: `endpoint = ${JSON.stringify(v)}`,
      })),
      required("secret", "string", true),
      wrong("enabled", "boolean"),
    ],
  },
};

const primaryKeys = (deps: Deps, ...fieldIds: string[]) => ({
  connectionId: deps.GcsConnection as string,
  schemaId: SCHEMA,
  fields: fieldIds.map((fieldId) => ({ fieldId, isPrimaryKey: true })),
});

const ConnectionSchemaPrimaryKeys: KindSample = {
  kind: "ConnectionSchemaPrimaryKeys",
  handWritten: true,
  dependsOn: ["GcsConnection"],
  waitsForSchema: false,
  inputs: (_n, deps) => primaryKeys(deps, "email_address"),
  body: (_n, deps) => ({
    connection_id: deps.GcsConnection,
    schema_id: SCHEMA,
    fields: [{ field_id: "email_address", is_primary_key: true }],
  }),
  update: (_n, deps) => primaryKeys(deps, "email_address", "company"),
  secrets: [],
  api: (client): SampleApi => ({
    create: async (body) => {
      await client.admin.schemas.setPrimaryKeys(
        body.connection_id as string,
        body.schema_id as string,
        body.fields as never,
      );
      return { id: `default/${body.connection_id}/${SCHEMA}` };
    },
    get: async (resourceId) => {
      const [, connectionId, schemaId] = resourceId.split("/").map(decodeURIComponent);
      return client.admin.schemas.get(connectionId as string, schemaId as string);
    },
  }),
  // The override is written (202) and the schema read back; a schema without a primary key reads as gone.
  requests: {
    create: ["PUT {collection} 202", `GET ${SCHEMA_PATH} 200`],
    update: ["PUT {collection} 202", `GET ${SCHEMA_PATH} 200`],
    read: [`GET ${SCHEMA_PATH} 200`],
    get: [`GET ${SCHEMA_PATH} 200`],
    delete: ["DELETE {collection} 202"],
    readGone: [`GET ${SCHEMA_PATH} 200`],
    deleteGone: ["DELETE {collection} 202"],
  },
  badInputs: {
    valid: fc
      .record({
        connectionId: id,
        schemaId: id,
        fields: fc.array(fc.record({ fieldId: id, isPrimaryKey: fc.constant(true) }), {
          minLength: 1,
          maxLength: 3,
        }),
      })
      .map(compact),
    mutations: () => [
      unknownKey(""),
      required("connectionId", "string", true),
      required("schemaId", "string", true),
      required("fields", "array"),
      custom("no fields", ["fields"], "fields", (i) => setAt(i, ["fields"], [])),
      custom("no field is the primary key", ["fields"], "fields", (i) =>
        setAt(i, ["fields"], [{ fieldId: "a", isPrimaryKey: false }]),
      ),
      wrong("fields.0.fieldId", "string", true),
      wrong("fields.0.isPrimaryKey", "boolean"),
    ],
  },
};

const schemaField = (deps: Deps, label: string) => ({
  connectionId: deps.GcsConnection as string,
  schemaId: SCHEMA,
  fieldId: "sample_field",
  label,
  type: "string",
});

const ConnectionSchemaField: KindSample = {
  kind: "ConnectionSchemaField",
  handWritten: true,
  dependsOn: ["GcsConnection"],
  waitsForSchema: false,
  inputs: (_n, deps) => schemaField(deps, "Sample field"),
  body: (_n, deps) => ({
    connection_id: deps.GcsConnection,
    schema_id: SCHEMA,
    field_id: "sample_field",
    label: "Sample field",
    type: "string",
  }),
  update: (_n, deps) => ({ ...schemaField(deps, "Sample field, relabelled"), path: "$.sample" }),
  secrets: [],
  api: (client): SampleApi => {
    const parts = (resourceId: string) => resourceId.split("/").map(decodeURIComponent) as string[];
    return {
      create: async (body) => {
        const { connection_id, schema_id, ...field } = body;
        await client.admin.schemas.upsertFields(connection_id as string, schema_id as string, [
          field as never,
        ]);
        return { id: `default/${connection_id}/${schema_id}/${field.field_id}` };
      },
      get: async (resourceId) => {
        const [, connectionId, schemaId, fieldId] = parts(resourceId);
        const schema = await client.admin.schemas.get(connectionId as string, schemaId as string);
        const field = schema.fields.find((f) => f.id === fieldId && f.user_managed === true);
        if (field === undefined) throw Object.assign(new Error(`no field ${fieldId}`), { status: 404 });
        return { id: resourceId };
      },
      delete: (resourceId) => {
        const [, connectionId, schemaId, fieldId] = parts(resourceId);
        return client.admin.schemas.deleteField(
          connectionId as string,
          schemaId as string,
          fieldId as string,
        );
      },
    };
  },
  // The field is upserted (202) and the schema read back; delete removes the field.
  requests: {
    create: ["POST {collection} 202", `GET ${SCHEMA_PATH} 200`],
    update: ["POST {collection} 202", `GET ${SCHEMA_PATH} 200`],
    read: [`GET ${SCHEMA_PATH} 200`],
    get: [`GET ${SCHEMA_PATH} 200`],
    delete: [`DELETE ${SCHEMA_PATH}/fields/sample_field 202`],
    readGone: [`GET ${SCHEMA_PATH} 200`],
    deleteGone: [`DELETE ${SCHEMA_PATH}/fields/sample_field 404`],
  },
  badInputs: {
    valid: fc
      .record({
        connectionId: id,
        schemaId: id,
        fieldId: id,
        label: id,
        type: fc.constantFrom(...SCHEMA_FIELD_TYPES),
        path: maybe(fc.string()),
      })
      .map(compact),
    mutations: () => [
      unknownKey(""),
      required("connectionId", "string", true),
      required("schemaId", "string", true),
      required("fieldId", "string", true),
      required("label", "string", true),
      required("type", "string"),
      badEnum("type", SCHEMA_FIELD_TYPES),
      wrong("path", "string"),
    ],
  },
};

/** The organization-administration kinds' samples, in the table's order. */
export const ORGANIZATION_SAMPLES: readonly KindSample[] = [
  Organization,
  Role,
  Policy,
  User,
  UserApiKey,
  GlobalErrorSubscribers,
  EventWebhook,
  ConnectionSchemaPrimaryKeys,
  ConnectionSchemaField,
];
