/**
 * The emulator's organizations and who may act in them: organizations, their users and roles, permission policies,
 * event webhooks, global error subscribers, schema overrides, and the keys (API keys of users, partner keys,
 * deployment keys). Everything here is plain JSON (persisted beside the rest of the state) except the keys given
 * in the emulator's options, which live in memory only; keys are stored as SHA-256 hashes, never as themselves.
 *
 * Multi-tenancy: a request is made by a {@link Caller}; a caller acting inside an organization sees the state
 * through {@link scopedState}, a view that shows only that organization's objects (anything with another
 * `organization_id` reads as absent, so it is 404 and can never be changed) and refuses to store an object into
 * another organization (403).
 */
import { createHash } from "node:crypto";
import { SYSTEM_ROLE_NAMES } from "../api/organization-enums";
import { ApiError, notFound } from "./http";
import { ORGANIZATION_ID, ORGANIZATION_NAME, USER_EMAIL, USER_ID } from "./identity";

/** The one partner of the emulator: its keys manage the default organization (its owner) and its children. */
export const PARTNER_ID = "0f5e2a9c-7b41-4d6e-8c3a-5b2d1e9f7a60";
export const PARTNER_EMAIL = "partner@example.com";

export interface StoredOrganization {
  id: string;
  name: string;
  sso_domain: string | null;
  sso_org_id: string | null;
  issuer: string | null;
  /** Write-only: never answered. */
  client_id: string | null;
  /** Write-only: never answered. */
  client_secret: string | null;
  /** The partner that manages it (`null`: none). */
  partner_id: string | null;
  /** The partner's own organization: it cannot be deleted. */
  owner: boolean;
  created_at: string;
  updated_at: string;
}

export interface StoredUser {
  id: string;
  /** Lower-cased, as Polytomic normalizes it. */
  email: string;
  organization_id: string;
  role_ids: string[];
  created_at: string;
  updated_at: string;
}

/** An API key made through `POST /api/organizations/{org}/users/{id}/keys`, stored as its hash. */
export interface StoredApiKey {
  /** The key's identity in the request log. */
  id: string;
  hash: string;
  organization_id: string;
  user_id: string;
  created_at: string;
}

export interface StoredRole {
  id: string;
  name: string;
  organization_id: string;
  system: boolean;
  created_at: string;
  updated_at: string;
}

export interface StoredPolicy {
  id: string;
  name: string;
  organization_id: string;
  policy_actions: { action: string; role_ids: string[] }[];
  system: boolean;
  created_at: string;
  updated_at: string;
}

export interface StoredEventWebhook {
  id: string;
  endpoint: string;
  /** Stored unmasked; answered as `********`. */
  secret: string;
  disabled: boolean;
  organization_id: string;
  created_at: string;
  updated_at: string;
}

/** An organization's global error subscribers, keyed by the organization's id. */
export interface StoredErrorSubscribers {
  organization_id: string;
  emails: string[];
}

export interface StoredUserField {
  field_id: string;
  label: string;
  type: string;
  path: string | null;
  example: unknown;
}

/** The overrides of one schema of a connection, keyed `<connection id>/<schema id>`. */
export interface StoredSchemaOverride {
  connection_id: string;
  schema_id: string;
  organization_id: string;
  /** `null`: none (the primary keys detected from the source apply). */
  primary_keys: { field_id: string; is_primary_key: boolean }[] | null;
  fields: StoredUserField[];
}

/** Who a key belongs to. */
export interface KeyIdentity {
  /** The key's identity in the request log (`api-key-1`, `partner-key-1`, a created key's id). */
  readonly keyId: string;
  readonly kind: "user" | "partner" | "deployment";
  /** User keys: the user's organization. */
  readonly organizationId?: string;
  readonly userId?: string;
  readonly partnerId?: string;
}

/** An organization set up by the emulator's options, with API keys of its administrator. */
export interface SeededOrganization {
  /** Default: derived from the name. */
  id?: string;
  name: string;
  /** Bearer keys of the organization's administrator (a user with the Admin role). */
  apiKeys?: string[];
}

/** What the emulator's options set up (see `EmulatorOptions`). */
export interface TenancySetup {
  apiKeys: readonly string[];
  partnerKeys: readonly string[];
  deploymentKeys: readonly string[];
  organizations: readonly SeededOrganization[];
}

/** The SHA-256 of a key: what is stored and compared instead of the key. */
export function hashKey(key: string): string {
  return createHash("sha256").update(key).digest("hex");
}

