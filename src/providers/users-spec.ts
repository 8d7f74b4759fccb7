import { z } from "zod";
import type { UserRequest, UserResponse } from "../api";
import { PolytomicApiError, PolytomicClient } from "../client";
import { USER_API_KEY_FIELDS, USER_FIELDS } from "../resources/users";
import type { ObjectApi, ObjectSpec } from "./object-provider";
import { compact } from "./plain";

const ID = z.string().min(1, "must not be empty");
/** A kind without a display name (messages name it through `describe`). */
type Unnamed<T> = T & { name?: string };

// ---- User ----

/** The User inputs after `check`. */
export interface UserInputs {
  email: string;
  roleIds?: string[];
  organizationId?: string;
  importId?: string;
  __provider?: string;
}
/** The User outputs: the inputs (email in lower case, as Polytomic stores it) and the deprecated role name. */
export interface UserOutputs extends UserInputs {
  role?: string;
}

const UserValidator = z
  .object({
    email: z.string().regex(/^[^\s@]+@[^\s@]+$/, "must be an email address"),
    roleIds: z.array(ID).min(1).optional(),
    organizationId: ID.optional(),
    importId: ID.optional(),
    __provider: z.string().optional(),
  })
  .strict();

const lower = (email: unknown) => (typeof email === "string" ? email.trim().toLowerCase() : email);

/** The User resource's spec: the current organization's endpoints with an API key, the partner's otherwise. */
export const USER_SPEC: ObjectSpec<Unnamed<UserInputs>, Unnamed<UserOutputs>, UserRequest, UserResponse> = {
  noun: "user",
  validator: UserValidator,
  describe: (values, id) => `user "${String(values?.email ?? "")}"${id === undefined ? "" : ` (${id})`}`,
  access: "users",
  request: (inputs) =>
    compact({ email: lower(inputs.email) as string, role_ids: inputs.roleIds }) as UserRequest,
  secrets: () => [],
  outputs: (inputs, response) =>
    compact({ ...inputs, email: lower(inputs.email), role: response.role }) as UserOutputs,
  readOutputs: (previous, response) =>
    compact({
      email: response.email.toLowerCase(),
      roleIds: response.role_ids?.length ? response.role_ids : undefined,
      organizationId: response.organization_id,
      role: response.role,
      importId: previous?.importId,
      __provider: previous?.__provider,
    }) as UserOutputs,
  inputsOf: ({ role, ...inputs }) => inputs,
  normalize: (inputs) => ({ ...inputs, email: lower(inputs.email) as string }),
  fields: USER_FIELDS,
  compare: { unordered: ["roleIds"], computedWhenAbsent: ["organizationId", "roleIds"] },
  explain: (error) =>
    error.status === 422 && /already exists/i.test(error.message)
      ? "The organization has a user with this email already: adopt it with `importId: <the user's id>`."
      : undefined,
  api(client, credential): ObjectApi<UserRequest, UserResponse> {
    if (credential.endpoints === "partner")
      return client.admin.partnerUsers(credential.organizationId as string);
    const users = client.admin.users;
    return {
      ...users,
      // The current organization's update changes only the roles: its body has no email.
      update: (id, body, options) => users.update(id, compact({ role_ids: body.role_ids }), options),
    };
  },
};

// ---- UserApiKey ----

/** The UserApiKey inputs after `check`. */
export interface UserApiKeyInputs {
  userId: string;
  organizationId?: string;
  force?: boolean;
  __provider?: string;
}
/** The UserApiKey outputs: the inputs and the key, kept from create. */
export interface UserApiKeyOutputs extends UserApiKeyInputs {
  value?: string;
}

/** What the provider sends (a user and `force`) and what it keeps (the user, and the key once created). */
interface KeyRequest {
  userId: string;
  force?: boolean;
}
interface KeyResponse {
  id: string;
  value?: string;
}

const UserApiKeyValidator = z
  .object({
    userId: ID,
    organizationId: ID.optional(),
    force: z.boolean().optional(),
    __provider: z.string().optional(),
  })
  .strict();

