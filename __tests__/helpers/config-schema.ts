/**
 * The checked-in JSON Schema of the config, compiled with Ajv as an editor would apply it, and its
 * errors as field paths in the validator's shape (`accessors[0].backend.key`, `tags.aws:team`), so
 * a test can compare what each of the two reports.
 */
import { readFileSync } from "node:fs";
import Ajv, { type ErrorObject, type ValidateFunction } from "ajv";
import { SCHEMA_PATH } from "../../config/json-schema";

/** The checked-in schema, parsed. */
export function checkedInSchema(): Record<string, unknown> {
  return JSON.parse(readFileSync(SCHEMA_PATH, "utf8")) as Record<string, unknown>;
}

/** What the schema says of a config: whether it is valid, and the field paths it names. */
export interface SchemaVerdict {
  readonly valid: boolean;
  readonly paths: readonly string[];
}

/** Keywords whose errors only summarise their subschemas' errors, which are reported too. */
const SUMMARIES = new Set(["if", "oneOf", "anyOf", "allOf"]);

/** The field path of one Ajv error, resolved against `data` so list indexes read `[0]`. */
function pathOf(error: ErrorObject, data: unknown): string {
  const segments = error.instancePath
    .split("/")
    .slice(1)
    .map((segment) => segment.replace(/~1/g, "/").replace(/~0/g, "~"));
  let path = "";
  let current: unknown = data;
  for (const segment of segments) {
    if (Array.isArray(current)) {
      path += `[${segment}]`;
      current = current[Number(segment)];
    } else {
      path = path === "" ? segment : `${path}.${segment}`;
      current =
        typeof current === "object" && current !== null ? (current as Record<string, unknown>)[segment] : undefined;
    }
  }
  const params = error.params as Record<string, unknown>;
  const child =
    error.keyword === "required"
      ? params.missingProperty
      : error.keyword === "additionalProperties"
        ? params.additionalProperty
        : error.keyword === "propertyNames"
          ? params.propertyName
          : error.propertyName;
  if (typeof child === "string") path = path === "" ? child : `${path}.${child}`;
  return path === "" ? "(top level)" : path;
}

/** The distinct field paths Ajv's errors name, summaries left out. */
export function errorPaths(errors: readonly ErrorObject[] | null | undefined, data: unknown): string[] {
  return [...new Set((errors ?? []).filter((e) => !SUMMARIES.has(e.keyword)).map((e) => pathOf(e, data)))];
}

/** Validates configs with the checked-in schema: the whole of it, or one form's definition. */
export class SchemaValidator {
  private readonly whole: ValidateFunction;
  private readonly forms: Readonly<Record<"single" | "list", ValidateFunction>>;

  constructor(schema: Record<string, unknown> = checkedInSchema()) {
    // strictTypes: every keyword sits beside the type it applies to, as editors expect.
    const ajv = new Ajv({ allErrors: true, strictTypes: true });
    // VS Code's extensions to JSON Schema: messages shown instead of the generic ones.
    ajv.addKeyword("patternErrorMessage");
    ajv.addKeyword("errorMessage");
    ajv.addSchema(schema, "config");
    const get = (ref: string): ValidateFunction => {
      const validate = ajv.getSchema(ref);
      if (validate === undefined) throw new Error(`the schema has no ${ref}`);
      return validate;
    };
    this.whole = get("config");
    this.forms = { single: get("config#/definitions/singleForm"), list: get("config#/definitions/accessorsForm") };
  }

  /** The whole schema's verdict (both forms, as an editor applies it). */
  validate(raw: unknown): SchemaVerdict {
    const valid = this.whole(raw);
    return { valid, paths: errorPaths(this.whole.errors, raw) };
  }

  /**
   * The verdict of the form the validator reads `raw` as (the list form when it has `accessors`),
   * whose errors are the ones an editor shows once the file clearly is of that form.
   */
  validateForm(raw: unknown): SchemaVerdict {
    const isList = typeof raw === "object" && raw !== null && "accessors" in raw;
    const validate = this.forms[isList ? "list" : "single"];
    const valid = validate(raw);
    return { valid, paths: errorPaths(validate.errors, raw) };
  }
}