/** A UUID derived from its parts: the same organization always gets the same built-in roles. */
export function stableId(...parts: string[]): string {
  const h = createHash("sha256").update(parts.join("\n")).digest("hex");
  const variant = ((Number.parseInt(h[16] as string, 16) & 3) | 8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

const SEED_TIME = "2026-01-01T00:00:00.000Z";

/** The organizations, users, roles, policies, notifications, schema overrides and keys of the emulator. */
export class AdminState {
  readonly organizations = new Map<string, StoredOrganization>();
  readonly users = new Map<string, StoredUser>();
  /** Keys created through the API, by hash. */
  readonly apiKeys = new Map<string, StoredApiKey>();
  readonly roles = new Map<string, StoredRole>();
  readonly policies = new Map<string, StoredPolicy>();
  readonly eventWebhooks = new Map<string, StoredEventWebhook>();
  /** By organization id. */
  readonly errorSubscribers = new Map<string, StoredErrorSubscribers>();
  /** By `<connection id>/<schema id>`. */
  readonly schemaOverrides = new Map<string, StoredSchemaOverride>();
  /** The keys of the emulator's options, by hash: in memory only, never persisted nor cleared. */
  private readonly configuredKeys = new Map<string, KeyIdentity>();
  private setup: TenancySetup = { apiKeys: [], partnerKeys: [], deploymentKeys: [], organizations: [] };

  constructor() {
    this.seed();
  }

  /** Registers the options' keys and organizations (and seeds the organizations). */
  configure(setup: TenancySetup): void {
    this.setup = setup;
    this.configuredKeys.clear();
    const add = (keys: readonly string[], identity: (i: number) => KeyIdentity) => {
      keys.forEach((key, i) => {
        this.configuredKeys.set(hashKey(key), identity(i));
      });
    };
    add(setup.apiKeys, (i) => ({
      keyId: `api-key-${i + 1}`,
      kind: "user",
      organizationId: ORGANIZATION_ID,
      userId: USER_ID,
    }));
    add(setup.partnerKeys, (i) => ({
      keyId: `partner-key-${i + 1}`,
      kind: "partner",
      partnerId: PARTNER_ID,
    }));
    add(setup.deploymentKeys, (i) => ({ keyId: `deployment-key-${i + 1}`, kind: "deployment" }));
    for (const org of setup.organizations) {
      const id = seededOrganizationId(org);
      add(org.apiKeys ?? [], (i) => ({
        keyId: `${id.slice(0, 8)}-key-${i + 1}`,
        kind: "user",
        organizationId: id,
        userId: stableId(id, "administrator"),
      }));
    }
    this.seed();
  }

  /** Who a key belongs to, if anyone: a configured key, or one created through the API. */
  identify(key: string): KeyIdentity | undefined {
    const hash = hashKey(key);
    const configured = this.configuredKeys.get(hash);
    if (configured !== undefined) return configured;
    const created = this.apiKeys.get(hash);
    if (created === undefined) return undefined;
    return {
      keyId: created.id,
      kind: "user",
      organizationId: created.organization_id,
      userId: created.user_id,
    };
  }

  /** Empties every collection, then puts back what the options set up (organizations, built-in roles). */
  clear(): void {
    for (const map of this.collections()) map.clear();
    this.seed();
  }

  /** The persisted form (configured keys are not part of it). */
  snapshot(): Record<string, unknown[]> {
    return Object.fromEntries(
      Object.entries(this.named()).map(([name, map]) => [name, [...(map as Map<string, unknown>).values()]]),
    );
  }

  /** Loads a {@link snapshot} over the seeded state. */
  load(snapshot: Record<string, unknown> | undefined): void {
    if (snapshot === undefined) return;
    const keyOf: Record<string, (v: any) => string> = {
      apiKeys: (v) => v.hash,
      errorSubscribers: (v) => v.organization_id,
      schemaOverrides: (v) => `${v.connection_id}/${v.schema_id}`,
    };
    for (const [name, map] of Object.entries(this.named())) {
      const rows = snapshot[name];
      if (!Array.isArray(rows)) continue;
      for (const row of rows) (map as Map<string, unknown>).set((keyOf[name] ?? ((v) => v.id))(row), row);
    }
  }

  /** Creates an organization's built-in roles (Admin, Member) if missing. */
  seedRoles(organizationId: string): void {
    for (const name of SYSTEM_ROLE_NAMES) {
      const id = systemRoleId(organizationId, name);
      if (this.roles.has(id)) continue;
      this.roles.set(id, {
        id,
        name,
        organization_id: organizationId,
        system: true,
        created_at: SEED_TIME,
        updated_at: SEED_TIME,
      });
    }
  }

  private seed(): void {
    this.seedOrganization(ORGANIZATION_ID, ORGANIZATION_NAME, true);
    this.seedUser(USER_ID, USER_EMAIL, ORGANIZATION_ID);
    for (const org of this.setup.organizations) {
      const id = seededOrganizationId(org);
      this.seedOrganization(id, org.name, false);
      if ((org.apiKeys ?? []).length > 0) {
        this.seedUser(stableId(id, "administrator"), `admin+${id.slice(0, 8)}@example.com`, id);
      }
    }
  }

  private seedOrganization(id: string, name: string, owner: boolean): void {
    if (!this.organizations.has(id)) {
      this.organizations.set(id, {
        id,
        name,
        sso_domain: null,
        sso_org_id: null,
        issuer: null,
        client_id: null,
        client_secret: null,
        partner_id: PARTNER_ID,
        owner,
        created_at: SEED_TIME,
        updated_at: SEED_TIME,
      });
    }
    this.seedRoles(id);
  }

  private seedUser(id: string, email: string, organizationId: string): void {
    if (this.users.has(id)) return;
    this.users.set(id, {
      id,
      email,
      organization_id: organizationId,
      role_ids: [systemRoleId(organizationId, "Admin")],
      created_at: SEED_TIME,
      updated_at: SEED_TIME,
    });
  }

  private named() {
    return {
      organizations: this.organizations,
      users: this.users,
      apiKeys: this.apiKeys,
      roles: this.roles,
      policies: this.policies,
      eventWebhooks: this.eventWebhooks,
      errorSubscribers: this.errorSubscribers,
      schemaOverrides: this.schemaOverrides,
    };
  }

  private collections(): Map<string, unknown>[] {
    return Object.values(this.named()) as Map<string, unknown>[];
  }
}

/** The id of a seeded organization: the one given, or one derived from its name. */
export function seededOrganizationId(org: SeededOrganization): string {
  return org.id ?? stableId("organization", org.name);
}

/** The id of an organization's built-in role. */
export function systemRoleId(organizationId: string, name: string): string {
  return stableId(organizationId, "role", name);
}

// ---- Callers -------------------------------------------------------------------------------------------------

/** Who makes a request, from its credential. */
export interface Caller {
  /** The key's identity (never the key). */
  readonly keyId: string;
  readonly kind: KeyIdentity["kind"];
  /**
   * The organization the request acts in: the user key's own; the one a partner or deployment key names as HTTP
   * Basic user name; for such a key sent as Bearer, the partner's owner organization (the default one).
   */
  readonly organizationId: string;
  /** Whether the credential acts inside {@link organizationId} (user keys and Basic credentials). */
  readonly scoped: boolean;
  readonly userId?: string;
  readonly partnerId?: string;
}

/** The caller every request had before organizations existed: the default organization's user. */
export const DEFAULT_CALLER: Caller = {
  keyId: "api-key-1",
  kind: "user",
  organizationId: ORGANIZATION_ID,
  scoped: true,
  userId: USER_ID,
};

/** The request's caller (the default organization's user when none was set, e.g. a handler called directly). */
export function callerFrom(ctx: { caller?: Caller }): Caller {
  return ctx.caller ?? DEFAULT_CALLER;
}

/** The caller a request's `Authorization` header names, or the error to answer (401, or 403 for a foreign org). */
export function callerOf(admin: AdminState, authorization: string | undefined): Caller | ApiError {
  const header = (authorization ?? "").trim();
  const bearer = /^Bearer\s+(.+)$/i.exec(header);
  if (bearer !== null) {
    const identity = admin.identify((bearer[1] as string).trim());
    if (identity === undefined) return unauthorized();
    if (identity.kind === "user") {
      const organizationId = identity.organizationId as string;
      if (!admin.organizations.has(organizationId)) return unauthorized();
      return {
        keyId: identity.keyId,
        kind: "user",
        organizationId,
        scoped: true,
        ...(identity.userId === undefined ? {} : { userId: identity.userId }),
      };
    }
    return {
      keyId: identity.keyId,
      kind: identity.kind,
      organizationId: ORGANIZATION_ID,
      scoped: false,
      ...(identity.partnerId === undefined ? {} : { partnerId: identity.partnerId }),
    };
  }
  const basic = /^Basic\s+(.+)$/i.exec(header);
  if (basic === null) return unauthorized();
  const decoded = Buffer.from((basic[1] as string).trim(), "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 0) return unauthorized();
  const organizationId = decoded.slice(0, colon).trim();
  const identity = admin.identify(decoded.slice(colon + 1).trim());
  // Only partner and deployment keys act in an organization named as the Basic user name.
  if (identity === undefined || identity.kind === "user") return unauthorized();
  const caller: Caller = {
    keyId: identity.keyId,
    kind: identity.kind,
    organizationId,
    scoped: true,
    ...(identity.partnerId === undefined ? {} : { partnerId: identity.partnerId }),
  };
  const organization = admin.organizations.get(organizationId);
  if (organization === undefined || !manages(caller, organization)) {
    return new ApiError(403, "forbidden", `this key cannot act in organization ${organizationId}`);
  }
  return caller;
}

function unauthorized(): ApiError {
  return new ApiError(401, "unauthorized", "missing or invalid API key");
}

/** Whether a partner or deployment caller manages an organization (a deployment key manages every one). */
export function manages(caller: Caller, organization: StoredOrganization): boolean {
  if (caller.kind === "deployment") return true;
  return caller.kind === "partner" && organization.partner_id === caller.partnerId;
}

/**
 * Who may call a route: `organization` (the default): a caller acting inside an organization; `partner`: partner
 * and deployment keys (organizations and their users); `any`: every authenticated caller (`/api/me`, connection
 * types).
 */
export type RouteAccess = "organization" | "partner" | "any";

/** Why the caller may not call a route of that access, or `undefined` when it may. */
export function refusal(caller: Caller, access: RouteAccess): ApiError | undefined {
  if (access === "any") return undefined;
  if (access === "partner") {
    return caller.kind === "user"
      ? new ApiError(403, "forbidden", "this endpoint requires a partner key")
      : undefined;
  }
  return caller.scoped
    ? undefined
    : new ApiError(
        403,
        "forbidden",
        "a partner or deployment key acts inside an organization only when sent as HTTP Basic credentials " +
          "with the organization id as the user name",
      );
}

// ---- The organization's view of the state ------------------------------------------------------------------------

const hasOrganization = (value: unknown): value is { organization_id: unknown } =>
  value !== null && typeof value === "object" && "organization_id" in value;

/** A Map that shows only the values of one organization (values without `organization_id` are shared). */
class OrganizationMap<V> extends Map<string, V> {
  constructor(
    private readonly raw: Map<string, V>,
    private readonly organizationId: string,
  ) {
    super();
  }

  private visible(value: V | undefined): value is V {
    return value !== undefined && (!hasOrganization(value) || value.organization_id === this.organizationId);
  }

  override get(key: string): V | undefined {
    const value = this.raw.get(key);
    return this.visible(value) ? value : undefined;
  }

  override has(key: string): boolean {
    return this.get(key) !== undefined;
  }

  override set(key: string, value: V): this {
    if (this.raw.has(key) && !this.has(key)) throw notFound("object", key);
    if (!this.visible(value)) {
      throw new ApiError(
        403,
        "forbidden",
        `organization_id ${String((value as { organization_id: unknown }).organization_id)}: this key acts only ` +
          `in organization ${this.organizationId}`,
      );
    }
    this.raw.set(key, value);
    return this;
  }

  override delete(key: string): boolean {
    return this.has(key) && this.raw.delete(key);
  }

  override clear(): void {
    for (const key of [...this.keys()]) this.raw.delete(key);
  }

  override get size(): number {
    return [...this.keys()].length;
  }

  override *entries(): MapIterator<[string, V]> {
    for (const [key, value] of this.raw) if (this.visible(value)) yield [key, value];
  }

  override *keys(): MapIterator<string> {
    for (const [key] of this.entries()) yield key;
  }

  override *values(): MapIterator<V> {
    for (const [, value] of this.entries()) yield value;
  }

  override [Symbol.iterator](): MapIterator<[string, V]> {
    return this.entries();
  }

  override forEach(callback: (value: V, key: string, map: Map<string, V>) => void, thisArg?: unknown): void {
    for (const [key, value] of this.entries()) callback.call(thisArg, value, key, this);
  }
}

/**
 * The state as one organization sees it: every Map of the state (and of its `admin` part) shows only that
 * organization's objects and refuses to store one into another organization. Route handlers of organization-scoped
 * routes get this view, so no handler can read or change another organization's objects, whichever route family
 * it belongs to.
 */
export function scopedState<S extends object>(state: S, organizationId: string): S {
  const views = new Map<PropertyKey, unknown>();
  return new Proxy(state, {
    get(target, property, receiver) {
      if (views.has(property)) return views.get(property);
      const value = Reflect.get(target, property, receiver);
      let view: unknown;
      if (value instanceof Map) view = new OrganizationMap(value, organizationId);
      else if (value instanceof AdminState) view = scopedState(value, organizationId);
      else if (typeof value === "function") view = value.bind(target);
      else return value;
      views.set(property, view);
      return view;
    },
  });
}
