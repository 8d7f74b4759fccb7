import type * as pulumi from "@pulumi/pulumi";
import type { z } from "zod";
import { PolytomicApiError, type PolytomicClient, type RequestOptions } from "../client";
import type { AnyKindFields } from "../resources/fields";
import { type CheckFailure, validateInputs } from "./check";
import { type CompareOptions, changedKeys } from "./compare";
import type { Access, Credential } from "./credentials";
import { explainApiError, isNotFound, ResourceInitError } from "./errors";
import { toPlain } from "./plain";
import { assertKeyOrganization, clientWith, credentialFor, type ProviderConfig } from "./settings";

/** The API calls of one kind of object. */
export interface ObjectApi<Req, Res> {
  create(body: Req, options: RequestOptions): Promise<Res>;
  get(id: string): Promise<Res>;
  update(id: string, body: Req, options: RequestOptions): Promise<Res>;
  delete(id: string): Promise<unknown>;
}

/**
 * What distinguishes one API object resource (Model, Sync) from another; everything here is pure except `api`.
 * Inputs are camelCase; `request` maps them to the API's body in one place.
 */
export interface ObjectSpec<
  I extends { name?: string; importId?: string },
  O extends { name?: string },
  Req,
  Res extends { id: string },
> {
  /** "model", "sync": used in messages. */
  readonly noun: string;
  /**
   * How messages name one object (with its id once it has one); default `<noun> "<name>" (<id>)`. A kind without
   * a name (a sync execution) says what it is instead.
   */
  readonly describe?: (values: Partial<I> | Partial<O> | undefined, id?: string) => string;
  readonly validator: z.ZodType;
  /** Rules across fields, beyond the validator; unknowns already tolerated by the rule. */
  readonly crossChecks?: (news: Record<string, unknown>) => CheckFailure[];
  request(inputs: I): Req;
  /** Secret values in the inputs, to keep out of error messages. */
  secrets(inputs: I): string[];
  /** Outputs after create/update: the desired state echoed, plus what Polytomic reports. */
  outputs(inputs: I, response: Res): O;
  /** Outputs after a read: what Polytomic holds, in input terms, keeping secrets and local settings. */
  readOutputs(previous: Partial<O> | undefined, response: Res): O;
  /** The inputs that match read outputs (for `ReadResult.inputs`). */
  inputsOf(outputs: O): I;
  /** The kind's field lists (declared beside its Args): `diff` compares the remote ones, replaces on `replace`. */
  readonly fields: AnyKindFields;
  /** Remote keys that a plain comparison cannot judge: compared by {@link extraChanges} alone. */
  readonly comparedSeparately?: readonly string[];
  readonly compare: CompareOptions;
  /** Brings inputs to the form outputs record (e.g. schedule times as strings) before comparing. */
  readonly normalize?: (inputs: I) => I;
  /** Extra changed keys a plain comparison cannot see (e.g. Model `fields`, input names vs output objects). */
  readonly extraChanges?: (olds: O, news: I) => string[];
  /** Which key the kind's calls need (src/providers/credentials.ts); default `organization`. */
  readonly access?: Access;
  /**
   * The organization a call acts in, from the inputs or the recorded outputs (and the id, for kinds whose id
   * names it); default their `organizationId`. Unset: `polytomic:organizationId`, or the API key's own.
   */
  readonly organizationOf?: (values: Partial<I> | Partial<O> | undefined, id?: string) => string | undefined;
  /** Advice for an API error of this kind (a duplicate name, a second webhook), added to its message. */
  readonly explain?: (error: PolytomicApiError) => string | undefined;
  /**
   * The API calls; `credential` says which key is used (users go to other endpoints with a partner key); `values`
   * are the inputs or recorded outputs the call is about (a user's API key is checked with its own value).
   */
  api(client: PolytomicClient, credential: Credential, values?: Partial<I> | Partial<O>): ObjectApi<Req, Res>;
  /**
   * Sends each create or update request (an adoption's too); by default once. `send` makes a new request, with a
   * new idempotency key, each time it is called. BulkSync retries it while the source's schema cache refreshes.
   * `action` (`creating bulk sync "x"`) is for messages.
   */
  sendWrite?<T>(inputs: I, send: () => Promise<T>, action: string): Promise<T>;
  /**
   * After a create or update was answered: what else to write and to read (BulkSync: the schema settings the
   * body cannot carry, the schemas and the status from their own endpoints); the result stands for the response.
   * A failure after a create keeps the object (see {@link ResourceInitError}).
   */
  afterWrite?(client: PolytomicClient, response: Res, inputs: I, olds?: O): Promise<Res>;
  /** After a read: completes the response (BulkSync: its schemas and status from their own endpoints). */
  afterRead?(client: PolytomicClient, response: Res, previous: Partial<O> | undefined): Promise<Res>;
}

