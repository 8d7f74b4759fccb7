import { z } from "zod";
import { type ConnectionSchema, SCHEMA_FIELD_TYPES, type SchemaField } from "../api";
import { PolytomicApiError, type PolytomicClient } from "../client";
import {
  CONNECTION_SCHEMA_FIELD_FIELDS,
  CONNECTION_SCHEMA_PRIMARY_KEYS_FIELDS,
} from "../resources/connection-schema";
import type { Credential } from "./credentials";
import type { ObjectApi, ObjectSpec } from "./object-provider";
import { compact } from "./plain";
import { UNKNOWN } from "./unknown";

const ID = z.string().min(1, "must not be empty");
/** A kind without a display name (messages name it through `describe`). */
type Unnamed<T> = T & { name?: string };

/**
 * The ids of schema overrides: `<organization>/<connection>/<schema>` (and `/<field>` for a user-defined field),
 * each part URL-encoded, `default` standing for the API key's own organization (as Terraform's
 * `polytomic_connection_schema_primary_keys` spells it). The organization in the id lets a read of a bare id
 * (`get`) choose the key.
 */
const DEFAULT_ORGANIZATION = "default";

function schemaId(organizationId: string | undefined, ...parts: string[]): string {
  return [organizationId ?? DEFAULT_ORGANIZATION, ...parts].map(encodeURIComponent).join("/");
}

/** The parts of such an id: organization (undefined for `default`), connection, schema, and field if any. */
function parseId(
  id: string | undefined,
): { organizationId?: string; connectionId: string; schemaId: string; fieldId?: string } | undefined {
  const parts = (id ?? "").split("/").map(decodeURIComponent);
  if (parts.length < 3 || parts.length > 4) return undefined;
  const [organization, connectionId, schema, fieldId] = parts as [string, string, string, string | undefined];
  return compact({
    organizationId: organization === DEFAULT_ORGANIZATION ? undefined : organization,
    connectionId,
    schemaId: schema,
    fieldId,
  }) as ReturnType<typeof parseId>;
}

function parsed(id: string) {
  const parts = parseId(id);
  if (parts === undefined)
    throw new Error(`"${id}" is not an id of this kind: <organization>/<connection>/<schema>[/<field>]`);
  return parts;
}

/** The 404 a missing override reads as (Polytomic answers the schema, without it). */
function notFound(path: string, message: string): PolytomicApiError {
  return new PolytomicApiError({
    status: 404,
    request: { method: "GET", path, attempts: 1 },
    body: { key: "not_found", message },
  });
}

const organizationOf = (values: { organizationId?: unknown } | undefined, id?: string) =>
  (typeof values?.organizationId === "string" ? values.organizationId : undefined) ??
  parseId(id)?.organizationId;

// ---- ConnectionSchemaPrimaryKeys ----

/** The ConnectionSchemaPrimaryKeys inputs (and outputs). */
export interface PrimaryKeysInputs {
  connectionId: string;
  schemaId: string;
  fields: { fieldId: string; isPrimaryKey: boolean }[];
  organizationId?: string;
  __provider?: string;
}

/** The override as the provider handles it: the schema, and which of its fields are the primary key now. */
interface PrimaryKeysResponse {
  id: string;
  connectionId: string;
  schemaId: string;
  organizationId?: string;
  primaryKeys: string[];
}

interface PrimaryKeysRequest {
  connectionId: string;
  schemaId: string;
  fields: { field_id: string; is_primary_key: boolean }[];
}

/**
 * The ConnectionSchemaPrimaryKeys resource's spec: create and update write the whole override (`PUT …/primary_keys`)
 * and read the schema back; delete goes back to the detected keys (`DELETE …/primary_keys`). A read sees which
 * fields are the primary key: when they are the ones the program marked, the program's list (its `false` entries
 * too) stays as written.
 */
export const CONNECTION_SCHEMA_PRIMARY_KEYS_SPEC: ObjectSpec<
  Unnamed<PrimaryKeysInputs>,
  Unnamed<PrimaryKeysInputs>,
  PrimaryKeysRequest,
  PrimaryKeysResponse
