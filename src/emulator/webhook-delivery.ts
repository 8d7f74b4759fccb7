/**
 * How the emulator delivers a model sync's records to a webhook connection, the way Polytomic documents it
 * (reference part 2 §13): one `POST` per batch, body `{"event": "sync.records", "object": {id, name, records}}`,
 * headers `Content-Type`, `Polytomic-Signature-Timestamp`, `User-Agent`, the connection's `headers` and its
 * authorisation (`Authorization: Bearer <secret>` for `polytomic_secret`; basic, header, query or an OAuth
 * client-credentials token otherwise).
 *
 * Safety: only loopback URLs (127.0.0.0/8, ::1, localhost) are delivered to, unless the emulator was started with
 * `--allow-remote-delivery`; redirects are never followed.
 */
import * as http from "node:http";
import * as https from "node:https";
import { isIP } from "node:net";
import { gunzipSync } from "node:zlib";
import { isPlainObject, MASK } from "../wire";

/** The CLI flag (and, in words, the `startEmulator` option) that lifts the loopback rule. */
export const REMOTE_DELIVERY_FLAG = "--allow-remote-delivery";

/** The `User-Agent` of every delivery. Polytomic's documented example: `Polytomic/rel2021.05.25`. */
export const DELIVERY_USER_AGENT = "Polytomic/emulator";

/** Longest response body kept in a recorded request. */
const MAX_RECORDED_BODY = 64 * 1024;

/** How deliveries behave: the emulator's options. */
export interface DeliverySettings {
  /** Deliver to any host, not only loopback ones. */
  readonly allowRemoteDelivery: boolean;
  /** How long one request may take, answer included. */
  readonly timeoutMs: number;
}

/** Why a delivery failed, in a sentence the run's `errors` can carry. */
export class DeliveryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DeliveryError";
  }
}

/** Whether a host name is a loopback address: `localhost`, `127.0.0.0/8` or `::1` (as written, not resolved). */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, "").toLowerCase();
  if (host === "localhost") return true;
  const version = isIP(host);
  if (version === 4) return host.startsWith("127.");
  if (version === 6) return host === "::1" || host === "0:0:0:0:0:0:0:1" || /^::ffff:127\./.test(host);
  return false;
}

/** The URL, if the emulator may send to it; a {@link DeliveryError} naming the flag otherwise. */
export function deliveryUrl(text: unknown, settings: DeliverySettings, what = "webhook URL"): URL {
  let url: URL;
  try {
    url = new URL(String(text ?? ""));
  } catch {
    throw new DeliveryError(`the ${what} ${JSON.stringify(text)} is not a URL`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new DeliveryError(`the ${what} ${url.href} is not http(s)`);
  }
  if (!settings.allowRemoteDelivery && !isLoopbackHost(url.hostname)) {
    throw new DeliveryError(
      `delivery to ${url.origin} refused: the emulator delivers only to loopback addresses (127.0.0.1, ::1, ` +
        `localhost) unless it is started with ${REMOTE_DELIVERY_FLAG} (startEmulator option allowRemoteDelivery)`,
    );
  }
  return url;
}

/** An HTTP answer as received (the body gunzipped when it came gzipped). */
export interface HttpAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Sends one request; rejects with a {@link DeliveryError} when no answer comes (refused, reset, timed out). */
export function send(
  url: URL,
  method: string,
  headers: Record<string, string>,
  body: string | undefined,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const transport = url.protocol === "https:" ? https : http;
    const payload = body === undefined ? undefined : Buffer.from(body);
    const request = transport.request(url, {
      method,
      headers: payload === undefined ? headers : { ...headers, "Content-Length": String(payload.length) },
      agent: false,
      ...(signal === undefined ? {} : { signal }),
    });
    const timer = setTimeout(() => {
      request.destroy(
        new DeliveryError(`${method} ${url.origin}${url.pathname}: no answer within ${timeoutMs} ms`),
      );
    }, timeoutMs);
    request.on("response", (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("error", (error) => {
        clearTimeout(timer);
        reject(asDeliveryError(error, method, url));
      });
      response.on("end", () => {
        clearTimeout(timer);
        let raw = Buffer.concat(chunks);
        if (/gzip/i.test(String(response.headers["content-encoding"] ?? ""))) {
          try {
            raw = gunzipSync(raw);
          } catch {
            // keep the bytes as they came
          }
        }
        const answerHeaders: Record<string, string> = {};
        for (const [k, v] of Object.entries(response.headers)) {
          if (v !== undefined) answerHeaders[k] = Array.isArray(v) ? v.join(", ") : v;
        }
        resolve({ status: response.statusCode ?? 0, headers: answerHeaders, body: raw.toString("utf8") });
      });
    });
    request.on("error", (error) => {
      clearTimeout(timer);
      reject(asDeliveryError(error, method, url));
    });
    request.end(payload);
  });
}

