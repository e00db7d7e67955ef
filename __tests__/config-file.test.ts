/**
 * Reading CROSS_ACCOUNT_CONFIG is bounded and every failure names its real
 * cause in one line: anything but a regular file is refused before it is
 * opened (a FIFO would block, /dev/zero never ends), the size and the nesting
 * depth are capped before the parser runs, numbers that cannot be read
 * exactly and UTF-16/UTF-32 files are named as such, and set-but-empty is an
 * error rather than the example config.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs"; // the module object itself, so jest.spyOn reaches what config/config-file.ts calls
import { mkdtempSync, rmSync, symlinkSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { MAX_CONFIG_BYTES, readConfigBytes } from "../config/config-file";
import { CONFIG_ENV_VAR, loadConfig, MAX_CONFIG_NESTING } from "../config/load";
import { ConfigError } from "../config/problems";
import { PROJECT_ROOT, rawConfig } from "./helpers/config";
import { appEnv, runMain } from "./helpers/synth-output";
import { HOOK_TIMEOUT_MS } from "./helpers/timeouts";

let dir = "";

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), "config-file-"));
}, HOOK_TIMEOUT_MS);

afterAll(() => rmSync(dir, { recursive: true, force: true }), HOOK_TIMEOUT_MS);

const write = (name: string, content: string | Buffer): string => {
  const file = path.join(dir, name);
  writeFileSync(file, content);
  return file;
};

/** The problem lines loading the config gives (the test fails if it loads or throws something else). */
function problems(env: NodeJS.ProcessEnv): string[] {
  try {
    loadConfig(env, dir);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems.map((p) => p.message);
    throw error;
  }
  throw new Error("the config loaded");
}

const fileLine = (file: string, rest: string) => `${CONFIG_ENV_VAR}: "${file}" ${rest}`;
const SET_IT = `set ${CONFIG_ENV_VAR} to the path of your config JSON (e.g. ${CONFIG_ENV_VAR}=config/my-config.json npm run synth)`;

/** `npm run check-config` (config/check.ts) in its own process, bounded by a timeout so a blocking read fails the test. */
function checkConfig(config: string): { status: number | null; stderr: string; timedOut: boolean } {
  const run = spawnSync(
    process.execPath,
    [
      "-r",
      path.join(PROJECT_ROOT, "loader", "sucrase-cached-register.js"),
      path.join(PROJECT_ROOT, "config", "check.ts"),
    ],
    { cwd: dir, env: appEnv({ CROSS_ACCOUNT_CONFIG: config }), encoding: "utf8", timeout: 30_000 },
  );
  return { status: run.status, stderr: run.stderr, timedOut: run.error !== undefined };
}

