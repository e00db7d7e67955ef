/**
 * The `accessors` form in the access report's tests: the checked-in example
 * with three consumers, and single-policy changes to its synthesized owner
 * stack that break the consumers' isolation, each with the cell of the
 * isolation matrix and the over-grant the report must show for it.
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import type { AccessReport } from "../../access-report/report";
import type { MatrixCell } from "../../access-report/isolation-matrix";
import type { PolicyJson, StatementJson } from "../../access-report/policy-json";
import { withChangedPolicy, withChangedStack } from "./access-report-synth";

export const OWNER = "111122223333";
export const ANALYTICS_ACCOUNT = "444455556666";
export const ACCESS_POINT = `arn:aws:s3:eu-west-1:${OWNER}:accesspoint`;
export const BUCKET_ARN = "arn:aws:s3:::example-data-lake-111122223333";
export const ROLES = {
  analytics: `arn:aws:iam::${OWNER}:role/data-lake-analytics-reader`,
  ingest: `arn:aws:iam::${OWNER}:role/data-lake-ingest-writer`,
  archive: `arn:aws:iam::${OWNER}:role/data-lake-archive-curator`,
} as const;

/** examples/many-consumers.json as written. */
export function manyConsumersExample(): Record<string, unknown> {
  return JSON.parse(
    readFileSync(path.join(__dirname, "..", "..", "examples", "many-consumers.json"), "utf8"),
  ) as Record<string, unknown>;
}

/** The matrix cell of `row` (a consumer) on `column`'s prefix; fails the test when there is none. */
export function cell(report: AccessReport, row: string, column: string): MatrixCell {
  const found = report.isolationMatrix.rows.find((r) => r.consumer === row)?.cells.find((c) => c.column === column);
  if (found === undefined) throw new Error(`no isolation matrix cell ${row} × ${column}`);
  return found;
}

/** The matrix as `row: column=evaluated` lines, for comparing whole. */
export function matrixLines(report: AccessReport): string[] {
  return report.isolationMatrix.rows.map(
    (row) =>
      `${row.consumer}: ${row.cells.map((c) => `${c.column}=${c.evaluated}${c.asExpected ? "" : "!"}`).join(" ")}`,
  );
}

const policyOf = (type: string, name: string, attribute = "policy") =>
  ({ stack: "bucket-owner", type, name, attribute }) as const;

const addStatement =
  (statement: StatementJson) =>
  (document: PolicyJson): PolicyJson => ({ ...document, Statement: [...document.Statement, statement] });

/** What the report must show for a mutation: the cell that breaks, and the over-grant naming the statement. */
export interface IsolationBreach {
  readonly row: string;
  readonly column: string;
  /** The cell's evaluated letters. */
  readonly evaluated: string;
  /** Who the difference names, e.g. "target role data-lake-analytics-reader". */
  readonly via: string;
  readonly finding: {
    readonly principal: string;
    readonly resource: string;
    readonly statement: string;
  };
}

export interface IsolationMutation {
  readonly name: string;
  readonly change: (outdir: string) => string;
  readonly expect: IsolationBreach;
}

