/** Types for scripts/lib/webhook-receiver.js, the loopback webhook receiver the demo and the tests share. */

/** One request the receiver got. */
export interface ReceivedRequest {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  /** The body, parsed when it is JSON. */
  body: any;
  receivedAt: number;
}

/** One record of a `sync.records` request. */
export interface ReceivedRecord {
  hash: string;
  fields: Record<string, unknown>;
}

/** A status to answer (with a JSON body), `"hang"` to never answer, or undefined for 200. */
export type Respond = (
  request: ReceivedRequest,
  index: number,
) => number | { status: number; body?: unknown } | "hang" | undefined;

/** A running receiver. */
export interface WebhookReceiver {
  /** `http://127.0.0.1:<port>`. */
  url: string;
  requests: ReceivedRequest[];
  records(): ReceivedRecord[];
  setRespond(respond: Respond): void;
  close(): Promise<void>;
}

const impl = require("../../scripts/lib/webhook-receiver.js") as {
  startWebhookReceiver(options?: { respond?: Respond }): Promise<WebhookReceiver>;
};

/** Starts a receiver on an ephemeral loopback port. */
export const startWebhookReceiver: (options?: { respond?: Respond }) => Promise<WebhookReceiver> =
  impl.startWebhookReceiver;
