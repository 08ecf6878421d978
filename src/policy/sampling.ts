/** The sampling defaults' file (policy/supervision/sampling.yaml), read and checked once per process. */
import {
  checkSamplingFile,
  type SamplingDefaults,
  type SamplingFile,
  samplingDefaults,
  samplingFileSchema,
} from "../core/sampling/policy.ts";
import { POLICY_DIR, readYaml } from "./load.ts";

/** Reads and checks policy/supervision/sampling.yaml (a broken file stops the platform at start). */
export function loadSamplingFile(dir = POLICY_DIR): SamplingFile {
  const f = readYaml("supervision/sampling.yaml", samplingFileSchema, dir);
  const errors = checkSamplingFile(f);
  if (errors.length) throw new Error(`policy/supervision/sampling.yaml is not valid:\n${errors.join("\n")}`);
  return f;
}

let cached: SamplingFile | undefined;
/** The shipped defaults in force on `date` (the file is read once per process). */
export function samplingPolicyAt(date: string): SamplingDefaults {
  cached ??= loadSamplingFile();
  return samplingDefaults(cached, date);
}
