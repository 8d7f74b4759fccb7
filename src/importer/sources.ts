/**
 * Where the importer finds each kind of object: one line per object kind of the kinds table (src/kinds.ts), in
 * the order the summary lists them. Connections, whose class depends on their type, are read by
 * ./organization.ts itself. A kind added to the table needs one line here (test/importer/sources.test.ts fails
 * naming it until it has one, or a reason in {@link NOT_IMPORTED}); the read itself goes through the kind's spec.
 */

import { z } from "zod";
import type { PolytomicClient } from "../client";
import { KINDS } from "../kinds";
import type {
  BulkFieldSelection,
  BulkSchemaSelection,
  BulkSchemaSettings,
  HeldField,
  HeldSchema,
} from "../providers/bulk-schemas";
import type { Credential } from "../providers/credentials";
import { compact } from "../providers/plain";
import type { CompleteArgs } from "./objects";

/** How the importer lists one object kind, and what it adds to the spec's read. */
export interface ObjectSource {
  /** The kind (a key of `KINDS`). */
  readonly kind: string;
  /** The summary's group, plural. */
  readonly group: string;
  /** Read and declared before the connections (objects that connections and others refer to). */
  readonly early?: boolean;
  /**
   * The configured keys may not make this kind's calls at all (an organization needs a partner key): then the
   * kind is left out without a remark.
   */
  readonly optional?: boolean;
  /** The ids of every object of the kind. */
  list(client: PolytomicClient, credential: Credential): Promise<string[]>;
  /**
   * One object per organization that always exists (the error subscribers' list): a 404 from its read means it
   * is empty, not gone.
   */
  readonly singleton?: boolean;
  /** Objects not to declare (built-in roles, an empty list), and why, for the summary. */
  readonly skip?: { readonly when: (response: Record<string, unknown>) => boolean; readonly why: string };
  /**
   * Secret arguments Polytomic never returns, not even masked (an event webhook's signing secret): always read
   * from the stack config.
   */
  readonly writeOnly?: readonly string[];
  /** A note for an object (e.g. settings Polytomic does not return). */
  readonly note?: (response: Record<string, unknown>) => string | undefined;
  /** Fills in what the spec's read leaves out without a previous state (see {@link completeModel}). */
  readonly complete?: CompleteArgs;
  /**
   * Reads what the object's arguments need besides the object itself (default: the spec's `afterRead`, as a
   * refresh does). Bulk syncs read each schema's fields this way.
   */
  readonly enrich?: (
    client: PolytomicClient,
    response: Record<string, unknown>,
  ) => Promise<Record<string, unknown>>;
}

const Page = z.looseObject({
  data: z
    .array(z.looseObject({ id: z.string() }))
    .nullish()
    .transform((v) => v ?? []),
  pagination: z.looseObject({ next_page_token: z.string().nullish() }).nullish(),
});

/** Every id of a list endpoint, following `pagination.next_page_token` where the endpoint pages. */
export function listIds(path: string | ((credential: Credential) => string)) {
  return async (client: PolytomicClient, credential?: Credential): Promise<string[]> => {
    const at = typeof path === "string" ? path : path(credential as Credential);
    const ids: string[] = [];
    const tokens = new Set<string>();
    let token: string | undefined;
    do {
      const page = await client.transport.call("GET", at, {
        query: { page_token: token },
        schema: Page,
        bare: true,
      });
      ids.push(...page.data.map((item) => item.id));
      token = page.pagination?.next_page_token ?? undefined;
      if (token !== undefined && tokens.has(token)) break; // a server repeating itself: stop, not loop
      if (token !== undefined) tokens.add(token);
    } while (token !== undefined && token !== "");
    return [...new Set(ids)];
  };
}

interface AnswerField {
  name?: unknown;
  label?: unknown;
  type?: unknown;
  example?: unknown;
  user_added?: unknown;
}

/**
 * A model's `fields` and `additionalFields` as Polytomic holds them. The spec's read keeps the program's own
 * choice (a refresh has it); an import has none, and leaving `fields` out would select every column of the source
 * on adoption, so the model's current columns are named, and the added fields keep their examples.
 */
export const completeModel: CompleteArgs = (args, response) => {
  const fields = (Array.isArray(response.fields) ? response.fields : []) as AnswerField[];
  const own = fields.filter((f) => f.user_added !== true && typeof f.name === "string").map((f) => f.name);
  const added = fields
    .filter((f) => f.user_added === true && typeof f.name === "string")
    .map((f) =>
      compact({
        name: f.name,
        label: typeof f.label === "string" && f.label !== "" ? f.label : f.name,
        type: typeof f.type === "string" && f.type !== "" ? f.type : "string",
        example: f.example === null ? undefined : f.example,
      }),
    );
  return {
    ...args,
    fields: own.length > 0 ? own : undefined,
    additionalFields: added.length > 0 ? added : undefined,
  };
};

/**
 * A policy's actions as Polytomic holds them, in its order and with the actions that allow no role: the spec's
 * read sorts them and keeps only those with roles (or those a program named), and adoption writes them back.
 */
export const completePolicy: CompleteArgs = (args, response) => {
  const held = (Array.isArray(response.policy_actions) ? response.policy_actions : []) as {
    action?: unknown;
    role_ids?: unknown;
  }[];
  const policyActions = held
    .filter((a) => typeof a.action === "string")
    .map((a) => {
      const roleIds = Array.isArray(a.role_ids) ? (a.role_ids as string[]) : [];
      return roleIds.length > 0 ? { action: a.action, roleIds } : { action: a.action };
    });
  return { ...args, policyActions };
};

