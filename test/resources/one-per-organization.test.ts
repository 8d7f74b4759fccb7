/**
 * GlobalErrorSubscribers and EventWebhook exist once per organization: a program that declares two for the same
 * organization is refused, by the resource classes, before Polytomic is asked anything: at once when the
 * organization id is a string or left out (so `pulumi preview` fails). (An output id is checked inside its
 * `apply`, so the second registration fails with "error serializing property organizationId" and the program
 * stops: an unhandled error by design, which a test runner reports as such, so it is not exercised here.)
 */
import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { EventWebhook, GlobalErrorSubscribers } from "../../src/resources";

beforeAll(async () => {
  await pulumi.runtime.setMocks(
    {
      newResource(args) {
        return { id: `${args.name}-id`, state: args.inputs };
      },
      call: (args) => args.inputs,
    },
    "one-per-org",
    "dev",
    true,
  );
});

describe("one list of error subscribers, one event webhook per organization", () => {
  it("a second declaration for the same organization id (a string) fails at once, naming both", () => {
    new GlobalErrorSubscribers("first", { emails: ["a@example.com"], organizationId: "org-1" });
    expect(
      () => new GlobalErrorSubscribers("second", { emails: ["b@example.com"], organizationId: "org-1" }),
    ).toThrow(/GlobalErrorSubscribers "second" and "first" are both declared for organization org-1/);
    // Another organization is fine, and so is the same name declared again (a test re-running a constructor).
    new GlobalErrorSubscribers("other", { emails: ["c@example.com"], organizationId: "org-2" });
  });

  it("left out, the organization is the stack's (or the API key's): one declaration of it", () => {
    new EventWebhook("hook", { endpoint: "https://example.com/e", secret: "s" });
    expect(() => new EventWebhook("hook-2", { endpoint: "https://example.com/f", secret: "s" })).toThrow(
      /both declared for the default organization: an organization has one event webhook/,
    );
  });
});
