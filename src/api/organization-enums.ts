/**
 * The enumerations of the organization-administration API (2025-09-18), in one place for the package's
 * validation, the resource classes' union types and the emulator: permission-policy actions and the types of
 * user-defined schema fields. Free of zod, so the resource classes can use them.
 */

/**
 * The policy actions Polytomic documents (its guides on roles and policies, its API reference's examples, and
 * the Terraform provider's tests). Polytomic calls the list incomplete; actions a kind of object does not
 * support are ignored by Polytomic.
 */
export const POLICY_ACTIONS = [
  "apply_policy",
  "create",
  "delete",
  "edit",
  "read",
  "sync_to",
  "trigger",
] as const;
export type PolicyActionName = (typeof POLICY_ACTIONS)[number];

/** The types of a user-defined schema field (`UtilFieldType` without `unknown`). */
export const SCHEMA_FIELD_TYPES = [
  "string",
  "number",
  "boolean",
  "datetime",
  "array",
  "object",
  "binary",
] as const;
export type SchemaFieldType = (typeof SCHEMA_FIELD_TYPES)[number];

/** The built-in roles every organization has (`system: true`; they cannot be changed or deleted). */
export const SYSTEM_ROLE_NAMES = ["Admin", "Member"] as const;