> = {
  noun: "schema primary keys",
  validator: z
    .object({
      connectionId: ID,
      schemaId: ID,
      fields: z.array(z.object({ fieldId: ID, isPrimaryKey: z.boolean() }).strict()).min(1),
      organizationId: ID.optional(),
      __provider: z.string().optional(),
    })
    .strict(),
  crossChecks: (news) => {
    const fields = news.fields;
    if (!Array.isArray(fields) || fields.length === 0) return [];
    const known = fields.filter((f) => (f as { isPrimaryKey?: unknown } | null)?.isPrimaryKey !== UNKNOWN);
    if (
      known.length < fields.length ||
      known.some((f) => (f as { isPrimaryKey?: unknown }).isPrimaryKey === true)
    )
      return [];
    return [
      {
        property: "fields",
        reason:
          "fields must mark at least one field isPrimaryKey: true (delete the resource to go back to the primary key Polytomic detects)",
      },
    ];
  },
  describe: (values, id) => {
    const parts = values?.connectionId === undefined ? parseId(id) : values;
    return `the primary keys of schema "${String(parts?.schemaId ?? "")}" of connection ${String(parts?.connectionId ?? "")}`;
  },
  organizationOf,
  request: (inputs) => ({
    connectionId: inputs.connectionId,
    schemaId: inputs.schemaId,
    fields: inputs.fields.map((f) => ({ field_id: f.fieldId, is_primary_key: f.isPrimaryKey })),
  }),
  secrets: () => [],
  outputs: (inputs) => compact({ ...inputs }) as PrimaryKeysInputs,
  readOutputs(previous, response) {
    const marked = (previous?.fields ?? []).filter((f) => f.isPrimaryKey).map((f) => f.fieldId);
    const same = JSON.stringify([...marked].sort()) === JSON.stringify([...response.primaryKeys].sort());
    return compact({
      connectionId: response.connectionId,
      schemaId: response.schemaId,
      fields:
        same && previous?.fields !== undefined
          ? previous.fields
          : response.primaryKeys.map((fieldId) => ({ fieldId, isPrimaryKey: true })),
      organizationId: previous?.organizationId ?? response.organizationId,
      __provider: previous?.__provider,
    }) as PrimaryKeysInputs;
  },
  inputsOf: (outputs) => outputs,
  fields: CONNECTION_SCHEMA_PRIMARY_KEYS_FIELDS,
  compare: { computedWhenAbsent: ["organizationId"] },
  api(client, credential): ObjectApi<PrimaryKeysRequest, PrimaryKeysResponse> {
    const schemas = client.admin.schemas;
    const read = async (connectionId: string, schema: string): Promise<PrimaryKeysResponse> => {
      const found = await schemas.get(connectionId, schema);
      return {
        id: schemaId(credential.organizationId, connectionId, schema),
        connectionId,
        schemaId: schema,
        ...(credential.organizationId === undefined ? {} : { organizationId: credential.organizationId }),
        primaryKeys: found.fields.filter((f) => f.is_primary_key === true).map((f) => f.id),
      };
    };
    const write = async (body: PrimaryKeysRequest) => {
      await schemas.setPrimaryKeys(body.connectionId, body.schemaId, body.fields);
      return read(body.connectionId, body.schemaId);
    };
    return {
      create: write,
      // No primary key at all: there is no override (any more), and the source detects none.
      get: async (id) => {
        const { connectionId, schemaId: schema } = parsed(id);
        const found = await read(connectionId, schema);
        if (found.primaryKeys.length === 0)
          throw notFound(`/api/connections/${connectionId}/schemas/${schema}`, "no primary key");
        return found;
      },
      update: (_id, body) => write(body),
      delete: (id) => {
        const { connectionId, schemaId: schema } = parsed(id);
        return schemas.resetPrimaryKeys(connectionId, schema);
      },
    };
  },
};

// ---- ConnectionSchemaField ----

/** The ConnectionSchemaField inputs (and outputs). */
export interface SchemaFieldInputs {
  connectionId: string;
  schemaId: string;
  fieldId: string;
  label: string;
  type: (typeof SCHEMA_FIELD_TYPES)[number];
  path?: string;
  example?: unknown;
  organizationId?: string;
  __provider?: string;
}