/** The provider of one API object kind: check/diff offline, create (or adopt), read, update and delete. */
export class ObjectProvider<
  I extends { name?: string; importId?: string },
  O extends { name?: string },
  Req,
  Res extends { id: string },
> implements pulumi.dynamic.ResourceProvider<I, O>
{
  constructor(
    private readonly spec: ObjectSpec<I, O, Req, Res>,
    private readonly config?: ProviderConfig,
  ) {}

  /** The credential for the organization the values (inputs or outputs) name; see src/providers/credentials.ts. */
  private credential(values?: Partial<I> | Partial<O>, id?: string): Credential {
    const organizationId = this.spec.organizationOf
      ? this.spec.organizationOf(values, id)
      : (values as { organizationId?: unknown } | undefined)?.organizationId;
    return credentialFor(
      this.config,
      this.spec.access,
      typeof organizationId === "string" ? organizationId : undefined,
    );
  }

  private client(values?: Partial<I> | Partial<O>, id?: string): PolytomicClient {
    return clientWith(this.config, this.credential(values, id));
  }

  private api(values?: Partial<I> | Partial<O>, id?: string): ObjectApi<Req, Res> {
    const credential = this.credential(values, id);
    return this.spec.api(clientWith(this.config, credential), credential, values);
  }

  /** The program named an organization and an API key makes the call: it must be the key's (see settings.ts). */
  private async assertOrganization(inputs: Partial<I>): Promise<void> {
    const credential = this.credential(inputs);
    await assertKeyOrganization(clientWith(this.config, credential), credential);
  }

  /** The error as users need it: the key used named, with the kind's own advice. */
  private explained(error: unknown, action: string, values?: Partial<I> | Partial<O>, id?: string): unknown {
    let key: Credential["setting"] = "apiKey";
    try {
      key = this.credential(values, id).setting;
    } catch {
      // No usable key: the error is about that already.
    }
    const explained = explainApiError(error, action, key);
    const advice = error instanceof PolytomicApiError ? this.spec.explain?.(error) : undefined;
    if (advice === undefined || !(explained instanceof Error)) return explained;
    return new Error(`${explained.message} ${advice}`, { cause: error });
  }

  /** How messages name the object: `sync "x" (id)`, or the kind's own {@link ObjectSpec.describe}. */
  private describe(values: Partial<I> | Partial<O> | undefined, id?: string): string {
    if (this.spec.describe !== undefined) return this.spec.describe(values, id);
    return `${this.spec.noun} "${values?.name}"${id === undefined ? "" : ` (${id})`}`;
  }

  private send<T>(inputs: I, action: string, call: () => Promise<T>): Promise<T> {
    return this.spec.sendWrite === undefined ? call() : this.spec.sendWrite(inputs, call, action);
  }

  async check(_olds: I, news: I): Promise<pulumi.dynamic.CheckResult<I>> {
    const result = validateInputs(this.spec.validator, news);
    const failures = [
      ...(result.ok ? [] : result.failures),
      ...(this.spec.crossChecks?.(news as never) ?? []),
    ];
    return failures.length > 0 ? { inputs: news, failures } : { inputs: news };
  }

  async diff(_id: string, olds: O, news: I): Promise<pulumi.dynamic.DiffResult> {
    const desired = this.spec.normalize?.(news) ?? news;
    const { remote, replace } = this.spec.fields;
    const compared = remote.filter((k) => !this.spec.comparedSeparately?.includes(k));
    const changed = [
      ...changedKeys(olds as never, desired as never, compared, this.spec.compare),
      ...(this.spec.extraChanges?.(olds, news) ?? []),
    ];
    return {
      changes: changed.length > 0,
      replaces: changed.filter((k) => replace.includes(k)),
      deleteBeforeReplace: false,
    };
  }

  async create(inputs: I): Promise<{ id: string; outs: O }> {
    const body = this.spec.request(inputs);
    const options = { secrets: this.spec.secrets(inputs) };
    const action = `creating ${this.describe(inputs)}`;
    let response: Res;
    try {
      await this.assertOrganization(inputs);
      response =
        inputs.importId === undefined
          ? await this.send(inputs, action, () => this.api(inputs).create(body, options))
          : await this.adopt(inputs, body, options, action);
    } catch (error) {
      throw this.explained(error, action, inputs);
    }
    return {
      id: response.id,
      outs: toPlain(this.spec.outputs(inputs, await this.completeCreate(response, inputs))),
    };
  }

  /** `importId`: take over an existing object (GET to prove it exists, then PUT the desired state). */
  private async adopt(inputs: I, body: Req, options: RequestOptions, action: string): Promise<Res> {
    const id = inputs.importId as string;
    await this.api(inputs, id).get(id);
    return this.send(inputs, action, () => this.api(inputs, id).update(id, body, options));
  }

  /** Runs `afterWrite` for a new object; on failure the object is kept (`ResourceInitError`), never orphaned. */
  private async completeCreate(response: Res, inputs: I): Promise<Res> {
    if (this.spec.afterWrite === undefined) return response;
    try {
      return await this.spec.afterWrite(this.client(inputs), response, inputs);
    } catch (error) {
      // A kind that already says what was kept (a run that failed) is passed on as it is.
      if (error instanceof ResourceInitError) throw error;
      const explained = explainApiError(error, `completing ${this.describe(inputs, response.id)}`);
      const properties = toPlain(this.spec.outputs(inputs, response)) as unknown as Record<string, unknown>;
      throw new ResourceInitError(response.id, properties, [
        explained instanceof Error ? explained.message : String(explained),
      ]);
    }
  }

  async read(id: string, props?: O): Promise<pulumi.dynamic.ReadResult<O>> {
    try {
      let response = await this.api(props, id).get(id);
      if (this.spec.afterRead !== undefined) {
        response = await this.spec.afterRead(this.client(props, id), response, props);
      }
      const outs = toPlain(this.spec.readOutputs(props, response));
      return { id: response.id, props: outs, inputs: toPlain(this.spec.inputsOf(outs)) as unknown as O };
    } catch (error) {
      if (isNotFound(error)) return {};
      throw this.explained(error, `reading ${this.spec.noun} ${id}`, props, id);
    }
  }

  async update(id: string, olds: O, news: I): Promise<{ outs: O }> {
    const action = `updating ${this.describe(news, id)}`;
    try {
      const body = this.spec.request(news);
      const options = { secrets: this.spec.secrets(news) };
      await this.assertOrganization(news);
      let response = await this.send(news, action, () => this.api(news, id).update(id, body, options));
      if (this.spec.afterWrite !== undefined) {
        response = await this.spec.afterWrite(this.client(news, id), response, news, olds);
      }
      return { outs: toPlain(this.spec.outputs(news, response)) };
    } catch (error) {
      throw this.explained(error, action, news, id);
    }
  }

  async delete(id: string, props: O): Promise<void> {
    try {
      await this.api(props, id).delete(id);
    } catch (error) {
      if (isNotFound(error)) return;
      throw this.explained(error, `deleting ${this.describe(props, id)}`, props, id);
    }
  }
}
