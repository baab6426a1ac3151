// Whether a module is the script node was started with: compared as real paths, so that a script
// started through a symlink, a relative path or a path with spaces or non-ASCII characters runs
// (comparing `import.meta.url` with `file://${argv[1]}` does not: it silently did nothing).

import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** True when the module at `moduleUrl` (its `import.meta.url`) is the process's entry point. */
export function isEntryPoint (moduleUrl) {
  if (!process.argv[1]) return false;
  try {
    return realpathSync(fileURLToPath(moduleUrl)) === realpathSync(process.argv[1]);
  } catch {
    return false;
  }
}
