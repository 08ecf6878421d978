// Entry of a batch-evaluation worker thread. Worker threads do not inherit the TypeScript loader of the
// process (bin/credit.js registers tsx; vitest transforms on its own), so the worker registers tsx itself.
import { register } from "tsx/esm/api";

register();
await import("./worker.ts");
