/**
 * What a consumer's short name becomes, and the rules for it: its stack id
 * (`accessor-<name>`), its S3 access point's name (by default the name itself)
 * and that access point's ARNs.
 */
import { ACCESSOR_STACK_ID } from "./defaults";
import { Problem, problem } from "./problems";
import { partitionOf } from "./regions";
import { describedRule, type SchemaRule } from "./schema-rule";
import type { AccessPointConfig } from "./types";

/**
 * A consumer's name: lowercase letters, digits and hyphens, starting with a
 * letter (it starts Terraform output names, which must) and ending with a
 * letter or digit, 3 to 50 long, so that as the default access point name it
 * already meets the access point naming rules below.
 */
const ACCESSOR_NAME = /^[a-z][a-z0-9-]{1,48}[a-z0-9]$/;

/**
 * "Naming rules for access points" in the S3 user guide: unique per account
 * and Region, 3 to 50 characters, lowercase letters, digits and hyphens only
 * (DNS naming: the name is part of the access point's host name), starting and
 * ending with a letter or digit, not starting with "xn--" and not ending with
 * "-s3alias" (reserved for access point aliases).
 */
const ACCESS_POINT_NAME = /^[a-z0-9][a-z0-9-]{1,48}[a-z0-9]$/;

/** The stack id of a consumer in the `accessors` list. */
export function accessorStackId(name: string): string {
  return `${ACCESSOR_STACK_ID}-${name}`;
}

/**
 * accessors[n].name; `namesAccessPoint`: no accessPointName is given, so the
 * name is the access point's too and must meet S3's reserved-word rules.
 */
export function accessorNameRule(path: string, value: unknown, namesAccessPoint: boolean): Problem[] {
  if (typeof value !== "string") {
    const what = value === undefined ? "is required: a string" : "must be a string";
    return [problem(path, value, `${what}, the consumer's short name (e.g. "team-a")`)];
  }
  if (!ACCESSOR_NAME.test(value)) {
    return [
      problem(
        path,
        value,
        'is not a usable consumer name: 3 to 50 lowercase letters, digits or "-", starting with a letter and ending with a letter or digit, because it names the stack (accessor-<name>) and, by default, the S3 access point (e.g. "team-a")',
      ),
    ];
  }
  return namesAccessPoint ? accessPointNameProblems(path, value, "as the default access point name ") : [];
}

/**
 * accessors[n].name on its own; whether it must also make a valid access point name depends on
 * accessPointName, which the entry's check knows.
 */
export const consumerNameRule: SchemaRule = describedRule((path, value) => accessorNameRule(path, value, false), {
  schema: {
    type: "string",
    pattern: ACCESSOR_NAME.source,
    patternErrorMessage:
      'Not a usable consumer name: 3 to 50 lowercase letters, digits or "-", starting with a letter and ending with a letter or digit (e.g. "team-a").',
  },
  label: "consumer name",
  example: "team-a",
});

/** accessors[n].accessPointName, or the name standing in for it. */
export const accessPointNameRule: SchemaRule = describedRule(
  (path, value) => {
    if (typeof value !== "string" || !ACCESS_POINT_NAME.test(value)) {
      return [
        problem(
          path,
          value,
          'is not a valid S3 access point name: 3 to 50 lowercase letters, digits or "-", starting and ending with a letter or digit (e.g. "team-a-data")',
        ),
      ];
    }
    return accessPointNameProblems(path, value, "");
  },
  {
    schema: {
      type: "string",
      // The shape, without S3's reserved prefix and suffix.
      pattern: `^(?!xn--)(?!.*-s3alias$)${ACCESS_POINT_NAME.source.slice(1)}`,
      patternErrorMessage:
        'Not a valid S3 access point name: 3 to 50 lowercase letters, digits or "-", starting and ending with a letter or digit, not starting with "xn--" or ending with "-s3alias" (e.g. "team-a-data").',
    },
    label: "S3 access point name",
    example: "team-a-data",
  },
);

function accessPointNameProblems(path: string, name: string, as: string): Problem[] {
  if (name.startsWith("xn--")) {
    return [problem(path, name, `${as}must not start with "xn--", which S3 reserves (e.g. "team-a")`)];
  }
  if (name.endsWith("-s3alias")) {
    return [
      problem(
        path,
        name,
        `${as}must not end with "-s3alias", which S3 reserves for access point aliases (e.g. "team-a")`,
      ),
    ];
  }
  return [];
}

/** The access point of a consumer: its name and ARNs ("Referencing access points" in the S3 user guide). */
export function accessPointConfig(name: string, ownerAccountId: string, region: string): AccessPointConfig {
  const arn = `arn:${partitionOf(region)}:s3:${region}:${ownerAccountId}:accesspoint/${name}`;
  return { name, arn, objectsArnBase: `${arn}/object/` };
}
