/**
 * `npm run bench -- NAME [options]`: one command per benchmark. Each measures the platform and a peer in the
 * same run (these machines are noisy: compare ratios, not absolute figures across days) and prints a
 * Markdown block to paste into bench/RESULTS.md.
 */
const benches: Record<string, () => Promise<{ run(args: string[]): Promise<void> }>> = {
  import: () => import("./import.ts"),
  evaluate: () => import("./evaluate.ts"),
  draw: () => import("./draw.ts"),
  plan: () => import("./plan.ts"),
};

const [name, ...args] = process.argv.slice(2);
const load = name ? benches[name] : undefined;
if (!load) {
  console.error(`usage: npm run bench -- <${Object.keys(benches).join("|")}> [options]`);
  process.exit(2);
}
await (await load()).run(args);
