import { z } from "zod";
import {
  ApiKeyResponse,
  ConnectionSchema,
  type EventWebhookRequest,
  EventWebhookResponse,
  GlobalErrorSubscribers,
  type OrganizationRequest,
  OrganizationResponse,
  type PolicyRequest,
  PolicyResponse,
  type RoleRequest,
  RoleResponse,
  type UserFieldRequest,
  type UserRequest,
  UserResponse,
} from "../api";
import type { CrudCalls, RequestOptions } from "./client";
import type { HttpTransport } from "./transport";

const segment = (value: string) => encodeURIComponent(value);

/** What the calls below need of the client: its transport (read at call time) and its `crud` builder. */
interface ClientParts {
  readonly transport: HttpTransport;
  crud<Req, Res, UpdateReq = Req>(base: string, schema: z.ZodType<Res>): CrudCalls<Req, Res, UpdateReq>;
}

/**
 * The organization-administration calls: organizations (partner keys), users and their API keys, permission roles
 * and policies, the event webhook, global error subscribers, and the overrides of a connection schema's fields.
 * Which key each call needs is the providers' business (src/providers/credentials.ts), not the client's.
 */
export function organizationCalls(client: ClientParts) {
  const call: HttpTransport["call"] = (method, path, options) => client.transport.call(method, path, options);
  const schemaPath = (connectionId: string, schemaId: string) =>
    `/api/connections/${segment(connectionId)}/schemas/${segment(schemaId)}`;
  return {
    /** Organizations under the calling partner (partner or deployment key, sent as Bearer). */
    organizations: {
      ...client.crud<OrganizationRequest, OrganizationResponse>("/api/organizations", OrganizationResponse),
      list: () => call("GET", "/api/organizations", { schema: z.array(OrganizationResponse).nullish() }),
    },
    /** `GET /api/organization`: the organization the credential acts in. */
    currentOrganization: () => call("GET", "/api/organization", { schema: OrganizationResponse }),
    /** Users of the caller's organization (`/api/organization/users`; the update body has no email). */
    users: client.crud<UserRequest, UserResponse, Omit<UserRequest, "email">>(
      "/api/organization/users",
      UserResponse,
    ),
    /** Users of an organization of the calling partner (`/api/organizations/{org}/users`), and their API keys. */
    partnerUsers: (organizationId: string) => {
      const base = `/api/organizations/${segment(organizationId)}/users`;
      return {
        ...client.crud<UserRequest, UserResponse>(base, UserResponse),
        /** A new API key for the user, shown once; `force` revokes the user's existing key first. */
        createKey: (userId: string, options: RequestOptions & { force?: boolean } = {}) => {
          const { force, ...rest } = options;
          return call("POST", `${base}/${segment(userId)}/keys`, {
            query: { force: force === true ? true : undefined },
            schema: ApiKeyResponse,
            ...rest,
          });
        },
      };
    },
    /** Permission roles (built-in ones, `system: true`, cannot change). */
    roles: {
      ...client.crud<RoleRequest, RoleResponse>("/api/permissions/roles", RoleResponse),
      list: () => call("GET", "/api/permissions/roles", { schema: z.array(RoleResponse).nullish() }),
    },
    /** Permission policies: which roles may do which actions on the objects the policy is attached to. */
    policies: client.crud<PolicyRequest, PolicyResponse>("/api/permissions/policies", PolicyResponse),
    /** The organization's event webhook (one at most), and switching its deliveries off and on. */
    eventWebhooks: {
      ...client.crud<EventWebhookRequest, EventWebhookResponse>("/api/webhooks", EventWebhookResponse),
      list: () => call("GET", "/api/webhooks", { schema: z.array(EventWebhookResponse).nullish() }),
      enable: (id: string, options: RequestOptions = {}) =>
        call("POST", `/api/webhooks/${segment(id)}/enable`, { schema: EventWebhookResponse, ...options }),
      disable: (id: string, options: RequestOptions = {}) =>
        call("POST", `/api/webhooks/${segment(id)}/disable`, { schema: EventWebhookResponse, ...options }),
    },
    /** The organization's one list of error-notification emails (answered without the `data` envelope). */
    globalErrorSubscribers: {
      get: () =>
        call("GET", "/api/notifications/global-error-subscribers", {
          schema: GlobalErrorSubscribers,
          bare: true,
        }),
      /** A full replacement; an empty list unsubscribes everyone. */
      set: (emails: string[]) =>
        call("PUT", "/api/notifications/global-error-subscribers", {
          body: { emails },
          schema: GlobalErrorSubscribers,
          bare: true,
        }),
    },
    /** One schema of a connection, and the user's overrides of its fields. */
    schemas: {
      /** The schema's fields with the overrides applied (`is_primary_key`, `user_managed`). */
      get: (connectionId: string, schemaId: string) =>
        call("GET", schemaPath(connectionId, schemaId), { schema: ConnectionSchema }),
      /** A full replacement of the primary-key override (202); an empty list clears it. */
      setPrimaryKeys: (
        connectionId: string,
        schemaId: string,
        fields: { field_id: string; is_primary_key: boolean }[],
      ) => call("PUT", `${schemaPath(connectionId, schemaId)}/primary_keys`, { body: { fields } }),
      /** Back to the primary keys detected from the source (202). */
      resetPrimaryKeys: (connectionId: string, schemaId: string) =>
        call("DELETE", `${schemaPath(connectionId, schemaId)}/primary_keys`),
      /** Creates or updates user-defined fields, by `field_id` (202). */
      upsertFields: (
        connectionId: string,
        schemaId: string,
        fields: UserFieldRequest[],
        options: RequestOptions = {},
      ) => call("POST", `${schemaPath(connectionId, schemaId)}/fields`, { body: { fields }, ...options }),
      /** Deletes a user-defined field (202). */
      deleteField: (connectionId: string, schemaId: string, fieldId: string) =>
        call("DELETE", `${schemaPath(connectionId, schemaId)}/fields/${segment(fieldId)}`),
    },
  };
}
