/** policy/uploads.yaml: the limits on reading an uploaded table (CSV, XLSX) and on the worker that reads it. */
import { z } from "zod";
import { POLICY_DIR, readYaml } from "./load.ts";

const count = z.number().int().positive();

const uploadsFile = z.object({
  source: z.string(),
  effective_from: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  table: z.object({ max_row_chars: count }),
  xlsx: z.object({
    max_columns: count,
    max_rows: count,
    max_cell_chars: count,
    max_shared_strings: count,
    max_shared_string_chars: count,
    max_xml_depth: count,
    max_zip_entries: count,
    max_decompressed_bytes: count,
    max_compression_ratio: z.number().positive(),
    ratio_grace_bytes: count,
  }),
  worker: z.object({ max_heap_mb: count }),
});
export type UploadsPolicy = z.infer<typeof uploadsFile>;

/** What the XLSX reader accepts (policy/uploads.yaml `xlsx`, in the reader's terms). */
export interface XlsxLimits {
  maxColumns: number;
  maxRows: number;
  maxCellChars: number;
  maxSharedStrings: number;
  maxSharedStringChars: number;
  maxXmlDepth: number;
  maxZipEntries: number;
  maxDecompressedBytes: number;
  maxCompressionRatio: number;
  ratioGraceBytes: number;
}

let cached: UploadsPolicy | undefined;
export function uploadsPolicy(dir = POLICY_DIR): UploadsPolicy {
  if (dir !== POLICY_DIR) return readYaml("uploads.yaml", uploadsFile, dir);
  cached ??= readYaml("uploads.yaml", uploadsFile, dir);
  return cached;
}

export function xlsxLimits(p: UploadsPolicy = uploadsPolicy()): XlsxLimits {
  const x = p.xlsx;
  return {
    maxColumns: x.max_columns,
    maxRows: x.max_rows,
    maxCellChars: x.max_cell_chars,
    maxSharedStrings: x.max_shared_strings,
    maxSharedStringChars: x.max_shared_string_chars,
    maxXmlDepth: x.max_xml_depth,
    maxZipEntries: x.max_zip_entries,
    maxDecompressedBytes: x.max_decompressed_bytes,
    maxCompressionRatio: x.max_compression_ratio,
    ratioGraceBytes: x.ratio_grace_bytes,
  };
}
