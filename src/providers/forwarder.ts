import type * as pulumi from "@pulumi/pulumi";

/** The stack config this forwarder saw in `configure()`. Set only inside the provider process. */
interface ForwardedConfig {
  apiKey?: string;
  deploymentUrl?: string;
  partnerKey?: string;
  deploymentKey?: string;
  organizationId?: string;
}

/**
 * The object Pulumi serializes into every resource's `__provider`.
 *
 * It is deliberately tiny and holds one string, the resource kind: each method loads the implementation from
 * the installed package (`pulumi-polytomic/provider`) at call time. So the stored text stays small (no client,
 * no schemas), holds no credential, and stays the same across package versions, which means `delete` and
 * `refresh`, which run the text stored in state, run the installed code rather than the code of the day the
 * resource was last updated.
 *
 * Constraints of closure serialization apply: no private fields, no initialisers, no captured modules.
 */
export class PolytomicForwarder implements pulumi.dynamic.ResourceProvider {
  /** The resource class this forwarder serves: `Connection`, `GcsConnection`, `Model`, `Sync`, ... */
  readonly kind: string;
  /** Filled by `configure()` in the provider process; never serialized (it is unset in the program). */
  declare config: ForwardedConfig | undefined;

  constructor(kind: string) {
    this.kind = kind;
  }

  /** Keeps the `polytomic:` keys, organization and URL; never throws (checked on every call instead). */
  configure(req: pulumi.dynamic.ConfigureRequest): Promise<void> {
    const config: Record<string, string | undefined> = {};
    for (const name of ["apiKey", "partnerKey", "deploymentKey", "organizationId", "deploymentUrl"]) {
      config[name] = req.config.get(`polytomic:${name}`);
    }
    this.config = config;
    return Promise.resolve();
  }

  check(olds: any, news: any) {
    return this.target().check(olds, news);
  }

  diff(id: string, olds: any, news: any) {
    return this.target().diff(id, olds, news);
  }

  create(inputs: any) {
    return this.target().create(inputs);
  }

  read(id: string, props?: any) {
    return this.target().read(id, props);
  }

  update(id: string, olds: any, news: any) {
    return this.target().update(id, olds, news);
  }

  delete(id: string, props: any) {
    return this.target().delete(id, props);
  }

  /** The implementation for this kind, from the package installed beside the Pulumi program. */
  target(): Required<Omit<pulumi.dynamic.ResourceProvider, "configure">> {
    return require("pulumi-polytomic/provider").providerFor(this.kind, this.config);
  }
}