function asDeliveryError(error: unknown, method: string, url: URL): DeliveryError {
  if (error instanceof DeliveryError) return error;
  const e = error as NodeJS.ErrnoException;
  const code = e.code === undefined ? "" : ` (${e.code})`;
  const what = e.name === "AbortError" ? "canceled" : `could not be sent: ${e.message}${code}`;
  return new DeliveryError(`${method} ${url.origin}${url.pathname} ${what}`);
}

/** What the connection's auth adds to each request: headers and query parameters, and their masked forms. */
export interface WebhookAuth {
  readonly headers: Record<string, string>;
  readonly query: readonly (readonly [string, string])[];
  readonly maskedHeaders: Record<string, string>;
  readonly maskedQuery: readonly (readonly [string, string])[];
}

const str = (v: unknown): string =>
  typeof v === "string" ? v : v === undefined || v === null ? "" : String(v);

/** `[{name, value}]` items as pairs (items without a name are skipped). */
function pairs(list: unknown): [string, string][] {
  if (!Array.isArray(list)) return [];
  return list
    .filter(isPlainObject)
    .filter((item) => str(item.name) !== "")
    .map((item) => [str(item.name), str(item.value)]);
}

/**
 * The authorisation a webhook connection asks for (`auth_method`, default `polytomic_secret`), and its extra
 * `headers`. An OAuth client-credentials connection gets its token from `oauth.token_endpoint` first (the
 * loopback rule applies there too).
 */
export async function webhookAuth(
  configuration: Record<string, unknown>,
  settings: DeliverySettings,
  signal?: AbortSignal,
): Promise<WebhookAuth> {
  const headers: Record<string, string> = {};
  const maskedHeaders: Record<string, string> = {};
  for (const [name, value] of pairs(configuration.headers)) {
    headers[name] = value;
    maskedHeaders[name] = value;
  }
  const query: [string, string][] = [];
  const maskedQuery: [string, string][] = [];
  const method = str(configuration.auth_method) || "polytomic_secret";
  const authorization = (scheme: string, value: string) => {
    headers.Authorization = `${scheme} ${value}`;
    maskedHeaders.Authorization = `${scheme} ${MASK}`;
  };
  switch (method) {
    case "polytomic_secret":
      authorization("Bearer", str(configuration.secret));
      break;
    case "basic": {
      const basic = isPlainObject(configuration.basic) ? configuration.basic : {};
      authorization("Basic", Buffer.from(`${str(basic.username)}:${str(basic.password)}`).toString("base64"));
      break;
    }
    case "header": {
      const header = isPlainObject(configuration.header) ? configuration.header : {};
      const name = str(header.name);
      if (name !== "") {
        headers[name] = str(header.value);
        maskedHeaders[name] = MASK;
      }
      break;
    }
    case "query":
      for (const [name, value] of pairs(configuration.query)) {
        query.push([name, value]);
        maskedQuery.push([name, MASK]);
      }
      break;
    case "oauth_client_credentials":
      authorization("Bearer", await oauthToken(configuration.oauth, settings, signal));
      break;
    default:
      throw new DeliveryError(`the webhook's auth_method "${method}" is not one the emulator knows`);
  }
  return { headers, query, maskedHeaders, maskedQuery };
}

/**
 * An OAuth 2.0 client-credentials token (RFC 6749 §4.4) from `oauth.token_endpoint`: `auth_style` 1 sends the
 * client id and secret in the form, any other value (0, "auto", and 2) as HTTP Basic.
 */
