/**
 * zod schemas of the organization-administration API (2025-09-18): organizations, users and their API keys,
 * permission roles and policies, event webhooks, global error subscribers, and a connection schema's fields with
 * their primary-key and user-defined overrides. Unknown fields are kept.
 */
import { z } from "zod";
import { optional } from "./common";

/** `RoleResponse`. */
export const RoleResponse = z.looseObject({
  id: z.string(),
  name: z.string(),
  organization_id: optional(z.string()),
  system: optional(z.boolean()),
});
export type RoleResponse = z.infer<typeof RoleResponse>;

/** `CreateRoleRequest` / `UpdateRoleRequest`. */
export interface RoleRequest {
  name: string;
  organization_id?: string;
}

/** `PolicyAction`: an action and the roles allowed it. */
export const PolicyAction = z.looseObject({
  action: z.string(),
  role_ids: z
    .array(z.string())
    .nullish()
    .transform((v) => v ?? []),
});

/** `PolicyResponse`. */
export const PolicyResponse = z.looseObject({
  id: z.string(),
  name: z.string(),
  organization_id: optional(z.string()),
  policy_actions: z
    .array(PolicyAction)
    .nullish()
    .transform((v) => v ?? []),
  system: optional(z.boolean()),
});
export type PolicyResponse = z.infer<typeof PolicyResponse>;

/** `CreatePolicyRequest` / `UpdatePolicyRequest` (a full replacement of the bindings). */
export interface PolicyRequest {
  name: string;
  policy_actions: { action: string; role_ids: string[] }[];
  organization_id?: string;
}

/** `User`. */
export const UserResponse = z.looseObject({
  id: z.string(),
  email: z.string(),
  organization_id: optional(z.string()),
  role: optional(z.string()),
  role_ids: optional(z.array(z.string())),
});
export type UserResponse = z.infer<typeof UserResponse>;

/** `CreateUserRequestSchema` (the partner and the current-organization bodies; `role` is not offered). */
export interface UserRequest {
  email: string;
  role_ids?: string[];
}

/** `APIKeyResponse`: the new key, shown once. */
export const ApiKeyResponse = z.looseObject({ value: z.string() });

/** `Organization`: `client_id` and `client_secret` are never returned. */
export const OrganizationResponse = z.looseObject({
  id: z.string(),
  name: z.string(),
  sso_domain: optional(z.string()),
  sso_org_id: optional(z.string()),
  issuer: optional(z.string()),
});
export type OrganizationResponse = z.infer<typeof OrganizationResponse>;

/** `CreateOrganizationRequestSchema` / `UpdateOrganizationRequestSchema` (SSO settings replaced in full). */
export interface OrganizationRequest {
  name: string;
  sso_domain?: string;
  sso_org_id?: string;
  issuer?: string;
  client_id?: string;
  client_secret?: string;
}

/** `Webhook`: an organization's event-notification endpoint. */
export const EventWebhookResponse = z.looseObject({
  id: z.string(),
  endpoint: z.string(),
  secret: optional(z.string()),
  disabled: optional(z.boolean()),
  organization_id: optional(z.string()),
  created_at: optional(z.string()),
});
export type EventWebhookResponse = z.infer<typeof EventWebhookResponse>;

/** `CreateWebhooksSchema` / `UpdateWebhooksSchema`. */
export interface EventWebhookRequest {
  endpoint: string;
  secret: string;
  organization_id?: string;
}

/** `GlobalErrorSubscribersResponse`: answered at the top level, without the `data` envelope. */
export const GlobalErrorSubscribers = z.looseObject({
  emails: z
    .array(z.string())
    .nullish()
    .transform((v) => v ?? []),
});
export type GlobalErrorSubscribers = z.infer<typeof GlobalErrorSubscribers>;

/** `SchemaField`: a field of a connection's schema, with the user's overrides applied. */
export const SchemaField = z.looseObject({
  id: z.string(),
  name: optional(z.string()),
  type: optional(z.string()),
  remote_type: optional(z.string()),
  path: optional(z.string()),
  is_primary_key: optional(z.boolean()),
  user_managed: optional(z.boolean()),
});
export type SchemaField = z.infer<typeof SchemaField>;

/** `Schema`: `GET /api/connections/{id}/schemas/{schema_id}`. */
export const ConnectionSchema = z.looseObject({
  id: z.string(),
  name: optional(z.string()),
  fields: z
    .array(SchemaField)
    .nullish()
    .transform((v) => v ?? []),
});
export type ConnectionSchema = z.infer<typeof ConnectionSchema>;

/** `UserFieldRequest`: a user-defined field, upserted by `field_id`. */
export interface UserFieldRequest {
  field_id: string;
  label: string;
  type: string;
  path?: string;
  example?: unknown;
}
