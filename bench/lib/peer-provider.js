// The peer of P6 and P8: the dynamic provider a user would write by hand instead of installing this package, as
// Pulumi's documentation shows it (an object with `create` returning `{ id, outs }`, `read` returning
// `{ id, props }`, credentials read in `configure`, the request made with the global `fetch`). It creates webhook
// connections with the same body the package sends and nothing more: no validation, no retries, no idempotency key,
// no error redaction, no schema wait. Node's `fetch` uses its own bundled undici with the default global
// dispatcher (no limit on connections per origin).
//
// It is serialized into `__provider` exactly as `dynamic.Resource` does it
// (`serializeFunction(() => provider, { allowSecrets: true })`), so the provider server loads it the way Pulumi
// does. The object holds no credential: `configure` fills it in inside the provider process.
const { ROOT } = require("./provider-server");

const pulumi = require(require.resolve("@pulumi/pulumi", { paths: [ROOT] }));

const peerProvider = {
  async configure(req) {
    this.apiKey = req.config.get("polytomic:apiKey");
    this.url = req.config.get("polytomic:deploymentUrl");
  },

  async create(inputs) {
    const res = await fetch(`${this.url}/api/connections`, {
      method: "POST",
      headers: { authorization: `Bearer ${this.apiKey}`, "content-type": "application/json" },
      body: JSON.stringify({
        name: inputs.name,
        type: "webhook",
        configuration: { url: inputs.configuration.url, auth_method: "polytomic_secret" },
      }),
    });
    if (!res.ok) throw new Error(`creating connection "${inputs.name}": HTTP ${res.status}`);
    const { data } = await res.json();
    return {
      id: data.id,
      outs: { name: data.name, configuration: inputs.configuration, type: "webhook", status: data.status },
    };
  },

  async read(id, props) {
    const res = await fetch(`${this.url}/api/connections/${id}`, {
      headers: { authorization: `Bearer ${this.apiKey}` },
    });
    if (res.status === 404) return {};
    if (!res.ok) throw new Error(`reading connection ${id}: HTTP ${res.status}`);
    const { data } = await res.json();
    return {
      id: data.id,
      props: {
        ...props,
        name: data.name,
        configuration: { url: data.configuration.url },
        status: data.status,
      },
    };
  },
};

/** The peer's `__provider` text, serialized as `dynamic.Resource` serializes a provider. */
async function serializedPeer() {
  const { text } = await pulumi.runtime.serializeFunction(() => peerProvider, { allowSecrets: true });
  return text;
}

module.exports = { peerProvider, serializedPeer };
