// Runs svmig's CLI in this process, one command line at a time, for the fuzz harness (harness.ts):
// the compiled program from dist/, run in the case's folder, its output captured, its exit code sent
// back. One long-lived process rather than one per case: thousands of cases in seconds; a process
// rather than the test's own thread: one that hangs can be killed (harness.ts does, after its time
// limit), and the native chart renderer is not loaded into a worker thread, which it does not survive.

const { main } = await import(new URL('../../dist/src/cli/main.js', import.meta.url).href);

let stdout = '';
let stderr = '';
process.stdout.write = (chunk) => ((stdout += String(chunk)), true);
process.stderr.write = (chunk) => ((stderr += String(chunk)), true);

process.on('message', async ({ id, argv, cwd }) => {
  process.chdir(cwd);
  stdout = '';
  stderr = '';
  process.exitCode = undefined;
  let code;
  try {
    code = await main(['node', 'svmig', ...argv]);
  } catch (err) {
    // main() promises never to throw: if it does, that is a finding like any other.
    code = -1;
    stderr += `main threw: ${err instanceof Error ? err.stack : String(err)}`;
  }
  process.send({ id, code, stdout, stderr });
});
process.send({ ready: true });
