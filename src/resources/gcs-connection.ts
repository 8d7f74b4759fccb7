import type * as pulumi from "@pulumi/pulumi";
import { TypedConnection, type TypedConnectionArgs } from "./typed-connection";

// Hand-written for now from data/connection-types/gcs.json; the per-type generator is to replace it.

/** Configuration of a Google Cloud Storage connection (`gcs`). */
export interface GcsConfiguration {
  /** Bucket, e.g. `"my-bucket"`. */
  bucket: pulumi.Input<string>;
  /** Service account key: the JSON key file's contents, as a string. Sensitive. */
  serviceAccount: pulumi.Input<string>;
  /** CSV files have headers: whether CSV files have a header row with field names. Default `true`. */
  csvHasHeaders?: pulumi.Input<boolean>;
  /** Files are time-based snapshots: treat the files as a single table. Default `false`. */
  isSingleTable?: pulumi.Input<boolean>;
  /** Multi-directory multi-table; only with `isSingleTable`. Default `false`. */
  isDirectorySnapshot?: pulumi.Input<boolean>;
  /** Tables glob path; required when `isDirectorySnapshot` is true. */
  directoryGlobPattern?: pulumi.Input<string>;
  /** Collection name, e.g. `"collection"`. */
  singleTableName?: pulumi.Input<string>;
  /** File format: `"csv"` (CSV, default), `"json"` (JSON) or `"parquet"` (Parquet). */
  singleTableFileFormat?: pulumi.Input<"csv" | "json" | "parquet">;
  /** File formats that may be present across different tables. */
  singleTableFileFormats?: pulumi.Input<pulumi.Input<"csv" | "json" | "parquet">[]>;
  /** Skip first lines: skip the first N lines of each CSV file. Default `0`. */
  skipLines?: pulumi.Input<number>;
}

/** Arguments of {@link GcsConnection}. */
export type GcsConnectionArgs = TypedConnectionArgs<GcsConfiguration>;

/**
 * A Google Cloud Storage connection. It can be a model source, so `create` waits until Polytomic's schema cache
 * for it is ready (see `waitForSchema`, `schemaTimeoutSeconds`). `serviceAccount` is kept secret; Polytomic derives
 * `projectId` and `clientEmail` from it (`computedConfiguration`).
 *
 * Type token: `pulumi-nodejs:dynamic/polytomic:GcsConnection`.
 */
export class GcsConnection extends TypedConnection<GcsConfiguration> {
  constructor(name: string, args: GcsConnectionArgs, opts?: pulumi.CustomResourceOptions) {
    super("GcsConnection", "gcs", name, args, opts);
  }

  /** A read-only reference to an existing GCS connection, by its Polytomic ID. */
  static get(name: string, id: pulumi.Input<string>, opts?: pulumi.CustomResourceOptions): GcsConnection {
    return new GcsConnection(name, undefined as unknown as GcsConnectionArgs, { ...opts, id });
  }
}