interface SchemaFieldResponse {
  id: string;
  connectionId: string;
  schemaId: string;
  organizationId?: string;
  field: SchemaField;
}

/**
 * The ConnectionSchemaField resource's spec: create and update upsert the field by its id
 * (`POST …/schemas/{schema}/fields`), delete removes it. A read finds it among the schema's fields
 * (`user_managed`); Polytomic does not return `example`, which a read keeps from the program.
 */
export const CONNECTION_SCHEMA_FIELD_SPEC: ObjectSpec<
  Unnamed<SchemaFieldInputs>,
  Unnamed<SchemaFieldInputs>,
  SchemaFieldInputs,
  SchemaFieldResponse
> = {
  noun: "schema field",
  validator: z
    .object({
      connectionId: ID,
      schemaId: ID,
      fieldId: ID,
      label: ID,
      type: z.enum(SCHEMA_FIELD_TYPES),
      path: z.string().optional(),
      example: z.unknown().optional(),
      organizationId: ID.optional(),
      __provider: z.string().optional(),
    })
    .strict(),
  describe: (values, id) => {
    const parts = values?.fieldId === undefined ? parseId(id) : values;
    return `field "${String(parts?.fieldId ?? "")}" of schema "${String(parts?.schemaId ?? "")}" of connection ${String(parts?.connectionId ?? "")}`;
  },
  organizationOf,
  request: (inputs) => inputs,
  secrets: () => [],
  outputs: (inputs) => compact({ ...inputs }) as SchemaFieldInputs,
  readOutputs: (previous, response) =>
    compact({
      connectionId: response.connectionId,
      schemaId: response.schemaId,
      fieldId: response.field.id,
      label: response.field.name ?? previous?.label,
      type: response.field.type ?? previous?.type,
      path: response.field.path === "" ? undefined : response.field.path,
      example: previous?.example,
      organizationId: previous?.organizationId ?? response.organizationId,
      __provider: previous?.__provider,
    }) as SchemaFieldInputs,
  inputsOf: (outputs) => outputs,
  fields: CONNECTION_SCHEMA_FIELD_FIELDS,
  compare: { computedWhenAbsent: ["organizationId"] },
  api: (client, credential) => schemaFieldApi(client, credential),
};

function schemaFieldApi(
  client: PolytomicClient,
  credential: Credential,
): ObjectApi<SchemaFieldInputs, SchemaFieldResponse> {
  const schemas = client.admin.schemas;
  const read = async (
    connectionId: string,
    schema: string,
    fieldId: string,
  ): Promise<SchemaFieldResponse> => {
    const found: ConnectionSchema = await schemas.get(connectionId, schema);
    const field = found.fields.find((f) => f.id === fieldId && f.user_managed === true);
    if (field === undefined) {
      throw notFound(
        `/api/connections/${connectionId}/schemas/${schema}`,
        `the schema has no field ${fieldId}`,
      );
    }
    return {
      id: schemaId(credential.organizationId, connectionId, schema, fieldId),
      connectionId,
      schemaId: schema,
      ...(credential.organizationId === undefined ? {} : { organizationId: credential.organizationId }),
      field,
    };
  };
  const write = async (body: SchemaFieldInputs, options: object) => {
    await schemas.upsertFields(
      body.connectionId,
      body.schemaId,
      [
        compact({
          field_id: body.fieldId,
          label: body.label,
          type: body.type,
          path: body.path,
          example: body.example,
        }),
      ],
      options,
    );
    return read(body.connectionId, body.schemaId, body.fieldId);
  };
  return {
    create: (body, options) => write(body, options),
    get: (id) => {
      const parts = parsed(id);
      return read(parts.connectionId, parts.schemaId, parts.fieldId ?? "");
    },
    update: (_id, body, options) => write(body, options),
    delete: (id) => {
      const parts = parsed(id);
      return schemas.deleteField(parts.connectionId, parts.schemaId, parts.fieldId ?? "");
    },
  };
}
