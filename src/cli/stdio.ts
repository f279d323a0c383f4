// Standard output and error that end quietly in a closed pipe. `svmig … | head -1` closes the pipe
// once head has its line; Node then reports EPIPE as an error event, which would end svmig with a
// stack trace. The reader has what it wanted: what svmig still writes there is dropped, and the
// command finishes as it would have (files written whole, a campaign followed to its end, the same
// exit code).

const DROPPED = new Set(['EPIPE', 'ERR_STREAM_DESTROYED']);
const quiet = new WeakSet<NodeJS.WriteStream>();

/** Idempotent: a process that runs main() many times (the fuzz harness) gets one listener per stream. */
export function quietOnClosedPipes(streams: ReadonlyArray<NodeJS.WriteStream> = [process.stdout, process.stderr]): void {
  for (const stream of streams) {
    if (quiet.has(stream)) continue;
    quiet.add(stream);
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (DROPPED.has(err.code ?? '')) return;
      throw err;
    });
  }
}
