// Prints the size of every built asset, raw and gzipped, and fails the build
// when the total goes over the UI's budget (300 KB gzipped).
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { gzipSync } from "node:zlib";

const BUDGET = 300 * 1024;
const dist = new URL("../dist/", import.meta.url).pathname;
const files = [];
(function walk(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path);
    else files.push(path);
  }
})(dist);

let raw = 0;
let gz = 0;
for (const path of files.sort()) {
  const bytes = readFileSync(path);
  const z = gzipSync(bytes, { level: 9 }).length;
  raw += bytes.length;
  gz += z;
  console.log(`${relative(dist, path).padEnd(40)} ${String(bytes.length).padStart(9)} B  ${String(z).padStart(8)} B gzipped`);
}
console.log(`${"total".padEnd(40)} ${String(raw).padStart(9)} B  ${String(gz).padStart(8)} B gzipped (budget ${BUDGET} B)`);
if (gz > BUDGET) {
  console.error("bundle over budget");
  process.exit(1);
}
