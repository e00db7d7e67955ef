/**
 * The isolation matrix as text. The terminal shows the grid while it fits
 * (every row against every column); the Markdown lists one line per consumer
 * with its own cell and only the other columns it reaches, so that a pull
 * request adding a consumer shows one new line (and, where a prefix contains
 * the new one, that consumer's line gaining one cell) instead of a grid whose
 * every line changes. The JSON has every cell.
 */
import type { IsolationMatrix, MatrixCell, MatrixColumn, MatrixRow } from "./isolation-matrix";

/** Up to this many columns the terminal shows the whole grid. */
const GRID_COLUMNS = 12;

export const MATRIX_LEGEND =
  "R read (s3:GetObject), W write (s3:PutObject), D delete (s3:DeleteObject), L list (s3:ListBucket with s3:prefix), " +
  "- denied; * allowed by allowPrefixOverlap (the row's prefix contains the column's); ! not as the config expects.";

function prefixText(prefix: string | undefined): string {
  return prefix ?? "(whole bucket)";
}

/** A cell with its marks: "R--L", "RWDL*", "R---!". */
export function markedCell(cell: MatrixCell): string {
  return `${cell.evaluated}${cell.intended === "overlap" ? "*" : ""}${cell.asExpected ? "" : "!"}`;
}

/** The cells a row lists besides its own: those it reaches, and any not as expected. */
function otherCells(row: MatrixRow): MatrixCell[] {
  return row.cells.filter(
    (cell) => cell.intended !== "own" && (cell.evaluated !== "----" || cell.expected !== "----" || !cell.asExpected),
  );
}

function ownCell(row: MatrixRow): MatrixCell | undefined {
  return row.cells.find((cell) => cell.intended === "own");
}

/** One line per cell not as expected, each ability with how it was reached or refused. */
export function matrixMismatchLines(matrix: IsolationMatrix): string[] {
  const columns = new Map(matrix.columns.map((column) => [column.consumer, column]));
  return matrix.rows.flatMap((row) =>
    row.cells
      .filter((cell) => !cell.asExpected)
      .flatMap((cell) =>
        cell.differences.map((difference) => {
          const column = columns.get(cell.column);
          const where =
            cell.column === row.consumer
              ? `its own prefix ${prefixText(column?.prefix)}`
              : `${cell.column}'s prefix ${prefixText(column?.prefix)}`;
          const outcome =
            difference.expected === "denied"
              ? `${difference.ability} is allowed, the config allows it nothing there: ${difference.via}`
              : `${difference.ability} is not allowed, the config allows it (${column?.accessLevel ?? "?"}): ${difference.via}`;
          return `ISOLATION ${row.consumer} on ${where}: ${outcome} (${difference.decidedBy.join("; ")}).`;
        }),
      ),
  );
}

/** The terminal's matrix: the grid, or one line per consumer past GRID_COLUMNS. */
export function matrixTableLines(
  matrix: IsolationMatrix,
  textTable: (header: readonly string[], rows: readonly (readonly string[])[]) => string[],
): string[] {
  if (matrix.rows.length === 0) return [];
  const lines = [
    `Isolation matrix (${matrix.rows.length} consumer(s) × their prefixes, through every access point and by the bucket's name)`,
    `  ${MATRIX_LEGEND}`,
  ];
  if (matrix.columns.length <= GRID_COLUMNS) {
    const header = ["consumer \\ prefix of", ...matrix.columns.map((column: MatrixColumn) => column.consumer)];
    lines.push(
      ...textTable(
        header,
        matrix.rows.map((row) => [row.consumer, ...row.cells.map(markedCell)]),
      ).map((text) => `  ${text}`),
    );
  } else {
    lines.push(
      ...textTable(
        ["consumer", "own prefix", "other consumers' prefixes"],
        matrix.rows.map((row) => {
          const own = ownCell(row);
          const others = otherCells(row);
          return [
            row.consumer,
            own === undefined ? "?" : markedCell(own),
            others.length === 0 ? "none" : others.map((cell) => `${cell.column}: ${markedCell(cell)}`).join(", "),
          ];
        }),
      ).map((text) => `  ${text}`),
    );
  }
  lines.push("");
  return lines;
}

const escapeCell = (text: string): string => text.replace(/\|/g, "\\|").replace(/\n/g, " ");

/** The Markdown section: one line per consumer (a stable diff as consumers come and go). */
export function matrixMarkdownLines(matrix: IsolationMatrix): string[] {
  if (matrix.rows.length === 0) return [];
  const columns = new Map(matrix.columns.map((column) => [column.consumer, column]));
  const shown = (cell: MatrixCell): string =>
    `\`${markedCell(cell)}\`${cell.asExpected ? "" : ` (expected \`${cell.expected}\`)`}`;
  return [
    "## Isolation matrix",
    "",
    "Each consumer (a line) against every consumer's prefix, evaluated through every access point and by the " +
      "bucket's name, with everything the consumer's account can act as. Only the other prefixes a consumer reaches " +
      "are listed; every prefix not listed was evaluated and is denied.",
    "",
    MATRIX_LEGEND,
    "",
    "| | Consumer | Prefix | Level | Own prefix | Other consumers' prefixes |",
    "|---|---|---|---|---|---|",
    ...matrix.rows.map((row) => {
      const column = columns.get(row.consumer);
      const own = ownCell(row);
      const others = otherCells(row);
      const ok = row.cells.every((cell) => cell.asExpected);
      return (
        `| ${ok ? "✅" : "❌"} | ${escapeCell(row.consumer)} | \`${escapeCell(prefixText(column?.prefix))}\` | ` +
        `${column?.accessLevel ?? "?"} | ${own === undefined ? "?" : shown(own)} | ` +
        `${others.length === 0 ? "none" : others.map((cell) => `${escapeCell(cell.column)}: ${shown(cell)}`).join(", ")} |`
      );
    }),
    "",
  ];
}