describe("what CROSS_ACCOUNT_CONFIG names", () => {
  test("a FIFO is refused at once (opening it would wait for a writer forever)", () => {
    const fifo = path.join(dir, "config.fifo");
    expect(spawnSync("mkfifo", [fifo]).status).toBe(0);
    expect(checkConfig(fifo)).toEqual({
      status: 1,
      timedOut: false,
      stderr: `${fileLine(fifo, `is a named pipe (FIFO), not a regular file; a config is a JSON file on disk; ${SET_IT}`)}\nNothing was synthesized.\n`,
    });
  }, 60_000);

  test("/dev/zero is refused at once (reading it never ends)", () => {
    expect(checkConfig("/dev/zero")).toEqual({
      status: 1,
      timedOut: false,
      stderr: `${fileLine("/dev/zero", `is a character device, not a regular file; a config is a JSON file on disk; ${SET_IT}`)}\nNothing was synthesized.\n`,
    });
  }, 60_000);

  test("a folder", () => {
    expect(problems({ [CONFIG_ENV_VAR]: dir })).toEqual([fileLine(dir, `is a folder, not a file; ${SET_IT}`)]);
  });

  test("a missing file", () => {
    const file = path.join(dir, "nope.json");
    expect(problems({ [CONFIG_ENV_VAR]: file })).toEqual([fileLine(file, `does not exist; ${SET_IT}`)]);
  });

  test("a path through a file (ENOTDIR) names the file that is not a folder", () => {
    const notes = write("notes.txt", "hello\n");
    const file = path.join(notes, "config.json");
    expect(problems({ [CONFIG_ENV_VAR]: file })).toEqual([
      fileLine(file, `cannot be reached: "${notes}" is a file, not a folder`),
    ]);
  });

  test("a symbolic link loop (ELOOP)", () => {
    const a = path.join(dir, "loop-a.json");
    const b = path.join(dir, "loop-b.json");
    symlinkSync(b, a);
    symlinkSync(a, b);
    expect(problems({ [CONFIG_ENV_VAR]: a })).toEqual([
      fileLine(a, "cannot be reached: its symbolic links form a loop"),
    ]);
  });

  test("a name longer than the file system allows (ENAMETOOLONG), shown shortened", () => {
    const file = path.join(dir, `${"a".repeat(300)}.json`);
    const [line] = problems({ [CONFIG_ENV_VAR]: file });
    expect(line).toMatch(
      /^CROSS_ACCOUNT_CONFIG: ".*a…a.*\.json" cannot be reached: the path, or one name in it, is longer than the file system allows$/,
    );
    expect(line!.length).toBeLessThan(300);
  });

  test("permission denied on a folder in the path (stat) and on the file (open) are told apart", () => {
    const file = write("locked.json", "{}");
    const denied = (call: string) =>
      Object.assign(new Error(`EACCES: permission denied, ${call} '${file}'`), { code: "EACCES" });
    // Root (as on CI) reads every file, so the errors are injected as the kernel would report them.
    const statSpy = jest.spyOn(fs, "statSync").mockImplementationOnce(() => {
      throw denied("stat");
    });
    try {
      expect(problems({ [CONFIG_ENV_VAR]: file })).toEqual([
        fileLine(file, "cannot be reached (permission denied on a folder in its path); check the folders' permissions"),
      ]);
    } finally {
      statSpy.mockRestore();
    }
    const openSpy = jest.spyOn(fs, "openSync").mockImplementationOnce(() => {
      throw denied("open");
    });
    try {
      expect(problems({ [CONFIG_ENV_VAR]: file })).toEqual([
        fileLine(file, "cannot be read (permission denied); check the file's permissions"),
      ]);
    } finally {
      openSpy.mockRestore();
    }
  });

  test.each([[""], ["  "]])("set but empty (%j) is an error, not the example config", (value) => {
    expect(problems({ [CONFIG_ENV_VAR]: value })).toEqual([
      `${CONFIG_ENV_VAR} is set but empty; set it to the path of your config JSON (e.g. ${CONFIG_ENV_VAR}=config/my-config.json npm run synth), or unset it to synthesize the example config`,
    ]);
  });
});