/**
 * A bulk sync with every schema read one by one (the list leaves their fields out): the spec's `afterRead`, as
 * for a program that names every schema.
 */
export async function enrichBulkSync(
  client: PolytomicClient,
  response: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  const spec = KINDS.get("BulkSync")?.spec;
  if (spec?.afterRead === undefined) return response;
  const schemas = await client.bulkSyncs.listSchemas(String(response.id));
  const previous = { schemas: schemas.map((schema) => ({ id: schema.id })) };
  return (await spec.afterRead(client, response as never, previous as never)) as Record<string, unknown>;
}

/**
 * A schema as a bulk sync's `schemas` item, from what Polytomic holds: its id alone when every field is synced
 * as is and nothing is set; otherwise its settings, every field listed when one is disabled or has settings.
 * A disabled schema is listed disabled, so adoption keeps it so.
 */
export function schemaSelection(held: HeldSchema): BulkSchemaSelection {
  if (held.enabled === false) return { id: held.id, enabled: false };
  const fields = held.fields ?? [];
  const plain = (f: HeldField) =>
    f.enabled !== false && f.obfuscate !== true && f.userOutputName === undefined;
  const settings = compact({
    id: held.id,
    fields: fields.every(plain)
      ? undefined
      : fields.map((f): BulkFieldSelection => {
          const field = compact({
            id: f.id,
            enabled: f.enabled === false ? false : undefined,
            obfuscate: f.obfuscate === true ? true : undefined,
            userOutputName: f.userOutputName,
          });
          return Object.keys(field).length === 1 ? f.id : field;
        }),
    filters: held.filters !== undefined && held.filters.length > 0 ? held.filters : undefined,
    partitionKey: held.partitionKey,
    trackingField: held.trackingField,
    userOutputName: held.userOutputName,
    dataCutoffTimestamp: held.dataCutoffTimestamp,
    disableDataCutoff: held.disableDataCutoff === true ? true : undefined,
  });
  return Object.keys(settings).length === 1 ? held.id : (settings as BulkSchemaSettings);
}

/** A bulk sync's `schemas` as Polytomic holds them (the spec's read gives them only for schemas a program names). */
export const completeBulkSync: CompleteArgs = (args, response) => {
  const held = (Array.isArray(response.heldSchemas) ? response.heldSchemas : []) as HeldSchema[];
  return { ...args, schemas: held.length > 0 ? held.map(schemaSelection) : undefined };
};

const builtIn = {
  when: (response: Record<string, unknown>) => response.system === true,
  why: "built in: they never change",
};

/** The organization the key acts in, when a partner or deployment key names it (an API key cannot manage it). */
const ownOrganization = async (_client: PolytomicClient, credential: Credential) =>
  credential.organizationId === undefined ? [] : [credential.organizationId];

/** The users of the organization: its own endpoints with an API key, the partner's with a partner key. */
const usersPath = (credential: Credential) =>
  credential.endpoints === "partner"
    ? `/api/organizations/${encodeURIComponent(credential.organizationId ?? "")}/users`
    : "/api/organization/users";

/** The one list of an organization (the id the kind's spec reads it by). */
const subscribersList = async (_client: PolytomicClient, credential: Credential) => [
  credential.organizationId ?? "global-error-subscribers",
];

/** The object kinds the importer reads, in the order the summary lists them. */
export const OBJECT_SOURCES: readonly ObjectSource[] = [
  {
    kind: "Organization",
    group: "organizations",
    early: true,
    optional: true,
    list: ownOrganization,
    note: (response) =>
      [response.sso_domain, response.issuer, response.sso_org_id].some(
        (v) => typeof v === "string" && v !== "",
      )
        ? "its SSO client id and secret are never returned: add clientId and clientSecret if the organization signs in with them"
        : undefined,
  },
  { kind: "Role", group: "roles", early: true, list: listIds("/api/permissions/roles"), skip: builtIn },
  {
    kind: "Policy",
    group: "policies",
    early: true,
    list: listIds("/api/permissions/policies"),
    skip: builtIn,
    complete: completePolicy,
  },
  { kind: "User", group: "users", early: true, list: listIds(usersPath) },
  { kind: "Model", group: "models", list: listIds("/api/models"), complete: completeModel },
  { kind: "Sync", group: "model syncs", list: listIds("/api/syncs") },
  {
    kind: "BulkSync",
    group: "bulk syncs",
    list: listIds("/api/bulk/syncs"),
    enrich: enrichBulkSync,
    complete: completeBulkSync,
  },
  { kind: "EventWebhook", group: "event webhooks", list: listIds("/api/webhooks"), writeOnly: ["secret"] },
  {
    kind: "GlobalErrorSubscribers",
    group: "global error subscribers",
    list: subscribersList,
    singleton: true,
    skip: {
      when: (response) => !Array.isArray(response.emails) || response.emails.length === 0,
      why: "empty",
    },
  },
];

/** Object kinds of the kinds table the importer leaves out, each with the reason (shown by `--help`). */
export const NOT_IMPORTED: Readonly<Record<string, string>> = {
  SyncExecution: "a run of a model sync is an event, not configuration",
  BulkSyncExecution: "a run of a bulk sync is an event, not configuration",
  UserApiKey: "a key is shown once, when made: it cannot be read back, and declaring one would replace it",
  ConnectionSchemaPrimaryKeys:
    "Polytomic's answers do not tell primary keys set by hand from detected ones, and finding them means reading " +
    "every schema of every connection: declare the overrides you rely on by hand",
  ConnectionSchemaField:
    "finding user-defined fields means reading every schema of every connection: declare them by hand",
};
