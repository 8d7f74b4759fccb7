import * as pulumi from "@pulumi/pulumi";
import type { SchemaFieldType } from "../api/organization-enums";
import { defineFields, resourceProps } from "./fields";
import { forwarderFor, TYPE_MODULE } from "./forwarders";

/** One field of a primary-key override. */
export interface PrimaryKeyField {
  /** The field's ID in the schema (for a file or table, the column name). */
  fieldId: pulumi.Input<string>;
  /** Whether the field is part of the primary key. */
  isPrimaryKey: pulumi.Input<boolean>;
}

/** Arguments of {@link ConnectionSchemaPrimaryKeys}. */
export interface ConnectionSchemaPrimaryKeysArgs {
  /** The source connection's ID. Changing it replaces the override. */
  connectionId: pulumi.Input<string>;
  /** The schema's ID: an object name, `schema.table`, or a file of a bucket. Changing it replaces the override. */
  schemaId: pulumi.Input<string>;
  /** The fields that together form the primary key, in order: the whole override (at least one field). */
  fields: pulumi.Input<pulumi.Input<PrimaryKeyField>[]>;
  /** The connection's organization (partner and deployment keys; else `polytomic:organizationId`). */
  organizationId?: pulumi.Input<string>;
}

/** {@link ConnectionSchemaPrimaryKeys}' field lists. */
export const CONNECTION_SCHEMA_PRIMARY_KEYS_FIELDS = defineFields<ConnectionSchemaPrimaryKeysArgs>()({
  remote: ["connectionId", "schemaId", "fields", "organizationId"],
  local: [],
  reported: [],
  replace: ["connectionId", "schemaId", "organizationId"],
  secret: [],
});

/**
 * The primary key of one schema of a source connection, overriding the one Polytomic detects (Terraform:
 * `polytomic_connection_schema_primary_keys`). Each update replaces the whole override; deleting the resource
 * goes back to the detected primary key. A refresh sees which fields are the primary key: a field listed with
 * `isPrimaryKey: false` stays as written. Its id is `<organization>/<connection>/<schema>`.
 * Type token: `pulumi-nodejs:dynamic/polytomic:ConnectionSchemaPrimaryKeys`.
 */
export class ConnectionSchemaPrimaryKeys extends pulumi.dynamic.Resource {
  declare readonly connectionId: pulumi.Output<string>;
  declare readonly schemaId: pulumi.Output<string>;
  declare readonly fields: pulumi.Output<{ fieldId: string; isPrimaryKey: boolean }[]>;
  declare readonly organizationId: pulumi.Output<string | undefined>;

  constructor(name: string, args: ConnectionSchemaPrimaryKeysArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      forwarderFor("ConnectionSchemaPrimaryKeys"),
      name,
      resourceProps(CONNECTION_SCHEMA_PRIMARY_KEYS_FIELDS, args),
      opts,
      TYPE_MODULE,
      "ConnectionSchemaPrimaryKeys",
    );
  }

  /** A read-only reference to a schema's primary-key override; the id is `<organization>/<connection>/<schema>`. */
  static get(
    name: string,
    id: pulumi.Input<string>,
    opts?: pulumi.CustomResourceOptions,
  ): ConnectionSchemaPrimaryKeys {
    return new ConnectionSchemaPrimaryKeys(name, undefined as unknown as ConnectionSchemaPrimaryKeysArgs, {
      ...opts,
      id,
    });
  }
}

/** Arguments of {@link ConnectionSchemaField}. */
export interface ConnectionSchemaFieldArgs {
  /** The source connection's ID. Changing it replaces the field. */
  connectionId: pulumi.Input<string>;
  /** The schema's ID: an object name, `schema.table`, or a file of a bucket. Changing it replaces the field. */
  schemaId: pulumi.Input<string>;
  /** The field's stable ID in the schema (not one the source detects). Changing it replaces the field. */
  fieldId: pulumi.Input<string>;
  /** The name shown when choosing fields in Polytomic. */
  label: pulumi.Input<string>;
  /** The field's type. */
  type: pulumi.Input<SchemaFieldType>;
  /** A JSON path that extracts the value from each source record (nested or computed fields). */
  path?: pulumi.Input<string>;
  /** An example value, shown in Polytomic. Not returned by Polytomic: refresh keeps your program's value. */
  example?: pulumi.Input<unknown>;
  /** The connection's organization (partner and deployment keys; else `polytomic:organizationId`). */
  organizationId?: pulumi.Input<string>;
}

/** {@link ConnectionSchemaField}'s field lists. */
export const CONNECTION_SCHEMA_FIELD_FIELDS = defineFields<ConnectionSchemaFieldArgs>()({
  remote: ["connectionId", "schemaId", "fieldId", "label", "type", "path", "example", "organizationId"],
  local: [],
  reported: [],
  replace: ["connectionId", "schemaId", "fieldId", "organizationId"],
  secret: [],
});

/**
 * A user-defined field of one schema of a source connection (no Terraform counterpart): a field the source does not
 * detect, e.g. a value inside a JSON document. Creating one whose `fieldId` exists already updates it. Its id is
 * `<organization>/<connection>/<schema>/<field>`. Type token: `pulumi-nodejs:dynamic/polytomic:ConnectionSchemaField`.
 */
export class ConnectionSchemaField extends pulumi.dynamic.Resource {
  declare readonly connectionId: pulumi.Output<string>;
  declare readonly schemaId: pulumi.Output<string>;
  declare readonly fieldId: pulumi.Output<string>;
  declare readonly label: pulumi.Output<string>;
  declare readonly type: pulumi.Output<SchemaFieldType>;
  declare readonly path: pulumi.Output<string | undefined>;
  declare readonly example: pulumi.Output<unknown>;
  declare readonly organizationId: pulumi.Output<string | undefined>;

  constructor(name: string, args: ConnectionSchemaFieldArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      forwarderFor("ConnectionSchemaField"),
      name,
      resourceProps(CONNECTION_SCHEMA_FIELD_FIELDS, args),
      opts,
      TYPE_MODULE,
      "ConnectionSchemaField",
    );
  }

  /** A read-only reference to a user-defined field; the id is `<organization>/<connection>/<schema>/<field>`. */
  static get(
    name: string,
    id: pulumi.Input<string>,
    opts?: pulumi.CustomResourceOptions,
  ): ConnectionSchemaField {
    return new ConnectionSchemaField(name, undefined as unknown as ConnectionSchemaFieldArgs, {
      ...opts,
      id,
    });
  }
}