/** A key's id, `<organization>/<user>`: a read of the bare id (`get`) knows the organization to ask in. */
const keyId = (organizationId: string, userId: string) => `${organizationId}/${userId}`;
const parseKeyId = (id: string | undefined) => {
  const slash = (id ?? "").indexOf("/");
  return slash < 0
    ? { userId: id ?? "" }
    : { organizationId: (id as string).slice(0, slash), userId: (id as string).slice(slash + 1) };
};

/**
 * The UserApiKey resource's spec. Its id is `<organization>/<user>`. Create asks for a new key (shown once, kept from then
 * on). A read finds the user, then asks `GET /api/me` with the key itself: a key revoked or replaced outside
 * Pulumi answers 401, and the resource reads as gone. Polytomic has no call to revoke a key: delete, when the key
 * still works, replaces it with a new one (`force`) that is discarded at once, so the old one stops working; a key
 * already revoked or replaced is left alone (so is the key that replaced it).
 */
export const USER_API_KEY_SPEC: ObjectSpec<
  Unnamed<UserApiKeyInputs>,
  Unnamed<UserApiKeyOutputs>,
  KeyRequest,
  KeyResponse
> = {
  noun: "user API key",
  validator: UserApiKeyValidator,
  describe: (values, id) => `the API key of user ${String(values?.userId ?? id ?? "")}`,
  access: "partnerUsers",
  organizationOf: (values, id) => values?.organizationId ?? parseKeyId(id).organizationId,
  request: (inputs) => compact({ userId: inputs.userId, force: inputs.force }) as KeyRequest,
  secrets: () => [],
  outputs: (inputs, response) => compact({ ...inputs, value: response.value }) as UserApiKeyOutputs,
  readOutputs: (previous, response) =>
    compact({
      userId: parseKeyId(response.id).userId,
      organizationId: previous?.organizationId ?? parseKeyId(response.id).organizationId,
      force: previous?.force,
      value: previous?.value,
      __provider: previous?.__provider,
    }) as UserApiKeyOutputs,
  inputsOf: ({ value, ...inputs }) => inputs,
  fields: USER_API_KEY_FIELDS,
  compare: { computedWhenAbsent: ["organizationId"] },
  explain: (error) =>
    error.key === "api_key_exists" || error.status === 409
      ? "The user has an API key already: set `force: true` to revoke it and create a new one."
      : undefined,
  api(client, credential, values) {
    const organizationId = credential.organizationId as string;
    const users = client.admin.partnerUsers(organizationId);
    const value = (values as Partial<UserApiKeyOutputs> | undefined)?.value;
    /** Whether the key still works: `GET /api/me` with the key itself (never sent anywhere else). */
    const works = async (key: string) => {
      const asKey = new PolytomicClient({
        apiKey: key,
        deploymentUrl: client.transport.baseUrl,
        retry: { maxAttempts: 1 },
      });
      try {
        await asKey.me();
        return true;
      } catch (error) {
        if (error instanceof PolytomicApiError && error.status === 401) return false;
        throw error;
      }
    };
    const read = async (id: string): Promise<KeyResponse> => {
      const user = await users.get(parseKeyId(id).userId);
      if (value !== undefined && !(await works(value))) {
        throw new PolytomicApiError({
          status: 404,
          request: { method: "GET", path: "/api/me", attempts: 1 },
          body: { key: "not_found", message: "the key no longer works (revoked or replaced)" },
        });
      }
      return { id: keyId(organizationId, user.id) };
    };
    return {
      create: async (body, options) => {
        const key = await users.createKey(body.userId, { ...options, force: body.force === true });
        return { id: keyId(organizationId, body.userId), value: key.value };
      },
      get: read,
      // Every argument replaces the key: there is nothing to update in place.
      update: (id) => read(id),
      delete: async (id) => {
        const { userId } = parseKeyId(id);
        await users.get(userId);
        if (value === undefined || !(await works(value))) return;
        await users.createKey(userId, { force: true });
      },
    };
  },
};