export const ISOLATION_MUTATIONS: readonly IsolationMutation[] = [
  {
    name: "an access point policy lets another consumer's role into its prefix",
    change: (outdir) =>
      withChangedPolicy(
        outdir,
        policyOf("aws_s3control_access_point_policy", "ingest_access_point_policy"),
        addStatement({
          Sid: "AnalyticsReadsIngest",
          Effect: "Allow",
          Principal: { AWS: ROLES.analytics },
          Action: ["s3:GetObject"],
          Resource: `${ACCESS_POINT}/ingest/object/incoming/ingest/*`,
        }),
      ),
    expect: {
      row: "analytics",
      column: "ingest",
      evaluated: "R---",
      via: "target role data-lake-analytics-reader (analytics) through access point ingest",
      finding: {
        principal: ROLES.analytics,
        resource: `${ACCESS_POINT}/ingest/object/incoming/ingest/*`,
        statement: 'access point policy of ingest, statement "AnalyticsReadsIngest"',
      },
    },
  },
  {
    name: "an access point policy grants a second consumer's target role on its own access point",
    change: (outdir) =>
      withChangedPolicy(
        outdir,
        policyOf("aws_s3control_access_point_policy", "archive_access_point_policy"),
        (document) => ({
          ...document,
          Statement: document.Statement.map((statement) =>
            statement.Sid === "ObjectLevelAccess"
              ? { ...statement, Principal: { AWS: [ROLES.archive, ROLES.ingest] } }
              : statement,
          ),
        }),
      ),
    expect: {
      row: "ingest",
      column: "archive",
      evaluated: "RWD-",
      via: "target role data-lake-ingest-writer (ingest) through access point archive",
      finding: {
        principal: ROLES.ingest,
        resource: `${ACCESS_POINT}/archive/object/archive/*`,
        statement: 'access point policy of archive, statement "ObjectLevelAccess"',
      },
    },
  },
  {
    name: "an access point policy widens its prefix to the whole bucket",
    change: (outdir) =>
      withChangedPolicy(
        outdir,
        policyOf("aws_s3control_access_point_policy", "analytics_access_point_policy"),
        (document) => ({
          ...document,
          Statement: document.Statement.map((statement) =>
            statement.Sid === "ObjectLevelAccess"
              ? { ...statement, Resource: `${ACCESS_POINT}/analytics/object/*` }
              : statement,
          ),
        }),
      ),
    expect: {
      row: "analytics",
      column: "archive",
      evaluated: "R---",
      via: "target role data-lake-analytics-reader (analytics) through access point analytics",
      finding: {
        principal: ROLES.analytics,
        resource: `${ACCESS_POINT}/analytics/object/*`,
        statement: 'access point policy of analytics, statement "ObjectLevelAccess"',
      },
    },
  },
  {
    name: "the bucket policy's delegation loses its condition",
    change: (outdir) =>
      withChangedPolicy(outdir, policyOf("aws_s3_bucket_policy", "bucket_policy"), (document) => ({
        ...document,
        Statement: document.Statement.map((statement) => {
          if (statement.Sid !== "DelegateToOwnAccessPoints") return statement;
          const { Condition: _removed, ...rest } = statement;
          return rest;
        }),
      })),
    expect: {
      row: "analytics",
      column: "ingest",
      evaluated: "RWDL",
      via: "instance role analytics-instance through the bucket's name",
      finding: {
        principal: "*",
        resource: `${BUCKET_ARN}/*`,
        statement: 'bucket policy of example-data-lake-111122223333, statement "DelegateToOwnAccessPoints"',
      },
    },
  },
  {
    name: "the bucket policy delegates to the access points of another account",
    change: (outdir) =>
      withChangedPolicy(outdir, policyOf("aws_s3_bucket_policy", "bucket_policy"), (document) => ({
        ...document,
        Statement: document.Statement.map((statement) =>
          statement.Sid === "DelegateToOwnAccessPoints"
            ? { ...statement, Condition: { StringEquals: { "s3:DataAccessPointAccount": "999988887777" } } }
            : statement,
        ),
      })),
    expect: {
      // Every consumer loses its own prefix: the owner's access points are no longer delegated to.
      row: "analytics",
      column: "analytics",
      evaluated: "----",
      via: "target role data-lake-analytics-reader through access point analytics",
      finding: {
        principal: "access-points-of:999988887777",
        resource: `${BUCKET_ARN}/*`,
        statement: 'bucket policy of example-data-lake-111122223333, statement "DelegateToOwnAccessPoints"',
      },
    },
  },
  {
    name: "a target role's own policy names another consumer's access point",
    change: (outdir) =>
      withChangedPolicy(
        outdir,
        policyOf("aws_iam_role_policy", "analytics_target_role_s3_access"),
        addStatement({
          Sid: "ArchiveToo",
          Effect: "Allow",
          Action: ["s3:GetObject"],
          Resource: `${ACCESS_POINT}/archive/object/archive/*`,
        }),
      ),
    expect: {
      row: "analytics",
      column: "archive",
      evaluated: "R---",
      via: "target role data-lake-analytics-reader (analytics) through access point archive",
      finding: {
        principal: ROLES.analytics,
        resource: `${ACCESS_POINT}/archive/object/archive/*`,
        statement: 'data-lake-analytics-reader/s3-access, statement "ArchiveToo"',
      },
    },
  },
  {
    name: "a target role's trust policy admits another consumer's account",
    change: (outdir) =>
      withChangedStack(outdir, "bucket-owner", (json) => {
        const role = json.resource.aws_iam_role?.ingest_target_role;
        if (role === undefined || typeof role.assume_role_policy !== "string") throw new Error("no ingest target role");
        const trust = JSON.parse(role.assume_role_policy) as PolicyJson;
        role.assume_role_policy = JSON.stringify(
          addStatement({
            Sid: "AnalyticsAccountToo",
            Effect: "Allow",
            Principal: { AWS: `arn:aws:iam::${ANALYTICS_ACCOUNT}:root` },
            Action: "sts:AssumeRole",
          })(trust),
        );
      }),
    expect: {
      row: "analytics",
      column: "ingest",
      evaluated: "RWDL",
      via: "target role data-lake-ingest-writer (ingest) through access point ingest",
      finding: {
        principal: `account:${ANALYTICS_ACCOUNT}`,
        resource: ROLES.ingest,
        statement: 'trust policy of data-lake-ingest-writer, statement "AnalyticsAccountToo"',
      },
    },
  },
];
