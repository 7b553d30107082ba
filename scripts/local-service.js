// What the scripts that start the service locally (demo, studio) share.

/**
 * Waits until the service spawned as `child` answers /health at `base`: true once it does, false if the
 * process exits first; throws after 30 s.
 * @param {string} base
 * @param {import('node:child_process').ChildProcess} child
 * @returns {Promise<boolean>}
 */
async function untilHealthy(base, child) {
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) return false;
    const ok = await fetch(`${base}/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return true;
    if (i > 300) throw new Error('the service did not come up within 30 s');
    await new Promise((r) => setTimeout(r, 100));
  }
}

module.exports = { untilHealthy };
