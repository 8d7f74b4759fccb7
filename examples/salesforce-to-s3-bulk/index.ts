/**
 * Salesforce to S3 (ELT): copy Salesforce Accounts, Contacts and Opportunities into an S3 bucket as CSV files,
 * every day at 02:00 UTC, with a weekly full resync of Opportunities. Contacts' emails are obfuscated, their
 * phone numbers left out, and only Opportunities that closed in the last year are copied.
 *
 * Configuration (see README.md):
 *   pulumi config set --secret polytomic:apiKey <key>
 *   pulumi config set salesforceConnectionId <id of the Salesforce connection made in Polytomic>
 *   pulumi config set s3BucketName my-data-lake
 *   pulumi config set s3BucketRegion us-east-1
 *   pulumi config set awsAccessKeyId AKIA...
 *   pulumi config set --secret awsSecretAccessKey <secret access key>
 */
import * as pulumi from "@pulumi/pulumi";
import * as polytomic from "pulumi-polytomic";

const config = new pulumi.Config();

// Salesforce connects through OAuth consent in Polytomic's UI, so the connection is made there and referenced
// here by its id (read-only: this program never changes or deletes it).
const salesforceConnectionId = config.require("salesforceConnectionId");
const salesforce = polytomic.SalesforceConnection.get("salesforce", salesforceConnectionId);

// The bucket the data lands in. Creating it waits for Polytomic's schema cache; the secret key stays secret.
const lake = new polytomic.S3Connection("lake", {
  name: "Data lake",
  configuration: {
    authMode: "access_key_and_secret",
    awsAccessKeyId: config.require("awsAccessKeyId"),
    awsSecretAccessKey: config.requireSecret("awsSecretAccessKey"),
    s3BucketRegion: config.get("s3BucketRegion") ?? "us-east-1",
    s3BucketName: config.require("s3BucketName"),
  },
});

// The objects to copy, chosen by name from what the Salesforce connection offers. `getBulkSource` calls
// Polytomic whenever the program runs (`pulumi preview` too), so no schema or field id is written by hand.
const WANTED = ["Account", "Contact", "Opportunity"];
const LEFT_OUT = /phone/i;

async function selectSchemas(): Promise<(string | polytomic.BulkSyncSchemaSettings)[]> {
  const source = await polytomic.getBulkSource({ connectionId: salesforceConnectionId });
  return source.schemas
    .filter((schema) => WANTED.includes(schema.name))
    .map((schema): string | polytomic.BulkSyncSchemaSettings => {
      if (schema.name === "Contact") {
        return {
          id: schema.id,
          fields: schema.fields
            .filter((f) => !LEFT_OUT.test(f.name))
            .map((f) => (f.name === "Email" ? { id: f.id, obfuscate: true } : f.id)),
        };
      }
      if (schema.name === "Opportunity") {
        return {
          id: schema.id,
          // A filter's value is any JSON value: here a relative date.
          filters: [{ function: "RelativeOnOrAfter", fieldId: "CloseDate", value: "365 days ago" }],
        };
      }
      return schema.id;
    });
}

const sync = new polytomic.BulkSync("salesforce-to-s3", {
  name: "Salesforce to S3",
  sourceConnectionId: salesforce.id,
  destinationConnectionId: lake.id,
  // S3 takes the file format and a folder in the bucket.
  destinationConfiguration: { format: "csv", subfolder: "salesforce" },
  // A full copy on each run: storage destinations support `snapshot`.
  mode: "snapshot",
  schemas: selectSchemas(),
  defaultSchedule: { frequency: "daily", hour: 2, minute: 0 },
  additionalSchedules: [
    {
      frequency: "weekly",
      dayOfWeek: "sunday",
      hour: 4,
      minute: 0,
      resyncMode: "resync",
      schemas: ["Opportunity"],
    },
  ],
  active: true,
  // New fields of these objects are copied as they appear; new Salesforce objects are not.
  automaticallyAddNewFields: "all",
  automaticallyAddNewObjects: "none",
});

export const lakeConnectionId = lake.id;
export const bulkSyncId = sync.id;
/** The objects Polytomic copies, with their destination names. */
export const syncedObjects = sync.selectedSchemas.apply((schemas) =>
  (schemas ?? []).map((s) => s.outputName ?? s.id),
);