async function oauthToken(oauth: unknown, settings: DeliverySettings, signal?: AbortSignal): Promise<string> {
  const o = isPlainObject(oauth) ? oauth : {};
  const endpoint = deliveryUrl(o.token_endpoint, settings, "OAuth token endpoint");
  const form = new URLSearchParams({ grant_type: "client_credentials" });
  const scopes = Array.isArray(o.scopes) ? o.scopes.map(str).filter((s) => s !== "") : [];
  if (scopes.length > 0) form.set("scope", scopes.join(" "));
  for (const [name, value] of pairs(o.extra_form_data)) form.set(name, value);
  const headers: Record<string, string> = {
    "Content-Type": "application/x-www-form-urlencoded",
    Accept: "application/json",
    "User-Agent": DELIVERY_USER_AGENT,
  };
  if (o.auth_style === 1) {
    form.set("client_id", str(o.client_id));
    form.set("client_secret", str(o.client_secret));
  } else {
    const pair = `${encodeURIComponent(str(o.client_id))}:${encodeURIComponent(str(o.client_secret))}`;
    headers.Authorization = `Basic ${Buffer.from(pair).toString("base64")}`;
  }
  const answer = await send(endpoint, "POST", headers, form.toString(), settings.timeoutMs, signal);
  if (answer.status < 200 || answer.status > 299) {
    throw new DeliveryError(
      `the OAuth token endpoint ${endpoint.origin}${endpoint.pathname} answered ${answer.status}`,
    );
  }
  let token: unknown;
  try {
    token = (JSON.parse(answer.body) as Record<string, unknown>).access_token;
  } catch {
    token = undefined;
  }
  if (typeof token !== "string" || token === "") {
    throw new DeliveryError(
      `the OAuth token endpoint ${endpoint.origin}${endpoint.pathname} answered without an access_token`,
    );
  }
  return token;
}

/** One record as delivered: a hash of its fields and the fields. */
export interface DeliveredRecord {
  hash: string;
  fields: Record<string, unknown>;
}

/** One request of a run, as recorded (`record_requests`) and as judged. */
export interface BatchOutcome {
  readonly ok: boolean;
  /** Why the batch failed, when it did. */
  readonly error?: string;
  readonly request: { method: string; url: string; headers: Record<string, string>; body: unknown };
  readonly response: { status: number; headers: Record<string, string>; body: string } | null;
  readonly durationMs: number;
}

/** The `Polytomic-Signature-Timestamp` value: RFC 3339 in UTC, whole seconds (`2021-06-01T22:55:36Z`). */
export function signatureTimestamp(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}

/**
 * POSTs one batch of records. Any answer but 2xx fails it (Polytomic: "Any 4xx or 5xx error will cause Polytomic
 * to declare the sync to have failed"; a redirect is not followed, so it fails too), as does no answer at all.
 */
export async function deliverBatch(
  url: URL,
  auth: WebhookAuth,
  sync: { id: string; name: string },
  records: readonly DeliveredRecord[],
  settings: DeliverySettings,
  signal?: AbortSignal,
): Promise<BatchOutcome> {
  const target = new URL(url.href);
  const masked = new URL(url.href);
  for (const [name, value] of auth.query) target.searchParams.append(name, value);
  for (const [name, value] of auth.maskedQuery) masked.searchParams.append(name, value);
  const base = {
    "Content-Type": "application/json",
    "Accept-Encoding": "gzip",
    "User-Agent": DELIVERY_USER_AGENT,
    "Polytomic-Signature-Timestamp": signatureTimestamp(Date.now()),
  };
  const body = { event: "sync.records", object: { id: sync.id, name: sync.name, records } };
  const request = {
    method: "POST",
    url: masked.href,
    headers: { ...auth.maskedHeaders, ...base },
    body,
  };
  const started = Date.now();
  try {
    const answer = await send(
      target,
      "POST",
      { ...auth.headers, ...base },
      JSON.stringify(body),
      settings.timeoutMs,
      signal,
    );
    const response = { ...answer, body: answer.body.slice(0, MAX_RECORDED_BODY) };
    const ok = answer.status >= 200 && answer.status <= 299;
    const excerpt = answer.body.trim().slice(0, 200);
    return {
      ok,
      ...(ok
        ? {}
        : {
            error: `POST ${url.origin}${url.pathname} answered ${answer.status}${excerpt === "" ? "" : `: ${excerpt}`}`,
          }),
      request,
      response,
      durationMs: Date.now() - started,
    };
  } catch (error) {
    return {
      ok: false,
      error: error instanceof Error ? error.message : String(error),
      request,
      response: null,
      durationMs: Date.now() - started,
    };
  }
}