describe("size and nesting are capped before parsing", () => {
  test("a 50 MB file is refused by its size, without being read", () => {
    const file = write("huge.json", "");
    truncateSync(file, 50 * 1024 * 1024);
    expect(problems({ [CONFIG_ENV_VAR]: file })).toEqual([
      fileLine(
        file,
        `is 52428800 bytes; a config file is at most 1 MiB (${MAX_CONFIG_BYTES} bytes), a real one a few kilobytes; is it the right file?`,
      ),
    ]);
  });

  test("1 MiB is read whole, one byte more is refused", () => {
    const exact = write("exact.json", Buffer.alloc(MAX_CONFIG_BYTES, 0x20));
    expect(readConfigBytes(exact).length).toBe(MAX_CONFIG_BYTES);
    const over = write("over.json", Buffer.alloc(MAX_CONFIG_BYTES + 1, 0x20));
    expect(problems({ [CONFIG_ENV_VAR]: over })[0]).toContain(`is ${MAX_CONFIG_BYTES + 1} bytes`);
  });

  test.each([
    ["objects", '{"a":'.repeat(4000) + "1" + "}".repeat(4000), 1, 5 * MAX_CONFIG_NESTING + 1],
    ["lists", "[".repeat(4000) + "]".repeat(4000), 1, MAX_CONFIG_NESTING + 1],
    ["lists across lines", "[\n".repeat(40) + "]".repeat(40), MAX_CONFIG_NESTING + 1, 1],
  ])("%s nested 4,000 deep: one line with where, no stack overflow", (_what, text, line, column) => {
    const file = write("deep.json", text);
    expect(problems({ [CONFIG_ENV_VAR]: file })).toEqual([
      `${file}:${line}:${column}: objects and lists nest more than ${MAX_CONFIG_NESTING} levels deep here; a config nests at most ${MAX_CONFIG_NESTING} (a real one 4); is it the right file?`,
    ]);
  });

  test(`nesting of exactly ${MAX_CONFIG_NESTING} is parsed (and then judged on its fields)`, () => {
    const file = write("deep-ok.json", "[".repeat(MAX_CONFIG_NESTING) + "]".repeat(MAX_CONFIG_NESTING));
    expect(problems({ [CONFIG_ENV_VAR]: file })[0]).toMatch(/^\(top level\): \[\[/);
  });

  test("brackets inside strings do not count", () => {
    const file = write("brackets.json", JSON.stringify(rawConfig({ targetRoleName: "[".repeat(100) })));
    expect(problems({ [CONFIG_ENV_VAR]: file }).join("\n")).not.toContain("nest");
  });
});

describe("numbers JSON can write but a number cannot hold exactly", () => {
  test.each([
    ["1e400", "is too large for a number (beyond ±1.8e308), so it would be read as infinity"],
    ["-1e400", "is too large for a number (beyond ±1.8e308), so it would be read as -infinity"],
    ["1e-400", "is too small for a number (below 5e-324), so it would be read as 0"],
    [
      "12345678901234567890",
      "has more digits than a number holds exactly (whole numbers up to 9007199254740991), so it would be read as 12345678901234567000",
    ],
  ])("%s is named as written, once, instead of as null", (literal, why) => {
    const text = JSON.stringify(rawConfig({ instance: { rootVolumeSizeGiB: 0 } }), null, 2).replace(
      '"rootVolumeSizeGiB": 0',
      `"rootVolumeSizeGiB": ${literal}`,
    );
    const file = write("numbers.json", text);
    const lines = problems({ [CONFIG_ENV_VAR]: file });
    const line = text.split("\n").findIndex((l) => l.includes(literal)) + 1;
    expect(lines).toEqual([
      `instance.rootVolumeSizeGiB (line ${line}): ${literal} ${why}; write the value you mean within that range (or as a string in quotes where the field takes text)`,
    ]);
  });

  test("ordinary numbers, fractions and exponents pass", () => {
    const file = write("ordinary.json", JSON.stringify(rawConfig({ instance: { rootVolumeSizeGiB: 2e1 } })));
    expect(() => loadConfig({ [CONFIG_ENV_VAR]: file })).not.toThrow();
  });
});

describe("text encodings", () => {
  const json = JSON.stringify(rawConfig());
  const utf16be = (text: string) => Buffer.from(text, "utf16le").swap16();
  /** UTF-32 LE of ASCII text: each UTF-16 LE code unit followed by two zero bytes. */
  const utf32le = (text: string) => {
    const units = Buffer.from(text, "utf16le");
    const out = Buffer.alloc(units.length * 2);
    for (let i = 0; i < units.length / 2; i++) units.copy(out, i * 4, i * 2, i * 2 + 2);
    return out;
  };
  const FIX =
    'config files are UTF-8: save it as UTF-8 (e.g. in VS Code "Save with Encoding" → UTF-8; in PowerShell Get-Content old.json | Set-Content -Encoding utf8 new.json)';

  test.each([
    [
      "UTF-16 LE with a BOM",
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(json, "utf16le")]),
      "UTF-16 text (little-endian, with a byte-order mark)",
    ],
    [
      "UTF-16 BE with a BOM",
      Buffer.concat([Buffer.from([0xfe, 0xff]), utf16be(json)]),
      "UTF-16 text (big-endian, with a byte-order mark)",
    ],
    ["UTF-16 LE without a BOM", Buffer.from(json, "utf16le"), "UTF-16 text (without a byte-order mark)"],
    [
      "UTF-32 LE with a BOM",
      Buffer.concat([Buffer.from([0xff, 0xfe, 0, 0]), utf32le(json)]),
      "UTF-32 text (little-endian, with a byte-order mark)",
    ],
    ["UTF-32 LE without a BOM", utf32le(json), "UTF-32 text (without a byte-order mark)"],
  ])("%s is named, with the fix", (_what, bytes, name) => {
    const file = write("wide.json", bytes);
    expect(problems({ [CONFIG_ENV_VAR]: file })).toEqual([fileLine(file, `is ${name}; ${FIX}`)]);
  });

  test("bytes that are not UTF-8 (Latin-1) are named with their line and column", () => {
    const text = JSON.stringify(rawConfig({ tags: { Team: "café" } }), null, 2);
    const file = write("latin1.json", Buffer.from(text, "latin1"));
    const line = text.split("\n").findIndex((l) => l.includes("café")) + 1;
    const column = text.split("\n")[line - 1]!.indexOf("é") + 1;
    expect(problems({ [CONFIG_ENV_VAR]: file })).toEqual([
      fileLine(
        file,
        `is not UTF-8 text (byte 0xE9 at line ${line}, column ${column}; Latin-1 or Windows-1252?); ${FIX}`,
      ),
    ]);
  });

  test("a U+FFFD written in the file is valid UTF-8: the bad byte after it is the one named", () => {
    const text = `{"a": "\uFFFD", "b": "caf\u00e9"}`;
    const at = text.indexOf("\u00e9");
    const file = write(
      "replacement.json",
      Buffer.concat([Buffer.from(text.slice(0, at), "utf8"), Buffer.from(text.slice(at), "latin1")]),
    );
    expect(problems({ [CONFIG_ENV_VAR]: file })).toEqual([
      fileLine(file, `is not UTF-8 text (byte 0xE9 at line 1, column ${at + 1}; Latin-1 or Windows-1252?); ${FIX}`),
    ]);
  });

  test("UTF-8 with a byte-order mark is fine", () => {
    const file = write("bom.json", Buffer.from("\uFEFF" + JSON.stringify(rawConfig())));
    expect(loadConfig({ [CONFIG_ENV_VAR]: file }).targetRoleName).toBe("unit-test-target");
  });
});

describe("no stack trace, from the config check or the app", () => {
  const deep = () => write("deep-app.json", "[".repeat(4000) + "]".repeat(4000));
  const DEEP_LINE = `:1:${MAX_CONFIG_NESTING + 1}: objects and lists nest more than ${MAX_CONFIG_NESTING} levels deep here`;

  test("npm run check-config on a config nested 4,000 deep (the parser overflowed its stack before)", () => {
    const file = deep();
    const run = checkConfig(file);
    expect(run.status).toBe(1);
    expect(run.stderr.split("\n")[0]).toContain(`${file}${DEEP_LINE}`);
    expect(run.stderr).not.toMatch(/RangeError|^\s+at /m);
  }, 60_000);

  test("the app (what cdktf synth runs) on the same config: exit 1, the cause, what was written", async () => {
    const file = deep();
    const run = await runMain(dir, { CROSS_ACCOUNT_CONFIG: file });
    expect({ status: run.status, stderr: run.stderr }).toEqual({
      status: 1,
      stderr: `${file}${DEEP_LINE}; a config nests at most ${MAX_CONFIG_NESTING} (a real one 4); is it the right file?\nNothing was written: "cdktf.out" was not created.\n`,
    });
  }, 60_000);
});
